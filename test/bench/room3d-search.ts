// 3D room bench, search half: the real app (serve mode, the default 3,000-device lab on its
// own loopback range) in headless Chromium with SwiftShader, a lab room open in 3D; for a
// handful of the room's SNs, typed into the header search: time until the hit is listed,
// and from Enter to the camera's arrival at the cabinet (the engine stamps the canvas host's
// data-arrived with performance.now() when a flight ends), both measured in the page.
// Printed beside the flight the engine plays (700 ms) to show what search adds on top.
// Run by room3d.ts after its table, or alone: node --import tsx test/bench/room3d-search.ts [--sns 5]
// Needs `npm run build` (out/main/serve.js). The serve child is stopped by pid at the end.
import { chromium, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { until } from '../support/handles';
import { startServe } from '../support/serve-process';
import { connect } from '../support/ws-client';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'];
/** The flight engine.ts's flyTo plays (its default ms): the floor under Enter -> arrival. */
const FLIGHT_MS = 700;
/** A loopback range of its own, so the bench's lab never collides with an e2e or another bench's lab. */
const LAB_PREFIX = '127.66';

type Hook = { flying: boolean; layout: { room: { id: string }; devices: { id: string; cabinetId: string; sn: string }[] } };
type Stamps = { input?: number; listed?: number; enter?: number; starts: number[] };
/** The page's globals as these functions use them (this file is type-checked without the DOM lib). */
type El = { dataset: Record<string, string | undefined>; addEventListener(type: string, f: (e: { key?: string }) => void, o?: object): void };
type PageGlobal = {
  __room3d?: Hook;
  __benchT?: Stamps;
  document: { querySelector(selector: string): El | null; body: unknown };
  performance: { now(): number };
  MutationObserver: new (cb: (records: { oldValue: string | null }[]) => void) => { observe(node: unknown, o: object): void; disconnect(): void };
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Evenly spread devices of the room, one per cabinet at most. */
function pickTargets(devices: Hook['layout']['devices'], n: number): Hook['layout']['devices'] {
  const out: Hook['layout']['devices'] = [];
  const seen = new Set<string>();
  for (let k = 0; k < n * 4 && out.length < n; k++) {
    const d = devices[Math.floor(((k % n) + 0.5 + Math.floor(k / n) * 0.13) * (devices.length / n)) % devices.length];
    if (d && !seen.has(d.cabinetId)) {
      seen.add(d.cabinetId);
      out.push(d);
    }
  }
  return out;
}

async function waitSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const h = (globalThis as unknown as PageGlobal).__room3d;
    return Boolean(h) && !h?.flying;
  }, undefined, { timeout: 60_000 });
}

/** One search: type the SN, wait for its hit, Enter; in-page ms from typing to the hit listed and from Enter to arrival. */
async function searchOnce(page: Page, target: { id: string; cabinetId: string; sn: string }): Promise<{ listMs: number; arriveMs: number; startMs: number; starts: number }> {
  await waitSettled(page);
  await page.evaluate((deviceId) => {
    const w = globalThis as unknown as PageGlobal;
    const t: Stamps = { starts: [] };
    w.__benchT = t;
    const stage = w.document.querySelector('[data-testid="room3d-stage"]');
    if (stage) stage.dataset.arrived = '';
    const input = w.document.querySelector('[data-testid="search-input"]');
    input?.addEventListener('input', () => (t.input ??= w.performance.now()), { capture: true, once: true });
    input?.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') t.enter = w.performance.now();
    }, { capture: true });
    const obs = new w.MutationObserver(() => {
      if (t.listed === undefined && w.document.querySelector(`[data-testid="search-hit"][data-device-id="${deviceId}"]`)) {
        t.listed = w.performance.now();
        obs.disconnect();
      }
    });
    obs.observe(w.document.body, { childList: true, subtree: true, attributes: true });
    // The engine clears data-arrived as each flight starts: when the flight (or a restarted one) began.
    // Each record's new value is the next one's old value (the last's: the current value).
    new w.MutationObserver((records) => {
      const now = w.performance.now();
      const values = [...records.slice(1).map((r) => r.oldValue), stage?.dataset.arrived];
      for (const v of values) if (v === '' && t.enter !== undefined) t.starts.push(now);
    }).observe(stage, { attributes: true, attributeFilter: ['data-arrived'], attributeOldValue: true });
  }, target.id);
  await page.getByTestId('search-input').fill(target.sn);
  const hit = page.locator(`[data-testid="search-hit"][data-device-id="${target.id}"]`);
  await hit.waitFor({ state: 'visible', timeout: 30_000 });
  // Enter opens the active hit: make it this one (an exact SN is listed first).
  const index = await page.locator('[data-testid="search-hit"]').evaluateAll((els, id) => els.findIndex((e) => (e as unknown as El).dataset.deviceId === id), target.id);
  for (let i = 0; i < index; i++) await page.getByTestId('search-input').press('ArrowDown');
  await page.getByTestId('search-input').press('Enter');
  const arrived = await page.waitForFunction(
    (cab) => {
      const w = globalThis as unknown as PageGlobal;
      const stage = w.document.querySelector('[data-testid="room3d-stage"]');
      const h = w.__room3d;
      return stage?.dataset.focus === cab && stage.dataset.arrived && h && !h.flying ? Number(stage.dataset.arrived) : null;
    },
    target.cabinetId,
    { timeout: 30_000 },
  );
  const at = (await arrived.jsonValue()) as number;
  const t = await page.evaluate(() => (globalThis as unknown as PageGlobal).__benchT);
  if (t?.input === undefined || t.listed === undefined || t.enter === undefined) throw new Error(`missing timestamps: ${JSON.stringify(t)}`);
  const start = t.starts[t.starts.length - 1] ?? t.enter;
  return { listMs: t.listed - t.input, arriveMs: at - t.enter, startMs: start - t.enter, starts: t.starts.length };
}

