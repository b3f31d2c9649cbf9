// Issue 14's matrix acceptance on live lab data: a serve instance of its own (720 lab devices on
// 127.48, --lab-agents 12: the real agent deployed to a lab SSH host in every row, probing the
// others through the lab's network model). In order (serial: each test builds on the last):
// 1. the lab fault panel's Network section (a cabinet page, as operator) refuses a loss of 150 %
//    beside the input and sends nothing, applies and clears a ToR-uplink fault, and puts a 20 ms
//    one-way delay on one agent host's link (the "slow" host) - before the agents are up, so every
//    minute they measure has it and no minute has to be waited out;
// 2. once the agents are healthy and a minute is stored: the matrix draws (the legend, same-site
//    pairs away from the slow host green, read back from the canvas through window.__matrix),
//    hovering a cell shows both directions, a ToR cell drills down to its two ToRs' servers and back;
// 3. the slow host's row and column are red on P99 wherever they have data inside its site, the
//    other same-site cells mostly green (the busy 2-core machine's scheduling noise lifts a few
//    cells' P99 over 5 ms now and then), and the panel's list clears the fault;
// 4. a killed agent host (lab kill-device): once agents.list says its agent is gone the server
//    matrix shows its row and column white (the hook's down lists it), never red;
// 5. zh-CN: the matrix, the public network map and the Network section hold no Latin words.
// Pairs across sites are left out of the colour checks: the lab's WAN (2-30 ms one way) puts
// them over the 15 ms P99 threshold by design.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { InventoryDocument, ProbeMatrix } from '../../src-shared/domain';
import { spreadOverRows } from '../../src-main/serve/lab-agents';
import { startServe, type ServeProcess } from '../support/serve-process';
import { connect, type TestClient } from '../support/ws-client';
import { shoot, signIn } from './helpers';
import { check, dataMatcher, expectNoLatin, goHash, openInChinese, visibleTexts, latinWords, type Found } from './zh-cn-check';

const AGENTS = 12;
const DELAY_MS = 20;

type Hook = {
  frames: number;
  calls: number;
  level: string;
  rows: string[];
  cols: string[];
  down: { rows: number[]; cols: number[] };
  project(row: number, col: number): { x: number; y: number };
  pixelAt(row: number, col: number): [number, number, number, number];
};
type W = { __matrix?: Hook };

/** Reads the page's test hook (window.__matrix): one field, or a cell's projection or pixel. */
const m = (page: Page) => ({
  field: <K extends 'frames' | 'calls' | 'level' | 'rows' | 'cols' | 'down'>(k: K) => page.evaluate((key) => (globalThis as unknown as W).__matrix?.[key] ?? null, k) as Promise<Hook[K] | null>,
  project: (row: number, col: number) => page.evaluate(([r, c]) => (globalThis as unknown as W).__matrix?.project(r, c) ?? null, [row, col] as const),
  pixel: (row: number, col: number) => page.evaluate(([r, c]) => (globalThis as unknown as W).__matrix?.pixelAt(r, c) ?? null, [row, col] as const),
});

/** The painter's colours (src-renderer/views/matrix/paint.ts), by the letter the checks use. */
const COLOURS: Record<string, readonly number[]> = { g: [46, 160, 67, 255], a: [240, 170, 0, 255], r: [218, 54, 51, 255], w: [255, 255, 255, 255], x: [120, 120, 120, 255] };
const WHITE = COLOURS.w;

/** Cells' colours as letters (g green, a amber, r red, w white: no data, x the cross's centre, ? other), read back from the canvas. */
async function colours(page: Page, cells: readonly (readonly [number, number])[]): Promise<string[]> {
  return page.evaluate(
    ([palette, list]) => {
      const h = (globalThis as unknown as W).__matrix;
      return list.map(([i, j]) => {
        const p = h?.pixelAt(i, j) ?? [];
        return Object.keys(palette).find((k) => palette[k]!.every((v, n) => Math.abs(v - (p[n] ?? -1)) <= 2)) ?? '?';
      });
    },
    [COLOURS, cells] as const,
  );
}

/** The colours of a set of cells, counted (white, no data, left out), with their letters for the message. */
async function tally(page: Page, cells: [number, number][]): Promise<{ n: number; g: number; a: number; r: number; letters: string; of: (i: number, j: number) => string }> {
  const all = await colours(page, cells);
  const at = new Map(cells.map(([i, j], k) => [`${i},${j}`, all[k] ?? '?']));
  const letters = all.filter((c) => c !== 'w');
  return { n: letters.length, g: letters.filter((c) => c === 'g').length, a: letters.filter((c) => c === 'a').length, r: letters.filter((c) => c === 'r').length, letters: letters.join(''), of: (i, j) => at.get(`${i},${j}`) ?? '?' };
}

