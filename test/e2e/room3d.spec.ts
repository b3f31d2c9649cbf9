// The 3D machine room on the shared lab serve instance: open a lab room in 3D, switch every
// colour mode (the legend follows), draw calls <= 20, trip a cabinet's PDU (lab fault) and
// read the canvas pixel at the cabinet's projected position until it turns to the
// unreachable colour in status mode, restore the PDU; click a cabinet -> elevation; a search
// hit in the open room flies the camera to its cabinet. Locate (the elevation's control, as
// an operator) on a lab server makes its cabinet blink in the 3D room: the pixel at the
// cabinet alternates between white and its status colour, and stops once Locate is stopped.
import { expect, test, type Page } from '@playwright/test';
import { connect } from '../support/ws-client';
import { signIn } from './helpers';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();
const MODES = ['status', 'power', 'inlet', 'feed', 'alarms'] as const;

type Hook = {
  calls: number;
  frames: number;
  flying: boolean;
  colourMs: number;
  layout: { room: { id: string }; cabinets: { id: string }[]; devices: { id: string; cabinetId: string; sn: string }[] };
  project(id: string): { x: number; y: number } | null;
  pixelAt(x: number, y: number): [number, number, number, number];
};
// The spec has no DOM lib: the page's window, typed just enough.
type W = { __room3d?: Hook; location: { hash: string } };

const room3d = (page: Page) => ({
  calls: () => page.evaluate(() => (globalThis as unknown as W).__room3d?.calls ?? -1),
  flying: () => page.evaluate(() => (globalThis as unknown as W).__room3d?.flying ?? true),
  layout: () => page.evaluate(() => (globalThis as unknown as W).__room3d?.layout ?? null),
  project: (id: string) => page.evaluate((c) => (globalThis as unknown as W).__room3d?.project(c) ?? null, id),
  pixel: (id: string) =>
    page.evaluate((c) => {
      const h = (globalThis as unknown as W).__room3d;
      const p = h?.project(c);
      return h && p ? h.pixelAt(p.x, p.y) : [-1, -1, -1, -1];
    }, id),
});

async function waitSettled(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => Boolean((globalThis as unknown as W).__room3d?.frames)), { timeout: 30_000 }).toBe(true);
  await expect.poll(() => room3d(page).flying(), { timeout: 10_000 }).toBe(false);
}

const cabinetPixel = (page: Page, id: string): Promise<number[]> => room3d(page).pixel(id);

