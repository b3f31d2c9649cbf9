// Wall-config (#/wall-config) on the shared serve instance, through the UI as an admin: a playlist
// with a 2 s interval is refused with the core's VALIDATION next to the interval field (the form
// keeps what was typed, nothing is stored); the same form, corrected, saves a playlist of two views
// (the overview and a room picked from the fleet's rooms), listed with its views in order and its
// interval; its interval is edited; its "Open" link shows the wall; a kiosk token is issued and its
// URL shown once, which a fresh browser context (no login) opens to the running wall; the token
// revoked in the UI, a fresh context with the same URL is refused at sign-in; the delete's
// confirmation and its outcome both say how many tokens go with the playlist. Cleaned up over the API.
import { expect, test } from '@playwright/test';
import { connect } from '../support/ws-client';
import { shoot, signIn } from './helpers';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();

test('wall config: create, refuse a bad interval, edit, open, issue and revoke a kiosk token, delete', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const admin = await connect(serve.url, serve.tokens.admin);
  const id = `e2e-wcfg-${Date.now()}`;
  const badId = `${id}-bad`;
  try {
    const overview = await admin.call('fleet.overview', undefined);
    const roomId = overview.sites.flatMap((s) => s.rooms).find((r) => r.devices > 0)?.id ?? '';
    expect(roomId).not.toBe('');

    await signIn(page, serve.tokens.admin);
    await page.getByTestId('nav-wall-config').click();
    await expect(page.getByTestId('wall-config-view')).toBeVisible();
    await expect(page).toHaveURL(/#\/wall-config$/);

    // A 2 s interval: the core's VALIDATION by the interval field; the form as typed; nothing stored.
    await page.getByTestId('wall-config-new').click();
    const form = page.getByTestId('wall-config-form');
    await form.getByTestId('wall-config-id').fill(badId);
    await form.getByTestId('wall-config-name').fill('E2E wall config');
    await form.getByTestId('wall-config-interval').fill('2');
    await form.getByTestId('wall-config-save').click();
    await expect(form.getByTestId('wall-config-error-intervalS')).toHaveText('must be at least 5 s');
    await expect(form.getByTestId('wall-config-id')).toHaveValue(badId);
    await expect(form.getByTestId('wall-config-name')).toHaveValue('E2E wall config');
    await expect(form.getByTestId('wall-config-interval')).toHaveValue('2');
    expect((await admin.call('wall.playlists', undefined)).map((p) => p.id)).not.toContain(badId);
    await shoot(page, 'wall-config-refused');

    // Corrected: the overview, then a room picked from the fleet's rooms.
    await form.getByTestId('wall-config-id').fill(id);
    await form.getByTestId('wall-config-interval').fill('30');
    await form.getByTestId('wall-config-view-add').click();
    const rows = form.getByTestId('wall-config-view-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0).getByTestId('wall-config-view-kind')).toHaveValue('overview');
    await rows.nth(1).getByTestId('wall-config-view-kind').selectOption('room');
    await rows.nth(1).getByTestId('wall-config-view-room').selectOption(roomId);
    await form.getByTestId('wall-config-save').click();
    await expect(form).toHaveCount(0);

    const card = page.locator(`[data-testid="wall-config-playlist"][data-playlist-id="${id}"]`);
    await expect(card).toBeVisible();
    await expect(card.getByTestId('wall-config-playlist-name')).toHaveText('E2E wall config');
    await expect(card).toHaveAttribute('data-interval', '30');
    await expect(card.getByTestId('wall-config-playlist-views').locator('li')).toHaveCount(2);
    expect(await card.getByTestId('wall-config-playlist-views').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-view')))).toEqual(['overview', 'room']);
    await expect(card.getByTestId('wall-config-playlist-views').locator('li').nth(1)).toContainText(roomId);
    const stored = await admin.call('wall.playlist', { id });
    expect(stored.views).toEqual([{ view: 'overview', params: {} }, { view: 'room', params: { roomId } }]);
    expect(stored.intervalS).toBe(30);

    // Edit the interval: the id is fixed, the views kept.
    await card.getByTestId('wall-config-edit').click();
    await expect(form.getByTestId('wall-config-id')).toHaveCount(0);
    await expect(form.getByTestId('wall-config-view-row')).toHaveCount(2);
    await form.getByTestId('wall-config-interval').fill('45');
    await form.getByTestId('wall-config-save').click();
    await expect(card).toHaveAttribute('data-interval', '45');
    await expect(card.getByTestId('wall-config-playlist-interval')).toContainText('Every 45 s');
    expect((await admin.call('wall.playlist', { id })).intervalS).toBe(45);

    // "Open": the wall for the signed-in admin; back to the configuration.
    await card.getByTestId('wall-config-open').click();
    await expect(page).toHaveURL(new RegExp(`#/wall/${id}$`));
    await expect(page.getByTestId('wall-body')).toBeVisible();
    await page.goBack();
    await expect(card).toBeVisible();

    // A kiosk token: its URL shown once.
    await card.getByTestId('wall-config-token-label').fill('e2e screen');
    await card.getByTestId('wall-config-token-issue').click();
    const issued = card.getByTestId('wall-config-issued');
    await expect(issued).toBeVisible();
    await expect(issued).toContainText('shown once');
    const url = (await issued.getByTestId('wall-config-issued-url').textContent()) ?? '';
    expect(url.startsWith(new URL(serve.url).origin)).toBe(true);
    expect(url).toMatch(new RegExp(`#/wall/${id}\\?kiosk=\\S+$`));
    const token = card.locator('[data-testid="wall-config-token"]', { hasText: 'e2e screen' });
    await expect(token).toHaveAttribute('data-revoked', 'no');
    await shoot(page, 'wall-config-issued');
    await issued.getByTestId('wall-config-issued-done').click();
    await expect(card.getByTestId('wall-config-issued')).toHaveCount(0);

    // The URL in a fresh context (no login): the wall runs.
    const kiosk = await browser.newContext();
    try {
      const kp = await kiosk.newPage();
      await kp.goto(url);
      await expect(kp.getByTestId('wall-body')).toBeVisible();
      await expect(kp.getByTestId('login')).toHaveCount(0);
    } finally {
      await kiosk.close();
    }

    // Revoked in the UI: a fresh context with the same URL is refused at sign-in.
    await token.getByTestId('wall-config-token-revoke').click();
    await expect(token).toHaveAttribute('data-revoked', 'yes');
    const refused = await browser.newContext();
    try {
      const rp = await refused.newPage();
      await rp.goto(url);
      await expect(rp.getByTestId('login-error')).toHaveAttribute('data-code', 'UNAUTHENTICATED');
      await expect(rp.getByTestId('wall-body')).toHaveCount(0);
    } finally {
      await refused.close();
    }

    // A second token, then the delete: the confirmation and the outcome both say one token goes.
    await card.getByTestId('wall-config-token-label').fill('e2e second');
    await card.getByTestId('wall-config-token-issue').click();
    await expect(card.getByTestId('wall-config-issued')).toBeVisible();
    await card.getByTestId('wall-config-delete').click();
    await expect(card.getByTestId('wall-config-confirm')).toContainText('revoked with it: 1.');
    await card.getByTestId('wall-config-confirm-delete').click();
    await expect(card).toHaveCount(0);
    await expect(page.getByTestId('wall-config-deleted')).toContainText(`Playlist ${id} deleted; kiosk tokens revoked with it: 1.`);
    expect((await admin.call('wall.playlists', undefined)).map((p) => p.id)).not.toContain(id);
    expect((await admin.call('wall.kioskTokens', undefined)).filter((k) => k.playlistId === id && k.revokedAt === null)).toEqual([]);
  } finally {
    // Bounded: a cleanup that hangs must not eat the test's timeout.
    for (const p of [id, badId]) await Promise.race([admin.call('wall.deletePlaylist', { id: p }), new Promise((r) => setTimeout(r, 10_000))]).catch(() => undefined);
    await Promise.race([admin.close(), new Promise((r) => setTimeout(r, 5_000))]);
  }
});
