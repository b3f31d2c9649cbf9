// The probe matrix's localiser in the UI (issue 14: "the top suspect goes on the alarm with its
// evidence, and the room view highlights it"), on a serve instance of its own: a 720-device lab
// with the agent on 12 hosts (--lab-agents). Once the matrix has hosts, 30 % loss is put on one
// agent host's link (lab.fault net-fault, as the operator through the API); once probes.localise
// names that host link first, the matrix view's suspects panel names the host first (its
// hostname, kind, scores), its evidence pairs all touch it, by hostname; "show in room" opens the
// 3D room of that host with its cabinet in view and the host drawn in the suspect colour whatever
// the colour mode (the pixel at the device's front, read from the WebGL canvas), a banner naming
// it; the overview's events show the probe.suspect event worded; the new panels in zh-CN hold no
// Latin words besides the fleet's data.
import { expect, test, type Page } from '@playwright/test';
import type { ProbeLocalisation, ProbeMatrix } from '../../src-shared/domain/probe';
import { startServe, type ServeProcess } from '../support/serve-process';
import { connect, type TestClient } from '../support/ws-client';
import { shoot, signIn } from './helpers';
import { check, dataMatcher, expectNoLatin, goHash, openInChinese, type Found } from './zh-cn-check';

let serve: ServeProcess;
let op: TestClient;
let host = { id: '', hostname: '' };
let named: ProbeLocalisation | null = null;

type Hook = {
  frames: number;
  flying: boolean;
  suspect: { deviceIds: string[]; cabinetIds: string[] };
  layout: { room: { id: string }; devices: { id: string; cabinetId: string; kind: string }[] };
  projectDevice(id: string): { x: number; y: number } | null;
  pixelAt(x: number, y: number): [number, number, number, number];
};
type W = { __room3d?: Hook };
const r3 = (page: Page) => ({
  settled: () => page.evaluate(() => {
    const h = (globalThis as unknown as W).__room3d;
    return Boolean(h?.frames) && !h?.flying;
  }),
  layout: () => page.evaluate(() => (globalThis as unknown as W).__room3d?.layout ?? null),
  suspect: () => page.evaluate(() => (globalThis as unknown as W).__room3d?.suspect.deviceIds ?? []),
  pixel: (id: string) =>
    page.evaluate((d) => {
      const h = (globalThis as unknown as W).__room3d;
      const p = h?.projectDevice(d);
      return h && p ? h.pixelAt(p.x, p.y) : [-1, -1, -1, -1];
    }, id),
});
/** The suspect colour (hot pink) as lit: red and blue well above green. */
const pink = (p: readonly number[]) => (p[0] ?? 0) > 150 && (p[2] ?? 0) > 120 && (p[1] ?? 0) < (p[0] ?? 0) * 0.7;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(330_000);
  const t0 = Date.now();
  serve = await startServe(['--lab-devices', '720', '--lab-prefix', '127.38', '--no-lab-gateways', '--lab-agents', '12', '--poll-interval-ms', '600000', '--no-traps'], { timeoutMs: 120_000 });
  op = await connect(serve.url, serve.tokens.operator);
  // The matrix's hosts are the servers whose agent enrolled: wait for a few live ones, then break one's link.
  let m: ProbeMatrix | null = null;
  await expect.poll(async () => {
    m = await op.call('probes.matrix', { level: 'server' });
    return m.rows.ids.length - m.rows.down.length;
  }, { timeout: 150_000, intervals: [2_000], message: 'lab agents to enrol and join the matrix' }).toBeGreaterThanOrEqual(6);
  const axis = (m as ProbeMatrix | null)?.rows;
  const i = axis?.ids.findIndex((_, k) => k > 0 && !axis.down.includes(k)) ?? -1;
  host = { id: axis?.ids[i] ?? '', hostname: axis?.labels[i] ?? '' };
  expect(host.id).not.toBe('');
  await op.call('lab.fault', { kind: 'net-fault', component: `host-link:${host.id}`, loss: 0.3 });
  const faultAt = Date.now();
  await expect.poll(async () => (await op.call('probes.matrix', { level: 'server' })).range !== null, { timeout: 120_000, intervals: [2_000], message: 'a stored probe minute' }).toBe(true);
  // The lab's minutes are stored ~25 s after each ends; the localiser's window is the newest five.
  await expect.poll(async () => {
    named = await op.call('probes.localise', {});
    return named.suspects[0]?.component.id ?? `none (${named.badPairs}/${named.pairs} bad)`;
  }, { timeout: 240_000, intervals: [5_000], message: 'the localiser to name the faulted host link' }).toBe(`host-link:${host.id}`);
  console.log(`probe-suspect: ${host.hostname} named ${Math.round((Date.now() - faultAt) / 1000)} s after the fault (${Math.round((Date.now() - t0) / 1000)} s from start); ${named?.badPairs}/${named?.pairs} bad pairs`);
});

test.afterAll(async () => {
  await op?.close();
  await serve?.stop();
});

