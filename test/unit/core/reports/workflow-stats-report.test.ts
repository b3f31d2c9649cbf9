// The workflow statistics report on a ':memory:' store: templates, runs and attempts written
// through the workflow journal (journal.ts, the engine's own writes) for a day, with runs just
// before and at the end of the day that must not count; the report's table per template and
// per step matched against this file's own computation from the same run list (counts by
// state, revoked, success rate, mean and nearest-rank P90 of finished runs, failed attempts
// without operator cuts, the most frequent error, mean succeeded attempt). zh-CN labels; the
// kind generated through reports.generate writes a CSV that parses and holds the numbers.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WfRunState, WfTemplate } from '../../../../src-shared/domain/workflow';
import { parseCsv } from '../../../../src-main/core/inventory/csv';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { reportToPdf } from '../../../../src-main/core/reports/pdf';
import { startReports } from '../../../../src-main/core/reports/reports-capability';
import { buildWorkflowStatsReport } from '../../../../src-main/core/reports/workflow-stats';
import { openCoreStore, type CoreStore } from '../../../../src-main/core/store/core-store';
import { Journal } from '../../../../src-main/core/workflows/journal';
import type { RunRec, TaskRec } from '../../../../src-main/core/workflows/run-model';
import { FROM, HOUR, TO } from './lab-day';

const S = 1000;
const templates: WfTemplate[] = [
  { id: 'online', name: 'Server online', params: [], steps: [{ id: 'bmc', tool: 'bmc', scope: 'host', inputs: {} }, { id: 'wait', tool: 'wait', scope: 'host', inputs: {} }] },
  { id: 'drain', name: 'Drain', params: [], steps: [{ id: 'x', tool: 'x', scope: 'host', inputs: {} }] },
  { id: 'unused', name: 'Never run', params: [], steps: [{ id: 'y', tool: 'y', scope: 'host', inputs: {} }] },
];

interface Attempt { step: string; state: 'succeeded' | 'failed' | 'cut'; ms: number; error?: string }
interface Run { id: string; t: string; state: WfRunState; at: number; ms?: number; attempts?: Attempt[] }

const RUNS: Run[] = [
  { id: 'r1', t: 'online', state: 'succeeded', at: FROM + HOUR, ms: 100 * S, attempts: [{ step: 'bmc', state: 'succeeded', ms: 20 * S }, { step: 'wait', state: 'succeeded', ms: 60 * S }] },
  { id: 'r2', t: 'online', state: 'succeeded', at: FROM + 2 * HOUR, ms: 300 * S, attempts: [{ step: 'bmc', state: 'failed', ms: 5 * S, error: 'bad password' }, { step: 'bmc', state: 'succeeded', ms: 45 * S }] },
  { id: 'r3', t: 'online', state: 'failed', at: FROM + 3 * HOUR, ms: 50 * S, attempts: [{ step: 'bmc', state: 'failed', ms: 5 * S, error: 'BMC does not answer' }, { step: 'bmc', state: 'failed', ms: 5 * S, error: 'BMC does not answer' }] },
  { id: 'r4', t: 'online', state: 'running', at: FROM + 4 * HOUR, attempts: [{ step: 'wait', state: 'cut', ms: 9 * S }] },
  { id: 'r5', t: 'online', state: 'paused', at: FROM + 5 * HOUR },
  { id: 'r6', t: 'online', state: 'revoked', at: FROM + 6 * HOUR, ms: 10 * S },
  { id: 'r7', t: 'online', state: 'succeeded', at: FROM - 60 * S, ms: 9 * S, attempts: [{ step: 'bmc', state: 'failed', ms: S, error: 'yesterday' }] },
  { id: 'r8', t: 'online', state: 'failed', at: TO, ms: 9 * S },
  { id: 'r9', t: 'drain', state: 'failed', at: FROM + 7 * HOUR, ms: 70 * S, attempts: [{ step: 'x', state: 'failed', ms: 3 * S, error: 'disk full' }] },
  { id: 'r10', t: 'drain', state: 'succeeded', at: FROM + 8 * HOUR, ms: 1000 * S, attempts: [{ step: 'x', state: 'succeeded', ms: 900 * S }] },
];

