// The technician at the cabinet, in serve mode against the lab on a 1280x800 touch screen:
// the 42U elevation fits the viewport and every control in it is at least 44x44 px; Locate
// lights a lab server's identify LED (read back over RMCP+ with ipmitool), counts down and
// Stop turns it off; a viewer has no Locate; the power confirmation names host, SN, U and
// cabinet; the label sheet's QR codes decode (jsqr) to the device's SN and link, and the
// scan page opens the device for a typed SN.
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import jsQR from 'jsqr';
import type { CabinetElevation, ElevationDevice } from '../../src-shared/domain';
import { connect } from '../support/ws-client';
import { shoot, signIn } from './helpers';
import { readServeInfo } from './serve-info';

// The page's globals, typed loosely: the node project has no DOM lib, and these callbacks run in the page.
interface PageElement {
  readonly offsetParent: unknown;
  readonly tagName: string;
  readonly dataset: Record<string, string | undefined>;
  getBoundingClientRect(): { width: number; height: number };
}
interface PageImage {
  decode(): Promise<void>;
  readonly naturalWidth: number;
  readonly naturalHeight: number;
}
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { drawImage(img: PageImage, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { width: number; height: number; data: ArrayLike<number> } } | null;
}
declare const location: { hash: string };
declare const document: { createElement(tag: 'canvas'): PageCanvas };

const serve = readServeInfo();
/** The lab's BMC login for seed 1 (README, "The lab's credentials"). */
const BMC_USER = 'fleetdeck';
const BMC_PASSWORD = 'bmc2ip107r37k';

test.use({ viewport: { width: 1280, height: 800 }, hasTouch: true });

interface Target {
  elevation: CabinetElevation;
  server: ElevationDevice & { bmcAddress: string; bmcPort: number };
}

/** The first cabinet of 42U with devices, and its top-most server with a BMC. */
async function findTarget(): Promise<Target> {
  const client = await connect(serve.url, serve.tokens.operator);
  try {
    const tree = await client.call('inventory.locations', undefined);
    for (const cab of tree.cabinets.filter((c) => c.uHeight === 42 && (tree.deviceCounts[c.id] ?? 0) > 0)) {
      const elevation = await client.call('inventory.elevation', { cabinetId: cab.id });
      const servers = elevation.devices.filter((d) => d.kind === 'server' && d.capabilities.bmc).sort((a, b) => b.uPosition - a.uPosition);
      if (!servers[0]) continue;
      const detail = await client.call('device.detail', { deviceId: servers[0].id });
      if (!detail.device.bmcAddress) continue;
      return { elevation, server: { ...servers[0], bmcAddress: detail.device.bmcAddress, bmcPort: detail.device.bmcPort } };
    }
  } finally {
    await client.close();
  }
  throw new Error('no 42U cabinet with a BMC server in the lab');
}

/**
 * The identify state the lab BMC reports in Get Chassis Status, read with ipmitool. ipmitool
 * 1.8.19's `chassis status` does not print it, so the raw response (netFn 0x00, cmd 0x01) is
 * read: byte 3 (misc chassis state) bit 6 says the state is reported, bits 5:4 give it.
 */
