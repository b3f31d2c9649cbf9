// 3D room bench: headless Chromium (software GL), synthetic rooms of 1 k, 10 k and 50 k
// devices drawn by the real scene code, side by side with one bare InstancedMesh of the same
// instance count in the same run (in turns: median round, median of the rounds' ratios): draw calls, frame time and the
// ratio; a full colour update's main-thread ms when the mode changes and when new readings
// arrive. Prints one table; then (unless --no-search) the real app's search -> camera arrival
// time in a lab room (room3d-search.ts: needs `npm run build`).
// Usage: node --import tsx test/bench/room3d.ts [--sizes 1000,10000,50000] [--frames 4] [--rounds 9] [--no-search]
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchRow } from './room3d-row';
import { CHROMIUM_ARGS, CHROMIUM_PATH, runRoom3dSearchBench } from './room3d-search';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,50000' },
    frames: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '9' },
    'no-search': { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number);
const frames = Number(values.frames);
const rounds = Number(values.rounds);
const here = dirname(fileURLToPath(import.meta.url));

const bundle = await build({ entryPoints: [join(here, 'room3d-page.ts')], bundle: true, write: false, format: 'iife', target: 'es2022', logLevel: 'error' });
const script = bundle.outputFiles[0]?.text ?? '';

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  await page.setContent('<!doctype html><html><body style="margin:0"></body></html>');
  await page.addScriptTag({ content: script });
  const rows: BenchRow[] = [];
  for (const n of sizes) {
    const row = await page.evaluate(
      ([d, f, r]) => (globalThis as unknown as { runRoom3dBench(d: number, f: number, r: number): BenchRow }).runRoom3dBench(d, f, r),
      [n, frames, rounds] as const,
    );
    rows.push(row);
    process.stdout.write(`.`);
  }
  process.stdout.write('\n');
  console.log(`frame ms: median of ${rounds} rounds of ${frames} frames, room and bare in turns; ratio: median of the rounds' room/bare; colour update ms: median of 7 (after 2 warm-ups; Chromium's clock ticks in 0.1 ms)`);
  console.log('devices  instances  room calls  bare calls  room ms/frame  bare ms/frame  ratio  colour update, mode change (ms)  colour update, new readings (ms)');
  for (const r of rows) {
    console.log(
      `${String(r.devices).padStart(7)}  ${String(r.instances).padStart(9)}  ${String(r.roomCalls).padStart(10)}  ${String(r.bareCalls).padStart(10)}  ` +
        `${r.roomMs.toFixed(1).padStart(13)}  ${r.bareMs.toFixed(1).padStart(13)}  ${r.ratio.toFixed(2).padStart(5)}  ` +
        `${r.colourModeMs.toFixed(2).padStart(31)}  ${r.colourReadingsMs.toFixed(2).padStart(32)}`,
    );
  }
  console.log('Goals: draw calls flat and <= 20; frame time within 1.2x of the bare floor; a full colour update of 50 k <= 5 ms.');
} finally {
  await browser.close();
}

if (!values['no-search']) await runRoom3dSearchBench();
