// The device detail page in serve mode, against the real core and the lab (every lab
// server has a BMC over RMCP+ whose chassis power drives its host's SNMP and SSH): open a
// server from its cabinet's elevation, read its interfaces and status, load its BMC, power
// it off through the confirmation (which names the host and stays disabled until the
// hostname is typed), see it go unreachable, power it on again, light its identify LED;
// as a viewer the controls are disabled with a note. An SSH host's pinned key is shown, and
// an admin (only) forgets it after typing the hostname.
import { expect, test, type Page } from '@playwright/test';
import type { InventoryDocument, RunFinished } from '../../src-shared/domain';
import { connect } from '../support/ws-client';
import { shoot, signIn } from './helpers';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();
/** The poller notices a silent device after its timeouts and back-off. */
const POLL_TIMEOUT = { timeout: 150_000 };

/** Opens the first room's first populated cabinet. */
async function openCabinet(page: Page): Promise<void> {
  await page.getByTestId('room-row').first().click();
  await page.locator('[data-testid="cabinet-tile"]:not([data-devices="0"])').first().click();
  await expect(page.getByTestId('elevation')).toBeVisible();
  await expect(page.getByTestId('rack-device').first()).toBeVisible();
}

/**
 * Opens, from the elevation, the lowest server that answers SNMP and has no SSH (the run
 * spec uses the SSH hosts): click selects it, "Open device details" opens its page.
 */
async function openServerFromElevation(page: Page): Promise<{ id: string; hostname: string }> {
  await openCabinet(page);
  const servers = page.locator('[data-testid="rack-device"][data-kind="server"]');
  const count = await servers.count();
  for (let i = count - 1; i >= 0; i--) {
    const server = servers.nth(i);
    await expect(server).not.toHaveAttribute('data-status', 'unknown', POLL_TIMEOUT);
    if ((await server.getAttribute('data-status')) === 'unreachable') continue;
    const id = (await server.getAttribute('data-device-id')) ?? '';
    const hostname = (await server.locator('.dev-host').textContent()) ?? '';
    await server.click();
    await expect(page.getByTestId('device-details')).toHaveAttribute('data-device-id', id);
    await page.getByTestId('open-device').click();
    await expect(page).toHaveURL(new RegExp(`#/device/${id}$`));
    await expect(page.getByTestId('device-hostname')).toHaveText(hostname);
    if ((await page.getByTestId('fact-ssh').textContent())?.startsWith('no')) return { id, hostname };
    await page.goBack();
    await expect(page.getByTestId('elevation')).toBeVisible();
  }
  throw new Error('no answering server without SSH in the first cabinet');
}

/** Opens the power confirmation, checks it names the host and waits for the hostname, confirms. */
async function power(page: Page, action: 'on' | 'off', hostname: string): Promise<void> {
  await page.getByTestId(`power-${action}`).click();
  const dialog = page.getByTestId('power-confirm');
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('data-action', action);
  await expect(page.getByTestId('confirm-host')).toHaveText(hostname);
  const submit = page.getByTestId('confirm-submit');
  await expect(submit).toBeDisabled();
  await page.getByTestId('confirm-input').fill(hostname.slice(0, -1));
  await expect(submit).toBeDisabled();
  await expect(page.getByTestId('confirm-mismatch')).toBeVisible();
  await page.getByTestId('confirm-input').fill(`${hostname}x`);
  await expect(submit).toBeDisabled();
  await page.getByTestId('confirm-input').fill(hostname);
  await expect(submit).toBeEnabled();
  if (action === 'off') await shoot(page, 'device-power-confirm-en');
  await submit.click();
  await expect(dialog).toHaveCount(0);
  const done = page.getByTestId('control-done');
  await expect(done).toHaveAttribute('data-kind', 'power');
  await expect(done).toHaveAttribute('data-power', action);
  await expect(page.getByTestId('control-error')).toHaveCount(0);
}