function identifyState(t: Target): 'off' | 'temporary' | 'indefinite' {
  const out = execFileSync('ipmitool', ['-I', 'lanplus', '-C', '3', '-H', t.server.bmcAddress, '-p', String(t.server.bmcPort), '-U', BMC_USER, '-P', BMC_PASSWORD, 'raw', '0x00', '0x01'], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  const bytes = out.trim().split(/\s+/).map((b) => parseInt(b, 16));
  const misc = bytes[2];
  if (misc === undefined || (misc & 0x40) === 0) throw new Error(`the BMC does not report its identify state: ${out}`);
  return (['off', 'temporary', 'indefinite'] as const)[(misc >> 4) & 3];
}

async function openCabinet(page: Page, t: Target): Promise<void> {
  await page.evaluate((h) => (location.hash = h), `#/cabinet/${encodeURIComponent(t.elevation.cabinet.id)}?device=${encodeURIComponent(t.server.id)}`);
  await expect(page.getByTestId('elevation')).toBeVisible();
  await expect(page.getByTestId('device-details')).toHaveAttribute('data-device-id', t.server.id);
  await expect(page.locator(`[data-testid="rack-device"][data-device-id="${t.server.id}"]`)).toHaveAttribute('data-highlight', 'true');
}

let target: Target;
test.beforeAll(async () => {
  target = await findTarget();
});

test('operator: the 42U elevation fits 1280x800 with 44 px controls; Locate on, countdown, Stop', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, serve.tokens.operator);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'operator');
  expect(identifyState(target)).toBe('off');
  await openCabinet(page, target);
  await expect(page.getByTestId('locate-start')).toBeVisible();

  // Fit: the rack and every device tile inside the viewport, the page not scrollable past it.
  const rack = await page.getByTestId('rack').boundingBox();
  expect(rack).not.toBeNull();
  console.log(`rack at 1280x800: top ${rack!.y.toFixed(0)} px, bottom ${(rack!.y + rack!.height).toFixed(0)} px, ${(rack!.height / 42).toFixed(1)} px per U`);
  expect(rack!.y).toBeGreaterThanOrEqual(0);
  expect(rack!.y + rack!.height).toBeLessThanOrEqual(800);
  expect(rack!.x + rack!.width).toBeLessThanOrEqual(1280);
  for (const tile of await page.getByTestId('rack-device').all()) {
    const b = (await tile.boundingBox())!;
    expect(b.y + b.height).toBeLessThanOrEqual(800);
  }
  expect(await page.getByTestId('u-label').count()).toBe(42);

  // Tap targets: every button, link, select and field in the elevation, measured.
  const sizes = await page.getByTestId('elevation').evaluate((root) =>
    [...(root as unknown as { querySelectorAll(sel: string): Iterable<PageElement> }).querySelectorAll('button, a[href], select, input, [role="button"]')]
      .filter((el) => el.offsetParent !== null)
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { what: el.dataset.testid ?? el.tagName, w: Math.round(r.width), h: Math.round(r.height) };
      }),
  );
  console.log(`${sizes.length} tap targets, smallest ${Math.min(...sizes.map((s) => s.w))} x ${Math.min(...sizes.map((s) => s.h))} px`);
  expect(sizes.length).toBeGreaterThan(3);
  expect(sizes.filter((s) => s.w < 44 || s.h < 44)).toEqual([]);
  await shoot(page, 'technician-elevation-1280x800');

  // Locate for 1 minute: the lab BMC says the LED is on; the countdown runs; Stop turns it off.
  await page.getByTestId('locate-minutes').selectOption('1');
  await page.getByTestId('locate-start').tap();
  const countdown = page.getByTestId('locate-countdown');
  await expect(countdown).toBeVisible();
  const first = Number(await countdown.getAttribute('data-remaining'));
  expect(first).toBeGreaterThan(50);
  expect(first).toBeLessThanOrEqual(60);
  expect(identifyState(target)).toBe('temporary');
  await expect.poll(async () => Number(await countdown.getAttribute('data-remaining')), { timeout: 5_000 }).toBeLessThan(first);
  await expect(countdown).toContainText(/Identify LED on: 0:5\d left/);
  await page.getByTestId('locate-stop').tap();
  await expect(countdown).toHaveCount(0);
  await expect(page.getByTestId('locate-start')).toBeVisible();
  expect(identifyState(target)).toBe('off');
});

test('viewer: no Locate control on the elevation or the device page', async ({ page }) => {
  await signIn(page, serve.tokens.viewer);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'viewer');
  await openCabinet(page, target);
  await expect(page.getByTestId('locate')).toHaveCount(0);
  await page.getByTestId('open-device').click();
  await expect(page.getByTestId('device-hostname')).toHaveText(target.server.hostname);
  await expect(page.getByTestId('locate')).toHaveCount(0);
  await expect(page.getByTestId('locate-start')).toHaveCount(0);
});

