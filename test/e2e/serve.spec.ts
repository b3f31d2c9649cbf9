// Serve mode in a plain browser, against the real core and its lab fleet (2 sites,
// 6 rooms, 300 cabinets, 3000 devices): sign in with a token, read the overview, walk
// into a room and a cabinet, switch languages, and be offered no operator action.
import { expect, test, type Page } from '@playwright/test';
import { shoot, signIn, valueOf } from './helpers';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();

/** The token serve mode's page remembers (this file has no DOM lib, hence the cast). */
function storedToken(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('fleetdeck.token'));
}

/** Opens the first room, then its first cabinet with devices in it. */
async function openPopulatedCabinet(page: Page): Promise<void> {
  await page.getByTestId('room-row').first().click();
  await expect(page.getByTestId('room')).toBeVisible();
  await expect(page.getByTestId('cabinet-tile').first()).toBeVisible();
  await page.locator('[data-testid="cabinet-tile"]:not([data-devices="0"])').first().click();
  await expect(page.getByTestId('elevation')).toBeVisible();
  await expect(page.getByTestId('rack-device').first()).toBeVisible();
}

test('viewer: overview, room, elevation, both languages, no lab fault buttons', async ({ page }) => {
  await signIn(page, serve.tokens.viewer);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'viewer');
  await expect(page.getByTestId('role-badge')).toContainText('viewer');

  // The overview: the lab's shape, and devices answering SNMP once the first polls land.
  await expect(page.getByTestId('overview')).toBeVisible();
  await expect(page.getByTestId('total-sites')).toHaveAttribute('data-value', '2');
  await expect(page.getByTestId('total-rooms')).toHaveAttribute('data-value', '6');
  await expect(page.getByTestId('total-cabinets')).toHaveAttribute('data-value', '300');
  await expect(page.getByTestId('total-devices')).toHaveAttribute('data-value', '3000');
  await expect(page.getByTestId('site-card')).toHaveCount(2);
  await expect(page.getByTestId('room-row')).toHaveCount(6);
  await expect.poll(() => valueOf(page.getByTestId('total-answering')), { timeout: 150_000 }).toBeGreaterThan(0);
  for (const site of await page.getByTestId('site-answering').all()) {
    await expect.poll(() => valueOf(site), { timeout: 150_000 }).toBeGreaterThan(0);
  }
  // Degraded devices (answering, not well) show as a count per room, and make the room amber at least.
  const rows = await page.getByTestId('room-row').evaluateAll((els) =>
    els.map((e) => ({
      degraded: Number(e.querySelector('[data-testid="room-degraded"]')?.getAttribute('data-value')),
      tone: e.querySelector('[data-testid="room-answering"]')?.getAttribute('data-tone'),
    })),
  );
  for (const r of rows) {
    expect(r.degraded).toBeGreaterThanOrEqual(0);
    if (r.degraded > 0) expect(r.tone).toMatch(/^(warn|bad)$/);
  }
  await shoot(page, 'overview-en');

  // A room: cabinets by row, tiles with devices/answering.
  await page.getByTestId('room-row').first().click();
  await expect(page.getByTestId('room')).toBeVisible();
  await expect(page.getByTestId('row-group').first()).toBeVisible();
  const tiles = page.getByTestId('cabinet-tile');
  await expect(tiles.first()).toBeVisible();
  expect(await tiles.count()).toBeGreaterThan(0);
  // A tile with degraded devices says how many and is amber at least (its bar too).
  const tileStates = await tiles.evaluateAll((els) =>
    els.map((e) => ({
      degraded: Number(e.getAttribute('data-degraded')),
      tone: e.getAttribute('data-tone'),
      shown: e.querySelector('[data-testid="tile-degraded"]')?.getAttribute('data-value') ?? null,
      bar: e.querySelector('.count-bar')?.getAttribute('data-tone'),
    })),
  );
  for (const s of tileStates) {
    if (s.degraded > 0) {
      expect(s.tone).toMatch(/^(warn|bad)$/);
      expect(s.bar).toMatch(/^(warn|bad)$/);
      expect(s.shown).toBe(String(s.degraded));
    } else {
      expect(s.shown).toBeNull();
    }
  }
  await shoot(page, 'room-en');

  // A cabinet: 42U numbered from the bottom, devices drawn with hostname and IP.
  await page.locator('[data-testid="cabinet-tile"]:not([data-devices="0"])').first().click();
  await expect(page.getByTestId('elevation')).toBeVisible();
  await expect(page.getByTestId('rack')).toHaveAttribute('data-u-height', '42');
  await expect(page.getByTestId('u-label')).toHaveCount(42);
  await expect(page.getByTestId('u-label').first()).toHaveText('42');
  await expect(page.getByTestId('u-label').last()).toHaveText('1');
  const devices = page.getByTestId('rack-device');
  await expect(devices.first()).toBeVisible();
  expect(await devices.count()).toBeGreaterThan(0);
  await expect(devices.first().locator('.dev-host')).not.toBeEmpty();
  await expect(devices.first().locator('.dev-ip')).toHaveText(/^\d+\.\d+\.\d+\.\d+$/);

  // Chinese, then back to English.
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('fault-panel')).toContainText('实验室故障面板');
  await expect(page.getByTestId('crumb-fleet')).toHaveText('机队');
  await shoot(page, 'elevation-zh');
  await page.getByTestId('lang-en').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('fault-panel')).toContainText('Lab fault panel');

  // A wall screen offers no operator action: no fault buttons, a note saying why (the core
  // refuses the call anyway: test/unit/core/api/core-api.test.ts).
  await devices.first().click();
  await expect(page.getByTestId('device-details')).toBeVisible();
  await expect(page.getByTestId('fault-kill')).toHaveCount(0);
  await expect(page.getByTestId('fault-role-note')).toBeVisible();
  await expect(page.getByTestId('fault-result')).toHaveCount(0);
  await shoot(page, 'elevation-viewer-en');
});