function loadedStore(): CoreStore {
  const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
  const j = new Journal(store.db);
  for (const t of templates) j.insertTemplate(t, 'alice', FROM - HOUR);
  for (const r of RUNS) {
    const steps = templates.find((t) => t.id === r.t)!.steps;
    const run = {
      id: r.id, templateId: r.t, templateVersion: 1, name: r.t, state: 'running', params: {}, hosts: [], createdBy: 'alice', createdAt: r.at, finishedAt: null,
      tasks: steps.map((s) => ({ step: { id: s.id }, host: 'd1', state: 'pending' })),
    } as unknown as RunRec;
    j.insertRun(run);
    let at = r.at;
    const tries = new Map<string, number>();
    for (const a of r.attempts ?? []) {
      const n = (tries.get(a.step) ?? 0) + 1;
      tries.set(a.step, n);
      const task = { run, step: { id: a.step }, host: 'd1', attempt: n } as unknown as TaskRec;
      j.insertAttempt(task, {}, 'alice', null, at);
      if (a.state === 'cut') j.cancelAttempt(task, 'cancelled by ops: retried while awaiting-approval', at + a.ms);
      else j.finishAttempt(task, a.state, null, a.state === 'failed' ? 'error' : null, a.error ?? null, at + a.ms);
      at += a.ms;
    }
    run.state = r.state;
    run.finishedAt = r.ms === undefined ? null : r.at + r.ms;
    j.updateRun(run);
  }
  return store;
}

// ---- the test's own computation from RUNS ----

function expected(t: WfTemplate) {
  const runs = RUNS.filter((r) => r.t === t.id && r.at >= FROM && r.at < TO);
  const n = (...s: WfRunState[]): number => runs.filter((r) => s.includes(r.state)).length;
  const finished = runs.filter((r) => r.state === 'succeeded' || r.state === 'failed').map((r) => r.ms!).sort((a, b) => a - b);
  const attempts = runs.flatMap((r) => r.attempts ?? []);
  return {
    templateId: t.id, name: t.name, total: runs.length, succeeded: n('succeeded'), failed: n('failed'), running: n('running', 'paused'), revoked: n('revoked'),
    successRate: n('succeeded') + n('failed') ? n('succeeded') / (n('succeeded') + n('failed')) : null,
    meanMs: finished.length ? Math.round(finished.reduce((a, b) => a + b, 0) / finished.length) : null,
    p90Ms: finished.length ? finished[Math.ceil(0.9 * finished.length) - 1] : null,
    steps: t.steps.map((s) => {
      const failed = attempts.filter((a) => a.step === s.id && a.state === 'failed');
      const counts = new Map<string, number>();
      for (const a of failed) counts.set(a.error!, (counts.get(a.error!) ?? 0) + 1);
      const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
      const ok = attempts.filter((a) => a.step === s.id && a.state === 'succeeded').map((a) => a.ms);
      return { stepId: s.id, failures: failed.length, topError: top, meanMs: ok.length ? Math.round(ok.reduce((a, b) => a + b, 0) / ok.length) : null };
    }),
  };
}

