// Workflows in serve mode, end to end. An admin saves a small template through the API
// (built-in tools only): an approval for the run, then per host a wf.callback step whose
// notifyUrl is `${params.receiver}/notify/${host.hostname}` (a refused notify fails the
// attempt), then an http.callback report (sent once through the outbox). The receiver is a
// real HTTP server in this test: it refuses the notify of one chosen host (HTTP 503) and, for
// the others, calls the one-time callback URL back once the test releases it.
// As an operator in the UI: the launch form refuses an empty required param and no hosts per
// field; the hosts are pasted (an unknown name is listed as not found); the run is launched,
// approved in its run view, and its matrix and progress follow live: the refused host fails,
// the others wait for their callback, then succeed when released. A viewer, meanwhile, opens
// the failed task and sees its attempts and the hosts by name (from the run, not learned by
// that browser) but no retry, skip, pause or revoke. A host still waiting offers the operator
// Retry now (asked once more: it would cut the waiting attempt), declined. The operator
// retries the failed task with its notifyUrl edited to a URL the receiver accepts; it
// succeeds, the run finishes succeeded, the attempts list keeps both attempts (the second
// by the operator, edited), the receiver got one report per host, the runs list names the
// hosts, and the statistics table
// counts the run with the notify step's failure. Then the runs list, the run view and the
// statistics in zh-CN hold no Latin word besides the fleet's and the template's data.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { Device, InventoryDocument } from '../../src-shared/domain';
import { connect, type TestClient } from '../support/ws-client';
import { shoot, signIn } from './helpers';
import { readServeInfo } from './serve-info';
import { check, dataMatcher, expectNoLatin, goHash, openInChinese, type Found } from './zh-cn-check';

const serve = readServeInfo();
const TEMPLATE_ID = 'e2e-notify';
const TEMPLATE_NAME = 'E2E approve and notify';
const FIXED = 'fixed-by-operator';

interface Receiver {
  url: string;
  /** Notify requests by the name in their path, in arrival order. */
  notified: string[];
  /** Report bodies' hosts, and their Idempotency-Keys. */
  reports: { host: string; key: string }[];
  /** Callback answers (HTTP status) by name. */
  answered: Record<string, number>;
  /** Calls back every held URL; later notifies are called back at once. */
  release(): Promise<void>;
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => resolve(raw));
  });
}

