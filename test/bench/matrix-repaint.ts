// Probe matrix repaint bench (issue 14): headless Chromium (/usr/bin/chromium, software GL), the
// real deck.gl matrix canvas with a synthetic 1,000 x 1,000 ProbeMatrix, then 20 new minutes
// updated in place: base64 in hand -> pixels presented (decode, repaint, texture upload, deck's
// frame and one more animation frame), p50 / p95 beside the goal (<= 100 ms), and the draw
// calls per frame, which must not grow with the cells (a 300 x 300 run beside it).
// Usage: node --import tsx test/bench/matrix-repaint.ts [--size 1000] [--updates 20]
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RepaintResult } from './matrix-repaint-row';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './room3d-search';

const { values } = parseArgs({ options: { size: { type: 'string', default: '1000' }, updates: { type: 'string', default: '20' } } });
const size = Number(values.size);
const updates = Number(values.updates);
const here = dirname(fileURLToPath(import.meta.url));
const bundle = await build({ entryPoints: [join(here, 'matrix-repaint-page.ts')], bundle: true, write: false, format: 'iife', target: 'es2022', logLevel: 'error' });
const script = bundle.outputFiles[0]?.text ?? '';

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

/** Each update's time once the cells are decoded: repaint, upload, frame. */
const after = (r: RepaintResult): number[] => r.updateMs.map((u, i) => u - (r.decodeMs[i] ?? 0));

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.setContent('<!doctype html><html><body style="margin:0"></body></html>');
  await page.addScriptTag({ content: script });
  const runs: RepaintResult[] = [];
  for (const n of [300, size]) {
    runs.push(await page.evaluate(([n, u]) => (globalThis as unknown as { runMatrixRepaint(n: number, u: number): Promise<RepaintResult> }).runMatrixRepaint(n, u), [n, updates] as const));
  }
  console.log(`matrix repaint: ${updates} in-place updates each, headless Chromium (SwiftShader); ms from the base64 cells in hand to the frame presented`);
  console.log('cells       tiles  first draw ms  update p50  update p95  decode p50  cells->pixels p50  cells->pixels p95  paint+upload p50  draw calls/frame  pixel check');
  for (const r of runs) {
    console.log(
      `${String(r.cells).padStart(9)}  ${String(r.tiles).padStart(6)}  ${r.firstMs.toFixed(1).padStart(13)}  ${pct(r.updateMs, 50).toFixed(1).padStart(10)}  ${pct(r.updateMs, 95).toFixed(1).padStart(10)}  ` +
        `${pct(r.decodeMs, 50).toFixed(1).padStart(10)}  ${pct(after(r), 50).toFixed(1).padStart(17)}  ${pct(after(r), 95).toFixed(1).padStart(17)}  ${pct(r.paintMs, 50).toFixed(1).padStart(16)}  ${[...new Set(r.drawCalls)].join(',').padStart(16)}  ${r.pixelOk ? 'white cross drawn' : 'WRONG PIXEL'}`,
    );
  }
  console.log('update = base64 decode (Uint8Array.fromBase64) + cells->pixels (repaint, texture upload, next frame presented).');
  console.log('Goal (issue 14): new data -> pixels <= 100 ms for 1,000 x 1,000 cells; draw calls per frame flat (not growing with cells).');
} finally {
  await browser.close();
}
