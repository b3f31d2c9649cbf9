// Wall mode against the shared serve instance: as admin (over the API) a playlist of three views
// (overview, the first room, the alarms) and a kiosk token for it; the kiosk URL opened in a fresh
// context (no login) signs in, drops the token from the address bar and rotates the views in
// order through two full rotations (paced by ?intervalMs=) with the alarm ticker on top. The
// page's socket is routed so the test can hold back the core's events: "data stale since" shows
// within 10 s and goes when they flow again; a dropped socket is re-established by itself and the
// rotation carries on. The playlist is deleted at the end (its token with it).
import { expect, test } from '@playwright/test';
import { connect } from '../support/ws-client';
import { shoot } from './helpers';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();
const ORDER = ['wall-view-overview', 'wall-view-room', 'wall-view-alarms'];

type W = { __wallSeen?: string[]; document: { querySelector(sel: string): { getAttribute(name: string): string | null } | null } };

test('wall: a kiosk URL rotates its playlist twice, shows the ticker, says when data is stale and recovers', async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await connect(serve.url, serve.tokens.admin);
  const id = `e2e-wall-${Date.now()}`;
  const context = await browser.newContext();
  try {
    const overview = await admin.call('fleet.overview', undefined);
    const roomId = overview.sites.flatMap((s) => s.rooms).find((r) => r.devices > 0)?.id ?? '';
    expect(roomId).not.toBe('');
    await admin.call('wall.setPlaylist', {
      id,
      name: 'E2E wall',
      intervalS: 30,
      views: [{ view: 'overview', params: {} }, { view: 'room', params: { roomId }, dwellS: 60 }, { view: 'alarms', params: {} }],
    });
    const issued = await admin.call('wall.issueKioskToken', { playlistId: id, label: 'e2e wall', baseUrl: serve.url });
    expect(issued.path).toBe(`#/wall/${id}?kiosk=${issued.token}`);

    const page = await context.newPage();
    // The view on screen, sampled often, consecutive repeats folded (the page's own record: no race with the test's polling).
    await page.addInitScript(() => {
      const w = globalThis as unknown as W;
      w.__wallSeen = [];
      setInterval(() => {
        const el = w.document.querySelector('.wall-stage[data-current="true"]');
        const tid = el?.getAttribute('data-testid');
        const seen = w.__wallSeen ?? [];
        if (tid && seen.at(-1) !== tid) seen.push(tid);
      }, 50);
    });
    let holdEvents = false;
    const pageSides: { close: (o: { code: number; reason: string }) => Promise<void> }[] = [];
    await page.routeWebSocket(/\/api$/, (ws) => {
      pageSides.push(ws);
      const server = ws.connectToServer();
      server.onMessage((m) => {
        if (holdEvents && typeof m === 'string' && m.includes('"type":"event"')) return;
        ws.send(m);
      });
    });

    await page.goto(`${serve.url.replace(/\/$/, '')}/${issued.path}&intervalMs=1500`);
    await expect(page.getByTestId('wall-body')).toBeVisible();
    // The token is gone from the address bar; the pace parameter stays.
    await expect.poll(() => page.url()).not.toContain('kiosk=');
    expect(page.url()).toContain(`#/wall/${id}?intervalMs=1500`);
    await expect(page.getByTestId('login')).toHaveCount(0);
    await expect(page.getByTestId('app-title')).toHaveCount(0);
    await expect(page.getByTestId('wall-ticker')).toBeVisible();

    // Two full rotations, in the playlist's order, from wherever it started.
    await expect.poll(() => page.evaluate(() => ((globalThis as unknown as W).__wallSeen ?? []).length), { timeout: 60_000 }).toBeGreaterThanOrEqual(2 * ORDER.length + 1);
    const seen = await page.evaluate(() => (globalThis as unknown as W).__wallSeen ?? []);
    const start = ORDER.indexOf(seen[0] ?? '');
    expect(start).toBeGreaterThanOrEqual(0);
    expect(seen.slice(0, 2 * ORDER.length + 1)).toEqual(Array.from({ length: 2 * ORDER.length + 1 }, (_, i) => ORDER[(start + i) % ORDER.length]));
    // Each step is the console's own view.
    await expect(page.getByTestId('wall-view-room').getByTestId('room3d')).toBeVisible();
    await expect(page.getByTestId('wall-view-overview').getByTestId('overview')).toBeVisible();
    await expect(page.getByTestId('wall-view-alarms').getByTestId('wall-alarms')).toBeVisible();
    await shoot(page, 'wall-rotating');

    // The core's events held back: the banner within 10 s; released: it goes.
    const stale = page.getByTestId('wall-stale');
    await expect(stale).toHaveCount(0);
    holdEvents = true;
    await expect(stale).toBeVisible({ timeout: 10_000 });
    await expect(stale).toContainText(/Data stale since \d\d:\d\d/);
    await shoot(page, 'wall-stale');
    holdEvents = false;
    await expect(stale).toHaveCount(0, { timeout: 10_000 });

    // A dropped socket: the client reconnects by itself and the rotation goes on.
    const steps = Number(await page.getByTestId('wall-body').getAttribute('data-steps'));
    await pageSides[0]?.close({ code: 4000, reason: 'dropped by the test' });
    await expect.poll(() => pageSides.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(async () => Number(await page.getByTestId('wall-body').getAttribute('data-steps')), { timeout: 30_000 }).toBeGreaterThan(steps + 2);
    await expect(stale).toHaveCount(0, { timeout: 10_000 });
  } finally {
    await context.close();
    // Bounded: a cleanup that hangs must not eat the test's timeout.
    await Promise.race([admin.call('wall.deletePlaylist', { id }), new Promise((r) => setTimeout(r, 10_000))]).catch(() => undefined);
    await Promise.race([admin.close(), new Promise((r) => setTimeout(r, 5_000))]);
  }
});