test('the suspects panel names the faulted host first with its evidence; "show in room" highlights it in the 3D room', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, serve.tokens.operator, serve.url);
  await goHash(page, '#/matrix/tor');
  const top = page.locator('[data-testid="matrix-suspect"]').first();
  await expect(top).toHaveAttribute('data-component', `host-link:${host.id}`, { timeout: 60_000 });
  await expect(top).toHaveAttribute('data-top', 'true');
  await expect(top.getByTestId('matrix-suspect-name')).toHaveText(host.hostname);
  await expect(top).toContainText('host link');
  await expect(top.getByTestId('matrix-suspect-scores')).toContainText(/votes \d/);
  await expect(page.locator('[data-testid="matrix-suspect"][data-top="true"]')).toHaveCount(1);

  // Its evidence: every pair touches the host, named by hostname.
  await top.getByTestId('matrix-suspect-toggle').click();
  const pairs = top.getByTestId('matrix-evidence-pair');
  await expect(pairs.first()).toBeVisible();
  const ends = await pairs.evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-src'), r.getAttribute('data-dst'), r.textContent ?? '']));
  expect(ends.length).toBeGreaterThan(0);
  for (const [src, dst, text] of ends) {
    expect([src, dst]).toContain(host.id);
    expect(text).toContain(host.hostname);
    expect(text).toMatch(/%/);
  }
  await expect(page.getByTestId('matrix-dns')).toBeVisible();
  await shoot(page, 'probe-suspect-matrix');

  // Show in room: the host's room, its cabinet in view, the host in the suspect colour in every mode.
  await top.getByTestId('matrix-suspect-room').click();
  await expect(page).toHaveURL(new RegExp(`#/room3d/[^?]+\\?device=${host.id}`));
  await expect(page.getByTestId('room3d-suspect')).toHaveAttribute('data-component', `host-link:${host.id}`);
  await expect(page.getByTestId('room3d-suspect')).toContainText(`Probe matrix suspect: host link ${host.hostname}`);
  await expect.poll(() => r3(page).settled(), { timeout: 30_000 }).toBe(true);
  const layout = await r3(page).layout();
  const cabinetId = layout?.devices.find((d) => d.id === host.id)?.cabinetId;
  expect(cabinetId).toBeTruthy();
  await expect(page.getByTestId('room3d-stage')).toHaveAttribute('data-selected', cabinetId ?? '');
  expect(await r3(page).suspect()).toEqual([host.id]);
  const neighbour = layout?.devices.find((d) => d.cabinetId === cabinetId && d.id !== host.id && d.kind === 'server');
  for (const mode of ['status', 'power', 'alarms'] as const) {
    await page.getByTestId(`room3d-mode-${mode}`).click();
    await expect.poll(async () => pink(await r3(page).pixel(host.id)), { timeout: 10_000, message: `the host drawn in the suspect colour in ${mode} mode` }).toBe(true);
  }
  await page.getByTestId('room3d-mode-status').click();
  if (neighbour) expect(pink(await r3(page).pixel(neighbour.id)), 'a server beside it keeps its own colour').toBe(false);
  console.log(`probe-suspect: host pixel ${(await r3(page).pixel(host.id)).join(',')}${neighbour ? `, neighbour ${(await r3(page).pixel(neighbour.id)).join(',')}` : ''}`);
  await shoot(page, 'probe-suspect-room3d');

  // Back to the matrix from the banner.
  await page.getByTestId('room3d-suspect-matrix').click();
  await expect(page).toHaveURL(/#\/matrix\/tor$/);

  // The overview's events show the probe.suspect event in words.
  await goHash(page, '#/');
  const toggle = page.getByTestId('events-toggle');
  if (await toggle.isVisible()) await toggle.click();
  // (English keeps the core's raw kind word, as every English event does.)
  await expect(page.locator('[data-testid="event"][data-kind="probe"][data-severity="critical"]').filter({ hasText: `Probe matrix: suspect host link ${host.hostname}` }).first()).toBeVisible();
});

test('the suspects, DNS and room banner in zh-CN: no untranslated text', async ({ page }) => {
  test.setTimeout(90_000);
  await openInChinese(page, serve.tokens.operator, serve.url);
  await goHash(page, '#/matrix/tor');
  const top = page.locator('[data-testid="matrix-suspect"]').first();
  await expect(top).toHaveAttribute('data-component', `host-link:${host.id}`, { timeout: 60_000 });
  await top.getByTestId('matrix-suspect-toggle').click();
  await expect(top.getByTestId('matrix-evidence-pair').first()).toBeVisible();
  const dns = await op.call('probes.dns', undefined);
  const places = Object.values((await op.call('probes.localise', {})).places ?? {}).map((p) => p.name);
  // DNS is the protocol's name in Chinese too (zh-cn-check's allow-list has no entry for it yet), P50/P99 the figures' names.
  const data = dataMatcher([...places, host.hostname, ...dns.flatMap((c) => [c.resolver, c.addr, ...c.vantages.flatMap((v) => [v.hostname, v.instance ?? ''])]), 'P50', 'P99', 'DNS']);
  const mine = /^(matrix-suspect|matrix-evidence|matrix-dns|room3d-suspect)/;
  const bad: Found[] = [];
  await check(page, 'matrix', data, bad);
  await top.getByTestId('matrix-suspect-room').click();
  await expect(page.getByTestId('room3d-suspect')).toBeVisible();
  await check(page, 'room3d', data, bad);
  // Only this work's panels are judged here (the rest of each view has its own zh-CN walk).
  expectNoLatin(bad.filter((b) => mine.test(b.view.replace(/^\S+ \[/, ''))));
});
