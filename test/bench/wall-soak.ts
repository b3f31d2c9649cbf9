// Wall soak benchmark (issue 15): serve mode on its own lab, a playlist of the four wall views
// (overview, a room, the alarms, the probe matrix) and a kiosk token for it; headless Chromium
// (/usr/bin/chromium) opens the kiosk URL with ?intervalMs= so the views rotate fast, and the
// JS heap is read through CDP (HeapProfiler.collectGarbage, then Performance.getMetrics'
// JSHeapUsedSize) after the first 100 rotations, every 250 after, and at the end. Printed: the
// samples, the end against the first-100 level (goal: within 10%), the watchdog's reloads.
// Usage: npm run bench:wall-soak -- [--rotations 2000] [--interval-ms 150] [--views overview,room,alarms,matrix]
// Exit code 1 when the goal is not met.
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { parseArgs } from 'node:util';
import type { WallPlaylistInput } from '../../src-shared/domain/wall';
import { startServe } from '../support/serve-process';
import { connect } from '../support/ws-client';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './room3d-search';

const { values } = parseArgs({ options: { rotations: { type: 'string', default: '2000' }, 'interval-ms': { type: 'string', default: '150' }, views: { type: 'string', default: 'overview,room,alarms,matrix' } } });
const ROTATIONS = Number(values.rotations);
const INTERVAL_MS = Number(values['interval-ms']);
const BASELINE_AT = 100;
const SAMPLE_EVERY = 250;

const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

async function heap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
}

/** Rotations so far: the page's own count (data-steps), plus those of pages the watchdog reloaded away. */
async function stepsOf(page: Page): Promise<number> {
  const v = await page.getByTestId('wall-body').getAttribute('data-steps', { timeout: 60_000 }).catch(() => null);
  return v === null ? 0 : Number(v);
}

const serve = await startServe(['--lab-prefix', '127.24'], { timeoutMs: 240_000 });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
const admin = await connect(serve.url, serve.tokens.admin);
const id = 'soak';
let failed = false;
try {
  const overview = await admin.call('fleet.overview', undefined);
  const roomId = overview.sites.flatMap((s) => s.rooms).find((r) => r.devices > 0)?.id ?? '';
  await admin.call('wall.setPlaylist', {
    id,
    name: 'Soak',
    intervalS: 30,
    views: (values.views ?? '').split(',').map((v): WallPlaylistInput['views'][number] => {
      if (v === 'room') return { view: 'room', params: { roomId } };
      if (v === 'matrix') return { view: 'matrix', params: { level: 'tor' } };
      if (v === 'alarms') return { view: 'alarms', params: {} };
      return { view: 'overview', params: {} };
    }),
  });
  const issued = await admin.call('wall.issueKioskToken', { playlistId: id, label: 'soak', baseUrl: serve.url });
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  let reloads = -1;
  let before = 0;
  page.on('load', () => {
    reloads += 1;
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const started = Date.now();
  await page.goto(`${serve.url.replace(/\/$/, '')}/${issued.path}&intervalMs=${INTERVAL_MS}`);
  await page.getByTestId('wall-body').waitFor({ timeout: 60_000 });
  const total = async () => {
    const s = await stepsOf(page);
    return before + s;
  };
  let lastPageSteps = 0;
  const waitFor = async (n: number) => {
    for (;;) {
      const s = await stepsOf(page);
      if (s < lastPageSteps) before += lastPageSteps; // reloaded: the new page counts from 0
      lastPageSteps = s;
      if (before + s >= n) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  console.log(`wall soak: ${ROTATIONS} rotations every ${INTERVAL_MS} ms over ${values.views} (room ${roomId}; serve ${serve.url})`);
  await waitFor(BASELINE_AT);
  const base = await heap(cdp);
  console.log(`  after ${String(await total()).padStart(5)} rotations: ${mb(base)} (baseline)`);
  for (let at = SAMPLE_EVERY; at < ROTATIONS; at += SAMPLE_EVERY) {
    if (at <= BASELINE_AT) continue;
    await waitFor(at);
    const h = await heap(cdp);
    console.log(`  after ${String(await total()).padStart(5)} rotations: ${mb(h)} (${(((h - base) / base) * 100).toFixed(1)}%)`);
  }
  await waitFor(ROTATIONS);
  const end = await heap(cdp);
  const change = ((end - base) / base) * 100;
  const seconds = (Date.now() - started) / 1000;
  console.log(`  after ${String(await total()).padStart(5)} rotations: ${mb(end)} (${change.toFixed(1)}%)`);
  console.log(`JS heap after ${BASELINE_AT}: ${mb(base)}; at the end: ${mb(end)}; change ${change >= 0 ? '+' : ''}${change.toFixed(1)}% (goal: within 10%: ${Math.abs(change) <= 10 ? 'met' : 'NOT met'})`);
  console.log(`watchdog reloads: ${reloads}; wall time ${seconds.toFixed(0)} s (${(seconds / ROTATIONS * 1000).toFixed(0)} ms a rotation)`);
  failed = Math.abs(change) > 10;
} finally {
  await admin.call('wall.deletePlaylist', { id }).catch(() => undefined);
  await admin.close();
  await browser.close();
  await serve.stop();
}
process.exit(failed ? 1 : 0);