export async function runRoom3dSearchBench(sns = 5): Promise<void> {
  const serve = await startServe(['--lab-prefix', LAB_PREFIX], { timeoutMs: 180_000 });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    // Past the start-up rush: the first poll sweep of the lab done, as a console at work would be.
    const viewer = await connect(serve.url, serve.tokens.viewer);
    await until('the first poll sweep', async () => {
      const st = await viewer.call('fleet.pollerStats', undefined);
      return st.targets > 0 && st.pollsCompleted + st.pollsFailed >= st.targets;
    }, 120_000, 250);
    await viewer.close();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // tsx compiles the page functions below with esbuild's keepNames, whose __name helper the page lacks.
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await page.goto(serve.url);
    await page.getByTestId('lang-en').click();
    await page.getByTestId('login-token').fill(serve.tokens.viewer);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('room3d-link').first().click({ timeout: 60_000 });
    await page.getByTestId('room3d-stage').waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForFunction(() => Number((globalThis as unknown as PageGlobal).document.querySelector('[data-testid="room3d-stage"]')?.dataset.frames ?? 0) > 0, undefined, {
      timeout: 60_000,
    });
    const layout = await page.evaluate(() => (globalThis as unknown as PageGlobal).__room3d?.layout ?? null);
    if (!layout || layout.devices.length === 0) throw new Error('the 3D room has no layout or no devices');
    const targets = pickTargets(layout.devices, sns + 1);
    // One search first, not counted (its own SN: a search landing where the camera already is changes no route): warm-up.
    await searchOnce(page, targets.pop() as (typeof targets)[number]);
    const runs: ({ sn: string } & Awaited<ReturnType<typeof searchOnce>>)[] = [];
    for (const t of targets) runs.push({ sn: t.sn, ...(await searchOnce(page, t)) });
    console.log(`\nsearch -> camera arrival, real app (serve, lab room ${layout.room.id}: ${layout.devices.length} devices), ${runs.length} SNs after 1 warm-up, in-page ms:`);
    for (const r of runs) console.log(`  ${r.sn.padEnd(16)} typed -> hit listed ${r.listMs.toFixed(0).padStart(5)}   Enter -> arrived ${r.arriveMs.toFixed(0).padStart(5)}   Enter -> flight started ${r.startMs.toFixed(0).padStart(4)} (flights started: ${r.starts}), its start -> arrived ${(r.arriveMs - r.startMs).toFixed(0).padStart(5)}`);
    const list = runs.map((r) => r.listMs);
    const arrive = runs.map((r) => r.arriveMs);
    console.log(`  typed -> hit listed: median ${median(list).toFixed(0)} ms, max ${Math.max(...list).toFixed(0)} ms (includes the search box's 150 ms debounce)`);
    console.log(
      `  Enter -> arrived:    median ${median(arrive).toFixed(0)} ms, max ${Math.max(...arrive).toFixed(0)} ms; the flight itself ${FLIGHT_MS} ms, ` +
        `so search + start-up adds median ${(median(arrive) - FLIGHT_MS).toFixed(0)} ms, max ${(Math.max(...arrive) - FLIGHT_MS).toFixed(0)} ms`,
    );
  } finally {
    await browser.close();
    await serve.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { sns: { type: 'string', default: '5' } } });
  await runRoom3dSearchBench(Number(values.sns));
}
