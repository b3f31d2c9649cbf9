// The header search against the real core and its lab fleet: '/' focuses the box from
// anywhere, a hostname prefix finds the device with where it sits, arrows move the choice,
// Enter opens the device page, Esc closes; a management IP and a one-typo hostname find
// it too. Needs the core's search.devices (src-main/core/search).
import { expect, test } from '@playwright/test';
import { shoot, signIn } from './helpers';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();

/** Every lab cabinet has a zero-U PDU: <site>-r<room>-c<row><position>-pdu, or -pdu-a and -pdu-b where it has both feeds (this one does). */
const KNOWN = 'bj1-r1-c0101-pdu-a';

test('viewer: find a device by hostname, mgmt IP and with a typo; open it from the keyboard', async ({ page }) => {
  await signIn(page, serve.tokens.viewer);
  await expect(page.getByTestId('overview')).toBeVisible();
  const box = page.getByTestId('search-input');
  await expect(box).toBeVisible();

  // '/' from the page focuses the box.
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('');

  // A prefix: the results open with where the device sits.
  await page.keyboard.type(KNOWN.slice(0, 10));
  const hits = page.getByTestId('search-hit');
  await expect(hits.first()).toBeVisible();
  expect(await hits.count()).toBeGreaterThan(1);
  await expect(hits.first()).toHaveAttribute('data-active', 'true');
  await expect(hits.first().getByTestId('search-hit-where')).toContainText(/U\d+/);

  // Arrows move the choice (and wrap).
  await page.keyboard.press('ArrowDown');
  await expect(hits.nth(1)).toHaveAttribute('data-active', 'true');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(hits.last()).toHaveAttribute('data-active', 'true');

  // Esc closes; typing again reopens.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('search-results')).toHaveCount(0);

  // The whole hostname: the exact match first; Enter opens its page.
  await box.fill(KNOWN);
  const exact = page.locator(`[data-testid="search-hit"][data-match="exact"]`).first();
  await expect(exact).toBeVisible();
  await expect(hits.first()).toHaveAttribute('data-match', 'exact');
  await expect(hits.first()).toContainText(KNOWN);
  const deviceId = await hits.first().getAttribute('data-device-id');
  const ip = (await hits.first().locator('.search-hit-ids span').nth(1).textContent())?.trim() ?? '';
  await shoot(page, 'search-en');
  await box.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/device/${encodeURIComponent(deviceId ?? '')}$`));
  await expect(page.getByTestId('device-view')).toBeVisible();
  await expect(box).toHaveValue('');

  // Its management IP finds it too.
  expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  await page.keyboard.press('/');
  await page.keyboard.type(ip);
  await expect(page.locator(`[data-testid="search-hit"][data-device-id="${deviceId}"]`)).toBeVisible();
  await expect(page.locator(`[data-testid="search-hit"][data-device-id="${deviceId}"]`)).toHaveAttribute('data-field', 'mgmtIp');

  // One typo away still finds it.
  await box.fill(KNOWN.replace('pdu', 'pdx'));
  await expect(page.locator(`[data-testid="search-hit"][data-device-id="${deviceId}"]`)).toBeVisible();

  // Nothing like it: said so.
  await box.fill('zz-no-such-device-zz');
  await expect(page.getByTestId('search-empty')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(box).not.toBeFocused();
});

test("'/' typed into another text field stays text", async ({ page }) => {
  await signIn(page, serve.tokens.viewer);
  await expect(page.getByTestId('overview')).toBeVisible();
  const box = page.getByTestId('search-input');
  await box.fill('10.');
  await box.press('/');
  await expect(box).toHaveValue('10./');
});
