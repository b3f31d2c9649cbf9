// Issue 13's rollout acceptance in the UI, on a serve instance of its own with a small lab
// (720 devices: its SSH hosts run the real agent code) and two releases planted beside it
// (--agent-releases: 1.0.0, and 2.0.0-bad, whose agent.js exits at once; --agent-runtime: a
// 3 MiB stand-in, as agents-rollout-20.test.ts ships, the lab never runs it). Four lab hosts get
// 1.0.0 through agent-deploy (the API: setup), then the operator upgrades them to 2.0.0-bad
// through the agents view's dialog in batches of 2, pausing past 20 %, with an 8 s health
// window. The run page shows the run paused, the first batch's activate failed with each host's
// error naming the bad version, why and "runs 1.0.0 again", and the second batch's activate
// never started. The agents view shows all four healthy on 1.0.0, the first batch's rows saying
// "Upgrade to 2.0.0-bad rolled back: <why>; runs 1.0.0 again" (why: the agent's own log line,
// as the core read it) and the second batch's that the upgrade waits in the paused run; an
// agent's page says the same with a link that opens the run. Last, the agents page and that
// agent's page in zh-CN hold no Latin word besides the fleet's data.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import type { InventoryDocument } from '../../src-shared/domain';
import type { AgentSummary } from '../../src-shared/domain/agent';
import { startServe, type ServeProcess } from '../support/serve-process';
import { connect, type TestClient } from '../support/ws-client';
import { shoot, signIn } from './helpers';
import { check, dataMatcher, expectNoLatin, goHash, openInChinese, type Found } from './zh-cn-check';

const HOSTS = 4;
const WINDOW_S = 8;
const dir = mkdtempSync(join(tmpdir(), 'fd-e2e-rollout-'));
const releases = join(dir, 'releases');

let serve: ServeProcess;
let op: TestClient;
let hosts: { id: string; hostname: string; sn: string }[] = [];
let runId = '';
let firstBatch: string[] = [];
let laterBatch: string[] = [];

test.describe.configure({ mode: 'serial' });

const row = (page: Page, id: string) => page.locator(`[data-testid="agent-row"][data-agent-id="${id}"]`);
const list = async (): Promise<AgentSummary[]> => (await op.call('agents.list', undefined)).filter((a) => hosts.some((h) => h.id === a.id));

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const build = (await import(pathToFileURL(resolve('scripts/build-daemons.mjs')).href)) as { buildDaemons(o: { outDir: string; version: string; quiet: boolean }): Promise<unknown> };
  for (const v of ['1.0.0', '2.0.0-bad']) await build.buildDaemons({ outDir: join(releases, v), version: v, quiet: true });
  writeFileSync(join(releases, '2.0.0-bad', 'agent.js'), 'console.error("planted: bad build"); process.exit(3);\n');
  const runtime = join(dir, 'node-stand-in');
  writeFileSync(runtime, randomBytes(3 * 1024 * 1024), { mode: 0o755 });

  serve = await startServe(['--lab-devices', '720', '--lab-prefix', '127.28', '--no-lab-gateways', '--poll-interval-ms', '600000', '--no-traps', '--agent-releases', releases, '--agent-runtime', runtime]);
  op = await connect(serve.url, serve.tokens.operator);
  const doc = JSON.parse((await op.call('inventory.export', { format: 'json' })).text) as InventoryDocument;
  hosts = doc.devices.filter((d) => d.kind === 'server' && d.sshCredential).slice(0, HOSTS).map((d) => ({ id: d.id, hostname: d.hostname, sn: d.sn }));
  expect(hosts).toHaveLength(HOSTS);
  hosts.sort((a, b) => (a.id < b.id ? -1 : 1)); // the agents table's order, which the upgrade's batches follow

  // 1.0.0 on the four hosts through the deploy workflow (setup: the UI's part is the upgrade).
  const deploy = await op.call('workflows.launch', { templateId: 'agent-deploy', params: { version: '1.0.0', healthWindowMs: WINDOW_S * 1000 }, deviceIds: hosts.map((h) => h.id) });
  await expect.poll(async () => (await op.call('workflows.run', { runId: deploy.id })).state, { timeout: 60_000, message: 'the 1.0.0 deploy to succeed' }).toBe('succeeded');
  await expect.poll(async () => (await list()).map((a) => `${a.version}/${a.health}`), { timeout: 30_000 }).toEqual(hosts.map(() => '1.0.0/healthy'));
});