// The watchdog's reload (its bounds are unit tested: test/unit/renderer/views/wall/watchdog.test.ts)
// resumes the playlist where it was: the kiosk signs in again with its remembered token, with no
// login and no click, and shows the view it showed before the reload.
test('wall: a reloaded kiosk signs in again by itself and resumes at the view it was on', async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await connect(serve.url, serve.tokens.admin);
  const id = `e2e-wall-resume-${Date.now()}`;
  const context = await browser.newContext();
  try {
    await admin.call('wall.setPlaylist', { id, name: 'E2E resume', intervalS: 5, views: [{ view: 'overview', params: {} }, { view: 'alarms', params: {} }, { view: 'matrix', params: { level: 'site' } }] });
    const issued = await admin.call('wall.issueKioskToken', { playlistId: id, label: 'e2e resume', baseUrl: serve.url });
    const page = await context.newPage();
    // The first view each page load shows (the init script runs again on the reload).
    await page.addInitScript(() => {
      const w = globalThis as unknown as W;
      w.__wallSeen = [];
      const timer = setInterval(() => {
        const tid = w.document.querySelector('.wall-stage[data-current="true"]')?.getAttribute('data-testid');
        if (tid) {
          w.__wallSeen = [tid];
          clearInterval(timer);
        }
      }, 20);
    });
    await page.goto(`${serve.url.replace(/\/$/, '')}/${issued.path}`);
    const current = page.locator('.wall-stage[data-current="true"]');
    // The second view (5 s in): reloaded at once, well inside its 5 s.
    await expect(current).toHaveAttribute('data-testid', 'wall-view-alarms', { timeout: 20_000 });
    await page.reload();
    await expect(page.getByTestId('wall-body')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('login')).toHaveCount(0);
    expect(page.url()).not.toContain('kiosk=');
    // The first view shown after the reload is the one it was on (not the playlist's first).
    await expect.poll(() => page.evaluate(() => ((globalThis as unknown as W).__wallSeen ?? [])[0] ?? null)).toBe('wall-view-alarms');
    // And it carries on from there.
    await expect(current).toHaveAttribute('data-testid', 'wall-view-matrix', { timeout: 20_000 });
  } finally {
    await context.close();
    await Promise.race([admin.call('wall.deletePlaylist', { id }), new Promise((r) => setTimeout(r, 10_000))]).catch(() => undefined);
    await Promise.race([admin.close(), new Promise((r) => setTimeout(r, 5_000))]);
  }
});