/** The outside system: refuses `refuse`'s notify; holds the others' callbacks until release(). */
async function startReceiver(refuse: string): Promise<Receiver> {
  const held: { name: string; url: string }[] = [];
  let holding = true;
  const r: Omit<Receiver, 'url' | 'release' | 'close'> = { notified: [], reports: [], answered: {} };
  const callBack = async (name: string, url: string): Promise<void> => {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ status: 'ok', data: { name } }) });
    r.answered[name] = res.status;
  };
  const server: Server = createServer((req, res) => {
    void body(req).then((raw) => {
      const path = req.url ?? '';
      const notify = /^\/notify\/([^/?]+)$/.exec(path);
      if (req.method === 'POST' && notify) {
        const name = decodeURIComponent(notify[1]);
        r.notified.push(name);
        if (name === refuse) return res.writeHead(503).end('not today');
        const { callbackUrl } = JSON.parse(raw) as { callbackUrl: string };
        res.writeHead(204).end();
        if (holding) held.push({ name, url: callbackUrl });
        else void callBack(name, callbackUrl);
        return;
      }
      if (req.method === 'POST' && path === '/report') {
        r.reports.push({ host: (JSON.parse(raw) as { host: string }).host, key: String(req.headers['idempotency-key'] ?? '') });
        return res.writeHead(200).end('{}');
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    ...r,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async release() {
      holding = false;
      await Promise.all(held.splice(0).map((h) => callBack(h.name, h.url)));
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

let admin: TestClient;
let operator: TestClient;
let receiver: Receiver;
let hosts: Device[];
let bad: Device;
let runId = '';

const TEMPLATE = {
  id: TEMPLATE_ID,
  name: TEMPLATE_NAME,
  description: 'Approve once, tell a receiver per host and wait for its callback, then report',
  params: [{ name: 'receiver', type: 'string', required: true, title: 'Receiver URL' }],
  steps: [
    { id: 'approve', title: 'Approve', tool: 'wf.approval', scope: 'run', inputs: { message: 'Go ahead?' } },
    { id: 'notify', title: 'Notify', tool: 'wf.callback', scope: 'host', inputs: { message: 'waiting for the receiver', notifyUrl: '${params.receiver}/notify/${host.hostname}' } },
    { id: 'report', title: 'Report', tool: 'http.callback', scope: 'host', inputs: { method: 'POST', url: '${params.receiver}/report', body: { host: '${host.hostname}' } } },
  ],
};

test.beforeAll(async () => {
  [admin, operator] = await Promise.all([connect(serve.url, serve.tokens.admin), connect(serve.url, serve.tokens.operator)]);
  const inventory = JSON.parse((await operator.call('inventory.export', { format: 'json' })).text) as InventoryDocument;
  hosts = inventory.devices.filter((d) => d.kind === 'server').slice(0, 3);
  expect(hosts).toHaveLength(3);
  bad = hosts[1];
  receiver = await startReceiver(bad.hostname);
  const saved = await admin.call('workflows.saveTemplate', { template: TEMPLATE });
  expect(saved.id).toBe(TEMPLATE_ID);
});

test.afterAll(async () => {
  await Promise.all([admin?.close(), operator?.close(), receiver?.close()]);
});

const cell = (page: Page, step: string, host: string) => page.locator(`[data-testid="wf-cell"][data-step="${step}"][data-host="${host}"]`);

/** A viewer, in its own browser context, on the failed task: attempts shown, no controls. */
async function viewerSeesNoControls(browser: Browser, failedHost: string): Promise<void> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  try {
    await signIn(page, serve.tokens.viewer);
    await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'viewer');
    await expect(page.getByTestId('nav-workflows')).toBeVisible();
    await page.goto(`${serve.url}#/workflows/run/${encodeURIComponent(runId)}?step=notify&host=${encodeURIComponent(failedHost)}`);
    const panel = page.getByTestId('wf-task-panel');
    await expect(panel).toHaveAttribute('data-state', 'failed');
    await expect(page.getByTestId('wf-attempt')).toHaveCount(1);
    // This browser never looked a host up: the names come with the run (its hostLabels).
    for (const h of hosts) await expect(page.locator(`[data-testid="wf-matrix-row"][data-host="${h.id}"] [data-testid="wf-host-name"]`)).toHaveText(h.hostname);
    await expect(panel.getByTestId('wf-host-name')).toHaveText(bad.hostname);
    for (const id of ['wf-retry', 'wf-retry-edit', 'wf-skip', 'wf-approve', 'wf-pause', 'wf-revoke', 'wf-run-controls', 'wf-task-actions']) await expect(page.getByTestId(id)).toHaveCount(0);
    await goHash(page, '#/workflows/templates');
    await expect(page.locator(`[data-testid="wf-template-row"][data-template-id="${TEMPLATE_ID}"]`)).toBeVisible();
    await expect(page.getByTestId('wf-launch-link')).toHaveCount(0);
    await goHash(page, `#/workflows/launch/${TEMPLATE_ID}`);
    await expect(page.getByTestId('wf-launch-role-note')).toBeVisible();
    await expect(page.getByTestId('wf-launch-submit')).toHaveCount(0);
  } finally {
    await ctx.close();
  }
}

test('operator: launch from the form, approve, follow it live, retry the failed host with an edited input', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, serve.tokens.operator);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'operator');
  await page.getByTestId('nav-workflows').click();
  await expect(page).toHaveURL(/#\/workflows$/);
  await page.getByTestId('wf-tab-templates').click();
  const row = page.locator(`[data-testid="wf-template-row"][data-template-id="${TEMPLATE_ID}"]`);
  await row.getByTestId('wf-launch-link').click();
  await expect(page.getByTestId('wf-launch-view')).toHaveAttribute('data-template-id', TEMPLATE_ID);

  // Validated before sending: the required param and the hosts are named under their fields.
  await page.getByTestId('wf-launch-submit').click();
  await expect(page.getByTestId('wf-launch-error-receiver')).toHaveText('Required.');
  await expect(page.getByTestId('wf-launch-error-hosts')).toContainText('at least one host');
  await expect(page).toHaveURL(/#\/workflows\/launch\//);

  await page.getByTestId('wf-param-receiver').fill(receiver.url);
  await expect(page.getByTestId('wf-launch-error-receiver')).toHaveCount(0);
  await page.getByTestId('wf-host-paste').fill(`${hosts[0].hostname}\n${hosts[1].sn}, ${hosts[2].hostname} no-such-host-e2e`);
  await page.getByTestId('wf-host-paste-add').click();
  await expect(page.getByTestId('wf-host-count')).toHaveAttribute('data-value', '3');
  await expect(page.getByTestId('wf-host-unresolved')).toContainText('no-such-host-e2e');
  await expect(page.getByTestId('wf-host-chosen-item')).toHaveCount(3);
  for (const [i, h] of hosts.entries()) await expect(page.getByTestId('wf-host-chosen-item').nth(i)).toHaveAttribute('data-device-id', h.id);
  await shoot(page, 'workflows-launch-en');
  await page.getByTestId('wf-launch-submit').click();

  // The run view: waiting for the approval, nothing done yet.
  await expect(page).toHaveURL(/#\/workflows\/run\/[^/?]+$/);
  const view = page.getByTestId('wf-run-view');
  runId = (await view.getAttribute('data-run-id')) ?? '';
  expect(runId).not.toBe('');
  await expect(view).toHaveAttribute('data-state', 'running');
  const progress = page.getByTestId('wf-run-progress');
  await expect(progress).toHaveAttribute('data-total', '7');
  await expect(progress).toHaveAttribute('data-done', '0');
  await expect(cell(page, 'approve', '')).toHaveAttribute('data-state', 'awaiting-approval');
  await expect(cell(page, 'approve', '')).toHaveText('awaiting approval');
  for (const h of hosts) await expect(cell(page, 'notify', h.id)).toHaveAttribute('data-state', 'pending');

  // Approve it in the task panel; the notifies go out and the matrix follows without a reload.
  await cell(page, 'approve', '').click();
  await expect(page.getByTestId('wf-task-panel')).toHaveAttribute('data-state', 'awaiting-approval');
  await page.getByTestId('wf-approval-note').fill('e2e window');
  await page.getByTestId('wf-approve').click();
  await expect(progress).toHaveAttribute('data-done', '1');
  await expect(cell(page, 'notify', bad.id)).toHaveAttribute('data-state', 'failed');
  for (const h of [hosts[0], hosts[2]]) await expect(cell(page, 'notify', h.id)).toHaveAttribute('data-state', 'awaiting-callback');
  await expect(progress).toHaveAttribute('data-failed', '1');
  await expect(page.getByTestId('wf-task-actions')).toHaveCount(0); // the approval is done: nothing left to do on it
  expect([...receiver.notified].sort()).toEqual(hosts.map((h) => h.hostname).sort());

  await viewerSeesNoControls(browser, bad.id);

  // A task waiting for its callback: the operator is offered Retry now (asked once more, since it
  // cuts the waiting attempt), Edit & retry and Skip. Declined here: the attempt waits on.
  await cell(page, 'notify', hosts[0].id).click();
  await expect(page.getByTestId('wf-task-panel')).toHaveAttribute('data-state', 'awaiting-callback');
  const retryNow = page.getByTestId('wf-retry');
  await expect(retryNow).toHaveAttribute('data-cuts', 'true');
  await expect(retryNow).toHaveText('Retry now…');
  await expect(page.getByTestId('wf-retry-edit')).toBeVisible();
  await expect(page.getByTestId('wf-skip')).toBeVisible();
  await retryNow.click();
  await expect(page.getByTestId('wf-retry-confirm')).toBeVisible();
  await page.getByTestId('wf-retry-confirm-cancel').click();
  await expect(page.getByTestId('wf-retry-confirm')).toHaveCount(0);
  await expect(page.getByTestId('wf-attempt')).toHaveCount(1);
  await expect(page.getByTestId('wf-attempt').first()).toHaveAttribute('data-state', 'running');
  await page.getByTestId('wf-task-close').click();

  // The receiver calls back: the others succeed and report; the run ends failed, live.
  await receiver.release();
  for (const h of [hosts[0], hosts[2]]) {
    await expect(cell(page, 'notify', h.id)).toHaveAttribute('data-state', 'succeeded');
    await expect(cell(page, 'report', h.id)).toHaveAttribute('data-state', 'succeeded');
  }
  await expect(cell(page, 'report', bad.id)).toHaveAttribute('data-state', 'pending');
  await expect(progress).toHaveAttribute('data-done', '5');
  await expect(view).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('wf-run-state')).toHaveText('failed');

  // The failed host: its error, then a retry with the notify URL edited.
  await cell(page, 'notify', bad.id).click();
  const panel = page.getByTestId('wf-task-panel');
  await expect(panel).toHaveAttribute('data-host', bad.id);
  await expect(panel).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('wf-task-error')).toContainText('HTTP 503');
  await expect(page.getByTestId('wf-attempt')).toHaveCount(1);
  await expect(page.getByTestId('wf-log-line').first()).toBeVisible();
  await expect(page.getByTestId('wf-retry')).toBeVisible();
  await page.getByTestId('wf-retry-edit').click();
  const urlField = page.getByTestId('wf-edit-field-notifyUrl');
  await expect(urlField).toHaveValue(`${receiver.url}/notify/${bad.hostname}`);
  await expect(page.getByTestId('wf-edit-field-message')).toHaveValue('waiting for the receiver');
  await urlField.fill(`${receiver.url}/notify/${FIXED}`);
  await shoot(page, 'workflows-retry-edit-en');
  await page.getByTestId('wf-retry-submit').click();

  await expect(cell(page, 'notify', bad.id)).toHaveAttribute('data-state', 'succeeded');
  await expect(cell(page, 'notify', bad.id)).toHaveAttribute('data-attempt', '2');
  await expect(cell(page, 'report', bad.id)).toHaveAttribute('data-state', 'succeeded');
  await expect(view).toHaveAttribute('data-state', 'succeeded');
  await expect(progress).toHaveAttribute('data-done', '7');
  await expect(progress).toHaveAttribute('data-failed', '0');
  await expect(page.getByTestId('wf-retry')).toHaveCount(0);

  // Both attempts are kept: the engine's failed one, and the operator's edited one.
  const attempts = page.getByTestId('wf-attempt');
  await expect(attempts).toHaveCount(2);
  await expect(attempts.nth(0)).toHaveAttribute('data-state', 'failed');
  await expect(attempts.nth(0)).toHaveAttribute('data-by', 'engine');
  await expect(attempts.nth(0)).toHaveAttribute('data-edited', 'false');
  await expect(attempts.nth(0).getByTestId('wf-attempt-error')).toContainText('HTTP 503');
  await expect(attempts.nth(1)).toHaveAttribute('data-state', 'succeeded');
  await expect(attempts.nth(1)).toHaveAttribute('data-by', operator.actor);
  await expect(attempts.nth(1)).toHaveAttribute('data-edited', 'true');
  await expect(attempts.nth(1).getByTestId('wf-attempt-edited')).toContainText(FIXED);
  expect(await page.getByTestId('wf-log-line').count()).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('wf-log-line').first().locator('time')).toHaveText(/\d{2}:\d{2}:\d{2}/);
  await shoot(page, 'workflows-run-en');

  // The outside world: each host reported once, with its own Idempotency-Key; the fixed notify was answered 200.
  await expect.poll(() => receiver.reports.length, { timeout: 30_000 }).toBe(3);
  expect(receiver.reports.map((r) => r.host).sort()).toEqual(hosts.map((h) => h.hostname).sort());
  expect(new Set(receiver.reports.map((r) => r.key)).size).toBe(3);
  expect(receiver.answered[FIXED]).toBe(200);
  const edits = await operator.call('workflows.attempts', { runId, stepId: 'notify', host: bad.id });
  expect(edits.map((a) => [a.attempt, a.state, a.edited])).toEqual([[1, 'failed', null], [2, 'succeeded', { notifyUrl: `${receiver.url}/notify/${FIXED}` }]]);

  // The runs list and the statistics count it, with the notify step's failure.
  await page.getByTestId('crumb-workflows').click();
  const runRow = page.locator(`[data-testid="wf-run-row"][data-run-id="${runId}"]`);
  await expect(runRow).toHaveAttribute('data-state', 'succeeded');
  await expect(runRow.getByTestId('wf-run-hosts')).toHaveAttribute('data-value', '3');
  await expect(runRow.getByTestId('wf-host-name')).toHaveText(hosts.map((h) => h.hostname));
  await page.getByTestId('wf-tab-stats').click();
  await page.getByTestId('wf-period-24h').click();
  const stats = page.locator(`[data-testid="wf-stats-row"][data-template-id="${TEMPLATE_ID}"]`);
  await expect(stats.getByTestId('wf-stats-total')).toHaveAttribute('data-value', '1');
  await expect(stats.getByTestId('wf-stats-succeeded')).toHaveAttribute('data-value', '1');
  await expect(stats.getByTestId('wf-stats-failed')).toHaveAttribute('data-value', '0');
  await expect(stats.getByTestId('wf-stats-rate')).toHaveText('100%');
  await stats.getByTestId('wf-stats-expand').click();
  const notifyStep = page.locator(`[data-testid="wf-stats-steps"][data-template-id="${TEMPLATE_ID}"] [data-testid="wf-stats-step"][data-step="notify"]`);
  await expect(notifyStep).toHaveAttribute('data-failures', '1');
  await expect(notifyStep).toContainText('HTTP 503');
  await shoot(page, 'workflows-stats-en');
});

test('zh-CN: the runs list, the run view with a task, and the statistics speak Chinese', async ({ page }) => {
  expect(runId, 'the operator test launched a run').not.toBe('');
  const bad: Found[] = [];
  // The language switch names the other language in its own words.
  const values = ['English', TEMPLATE_NAME, TEMPLATE_ID, TEMPLATE.description, 'Receiver URL', 'Approve', 'Notify', 'Report', 'approve', 'notify', 'report', runId, receiver.url, ...['viewer', 'operator', 'admin'].map((r) => `${r}@`)];
  for (const h of hosts) values.push(h.id, h.hostname, h.sn);
  const data = dataMatcher(values);
  // Data the core and the template hold (names, ids, URLs, the engine's own log lines and errors) are marked wf-data.
  const skip = ['.wf-data'];
  await openInChinese(page, serve.tokens.operator, serve.url);
  await expect(page.getByTestId('nav-workflows')).toHaveText('工作流');
  await page.getByTestId('nav-workflows').click();
  await expect(page.locator(`[data-testid="wf-run-row"][data-run-id="${runId}"]`)).toBeVisible();
  await check(page, 'workflows runs', data, bad, skip);
  await goHash(page, '#/workflows/templates');
  await expect(page.locator(`[data-testid="wf-template-row"][data-template-id="${TEMPLATE_ID}"]`)).toBeVisible();
  await check(page, 'workflows templates', data, bad, skip);
  await goHash(page, `#/workflows/run/${encodeURIComponent(runId)}?step=notify&host=${encodeURIComponent(hosts[1].id)}`);
  await expect(page.getByTestId('wf-attempt')).toHaveCount(2);
  await expect(page.getByTestId('wf-run-state')).toHaveText('成功');
  await check(page, 'workflows run', data, bad, skip);
  await shoot(page, 'workflows-run-zh-cn');
  await goHash(page, '#/workflows/stats');
  const stats = page.locator(`[data-testid="wf-stats-row"][data-template-id="${TEMPLATE_ID}"]`);
  await stats.getByTestId('wf-stats-expand').click();
  await expect(page.getByTestId('wf-stats-step').first()).toBeVisible();
  await check(page, 'workflows stats', data, bad, skip);
  await goHash(page, `#/workflows/launch/${TEMPLATE_ID}`);
  await expect(page.getByTestId('wf-launch-form')).toBeVisible();
  await page.getByTestId('wf-launch-submit').click();
  await expect(page.getByTestId('wf-launch-error-receiver')).toHaveText('必填。');
  await check(page, 'workflows launch', data, bad, skip);
  await shoot(page, 'workflows-launch-zh-cn');
  expectNoLatin(bad);
});
