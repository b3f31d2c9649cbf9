// The 3D machine room on the shared lab serve instance: open a lab room in 3D, switch every
// colour mode (the legend follows), draw calls <= 20, trip a cabinet's PDU (lab fault) and
// read the canvas pixel at the cabinet's projected position until it turns to the
// unreachable colour in status mode, restore the PDU; click a cabinet -> elevation; a search
// hit in the open room flies the camera to its cabinet.
import { expect, test, type Page } from '@playwright/test';
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
type W = { __room3d?: Hook };

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