test('operator: detail from the elevation, BMC, power off and on, identify', async ({ page }) => {
  test.setTimeout(2 * POLL_TIMEOUT.timeout + 60_000); // two waits for the poller, one each way
  await signIn(page, serve.tokens.operator);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'operator');
  const { id, hostname } = await openServerFromElevation(page);

  // Where it is and how it is.
  const location = page.getByTestId('device-location');
  await expect(location).toContainText('Hall 1');
  await expect(location).toContainText('Row R');
  await expect(page.getByTestId('device-cabinet-link')).toContainText('Cabinet R');
  await expect(page.getByTestId('device-position')).toHaveText(/^U\d+–U\d+$/);
  await expect(page.getByTestId('crumb-cabinet')).toBeVisible();
  await expect(page.getByTestId('device-status')).toHaveAttribute('data-status', /^(up|degraded)$/);
  await expect(page.getByTestId('fact-sysname')).toHaveText(hostname);
  await expect(page.getByTestId('fact-rtt')).toHaveText(/^[\d.,]+ ms$/);
  await expect(page.getByTestId('fact-bmc')).toContainText('yes');

  // Interfaces with their oper status and rates, human-readable.
  const ifaces = page.getByTestId('iface-row');
  await expect(ifaces.first()).toBeVisible();
  await expect(page.locator('[data-testid="iface-row"][data-oper="up"]').first()).toBeVisible();
  const up = page.locator('[data-testid="iface-row"][data-oper="up"]').first();
  await expect(up.getByTestId('iface-oper')).toHaveText('up');
  await expect(up.getByTestId('iface-in')).toHaveText(/^\d+(\.\d)? (b|kb|Mb|Gb)\/s$/);
  await expect(up.getByTestId('iface-out')).toHaveText(/^\d+(\.\d)? (b|kb|Mb|Gb)\/s$/);

  // The BMC, read on demand: chassis power on, sensors with a status each.
  const bmc = page.getByTestId('bmc-section');
  await expect(bmc).toHaveAttribute('data-state', 'idle');
  await page.getByTestId('bmc-load').click();
  await expect(bmc).toHaveAttribute('data-state', 'loaded');
  await expect(page.getByTestId('bmc-power')).toHaveAttribute('data-power', 'on');
  const sensors = page.getByTestId('bmc-sensor');
  await expect(sensors.first()).toBeVisible();
  for (const s of await sensors.all()) await expect(s).toHaveAttribute('data-status', /^(ok|warning|critical|unavailable)$/);
  await expect(bmc).toContainText(/System event log \(\d+\), newest first/);
  await shoot(page, 'device-detail-en');

  // Power off through the confirmation: the host goes dark, the poller finds it unreachable.
  await power(page, 'off', hostname);
  await expect(page.getByTestId('bmc-power')).toHaveAttribute('data-power', 'off');
  await expect(page.getByTestId('device-status')).toHaveAttribute('data-status', 'unreachable', POLL_TIMEOUT);
  // The next detail read has no interfaces, and the page says why instead of an empty table.
  await expect(page.getByTestId('ifaces-error')).toHaveText('Interfaces not read: the device is unreachable', { timeout: 30_000 });
  await expect(page.getByTestId('iface-row')).toHaveCount(0);
  // The power change is in the BMC's event log (newest first) and in the device's events.
  await page.getByTestId('bmc-load').click();
  await expect(bmc).toHaveAttribute('data-state', 'loaded');
  const sel = page.getByTestId('sel-entry');
  await expect(sel.first()).toBeVisible();
  const stamps = await sel.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-at') || 0)));
  expect(stamps).toEqual([...stamps].sort((a, b) => b - a));
  await expect(page.locator('[data-testid="device-events"] [data-testid="event"][data-kind="control"]').first()).toContainText(`${hostname}: power off`);
  await shoot(page, 'device-powered-off-en');

  // Power on again: it answers again.
  await power(page, 'on', hostname);
  await expect(page.getByTestId('bmc-power')).toHaveAttribute('data-power', 'on');
  await expect(page.getByTestId('device-status')).toHaveAttribute('data-status', /^(up|degraded)$/, POLL_TIMEOUT);

  // Identify for 60 s: the BMC reports the LED on.
  await page.getByTestId('identify-seconds').selectOption('60');
  await page.getByTestId('identify-start').click();
  await expect(page.getByTestId('control-done')).toHaveAttribute('data-kind', 'identify');
  await expect(page.getByTestId('control-done')).toContainText('identify LED for 60 s');
  await expect(page.getByTestId('bmc-identify')).toHaveAttribute('data-identify', 'true');
  await expect(page.getByTestId('device-view')).toHaveAttribute('data-device-id', id);
});

test('viewer: the controls are disabled with a note; the BMC can still be read', async ({ page }) => {
  await signIn(page, serve.tokens.viewer);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'viewer');
  await openCabinet(page);
  const server = page.locator('[data-testid="rack-device"][data-kind="server"]').first();
  const id = (await server.getAttribute('data-device-id')) ?? '';
  // A double click opens the device page directly.
  await server.dblclick();
  await expect(page).toHaveURL(new RegExp(`#/device/${id}$`));
  await expect(page.getByTestId('device-controls')).toHaveAttribute('data-enabled', 'false');
  await expect(page.getByTestId('control-role-note')).toHaveText('Power, identify and boot need the operator role; your role is viewer. The core checks it too.');
  // A viewer is not offered controls it cannot use (the role note says why).
  for (const a of ['on', 'off', 'cycle', 'reset', 'soft']) await expect(page.getByTestId(`power-${a}`)).toHaveCount(0);
  for (const t of ['identify-start', 'identify-force', 'boot-set', 'boot-device']) await expect(page.getByTestId(t)).toHaveCount(0);
  await expect(page.getByTestId('bmc-load')).toBeEnabled();
  await page.getByTestId('bmc-load').click();
  await expect(page.getByTestId('bmc-section')).toHaveAttribute('data-state', 'loaded');

  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('control-role-note')).toContainText('操作员');
  await shoot(page, 'device-viewer-zh');
});