test('operator: the power confirmation names host, SN, U position and cabinet', async ({ page }) => {
  await signIn(page, serve.tokens.operator);
  await page.evaluate((h) => (location.hash = h), `#/device/${encodeURIComponent(target.server.id)}`);
  await expect(page.getByTestId('device-hostname')).toHaveText(target.server.hostname);
  await page.getByTestId('power-off').click();
  const where = page.getByTestId('confirm-where');
  const s = target.server;
  await expect(where).toHaveText(`${s.hostname} · SN ${s.sn} · U${s.uPosition}–U${s.uPosition + s.uHeight - 1} · cabinet ${target.elevation.cabinet.name} (${target.elevation.row.name}, ${target.elevation.room.name})`);
  await expect(page.getByTestId('confirm-submit')).toBeDisabled();
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('power-confirm')).toHaveCount(0);
});

test('label sheet: QR codes decode to the SN and a link that opens the device; the scan page opens a typed SN', async ({ page }) => {
  await signIn(page, serve.tokens.viewer);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'viewer');
  await page.evaluate((h) => (location.hash = h), `#/labels/cabinet/${encodeURIComponent(target.elevation.cabinet.id)}`);
  await expect(page.getByTestId('label-sheet')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('label')).toHaveCount(target.elevation.devices.length);
  await expect(page.getByTestId('labels-print')).toBeVisible();
  const label = page.locator(`[data-testid="label"][data-device-id="${target.server.id}"]`);
  await expect(label).toContainText(target.server.hostname);
  await expect(label).toContainText(`SN ${target.server.sn}`);
  await shoot(page, 'technician-labels');
  // The QR image's pixels, read in the page, decoded in Node.
  const img = await label.getByTestId('label-qr').evaluate(async (node) => {
    const el = node as unknown as PageImage;
    await el.decode();
    const c = document.createElement('canvas');
    c.width = el.naturalWidth;
    c.height = el.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(el, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height);
    return { w: d.width, h: d.height, data: Array.from(d.data) };
  });
  const code = jsQR(Uint8ClampedArray.from(img.data), img.w, img.h);
  expect(code).not.toBeNull();
  const origin = new URL(serve.url).origin;
  expect(code!.data).toBe(`${origin}/#/scan/${encodeURIComponent(target.server.sn)}`);
  // The row's sheet holds this cabinet's labels too.
  await page.evaluate((h) => (location.hash = h), `#/labels/row/${encodeURIComponent(target.elevation.row.id)}`);
  await expect(page.getByTestId('label-sheet')).toHaveAttribute('data-scope', 'row');
  await expect(page.locator(`[data-testid="label"][data-device-id="${target.server.id}"]`)).toHaveCount(1);
  // The scanned link opens the device.
  await page.evaluate((h) => (location.hash = h), new URL(code!.data).hash);
  await expect(page).toHaveURL(new RegExp(`#/device/${target.server.id}$`));
  await expect(page.getByTestId('device-hostname')).toHaveText(target.server.hostname);
  // Typing the SN on the scan page does the same; no camera button in headless Chromium without BarcodeDetector.
  await page.evaluate((h) => (location.hash = h), '#/scan');
  await expect(page.getByTestId('scan-view')).toBeVisible();
  const hasDetector = await page.evaluate(() => 'BarcodeDetector' in globalThis && 'mediaDevices' in navigator);
  await expect(page.getByTestId('scan-camera')).toHaveCount(hasDetector ? 1 : 0);
  await page.getByTestId('scan-input').fill(target.server.sn);
  await page.getByTestId('scan-submit').click();
  await expect(page).toHaveURL(new RegExp(`#/device/${target.server.id}$`));
  await expect(page.getByTestId('device-hostname')).toHaveText(target.server.hostname);
});