test('the token and the language survive a reload', async ({ page }) => {
  await signIn(page, serve.tokens.viewer);
  await expect(page.getByTestId('overview')).toBeVisible();
  await page.getByTestId('lang-zh-CN').click();
  await page.reload();
  await expect(page.getByTestId('overview')).toBeVisible();
  await expect(page.getByTestId('login')).toHaveCount(0);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('role-badge')).toContainText('只读观察员');
  await shoot(page, 'overview-zh');
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('login')).toBeVisible();
  expect(await storedToken(page)).toBeNull();
});

test('a bad token is refused with a clear message', async ({ page }) => {
  await signIn(page, 'not-a-real-token');
  const error = page.getByTestId('login-error');
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute('data-code', 'UNAUTHENTICATED');
  await expect(error).toContainText('Token refused by the server');
  await expect(page.getByTestId('login-token')).toBeVisible();
  await expect(page.getByTestId('overview')).toHaveCount(0);
  expect(await storedToken(page)).toBeNull();
  await shoot(page, 'login-bad-token-en');
});

test('operator: a lab fault is carried out and shown', async ({ page }) => {
  await signIn(page, serve.tokens.operator);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'operator');
  await openPopulatedCabinet(page);
  const device = page.getByTestId('rack-device').first();
  const deviceId = await device.getAttribute('data-device-id');
  await device.click();
  await page.getByTestId('fault-kill').click();
  await expect(page.getByTestId('fault-result')).toBeVisible();
  await expect(page.getByTestId('fault-refused')).toHaveCount(0);
  // The poller finds the dead device unreachable and the elevation follows.
  await expect(page.locator(`[data-testid="rack-device"][data-device-id="${deviceId}"]`)).toHaveAttribute('data-status', 'unreachable', {
    timeout: 150_000,
  });
  await shoot(page, 'elevation-killed-en');
  // Still selected: bring it back for whoever runs next.
  await expect(page.getByTestId('device-details')).toHaveAttribute('data-device-id', deviceId ?? '');
  await page.getByTestId('fault-revive').click();
  await expect(page.getByTestId('fault-result')).toBeVisible();
  await expect(page.getByTestId('fault-error')).toHaveCount(0);

  // A link taken down: the device still answers, and the elevation shows it degraded (amber).
  const other = page.getByTestId('rack-device').nth(1);
  const otherId = await other.getAttribute('data-device-id');
  await other.click();
  await expect(page.getByTestId('device-details')).toHaveAttribute('data-device-id', otherId ?? '');
  await page.getByTestId('fault-link-down').click();
  await expect(page.getByTestId('fault-result')).toBeVisible();
  await expect(page.locator(`[data-testid="rack-device"][data-device-id="${otherId}"]`)).toHaveAttribute('data-status', 'degraded', { timeout: 120_000 });
  await shoot(page, 'elevation-degraded-en');
  // The device said so at once with a linkDown trap from its own address: on its page.
  const hostname = (await other.locator('.dev-host').textContent()) ?? '';
  await page.getByTestId('open-device').click();
  await expect(page).toHaveURL(new RegExp(`#/device/${otherId}$`));
  await expect(page.locator('[data-testid="event"][data-kind="trap"]').first()).toContainText(`${hostname}: trap linkDown (SNMPv2c)`);
  await page.goBack();
  await page.locator(`[data-testid="rack-device"][data-device-id="${otherId}"]`).click();
  await expect(page.getByTestId('device-details')).toHaveAttribute('data-device-id', otherId ?? '');
  await page.getByTestId('fault-link-up').click();
  await expect(page.getByTestId('fault-error')).toHaveCount(0);
});