test.afterAll(async () => {
  await op?.close();
  await serve?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('an upgrade to a bad version through the dialog: the run pauses, the first batch rolls back and says why, in the run and in the agents view', async ({ page }) => {
  await signIn(page, serve.tokens.operator, serve.url);
  await page.getByTestId('nav-agents').click();
  await expect(page.getByTestId('agent-row')).toHaveCount(HOSTS);
  for (const h of hosts) {
    await expect(row(page, h.id)).toHaveAttribute('data-health', 'healthy');
    await expect(row(page, h.id).getByTestId('agent-version')).toHaveText('1.0.0');
    // The deploy went well: nothing to say in the table.
    await expect(row(page, h.id).getByTestId('agent-rollout')).toHaveCount(0);
  }

  await page.getByTestId('agents-select-all').check();
  await page.getByTestId('agents-upgrade').click();
  const dialog = page.getByTestId('agents-rollout');
  await dialog.getByTestId('agents-rollout-version').fill('2.0.0-bad');
  await dialog.getByTestId('agents-rollout-batchSize').fill('2');
  await dialog.getByTestId('agents-rollout-maxFailPct').fill('20');
  await dialog.getByTestId('agents-rollout-healthWindowS').fill('0');
  await dialog.getByTestId('agents-rollout-next').click();
  await expect(dialog.getByTestId('agents-rollout-healthWindowS-problem')).toHaveText('A whole number of seconds from 1 to 600.');
  await dialog.getByTestId('agents-rollout-healthWindowS').fill(String(WINDOW_S));
  await dialog.getByTestId('agents-rollout-next').click();
  await expect(dialog.getByTestId('agents-rollout-question')).toHaveText(`Upgrade ${HOSTS} agents to version 2.0.0-bad?`);
  await dialog.getByTestId('agents-rollout-submit').click();
  const launched = dialog.getByTestId('agents-rollout-result');
  await expect(launched).toContainText(`Launched on ${HOSTS} hosts.`);
  runId = (await launched.getAttribute('data-run-id')) ?? '';
  expect(runId).not.toBe('');
  const run = await op.call('workflows.run', { runId });
  expect(run.params).toMatchObject({ version: '2.0.0-bad', healthWindowMs: WINDOW_S * 1000 });
  firstBatch = run.hosts.slice(0, 2);
  laterBatch = run.hosts.slice(2);

  // The run page: paused after the first batch; each of its hosts' activate failed, saying why.
  await launched.getByTestId('agents-rollout-run').click();
  const view = page.getByTestId('wf-run-view');
  await expect(view).toHaveAttribute('data-run-id', runId);
  await expect(view).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  await expect(page.getByTestId('wf-run-state')).toHaveText('paused');
  const cell = (step: string, host: string) => page.locator(`[data-testid="wf-cell"][data-step="${step}"][data-host="${host}"]`);
  for (const id of firstBatch) await expect(cell('activate', id)).toHaveAttribute('data-state', 'failed');
  for (const id of laterBatch) {
    // Never started: queued behind the pause, no attempt.
    await expect(cell('activate', id)).toHaveAttribute('data-state', /^(pending|ready)$/);
    await expect(cell('activate', id)).toHaveAttribute('data-attempt', '0');
  }
  for (const id of firstBatch) {
    const name = hosts.find((h) => h.id === id)!.hostname;
    await cell('activate', id).click();
    const error = page.getByTestId('wf-task-error');
    await expect(error).toContainText(`agent 2.0.0-bad did not come healthy on ${name} within ${WINDOW_S} s: `);
    await expect(error).toContainText(`; rolled back: ${name} runs 1.0.0 again`);
  }
  await shoot(page, 'agents-rollout-run-paused');

  // The agents view: all four healthy on 1.0.0; the first batch says it was rolled back and why, the rest that they wait.
  const agents = await list();
  await page.getByTestId('nav-agents').click();
  for (const id of firstBatch) {
    const last = agents.find((a) => a.id === id)!.lastRollout!;
    expect(last).toMatchObject({ runId, outcome: 'rolled-back', version: '2.0.0-bad', runsAgain: '1.0.0', stepId: 'activate' });
    expect(last.reason, 'why, from the agent log').toBeTruthy();
    const r = row(page, id);
    await expect(r).toHaveAttribute('data-health', 'healthy');
    await expect(r.getByTestId('agent-version')).toHaveText('1.0.0');
    await expect(r.getByTestId('agent-rollout')).toHaveAttribute('data-outcome', 'rolled-back');
    await expect(r.getByTestId('agent-rollout-text')).toHaveText(`Upgrade to 2.0.0-bad rolled back: ${last.reason}; runs 1.0.0 again`);
    await expect(r.getByTestId('agent-rollout-run')).toHaveAttribute('href', `#/workflows/run/${runId}`);
  }
  for (const id of laterBatch) {
    const r = row(page, id);
    await expect(r).toHaveAttribute('data-health', 'healthy');
    await expect(r.getByTestId('agent-version')).toHaveText('1.0.0');
    await expect(r.getByTestId('agent-rollout')).toHaveAttribute('data-outcome', 'pending');
    await expect(r.getByTestId('agent-rollout-text')).toHaveText('Deploy of 2.0.0-bad waits: its run is paused');
  }
  await shoot(page, 'agents-rollout-rolled-back');

  // The agent's page says the same, and its link opens the run.
  const first = firstBatch[0];
  await row(page, first).getByTestId('agent-link').click();
  const detail = page.getByTestId('agent-last-rollout');
  await expect(detail.getByTestId('agent-rollout')).toHaveAttribute('data-outcome', 'rolled-back');
  await expect(detail.getByTestId('agent-rollout-text')).toHaveText(`Upgrade to 2.0.0-bad rolled back: ${agents.find((a) => a.id === first)!.lastRollout!.reason}; runs 1.0.0 again`);
  await expect(detail.getByTestId('agent-rollout-at')).toHaveText(/ago$/);
  await expect(page.getByTestId('agent-summary').getByTestId('agent-version')).toHaveText('1.0.0');
  await detail.getByTestId('agent-rollout-run').click();
  await expect(page).toHaveURL(new RegExp(`#/workflows/run/${runId}$`));
  await expect(page.getByTestId('wf-run-view')).toHaveAttribute('data-state', 'paused');
});

test('zh-CN: the rolled-back and waiting agents, and a rolled-back agent\'s page, speak Chinese', async ({ page }) => {
  expect(runId, 'the upgrade was launched').not.toBe('');
  const agents = await list();
  const identity = await op.call('agents.identity', undefined);
  const values = ['English', '1.0.0', '2.0.0-bad', identity.fingerprint256, ...['viewer', 'operator', 'admin'].map((r) => `${r}@`)];
  for (const h of hosts) values.push(h.id, h.hostname, h.sn);
  for (const a of agents) values.push(a.remote ?? '', a.lastRollout?.reason ?? '');
  // What the agent on the page reported about its host (its results are shown there too).
  for (const r of await op.call('agents.results', { agentId: firstBatch[0], limit: 100 })) {
    if (r.data.kind === 'inventory') values.push(r.data.osRelease, r.data.kernel, ...r.data.files.map((f) => f.path));
    if (r.data.kind === 'metrics') values.push(...r.data.disks.map((d) => d.mount), ...r.data.nets.map((n) => n.iface));
    if (r.data.kind === 'process') values.push(r.data.name);
  }
  const data = dataMatcher(values);
  const bad: Found[] = [];
  await openInChinese(page, serve.tokens.operator, serve.url);
  await goHash(page, '#/agents');
  await expect(page.getByTestId('agent-row')).toHaveCount(HOSTS);
  await expect(row(page, firstBatch[0]).getByTestId('agent-rollout')).toHaveAttribute('data-outcome', 'rolled-back');
  await expect(row(page, firstBatch[0]).getByTestId('agent-rollout-text')).toContainText('已回滚');
  await expect(row(page, laterBatch[0]).getByTestId('agent-rollout-text')).toContainText('已暂停');
  await check(page, 'agents', data, bad);
  await goHash(page, `#/agents/${firstBatch[0]}`);
  await expect(page.getByTestId('agent-last-rollout').getByTestId('agent-rollout')).toHaveAttribute('data-outcome', 'rolled-back');
  await check(page, 'agent page', data, bad);
  await shoot(page, 'agents-rollout-zh-cn');
  expectNoLatin(bad);
});
