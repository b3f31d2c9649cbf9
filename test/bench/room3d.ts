// 3D room bench: headless Chromium (software GL), synthetic rooms of 1 k, 10 k and 50 k
// devices drawn by the real scene code, side by side with one bare InstancedMesh of the same
// instance count in the same run: draw calls, frame time and the ratio; and a full colour
// update's main-thread ms. Prints one table. No server: the page is bundled here with esbuild.
// Usage: node --import tsx test/bench/room3d.ts [--sizes 1000,10000,50000] [--frames 10]
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchRow } from './room3d-row';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000,50000' }, frames: { type: 'string', default: '10' } } });
const sizes = values.sizes.split(',').map(Number);
const frames = Number(values.frames);
const here = dirname(fileURLToPath(import.meta.url));

const bundle = await build({ entryPoints: [join(here, 'room3d-page.ts')], bundle: true, write: false, format: 'iife', target: 'es2022', logLevel: 'error' });
const script = bundle.outputFiles[0]?.text ?? '';

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'] });
try {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  await page.setContent('<!doctype html><html><body style="margin:0"></body></html>');
  await page.addScriptTag({ content: script });
  const rows: BenchRow[] = [];
  for (const n of sizes) {
    const row = await page.evaluate(([d, f]) => (globalThis as unknown as { runRoom3dBench(d: number, f: number): BenchRow }).runRoom3dBench(d, f), [n, frames] as const);
    rows.push(row);
    process.stdout.write(`.`);
  }
  process.stdout.write('\n');
  console.log('devices  instances  room calls  bare calls  room ms/frame  bare ms/frame  ratio  colour update ms');
  for (const r of rows) {
    console.log(
      `${String(r.devices).padStart(7)}  ${String(r.instances).padStart(9)}  ${String(r.roomCalls).padStart(10)}  ${String(r.bareCalls).padStart(10)}  ${r.roomMs.toFixed(1).padStart(13)}  ${r.bareMs.toFixed(1).padStart(13)}  ${(r.roomMs / r.bareMs).toFixed(2).padStart(5)}  ${r.colourMs.toFixed(2).padStart(16)}`,
    );
  }
  console.log('Goals: draw calls flat and <= 20; frame time within 1.2x of the bare floor; a full colour update of 50 k <= 5 ms.');
} finally {
  await browser.close();
}
