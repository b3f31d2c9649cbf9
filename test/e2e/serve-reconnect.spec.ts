// The serve-mode client's reconnect, against the real server: the page's socket is
// routed through Playwright so the test can drop it and hold the next one. The client
// must say it is reconnecting, keep calls made meanwhile, re-authenticate with the same
// token and carry on.
import { expect, test, type WebSocketRoute } from '@playwright/test';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();

test('a dropped connection is re-established with the same token', async ({ page }) => {
  const pageSides: WebSocketRoute[] = [];
  const serverSides: WebSocketRoute[] = [];
  const authTokens: string[] = [];
  let release!: () => void;
  const secondMayConnect = new Promise<void>((resolve) => (release = resolve));

  await page.routeWebSocket(/\/api$/, async (ws) => {
    const n = pageSides.push(ws);
    const early: (string | Buffer)[] = [];
    let server: WebSocketRoute | null = null;
    ws.onMessage((m) => {
      if (typeof m === 'string' && m.includes('"type":"auth"')) authTokens.push((JSON.parse(m) as { token: string }).token);
      if (server) server.send(m);
      else early.push(m);
    });
    if (n === 2) await secondMayConnect;
    server = ws.connectToServer();
    serverSides.push(server);
    for (const m of early.splice(0)) server.send(m);
  });

  await page.goto(serve.url);
  await page.getByTestId('lang-en').click();
  await page.getByTestId('login-token').fill(serve.tokens.viewer);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('overview')).toBeVisible();
  await expect(page.getByTestId('total-devices')).toHaveAttribute('data-value', '3000');

  // Drop it. The client reports the loss and retries; the retry is held open unanswered.
  await pageSides[0].close({ code: 4000, reason: 'dropped by the test' });
  await serverSides[0].close();
  const banner = page.getByTestId('conn-status');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('dropped by the test');
  await expect.poll(() => pageSides.length).toBe(2);

  // A call made while reconnecting waits for the new connection instead of failing.
  await page.getByTestId('room-row').first().click();
  await expect(page.getByTestId('room')).toBeVisible();
  await expect(page.getByTestId('cabinet-tile')).toHaveCount(0);

  release();
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('cabinet-tile').first()).toBeVisible();
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'viewer');
  expect(authTokens).toEqual([serve.tokens.viewer, serve.tokens.viewer]);
});
