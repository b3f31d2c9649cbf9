// The fleet-wide "Run command" view in serve mode, against the real core and the lab's
// SSH hosts (every 10th lab server answers SSH). Targets come from the cabinets'
// elevations (capabilities.ssh): only SSH-capable hosts are offered, the others counted.
// `uname -a` on the SSH hosts of one cabinet streams back exit code 0 and "Linux";
// `false` on a whole room fails on every host it ran on and skips none (the UI sends no
// host without SSH); a `sleep 30` run is cancelled; a viewer gets no link and disabled
// controls. A fleet run is a workflow run: the Run view links to it in #/workflows/run/<id>,
// where each host's task is shown (succeeded for uname, revoked for the cancelled sleep).
import { expect, test, type Page } from '@playwright/test';
import { shoot, signIn, valueOf } from './helpers';
import { readServeInfo } from './serve-info';

const serve = readServeInfo();

async function openRun(page: Page): Promise<void> {
  await page.getByTestId('nav-run').click();
  await expect(page).toHaveURL(/#\/run$/);
  await expect(page.getByTestId('run-view')).toBeVisible();
}

/** Follows the Run view's link to its run in the workflows view and waits for the run's state there. */
async function openWorkflowRun(page: Page, runId: string, state: string): Promise<void> {
  const link = page.getByTestId('run-workflow-link');
  await expect(link).toHaveAttribute('href', `#/workflows/run/${encodeURIComponent(runId)}`);
  await link.click();
  const view = page.getByTestId('wf-run-view');
  await expect(view).toHaveAttribute('data-run-id', runId);
  await expect(view).toHaveAttribute('data-state', state);
}

/** Chooses the first room, then the first of its cabinets that has a host speaking SSH. */
async function chooseCabinetWithSsh(page: Page): Promise<number> {
  const roomId = (await page.getByTestId('run-room').selectOption({ index: 1 }))[0];
  const cabinet = page.getByTestId('run-cabinet');
  await expect(cabinet).toBeEnabled();
  const summary = page.getByTestId('run-candidates-summary');
  for (let i = 1; i <= 10; i++) {
    const cabinetId = (await cabinet.selectOption({ index: i }))[0];
    // The summary is the chosen cabinet's once its elevation is read.
    await expect(summary).toHaveAttribute('data-scope', `${roomId}/${cabinetId}`);
    await expect(page.getByTestId('run-loading')).toHaveCount(0);
    const ssh = Number(await summary.getAttribute('data-ssh'));
    const total = Number(await cabinet.locator(`option[value="${cabinetId}"]`).getAttribute('data-devices'));
    // Every device of the cabinet is either offered (SSH) or counted as without SSH.
    expect(ssh + Number(await summary.getAttribute('data-no-ssh'))).toBe(total);
    if (ssh > 0) return ssh;
  }
  throw new Error('none of the first 10 cabinets of the first room has a host with SSH');
}

test('operator: uname -a on a cabinet, false on a room, a cancelled sleep', async ({ page }) => {
  await signIn(page, serve.tokens.operator);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'operator');
  await expect(page.getByTestId('overview')).toBeVisible();
  await openRun(page);
  await expect(page.getByTestId('run-role-note')).toHaveCount(0);

  // Targets: only the hosts whose elevation says capabilities.ssh are offered, all chosen.
  const ssh = await chooseCabinetWithSsh(page);
  const candidates = page.getByTestId('run-candidate');
  await expect(candidates).toHaveCount(ssh);
  for (const c of await candidates.all()) await expect(c.getByRole('checkbox')).toBeChecked();
  await expect(page.getByTestId('run-candidates-summary')).toHaveAttribute('data-chosen', String(ssh));

  // uname -a: one result per host, exit 0, Linux in stdout.
  await page.getByTestId('run-command').fill('uname -a');
  await page.getByTestId('run-start').click();
  const panel = page.getByTestId('run-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('run-hosts')).toHaveAttribute('data-value', String(ssh));
  await expect(page.getByTestId('run-skipped')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('run-skipped-list')).toHaveCount(0);
  const finished = page.getByTestId('run-finished');
  await expect(finished).toHaveAttribute('data-succeeded', String(ssh));
  await expect(finished).toHaveAttribute('data-failed', '0');
  await expect(finished).toHaveAttribute('data-cancelled', 'false');
  await expect(panel).toHaveAttribute('data-phase', 'finished');
  const results = page.getByTestId('run-result');
  await expect(results).toHaveCount(ssh);
  for (const r of await results.all()) {
    await expect(r).toHaveAttribute('data-ok', 'true');
    await expect(r).toHaveAttribute('data-exit', '0');
    await expect(r.getByTestId('run-preview')).toContainText('Linux');
  }
  await results.first().getByTestId('run-expand').click();
  const host = await results.first().getAttribute('data-host');
  await expect(page.getByTestId('run-stdout').first()).toContainText(`Linux ${host}`);
  await expect(page.getByTestId('run-stderr').first()).toHaveText('(empty)');
  await expect(page.getByTestId('run-truncated')).toHaveCount(0);
  await shoot(page, 'run-uname-en');

  // The same run in the workflows view: a run of fleet-run with one succeeded task per host.
  const unameRun = (await panel.getAttribute('data-run-id')) ?? '';
  expect(unameRun).not.toBe('');
  const hostIds = await Promise.all((await results.all()).map(async (r) => (await r.getAttribute('data-device-id')) ?? ''));
  await openWorkflowRun(page, unameRun, 'succeeded');
  await expect(page.getByTestId('wf-run-progress')).toHaveAttribute('data-done', String(ssh));
  await expect(page.getByTestId('wf-run-progress')).toHaveAttribute('data-failed', '0');
  for (const h of hostIds) await expect(page.locator(`[data-testid="wf-cell"][data-step="run"][data-host="${h}"]`)).toHaveAttribute('data-state', 'succeeded');
  await page.goBack();
  await expect(page.getByTestId('run-view')).toBeVisible();
  await expect(panel).toHaveAttribute('data-run-id', unameRun);

  // false on the whole room: the room's SSH hosts are offered (exactly: no "SSH unknown"),
  // the rest counted; it runs on all of them, fails on every one, and skips none.
  await page.getByTestId('run-clear').click();
  const roomId = await page.getByTestId('run-room').inputValue();
  await page.getByTestId('run-cabinet').selectOption('');
  const summary = page.getByTestId('run-candidates-summary');
  await expect(summary).toHaveAttribute('data-scope', `${roomId}/`);
  await expect(page.getByTestId('run-loading')).toHaveCount(0);
  await expect(summary).toHaveAttribute('data-chosen', /^[1-9]\d+$/);
  const roomSsh = Number(await summary.getAttribute('data-ssh'));
  await expect(summary).toHaveAttribute('data-chosen', String(roomSsh));
  await expect(candidates).toHaveCount(roomSsh);
  const noSsh = Number(await summary.getAttribute('data-no-ssh'));
  expect(noSsh).toBeGreaterThan(roomSsh); // every 10th server speaks SSH: most of a room does not
  await expect(page.getByTestId('run-no-ssh')).toHaveAttribute('data-value', String(noSsh));
  await expect(page.getByTestId('run-no-ssh')).toHaveText(`${noSsh.toLocaleString('en-US')} devices here have no SSH credential and are not offered.`);
  await page.getByTestId('run-command').fill('false');
  await page.getByTestId('run-start').click();
  await expect(finished).toBeVisible({ timeout: 60_000 });
  const hosts = await valueOf(page.getByTestId('run-hosts'));
  expect(hosts).toBe(roomSsh);
  await expect(finished).toHaveAttribute('data-succeeded', '0');
  await expect(finished).toHaveAttribute('data-failed', String(hosts));
  await expect(page.getByTestId('run-failed')).toHaveAttribute('data-value', String(hosts));
  await expect(results).toHaveCount(hosts);
  for (const r of await results.all()) {
    await expect(r).toHaveAttribute('data-ok', 'false');
    await expect(r).toHaveAttribute('data-exit', '1');
  }
  // Nothing skipped: the UI no longer sends hosts without SSH, so no "no SSH credential".
  await expect(page.getByTestId('run-skipped')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('run-skipped-list')).toHaveCount(0);
  await expect(page.getByTestId('run-skipped-host')).toHaveCount(0);
  await expect(panel).not.toContainText('no SSH credential');
  await shoot(page, 'run-false-en');

  // sleep 30 on the room, cancelled: the run ends long before 30 s, marked cancelled.
  await page.getByTestId('run-clear').click();
  await page.getByTestId('run-command').fill('sleep 30');
  await page.getByTestId('run-timeout').fill('60');
  await page.getByTestId('run-start').click();
  await expect(panel).toHaveAttribute('data-phase', 'running');
  await expect(page.getByTestId('run-cancel')).toBeEnabled();
  await page.waitForTimeout(1000); // let the sessions start: a cancel then aborts commands in flight
  await expect(results).toHaveCount(0);
  const clickedAt = Date.now();
  await page.getByTestId('run-cancel').click();
  await expect(finished).toHaveAttribute('data-cancelled', 'true', { timeout: 20_000 });
  expect(Date.now() - clickedAt).toBeLessThan(20_000);
  await expect(finished).toContainText('Cancelled after');
  await expect(finished).toHaveAttribute('data-succeeded', '0');
  await expect(page.getByTestId('run-cancel')).toHaveCount(0);
  await shoot(page, 'run-cancelled-en');
  // Cancelling revoked the workflow run.
  await openWorkflowRun(page, (await panel.getAttribute('data-run-id')) ?? '', 'revoked');
  await expect(page.locator('[data-testid="wf-cell"][data-step="run"]').first()).toHaveAttribute('data-state', 'revoked');
});

test('viewer: no Run link, and the view is disabled with the role note', async ({ page }) => {
  await signIn(page, serve.tokens.viewer);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'viewer');
  await expect(page.getByTestId('overview')).toBeVisible();
  await expect(page.getByTestId('nav-run')).toHaveCount(0);
  await page.goto(`${serve.url}#/run`);
  await expect(page.getByTestId('run-view')).toBeVisible();
  await expect(page.getByTestId('run-role-note')).toHaveText('Running commands needs the operator role; your role is viewer. The core checks it too.');
  await expect(page.getByTestId('run-room')).toBeDisabled();
  await expect(page.getByTestId('run-command')).toBeDisabled();
  await expect(page.getByTestId('run-start')).toBeDisabled();
});