let serve: ServeProcess;
let op: TestClient;
let doc: InventoryDocument;
/** The agent hosts (serve --lab-agents picks them the same way), each with its cabinet and site. */
let agentHosts: { id: string; hostname: string; cabinetId: string; siteId: string }[] = [];
let slow: (typeof agentHosts)[number];
let killed: (typeof agentHosts)[number];

test.describe.configure({ mode: 'serial' });

const dir = mkdtempSync(join(tmpdir(), 'fd-e2e-matrix-'));

test.beforeAll(async () => {
  // The lab never runs the Node runtime the deploy ships: a 1 MiB stand-in instead of this node
  // (~120 MB over SFTP to each host: a minute of deploy whose SSH work holds up the agents' timers).
  const runtime = join(dir, 'node-stand-in');
  writeFileSync(runtime, randomBytes(1024 * 1024), { mode: 0o755 });
  serve = await startServe(['--lab-devices', '720', '--lab-prefix', '127.48', '--no-lab-gateways', '--lab-agents', String(AGENTS), '--poll-interval-ms', '600000', '--no-traps', '--agent-runtime', runtime]);
  op = await connect(serve.url, serve.tokens.operator);
  doc = JSON.parse((await op.call('inventory.export', { format: 'json' })).text) as InventoryDocument;
  const cab = new Map(doc.cabinets.map((c) => [c.id, c.rowId]));
  const row = new Map(doc.rows.map((r) => [r.id, r.roomId]));
  const room = new Map(doc.rooms.map((r) => [r.id, r.siteId]));
  const dev = new Map(doc.devices.map((d) => [d.id, d]));
  agentHosts = spreadOverRows(doc, AGENTS, new Set()).map((id) => {
    const d = dev.get(id)!;
    return { id, hostname: d.hostname, cabinetId: d.cabinetId ?? '', siteId: room.get(row.get(cab.get(d.cabinetId ?? '') ?? '') ?? '') ?? '' };
  });
  // Both victims in the site with the most agent hosts, so each has same-site pairs to show.
  const bySite = new Map<string, typeof agentHosts>();
  for (const h of agentHosts) bySite.set(h.siteId, [...(bySite.get(h.siteId) ?? []), h]);
  const site = [...bySite.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  expect(site.length, 'agent hosts in one site').toBeGreaterThanOrEqual(4);
  slow = site[1]!;
  killed = site[site.length - 1]!;
});

test.afterAll(async () => {
  await op?.close();
  await serve?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Same-site (i, j) pairs of the server matrix, i != j, split into the slow host's and the others; the killed host left out. */
function pairsOf(ids: readonly string[]): { slowPairs: [number, number][]; others: [number, number][] } {
  const site = new Map(agentHosts.map((h) => [h.id, h.siteId]));
  const slowPairs: [number, number][] = [];
  const others: [number, number][] = [];
  ids.forEach((a, i) =>
    ids.forEach((b, j) => {
      if (i === j || site.get(a) !== site.get(b) || a === killed.id || b === killed.id) return;
      (a === slow.id || b === slow.id ? slowPairs : others).push([i, j]);
    }),
  );
  return { slowPairs, others };
}

test('the fault panel\'s Network section: a bad loss is refused beside the input, a ToR uplink fault applied and cleared, a 20 ms delay put on an agent host\'s link', async ({ page }) => {
  await signIn(page, serve.tokens.operator, serve.url);
  await goHash(page, `#/cabinet/${slow.cabinetId}?device=${slow.id}`);
  const section = page.getByTestId('net-fault-section');
  await expect(section).toBeVisible();
  await expect(page.getByTestId('net-fault-none')).toBeVisible();
  // The selected server is the host link's object.
  await expect(page.getByTestId('net-fault-object')).toHaveValue(slow.id);

  await page.getByTestId('net-fault-loss').fill('150');
  await page.getByTestId('net-fault-apply').click();
  await expect(page.getByTestId('net-fault-problem')).toHaveAttribute('data-problem', 'badLoss');
  await expect(page.getByTestId('net-fault-problem')).toContainText('0 to 100');
  expect((await op.call('lab.status', undefined)).netFaults ?? [], 'nothing sent').toEqual([]);

  // A ToR uplink: the object starts on this row's ToR; applied it is listed, and the list clears it.
  await page.getByTestId('net-fault-kind').selectOption('tor-uplink');
  await expect(page.getByTestId('net-fault-object')).not.toHaveValue('');
  const tor = await page.getByTestId('net-fault-object').inputValue();
  await page.getByTestId('net-fault-loss').fill('5');
  await page.getByTestId('net-fault-apply').click();
  const torRow = page.locator(`[data-testid="net-fault-row"][data-component="tor-uplink:${tor}"]`);
  await expect(torRow).toContainText('5 %');
  expect((await op.call('lab.status', undefined)).netFaults).toEqual([{ component: `tor-uplink:${tor}`, loss: 0.05, delayMs: 0 }]);
  await torRow.getByTestId('net-fault-row-clear').click();
  await expect(page.getByTestId('net-fault-none')).toBeVisible();

  await page.getByTestId('net-fault-kind').selectOption('host-link');
  await expect(page.getByTestId('net-fault-object')).toHaveValue(slow.id);
  await page.getByTestId('net-fault-loss').fill('0');
  await page.getByTestId('net-fault-delay').fill(String(DELAY_MS));
  await page.getByTestId('net-fault-apply').click();
  await expect(page.locator(`[data-testid="net-fault-row"][data-component="host-link:${slow.id}"]`)).toContainText(`+${DELAY_MS} ms`);
  await expect(page.getByTestId('fault-result')).toBeVisible();
  expect((await op.call('lab.status', undefined)).netFaults).toEqual([{ component: `host-link:${slow.id}`, loss: 0, delayMs: DELAY_MS }]);
  await shoot(page, 'lab-net-fault');
});

test('matrix: draws live lab data (same-site pairs green), hover shows both directions, a ToR cell drills down to its servers and back', async ({ page }) => {
  test.setTimeout(240_000);
  // The agents healthy, then a stored minute in which the slow host and the others have same-site cells.
  await expect.poll(async () => (await op.call('agents.list', undefined)).filter((a) => a.health === 'healthy' && a.connected).length, { timeout: 150_000, intervals: [2_000], message: 'the lab agents to be healthy' }).toBe(agentHosts.length);
  console.log(`${agentHosts.length} agents healthy ${Math.round((Date.now() - serve.startedAt) / 1000)} s after the serve started`);
  const enough = (mx: ProbeMatrix) => {
    const cells = new Uint32Array(Uint8Array.from(Buffer.from(mx.cells, 'base64')).buffer);
    const has = ([i, j]: [number, number]) => (cells[(i * mx.cols.ids.length + j) * 4 + 2] ?? 0) + ((cells[(i * mx.cols.ids.length + j) * 4 + 3] ?? 0) & 0xffff) > 0;
    const { slowPairs, others } = pairsOf(mx.rows.ids);
    return `${slowPairs.filter(has).length >= 3 && others.filter(has).length >= 8}`;
  };
  await expect.poll(async () => enough(await op.call('probes.matrix', { level: 'server' })), { timeout: 180_000, intervals: [3_000], message: 'a stored minute with same-site cells' }).toBe('true');
  console.log(`a minute with same-site cells stored ${Math.round((Date.now() - serve.startedAt) / 1000)} s after the serve started`);

  await signIn(page, serve.tokens.viewer, serve.url);
  await page.getByTestId('nav-matrix').click();
  await expect(page).toHaveURL(/#\/matrix\/tor$/);
  await expect(page.getByTestId('matrix-legend-entry')).toHaveCount(5);
  await page.getByTestId('matrix-metric-drop').click();
  await expect(page.getByTestId('matrix-legend')).toHaveAttribute('data-metric', 'drop');
  await page.getByTestId('matrix-metric-p99').click();
  await expect(page.getByTestId('matrix-legend')).toHaveAttribute('data-metric', 'p99');
  await expect(page.getByTestId('matrix-stage').locator('canvas')).toHaveCount(1);
  await expect.poll(() => m(page).field('frames'), { timeout: 30_000 }).toBeGreaterThan(0);
  expect(await m(page).field('calls')).toBeLessThanOrEqual(8);
  await shoot(page, 'matrix-tor');

  const tors = (await m(page).field('rows')) ?? [];
  expect(tors.length).toBeGreaterThan(1);
  await clickCell(page, 0, 1);
  await expect(page).toHaveURL(new RegExp(`#/matrix/server\\?a=${encodeURIComponent(tors[0] ?? '')}&b=${encodeURIComponent(tors[1] ?? '')}`));
  await expect.poll(() => m(page).field('level')).toBe('server');
  const drilled = (await m(page).field('rows')) ?? [];
  expect(drilled.length).toBeGreaterThan(0);
  expect(drilled.some((id) => tors.includes(id)), 'the drilled axes are hosts, not ToRs').toBe(false);
  await expect(page.getByTestId('matrix-pair')).toHaveAttribute('data-level', 'tor');
  await page.getByTestId('matrix-back').click();
  await expect.poll(() => m(page).field('level')).toBe('tor');
  expect(await m(page).field('rows')).toEqual(tors);

  await page.getByTestId('matrix-level-server').click();
  await expect.poll(() => m(page).field('level')).toBe('server');
  const ids = (await m(page).field('rows')) ?? [];
  const { others } = pairsOf(ids);
  await expect.poll(async () => (await tally(page, others)).n, { message: 'same-site cells drawn' }).toBeGreaterThanOrEqual(8);
  const o = await tally(page, others);
  expect(o.n, `same-site cells away from the slow host drawn: ${o.letters}`).toBeGreaterThanOrEqual(8);
  expect(o.g, `same-site cells away from the slow host mostly green: ${o.letters}`).toBeGreaterThanOrEqual(Math.ceil(o.n / 2));
  await shoot(page, 'matrix-server');

  // Hover a green cell whose reverse cell has data too: the tooltip names both directions.
  const [hi, hj] = others.find(([i, j]) => o.of(i, j) === 'g' && !['w', '?'].includes(o.of(j, i))) ?? [-1, -1];
  expect(hi, 'a green same-site pair measured both ways').toBeGreaterThanOrEqual(0);
  const name = (id: string) => agentHosts.find((h) => h.id === id)?.hostname ?? id;
  await hoverCell(page, hi, hj);
  const tip = page.getByTestId('matrix-tooltip');
  await expect(tip).toHaveAttribute('data-row', String(hi));
  await expect(tip).toContainText(`${name(ids[hi]!)} → ${name(ids[hj]!)}`);
  await expect(tip).toContainText(`Back: ${name(ids[hj]!)} → ${name(ids[hi]!)}`);
  await expect(tip.getByText(/P99/)).toHaveCount(2);
});

test('matrix: the slow host\'s row and column turn red on P99 inside its site, the other cells stay green; the panel clears the fault', async ({ page }) => {
  test.setTimeout(180_000);
  // The fault went on before the agents probed at all: every stored minute has it. Wait for one announced.
  await expect.poll(() => op.events.filter((e) => e.event === 'onDidProbeMinute').length, { timeout: 90_000 }).toBeGreaterThan(0);
  await signIn(page, serve.tokens.operator, serve.url);
  await goHash(page, '#/matrix/server');
  await expect.poll(() => m(page).field('level')).toBe('server');
  const ids = (await m(page).field('rows')) ?? [];
  const { slowPairs, others } = pairsOf(ids);
  await expect.poll(async () => (await tally(page, slowPairs)).n, { message: 'the slow host\'s same-site cells drawn' }).toBeGreaterThanOrEqual(3);
  const s = await tally(page, slowPairs);
  const o = await tally(page, others);
  console.log(`slow host ${slow.id}: same-site cells ${s.letters} (${s.r}/${s.n} red); others ${o.letters} (${o.g}/${o.n} green, ${o.a} amber, ${o.r} red)`);
  expect(s.r, `every drawn same-site cell of the slow host's row and column is red (+${2 * DELAY_MS} ms round trip): ${s.letters}`).toBe(s.n);
  expect(o.g, `the other same-site cells stay mostly green: ${o.letters}`).toBeGreaterThanOrEqual(Math.ceil(o.n / 2));
  expect(o.r, `red is the slow host's, not the site's: ${o.letters}`).toBeLessThanOrEqual(Math.floor(o.n / 4));
  await shoot(page, 'matrix-slow-host');

  // The panel lists the fault and clears it.
  await goHash(page, `#/cabinet/${slow.cabinetId}?device=${slow.id}`);
  const faultRow = page.locator(`[data-testid="net-fault-row"][data-component="host-link:${slow.id}"]`);
  await expect(faultRow).toContainText(slow.hostname);
  await faultRow.getByTestId('net-fault-row-clear').click();
  await expect(page.getByTestId('net-fault-none')).toBeVisible();
  expect((await op.call('lab.status', undefined)).netFaults ?? []).toEqual([]);
});

test('matrix: a killed agent host is a white cross at server level, never red', async ({ page }) => {
  const agentOf = async () => (await op.call('agents.list', undefined)).find((a) => a.deviceId === killed.id);
  expect((await agentOf())?.connected).toBe(true);
  await op.call('lab.fault', { kind: 'kill-device', deviceId: killed.id });
  try {
    await expect.poll(async () => (await agentOf())?.connected, { timeout: 60_000, message: 'the killed host\'s agent to drop' }).toBe(false);
    await signIn(page, serve.tokens.viewer, serve.url);
    await goHash(page, '#/matrix/server');
    await expect.poll(() => m(page).field('level')).toBe('server');
    const hosts = (await m(page).field('rows')) ?? [];
    const victim = hosts.indexOf(killed.id);
    expect(victim).toBeGreaterThanOrEqual(0);
    await expect.poll(async () => (await m(page).field('down'))?.rows ?? []).toEqual([victim]);
    expect((await m(page).field('down'))?.cols).toEqual([victim]);
    for (let k = 0; k < hosts.length; k++) {
      if (k === victim) continue;
      expect(await m(page).pixel(victim, k), `row ${victim} col ${k}`).toEqual(WHITE);
      expect(await m(page).pixel(k, victim), `row ${k} col ${victim}`).toEqual(WHITE);
    }
    await shoot(page, 'matrix-killed-host');
  } finally {
    await op.call('lab.fault', { kind: 'revive-device', deviceId: killed.id });
  }
});

test('matrix, public network and the Network section in zh-CN: no untranslated text', async ({ page }) => {
  const tors = await op.call('probes.matrix', { level: 'tor' });
  const servers = await op.call('probes.matrix', { level: 'server' });
  const q = await op.call('probes.public', {});
  const dns = await op.call('probes.dns', undefined);
  // Fleet data (host, ToR, row, room and site names, the resolvers and their instances' names), the
  // percentile names P50 / P99 and the protocol name DNS (as the allow-list holds SNMP) are not UI words.
  const words = [
    ...tors.rows.labels, ...tors.rows.groups.map((g) => g.name), ...servers.rows.labels, ...q.vantages.map((v) => v.name),
    ...doc.devices.map((d) => d.hostname), ...doc.sites.map((s) => s.name), ...doc.rooms.map((r) => r.name), ...doc.rows.map((r) => r.name), ...doc.cabinets.map((c) => c.name),
    ...dns.flatMap((r) => [r.resolver, ...r.vantages.map((v) => v.instance ?? '')]),
    'P50', 'P99', 'DNS', 'English', 'operator@',
  ];
  const data = dataMatcher(words);
  const bad: Found[] = [];
  await openInChinese(page, serve.tokens.operator, serve.url);
  await goHash(page, '#/matrix/tor');
  await expect(page.getByTestId('matrix-legend')).toBeVisible();
  await expect(page.getByTestId('matrix-size')).toBeVisible();
  // The DNS panel names the instances that answer (and answered before): the lab's, data too.
  await expect(page.getByTestId('matrix-dns')).toHaveAttribute('data-resolvers', /^\d+$/);
  const instances = await page.getByTestId('matrix-dns-vantage').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-instance') ?? ''));
  await check(page, 'matrix', dataMatcher([...words, ...instances]), bad);
  await goHash(page, '#/public-net');
  await expect(page.getByTestId('public-legend')).toBeVisible();
  await check(page, 'public-net', data, bad);

  await goHash(page, `#/cabinet/${slow.cabinetId}?device=${slow.id}`);
  await expect(page.getByTestId('net-fault-none')).toBeVisible();
  await page.getByTestId('net-fault-loss').fill('x');
  await page.getByTestId('net-fault-apply').click();
  await expect(page.getByTestId('net-fault-problem')).toBeVisible();
  for (const { text, where } of await visibleTexts(page, ['option'])) {
    const found = where.startsWith('net-fault') ? latinWords(text, data) : [];
    if (found.length) bad.push({ view: `net-fault [${where}]`, text, words: found });
  }
  expectNoLatin(bad);
});

async function clickCell(page: Page, row: number, col: number): Promise<void> {
  const p = await m(page).project(row, col);
  const box = await page.getByTestId('matrix-stage').boundingBox();
  if (!p || !box) throw new Error('no stage');
  await page.mouse.click(box.x + p.x, box.y + p.y);
}

async function hoverCell(page: Page, row: number, col: number): Promise<void> {
  const p = await m(page).project(row, col);
  const box = await page.getByTestId('matrix-stage').boundingBox();
  if (!p || !box) throw new Error('no stage');
  await page.mouse.move(box.x + p.x, box.y + p.y);
}