const root = mkdtempSync(join(tmpdir(), 'fd-workflow-stats-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('workflow statistics report', () => {
  it('holds the engine table of every template for the day, matching the computation from the runs', async () => {
    const store = loadedStore();
    const { result, document } = buildWorkflowStatsReport(store, { from: FROM, to: TO, locale: 'en', timeZone: 'UTC', now: () => TO });
    const want = [...templates].sort((a, b) => a.id.localeCompare(b.id)).map(expected);
    expect(result.templates.map((s) => ({ ...s, revoked: s.total - s.succeeded - s.failed - s.running }))).toEqual(want);
    expect(want.find((w) => w.templateId === 'online')).toMatchObject({ total: 6, succeeded: 2, failed: 1, running: 2, revoked: 1, p90Ms: 300 * S });
    expect(result.all).toEqual({ total: 8, succeeded: 3, failed: 2, running: 2, revoked: 1, successRate: 3 / 5 });
    const rows = document.tables[0].rows;
    expect(rows.map((r) => r.cells.template)).toEqual(['drain', 'online', 'unused', 'All']);
    const online = want.find((w) => w.templateId === 'online')!;
    expect(rows[1].cells).toEqual({
      template: 'online', name: 'Server online', total: 6, succeeded: 2, failed: 1, running: 2, revoked: 1, successRate: online.successRate, meanS: online.meanMs! / 1000, p90S: 300,
    });
    expect(rows[3]).toMatchObject({ level: 'all', cells: { total: 8, successRate: 0.6, meanS: null } });
    expect(document.tables[1].rows.map((r) => [r.cells.template, r.cells.step, r.cells.failures, r.cells.topError])).toEqual([
      ['drain', 'x', 1, 'disk full'], ['online', 'bmc', 3, 'BMC does not answer'], ['online', 'wait', 0, ''], ['unused', 'y', 0, ''],
    ]);
    expect(document.charts[0]).toMatchObject({ labels: ['Drain', 'Server online'], series: [{ values: [1, 2] }, { values: [1, 1] }] });
    await store.dispose();
  });

  it('writes zh-CN labels (a PDF pdftotext reads in Chinese) and refuses a bad period', async () => {
    const store = loadedStore();
    const { document } = buildWorkflowStatsReport(store, { from: FROM, to: TO, locale: 'zh-CN', timeZone: 'UTC' });
    expect(document.title).toBe('工作流统计 2026-11-20');
    expect(document.tables[0].columns.map((c) => c.label)).toContain('成功率');
    expect(document.tables[0].rows.at(-1)!.cells.template).toBe('全部');
    expect(() => buildWorkflowStatsReport(store, { from: TO, to: TO, locale: 'en' })).toThrow(/from < to/);
    const file = join(root, 'workflow-stats.zh-CN.pdf');
    writeFileSync(file, await reportToPdf(document, { timeZone: 'UTC' }));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(text).toContain('各模板运行情况');
    expect(text).toContain('BMC does not answer');
    await store.dispose();
  });

  it('is generated through reports.generate as a CSV that parses and holds the table', async () => {
    const store = loadedStore();
    const cap = await startReports({ store, hub: new EventHub(), folder: root, timeZone: 'UTC', clock: () => TO + HOUR, tickMs: 0 });
    const ctx = { actor: 'olga', role: 'operator' } as const;
    const job = await cap.api['reports.generate']({ kind: 'workflow-stats', day: '2026-11-20', format: 'csv', locale: 'en' }, ctx);
    await cap.idle();
    const done = (await cap.api['reports.jobs'](undefined, ctx)).find((j) => j.id === job.id)!;
    expect(done).toMatchObject({ state: 'done', file: 'workflow-stats-2026-11-20.en.csv', error: null });
    const parsed = parseCsv(readFileSync(join(root, done.file!), 'utf8'));
    expect(parsed.issues).toEqual([]);
    const records = parsed.records.map((r) => r.fields.map((f) => f.value));
    const online = records.find((r) => r[0] === 'online' && r[1] === 'Server online')!;
    const want = expected(templates[0]);
    expect(online.slice(2, 10)).toEqual(['6', '2', '1', '2', '1', (want.successRate! * 100).toFixed(1), (want.meanMs! / 1000).toFixed(1), '300.0']);
    expect(records.find((r) => r[0] === 'All')!.slice(2, 8)).toEqual(['8', '3', '2', '2', '1', '60.0']);
    await cap.dispose();
    await store.dispose();
  });
});
