// Prints the totals of every suite that ran, on one line: "N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';

const skips = [];
let passed = 0;
let failed = 0;
let skipped = 0;
const seen = [];

for (const report of ['test-results/vitest.json', 'test-results/vitest-quiet.json']) {
  if (!existsSync(report)) continue;
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  for (const file of r.testResults ?? []) {
    for (const t of file.assertionResults ?? []) if (t.status === 'pending' || t.status === 'skipped') skips.push(`vitest: ${t.fullName}`);
  }
  seen.push(report.includes('quiet') ? 'vitest (quiet)' : 'vitest');
}
if (existsSync('test-results/playwright.json')) {
  const s = JSON.parse(readFileSync('test-results/playwright.json', 'utf8')).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'skipped') continue;
        const why = (test.annotations ?? []).filter((a) => a.type === 'skip').map((a) => a.description).join('; ');
        skips.push(`playwright: ${spec.title}${why ? ` (skipped: ${why})` : ''}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of JSON.parse(readFileSync('test-results/playwright.json', 'utf8')).suites ?? []) walk(suite);
  seen.push('playwright');
}
for (const s of skips) console.log(`skipped: ${s}`);
console.log(`suites: ${seen.join(', ') || 'none'} (lint and type-check ran before them)`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