test('operator: a dead server\'s BMC does not answer, and the page says so', async ({ page }) => {
  await signIn(page, serve.tokens.operator);
  await openCabinet(page);
  const server = page.locator('[data-testid="rack-device"][data-kind="server"]').first();
  const id = (await server.getAttribute('data-device-id')) ?? '';
  const hostname = (await server.locator('.dev-host').textContent()) ?? '';
  await server.click();
  await page.getByTestId('fault-kill').click(); // the lab's whole device, BMC included, goes dark
  await expect(page.getByTestId('fault-result')).toBeVisible();
  try {
    await page.getByTestId('open-device').click();
    await expect(page).toHaveURL(new RegExp(`#/device/${id}$`));
    await page.getByTestId('bmc-load').click();
    await expect(page.getByTestId('bmc-loading')).toBeVisible();
    const error = page.getByTestId('bmc-error');
    await expect(error).toBeVisible();
    await expect(error).toHaveAttribute('data-code', 'UNAVAILABLE');
    await expect(error).toContainText('While reading the BMC');
    await expect(page.getByTestId('bmc-no-answer')).toHaveText(`The BMC of ${hostname} did not answer.`);
    await expect(page.getByTestId('bmc-section')).toHaveAttribute('data-state', 'error');
    await expect(page.getByTestId('bmc')).toHaveCount(0);
    await shoot(page, 'device-bmc-no-answer-en');
  } finally {
    await page.getByTestId('device-cabinet-link').click();
    await page.locator(`[data-testid="rack-device"][data-device-id="${id}"]`).click();
    await page.getByTestId('fault-revive').click();
    await expect(page.getByTestId('fault-result')).toBeVisible();
  }
});

test('admin: an SSH host\'s pinned key is shown and forgotten only once the hostname is typed; a viewer cannot', async ({ page, browser }) => {
  // Pin the key of the last SSH host (the run spec uses the first ones) with a run over the API.
  const operator = await connect(serve.url, serve.tokens.operator);
  const admin = await connect(serve.url, serve.tokens.admin);
  try {
    const inventory = JSON.parse((await operator.call('inventory.export', { format: 'json' })).text) as InventoryDocument;
    const dev = inventory.devices.filter((d) => d.sshCredential).at(-1)!;
    const started = await operator.call('fleet.run', { deviceIds: [dev.id], command: 'true' });
    await expect.poll(() => operator.events.some((e) => e.event === 'onDidFinishRun' && (e.payload as RunFinished).runId === started.runId), { timeout: 30_000 }).toBe(true);
    const { fingerprint } = await operator.call('device.hostKey', { deviceId: dev.id });
    expect(fingerprint).toMatch(/^SHA256:/);
    const openDevice = async (p: Page) => {
      await p.evaluate((id) => ((globalThis as unknown as { location: { hash: string } }).location.hash = `#/device/${id}`), dev.id);
      await expect(p.getByTestId('device-hostname')).toHaveText(dev.hostname);
    };

    await signIn(page, serve.tokens.viewer);
    await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'viewer');
    await openDevice(page);
    await expect(page.getByTestId('host-key-fingerprint')).toHaveAttribute('data-fingerprint', fingerprint!);
    await expect(page.getByTestId('host-key-forget')).toBeDisabled();
    await expect(page.getByTestId('host-key-role-note')).toHaveText('Forgetting a pinned key needs the admin role; your role is viewer.');

    const context = await browser.newContext();
    try {
      const adminPage = await context.newPage();
      await signIn(adminPage, serve.tokens.admin);
      await expect(adminPage.getByTestId('role-badge')).toHaveAttribute('data-role', 'admin');
      await openDevice(adminPage);
      await expect(adminPage.getByTestId('host-key-fingerprint')).toContainText(fingerprint!);
      await adminPage.getByTestId('host-key-forget').click();
      const dialog = adminPage.getByTestId('host-key-confirm');
      await expect(dialog).toContainText(`Do this only after ${dev.hostname} was reinstalled.`);
      const submit = dialog.getByTestId('confirm-submit');
      await expect(submit).toBeDisabled();
      await dialog.getByTestId('confirm-input').fill(dev.hostname);
      await expect(submit).toBeEnabled();
      await shoot(adminPage, 'device-host-key-forget-en');
      await submit.click();
      await expect(adminPage.getByTestId('host-key-done')).toHaveText(`Key ${fingerprint} forgotten: the next connection pins the new one.`);
      await expect(adminPage.getByTestId('host-key-fingerprint')).toHaveAttribute('data-fingerprint', '');
      await expect(adminPage.getByTestId('host-key-forget')).toBeDisabled();
    } finally {
      await context.close();
    }
    const audit = (await admin.call('audit.list', { limit: 20 })).find((e) => e.action === 'device.forgetHostKey');
    expect(audit).toMatchObject({ role: 'admin', outcome: 'succeeded' });
    expect((await operator.call('device.hostKey', { deviceId: dev.id })).fingerprint).toBeNull();
  } finally {
    await operator.close();
    await admin.close();
  }
});