test('3D room: colour modes, draw calls, a tripped PDU changes colour, click opens the elevation, search flies there', async ({ page }) => {
  test.setTimeout(120_000);
  const t0 = Date.now();
  await signIn(page, serve.tokens.operator);
  await expect(page.getByTestId('room-row').first()).toBeVisible();
  // The overview links to it.
  await page.getByTestId('room3d-link').first().click();
  await expect(page).toHaveURL(/#\/room3d\//);
  await expect(page.getByTestId('room3d-stage')).toBeVisible();
  await waitSettled(page);
  const layout = await room3d(page).layout();
  if (!layout) throw new Error('no layout');
  const roomId = layout.room.id;
  expect(await room3d(page).calls()).toBeLessThanOrEqual(20);

  // Survives a reload at its URL.
  await page.reload();
  await expect(page.getByTestId('room3d')).toHaveAttribute('data-room-id', roomId);
  await waitSettled(page);

  // Every colour mode has its own legend.
  const legends = new Set<string>();
  for (const m of MODES) {
    await page.getByTestId(`room3d-mode-${m}`).click();
    await expect(page.getByTestId('room3d-legend')).toHaveAttribute('data-mode', m);
    legends.add(await page.getByTestId('room3d-legend').innerText());
  }
  expect(legends.size).toBe(MODES.length);
  expect(await room3d(page).calls()).toBeLessThanOrEqual(20);
  await page.getByTestId('room3d-mode-status').click();

  // A populated cabinet, flown to; its colour before the trip.
  const cabinetId = layout.devices[0]?.cabinetId ?? layout.cabinets[0]?.id ?? '';
  await page.goto(`${serve.url}#/room3d/${encodeURIComponent(roomId)}?cabinet=${encodeURIComponent(cabinetId)}`);
  await expect(page.getByTestId('room3d-stage')).toHaveAttribute('data-selected', cabinetId);
  await waitSettled(page);
  const before = await cabinetPixel(page, cabinetId);
  expect(before[3]).toBeGreaterThan(0);

  // Click the cabinet (its top band, above the devices): its elevation, where the lab's fault panel trips the PDU.
  const at = await room3d(page).project(cabinetId);
  if (!at) throw new Error('cabinet not on screen');
  const box = await page.getByTestId('room3d-stage').boundingBox();
  await page.mouse.click((box?.x ?? 0) + at.x, (box?.y ?? 0) + at.y);
  await expect(page).toHaveURL(new RegExp(`#/cabinet/${cabinetId}`));
  await expect(page.getByTestId('elevation')).toBeVisible();
  await page.getByTestId('fault-trip-pdu').click();
  await expect(page.getByTestId('fault-result')).toBeVisible();
  const tripped = Date.now();
  try {
    await page.goBack();
    await expect(page.getByTestId('room3d-stage')).toBeVisible();
    await waitSettled(page);
    // Red now dominates where green did (status mode: unreachable).
    await expect
      .poll(async () => {
        const p = await cabinetPixel(page, cabinetId);
        return (p[0] ?? 0) > (p[1] ?? 0) * 1.5 && (p[0] ?? 0) > 60;
      }, { timeout: 60_000, intervals: [500] })
      .toBe(true);
    const after = await cabinetPixel(page, cabinetId);
    console.log(`room3d: pixel ${before.join(',')} -> ${after.join(',')} ${Date.now() - tripped} ms after the trip`);
    expect(after).not.toEqual(before);
  } finally {
    await page.goto(`${serve.url}#/cabinet/${encodeURIComponent(cabinetId)}`);
    await page.getByTestId('fault-restore-pdu').click();
    await expect(page.getByTestId('fault-result')).toBeVisible();
  }

  // Search: a device's SN in the open 3D room lands on it, the camera at its cabinet.
  const target = layout.devices[layout.devices.length - 1];
  if (!target) throw new Error('room without devices');
  await page.goto(`${serve.url}#/room3d/${encodeURIComponent(roomId)}`);
  await waitSettled(page);
  await page.getByTestId('search-input').fill(target.sn);
  await expect(page.locator(`[data-testid="search-hit"][data-device-id="${target.id}"]`)).toBeVisible();
  await page.locator(`[data-testid="search-hit"][data-device-id="${target.id}"]`).dispatchEvent('mousedown');
  await expect(page).toHaveURL(new RegExp(`#/room3d/.*cabinet=${target.cabinetId}`));
  await expect(page.getByTestId('room3d-landed')).toHaveAttribute('data-device-id', target.id);
  await waitSettled(page);
  const onScreen = await room3d(page).project(target.cabinetId);
  expect(onScreen).not.toBeNull();
  await page.getByTestId('room3d-open-elevation').click();
  await expect(page).toHaveURL(new RegExp(`#/cabinet/${target.cabinetId}\\?device=${target.id}`));
  console.log(`room3d e2e: ${Date.now() - t0} ms`);
});

/** The cabinet's pixel sampled in the page every 100 ms for `ms` (each sample renders the scene as it now is). */
function samplePixels(page: Page, cabinetId: string, ms: number): Promise<number[][]> {
  return page.evaluate(
    async ({ c, ms }) => {
      const h = (globalThis as unknown as W).__room3d;
      const out: number[][] = [];
      const end = performance.now() + ms;
      while (h && performance.now() < end) {
        const p = h.project(c);
        if (p) out.push(h.pixelAt(p.x, p.y));
        await new Promise((r) => setTimeout(r, 100));
      }
      return out;
    },
    { c: cabinetId, ms },
  );
}

/** The blink's white: every channel high and about equal (the status colours all have a dominant channel or are dark). */
const isWhite = (p: number[]): boolean => Math.min(p[0] ?? 0, p[1] ?? 0, p[2] ?? 0) >= 170 && Math.max(...p.slice(0, 3)) - Math.min(...p.slice(0, 3)) <= 45;
const near = (a: number[], b: number[]): boolean => [0, 1, 2].every((i) => Math.abs((a[i] ?? 0) - (b[i] ?? 0)) <= 40);
/** How many runs of white / not white a sequence of samples has (W C W: 3). */
const runs = (samples: number[][]): number => samples.map(isWhite).filter((w, i, all) => i === 0 || w !== all[i - 1]).length;

test('Locate on a lab server blinks its cabinet white in the 3D room, and stops when Locate is stopped', async ({ page }) => {
  test.setTimeout(180_000);
  const goHash = (h: string) => page.evaluate((x) => ((globalThis as unknown as W).location.hash = x), h);
  // A room's cabinet, all up, holding a server with a BMC: the last such in the first room (away from the other tests' devices).
  const client = await connect(serve.url, serve.tokens.operator);
  let roomId = '';
  let cabinetId = '';
  let serverId = '';
  try {
    const overview = await client.call('fleet.overview', undefined);
    roomId = overview.sites.flatMap((s) => s.rooms).find((r) => r.devices > 0)?.id ?? '';
    const layout = await client.call('inventory.roomLayout', { roomId });
    await expect.poll(async () => (await client.call('fleet.roomReadings', { roomId })).cabinets.filter((c) => c.worst === 'up').length, { timeout: 60_000 }).toBeGreaterThan(1);
    const readings = await client.call('fleet.roomReadings', { roomId });
    const up = new Set(readings.cabinets.filter((c) => c.worst === 'up' && c.identifying.length === 0).map((c) => c.cabinetId));
    for (const d of [...layout.devices].reverse()) {
      if (d.kind !== 'server' || !up.has(d.cabinetId)) continue;
      if (!(await client.call('device.detail', { deviceId: d.id })).device.bmcAddress) continue;
      [cabinetId, serverId] = [d.cabinetId, d.id];
      break;
    }
    if (!serverId) throw new Error('no up cabinet with a BMC server in the room');
    const room3dHash = `#/room3d/${encodeURIComponent(roomId)}?cabinet=${encodeURIComponent(cabinetId)}`;
    const elevationHash = `#/cabinet/${encodeURIComponent(cabinetId)}?device=${encodeURIComponent(serverId)}`;

    await signIn(page, serve.tokens.operator);
    await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'operator');
    // Before: the cabinet in its status colour, steady (not white).
    await goHash(room3dHash);
    await expect(page.getByTestId('room3d-stage')).toHaveAttribute('data-selected', cabinetId);
    await waitSettled(page);
    const steady = await cabinetPixel(page, cabinetId);
    expect(steady[3]).toBeGreaterThan(0);
    expect(isWhite(steady)).toBe(false);
    expect(runs(await samplePixels(page, cabinetId, 1_500))).toBe(1);

    // Locate from the elevation's control, for a minute.
    await goHash(elevationHash);
    await expect(page.getByTestId('device-details')).toHaveAttribute('data-device-id', serverId);
    await page.getByTestId('locate-minutes').selectOption('1');
    await page.getByTestId('locate-start').click();
    await expect(page.getByTestId('locate-countdown')).toBeVisible();

    // In 3D: within ~2.5 s the cabinet goes white, back to its colour and white again (or the other way round).
    await goHash(room3dHash);
    await expect(page.getByTestId('room3d-stage')).toHaveAttribute('data-selected', cabinetId);
    await waitSettled(page);
    let blinking: number[][] = [];
    await expect
      .poll(async () => runs((blinking = await samplePixels(page, cabinetId, 2_500))), { timeout: 60_000, intervals: [0] })
      .toBeGreaterThanOrEqual(3);
    const coloured = blinking.filter((p) => !isWhite(p));
    expect(coloured.length).toBeGreaterThan(0);
    expect(coloured.every((p) => near(p, steady))).toBe(true);
    console.log(`room3d locate: ${blinking.length} samples, ${blinking.filter(isWhite).length} white, ${runs(blinking)} runs; steady ${steady.join(',')}`);

    // Stop on the elevation: the cabinet stays in its colour again.
    await goHash(elevationHash);
    await expect(page.getByTestId('locate-countdown')).toBeVisible();
    await page.getByTestId('locate-stop').click();
    await expect(page.getByTestId('locate-countdown')).toHaveCount(0);
    await goHash(room3dHash);
    await expect(page.getByTestId('room3d-stage')).toHaveAttribute('data-selected', cabinetId);
    await waitSettled(page);
    let after: number[][] = [];
    await expect.poll(async () => (after = await samplePixels(page, cabinetId, 2_500)).filter(isWhite).length, { timeout: 30_000, intervals: [0] }).toBe(0);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((p) => near(p, steady))).toBe(true);
  } finally {
    if (serverId) await client.call('device.identify', { deviceId: serverId, seconds: 0 });
    await client.close();
  }
});
