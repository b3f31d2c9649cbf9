// The agents view end to end, on a serve instance of its own (--no-lab, one cabinet imported:
// the shared instance's agents are other specs' business). With no agent enrolled the page says
// so, with the console's identity (the fingerprint and the listen address the API gives). An
// admin enrols two agents through the API while an operator has the page open: they appear
// live as never reported, one linked to its device. A third, enrolled with the key the real
// agent's keygen made, is started in this process (src-daemons/agent: it dials the console's
// listener, pinning the fingerprint) and its row turns healthy and connected with its version,
// hostname, CPU and memory; its page shows its metrics, processes and inventory (this
// machine's OS release, /etc/hosts with its checksum), and when its memory goes over the cap
// the page says so live, naming the cap. The operator's rollback of the two agents no deploy
// can reach is refused, the dialog listing each with its reason; the upgrade form names a bad
// version before sending, the confirmation names how many agents and which version, and the
// answer shows the launched run (its page opens from the link) and the agent left out, with
// why. The operator revokes one, confirmed by typing its id (a wrong id keeps the button disabled): its
// row shows revoked with who did it, and the audit names it with the reason. Its page shows
// the summary and no results yet. A viewer sees the same table with no selection, no
// Upgrade, no Roll back and no Revoke. Last, the page, both dialogs, the refusal and the
// agent's page in zh-CN hold no Latin word besides the fleet's data (the live agent's page also
// shows its host's last rollout, the rollback that failed on the unreachable SSH port, with the
// task's error as the core wrote it: data, as on the run page).
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startAgent, type Agent } from '../../src-daemons/agent/agent';
import { keygen } from '../../src-daemons/agent/main';
import type { Device } from '../../src-shared/domain';
import type { AgentConsoleIdentity } from '../../src-shared/domain/agent';
import { oneCabinet } from '../support/one-cabinet';
import { startServe, type ServeProcess } from '../support/serve-process';
import { connect, type TestClient } from '../support/ws-client';
import { shoot, signIn } from './helpers';
import { check, dataMatcher, expectNoLatin, goHash, openInChinese, type Found } from './zh-cn-check';

const DEVICE: Device = {
  id: 'dev-agent-1', cabinetId: 'c', kind: 'server', hostname: 'agent-host-1', sn: 'SN-AG-1', uPosition: 1, uHeight: 1, mgmtIp: '127.0.0.1',
  snmpPort: 1, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
};
/** Its SSH credential makes it a host a deploy can reach; port 1 answers nobody. */
const DEVICE_2: Device = { ...DEVICE, id: 'dev-agent-2', hostname: 'agent-host-2', sn: 'SN-AG-2', uPosition: 2, mgmtIp: '127.0.0.2', sshPort: 1, sshCredential: 'e2e-ssh' };
const ON_DEVICE = 'e2e-agent-1';
const BY_HAND = 'e2e-by-hand';
const LIVE = 'e2e-live';
const LIVE_VERSION = '9.8.7';

let serve: ServeProcess;
let admin: TestClient;
let identity: AgentConsoleIdentity;
let agent: Agent | null = null;
/** What the live agent's self monitor reads as its own usage (it runs inside this test process, which is far bigger than an agent). */
const usage = { cpuMicros: 0, rssBytes: 48 * 1024 * 1024 };
const agentDir = mkdtempSync(join(tmpdir(), 'fd-e2e-agent-'));

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  serve = await startServe(['--no-lab']);
  admin = await connect(serve.url, serve.tokens.admin);
  await admin.call('credentials.put', { id: 'e2e-ssh', kind: 'ssh-password', name: 'E2E SSH', secret: { username: 'nobody', password: 'never-used' } });
  await admin.call('inventory.import', { format: 'json', text: JSON.stringify(oneCabinet([DEVICE, DEVICE_2])) });
  identity = await admin.call('agents.identity', undefined);
});

test.afterAll(async () => {
  await agent?.stop();
  await admin?.close();
  await serve?.stop();
  rmSync(agentDir, { recursive: true, force: true });
});

/** The real agent on this machine, enrolled under LIVE on DEVICE_2 with the key its keygen made. */
async function startLiveAgent(): Promise<void> {
  const publicKey = keygen(agentDir);
  await admin.call('agents.enroll', { agentId: LIVE, publicKey, deviceId: DEVICE_2.id });
  agent = startAgent({
    agentId: LIVE, version: LIVE_VERSION, hostname: DEVICE_2.hostname,
    console: { host: identity.listen!.host, port: identity.listen!.port, fingerprint256: identity.fingerprint256 },
    key: createPrivateKey(readFileSync(join(agentDir, 'agent.key'))), stateDir: agentDir,
    config: { intervalMs: 10_000, inventoryIntervalMs: 3_600_000, processes: ['sshd'], files: ['/etc/hosts'], maxCpuPct: 100, maxRssBytes: 1024 ** 3 },
    usage: () => ({ ...usage }),
  });
}

const publicKey = (): string => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const row = (page: Page, id: string) => page.locator(`[data-testid="agent-row"][data-agent-id="${id}"]`);

async function openAgents(page: Page): Promise<void> {
  await page.getByTestId('nav-agents').click();
  await expect(page.getByTestId('agents-view')).toBeVisible();
}

test('no agents: the page says so, beside the identity agents pin', async ({ page }) => {
  expect(await admin.call('agents.list', undefined)).toEqual([]);
  await signIn(page, serve.tokens.operator, serve.url);
  await openAgents(page);
  await expect(page).toHaveURL(/#\/agents$/);
  await expect(page.getByTestId('nav-agents')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('agents-empty')).toContainText('No agents are enrolled yet.');
  await expect(page.getByTestId('agents-table')).toHaveCount(0);
  await expect(page.getByTestId('agents-fingerprint')).toHaveText(identity.fingerprint256);
  expect(identity.listen).not.toBeNull();
  await expect(page.getByTestId('agents-listen')).toHaveText(`${identity.listen!.host}:${identity.listen!.port}`);
  await expect(page.getByTestId('agents-fingerprint-copy')).toBeVisible();
  await shoot(page, 'agents-empty');
});

test('operator: agents appear live (never reported; a real agent healthy, then over its memory cap); a refused rollback names why; an upgrade launches its run; a typed-id revoke marks the row', async ({ page }) => {
  await signIn(page, serve.tokens.operator, serve.url);
  await openAgents(page);
  await expect(page.getByTestId('agents-empty')).toBeVisible();

  // Enrolled through the API by the admin while the page is open: the rows arrive by event.
  await admin.call('agents.enroll', { agentId: ON_DEVICE, publicKey: publicKey(), deviceId: DEVICE.id });
  await admin.call('agents.enroll', { agentId: BY_HAND, publicKey: publicKey() });
  await expect(page.getByTestId('agent-row')).toHaveCount(2);
  const onDevice = row(page, ON_DEVICE);
  await expect(onDevice).toHaveAttribute('data-health', 'never-reported');
  await expect(onDevice.getByTestId('agent-health')).toHaveText('never reported');
  await expect(onDevice.getByTestId('agent-why')).toContainText('it has not connected yet');
  await expect(onDevice.getByTestId('agent-connected')).toHaveText('not connected');
  await expect(onDevice.getByTestId('agent-last-seen')).toHaveText('never');
  await expect(onDevice.getByTestId('agent-host-link')).toHaveAttribute('href', `#/device/${DEVICE.id}`);
  await expect(row(page, BY_HAND).getByTestId('agent-host')).toHaveText('no device');
  await expect(page.getByTestId('agents-count-never-reported')).toHaveAttribute('data-value', '2');
  await expect(page.getByTestId('agents-count-healthy')).toHaveAttribute('data-value', '0');

  // The real agent dials in: its row turns healthy and connected, live.
  await startLiveAgent();
  const live = row(page, LIVE);
  await expect(live).toHaveAttribute('data-health', 'healthy');
  await expect(live).toHaveAttribute('data-connected', 'true');
  await expect(live.getByTestId('agent-health')).toHaveText('healthy');
  await expect(live.getByTestId('agent-why')).toContainText('Connected; last status');
  await expect(live.getByTestId('agent-version')).toHaveText(LIVE_VERSION);
  await expect(live.getByTestId('agent-host-link')).toHaveText(DEVICE_2.hostname);
  await expect(live.getByTestId('agent-cpu')).toHaveText('0%');
  await expect(live.getByTestId('agent-rss')).toHaveText('48 MB');
  await expect(live.getByTestId('agent-dropped')).toHaveText('0');
  await expect(live.getByTestId('agent-last-seen')).toHaveText(/ago$/);
  await expect(page.getByTestId('agents-count-healthy')).toHaveAttribute('data-value', '1');

  // Roll back the two agents no deploy can reach: refused, each named with why.
  await expect(page.getByTestId('agents-rollback')).toBeDisabled();
  await onDevice.getByTestId('agent-select').check();
  await row(page, BY_HAND).getByTestId('agent-select').check();
  await expect(page.getByTestId('agents-selected')).toHaveText('2 selected');
  await page.getByTestId('agents-rollback').click();
  const dialog = page.getByTestId('agents-rollout');
  await expect(dialog).toHaveAttribute('data-kind', 'rollback');
  await expect(dialog.getByTestId('agents-rollout-version')).toHaveCount(0);
  await dialog.getByTestId('agents-rollout-next').click();
  await expect(dialog.getByTestId('agents-rollout-question')).toHaveText('Roll back 2 agents to their previous version?');
  await dialog.getByTestId('agents-rollout-submit').click();
  const refusal = dialog.getByTestId('agents-rollout-unreachable');
  await expect(refusal).toContainText('None of the chosen agents can be reached');
  await expect(refusal.locator(`[data-agent-id="${ON_DEVICE}"]`)).toHaveText(`${ON_DEVICE}: its device has no SSH credential`);
  await expect(refusal.locator(`[data-agent-id="${BY_HAND}"]`)).toHaveText(`${BY_HAND}: enrolled by hand: no device to deploy to`);
  await shoot(page, 'agents-rollout-refused');
  await dialog.getByTestId('agents-rollout-back').click();
  await dialog.getByTestId('agents-rollout-cancel').click();
  await expect(dialog).toHaveCount(0);
  await page.getByTestId('agents-clear').click();
  await page.getByTestId('agents-select-all').check();
  await expect(page.getByTestId('agents-selected')).toHaveText('3 selected');
  await page.getByTestId('agents-clear').click();

  // Upgrade the live agent and the hand-enrolled one: a bad version is named before anything is
  // sent; the confirmation says how many and which version; the run is launched on the one host
  // a deploy can reach (its SSH answers nobody: the run itself fails later, on its own page).
  await live.getByTestId('agent-select').check();
  await row(page, BY_HAND).getByTestId('agent-select').check();
  await page.getByTestId('agents-upgrade').click();
  await expect(dialog).toHaveAttribute('data-kind', 'upgrade');
  await dialog.getByTestId('agents-rollout-version').fill('1.2 beta');
  await dialog.getByTestId('agents-rollout-next').click();
  await expect(dialog.getByTestId('agents-rollout-version-problem')).toContainText('Letters, digits');
  await expect(dialog).toHaveAttribute('data-step', 'form');
  await dialog.getByTestId('agents-rollout-version').fill('1.2.3');
  await dialog.getByTestId('agents-rollout-batchSize').fill('5');
  await dialog.getByTestId('agents-rollout-next').click();
  await expect(dialog.getByTestId('agents-rollout-question')).toHaveText('Upgrade 2 agents to version 1.2.3?');
  await dialog.getByTestId('agents-rollout-submit').click();
  const launched = dialog.getByTestId('agents-rollout-result');
  await expect(launched).toContainText('Launched on 1 host.');
  await expect(launched.getByTestId('agents-skipped-item')).toHaveText(`${BY_HAND}: enrolled by hand: no device to deploy to`);
  const runId = (await launched.getAttribute('data-run-id')) ?? '';
  const run = await admin.call('workflows.run', { runId });
  expect(run.templateId).toMatch(/^agent-deploy/);
  expect(run.hosts).toEqual([DEVICE_2.id]);
  expect(run.createdBy).toMatch(/^operator@/);
  await expect(page.getByTestId('agents-select-hint')).toBeVisible(); // the selection was launched
  await shoot(page, 'agents-upgrade-launched');
  await launched.getByTestId('agents-rollout-run').click();
  await expect(page).toHaveURL(new RegExp(`#/workflows/run/${runId}$`));
  await expect(page.getByTestId('wf-run-view')).toHaveAttribute('data-run-id', runId);
  await openAgents(page);

  // Revoke, confirmed by the typed agent id.
  await onDevice.getByTestId('agent-revoke').click();
  const revoke = page.getByTestId('agents-revoke');
  await expect(revoke).toHaveAttribute('data-agent-id', ON_DEVICE);
  await revoke.getByTestId('agents-revoke-reason').fill('host retired in e2e');
  await revoke.getByTestId('confirm-input').fill('e2e-agent-2');
  await expect(revoke.getByTestId('confirm-mismatch')).toBeVisible();
  await expect(revoke.getByTestId('confirm-submit')).toBeDisabled();
  await revoke.getByTestId('confirm-input').fill(ON_DEVICE);
  await revoke.getByTestId('confirm-submit').click();
  await expect(revoke).toHaveCount(0);
  await expect(onDevice).toHaveAttribute('data-health', 'revoked');
  await expect(onDevice.getByTestId('agent-health')).toHaveText('revoked');
  await expect(onDevice.getByTestId('agent-why')).toContainText('by operator@');
  await expect(onDevice.getByTestId('agent-revoke')).toHaveCount(0);
  await expect(onDevice.getByTestId('agent-select')).toBeDisabled();
  await expect(page.getByTestId('agents-count-revoked')).toHaveAttribute('data-value', '1');
  const audit = await admin.call('audit.list', { action: 'agents.revoke' });
  expect(audit.map((a) => a.target)).toContain(`agent ${ON_DEVICE}: host retired in e2e`);

  // The health filter, then the revoked agent's own page.
  await page.getByTestId('agents-count-revoked').click();
  await expect(page.getByTestId('agent-row')).toHaveCount(1);
  await page.getByTestId('agents-count-stale').click();
  await expect(page.getByTestId('agents-none-match')).toBeVisible();
  await page.getByTestId('agents-count-all').click();
  await onDevice.getByTestId('agent-link').click();
  const detail = page.getByTestId('agent-detail');
  await expect(detail).toHaveAttribute('data-health', 'revoked');
  await expect(page.getByTestId('agent-revoked-by')).toContainText('operator@');
  await expect(page.getByTestId('agent-res-metrics')).toContainText('None reported yet.');
  await expect(page.getByTestId('agent-res-inventory')).toContainText('None reported yet.');
  await expect(page.getByTestId('nav-agents')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('agent-revoke')).toHaveCount(0);

  // The live agent's page: its latest results by kind.
  await page.getByTestId('agent-back').click();
  await row(page, LIVE).getByTestId('agent-link').click();
  await expect(page.getByTestId('agent-detail')).toHaveAttribute('data-health', 'healthy');
  await expect(page.getByTestId('agent-cpu-idle')).toHaveText(/^[\d.,]+%$/);
  await expect(page.getByTestId('agent-nets')).toContainText('lo');
  await expect(page.locator('[data-testid="agent-process"][data-name="sshd"]')).toBeVisible();
  await expect(page.getByTestId('agent-os')).not.toHaveText('—');
  await expect(page.locator('[data-testid="agent-file"][data-path="/etc/hosts"] code')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId('agent-status-state')).toHaveText('collecting');
  await expect(page.getByTestId('agent-revoke')).toBeVisible();

  // Over its memory cap (the console's collect config caps it at 128 MB): its next status says
  // so, and the page follows live, naming the cap.
  usage.rssBytes = 256 * 1024 * 1024;
  await expect(page.getByTestId('agent-detail')).toHaveAttribute('data-health', 'over-cap');
  await expect(page.getByTestId('agent-health')).toHaveText('over memory cap');
  await expect(page.getByTestId('agent-why')).toHaveText('Over its memory cap (at 256 MB): it stopped collecting and sends only its status');
  await expect(page.getByTestId('agent-status-state')).toHaveText('over its memory cap: status only');
  await shoot(page, 'agent-detail');
});

test('viewer: the same agents, no selection, no Upgrade, Roll back or Revoke', async ({ page }) => {
  await signIn(page, serve.tokens.viewer, serve.url);
  await openAgents(page);
  await expect(page.getByTestId('agent-row')).toHaveCount(3);
  await expect(page.getByTestId('agents-role-note')).toContainText('need the operator role');
  for (const id of ['agents-actions', 'agents-upgrade', 'agents-rollback', 'agents-select-all', 'agent-select', 'agent-revoke']) await expect(page.getByTestId(id)).toHaveCount(0);
  await row(page, BY_HAND).getByTestId('agent-link').click();
  await expect(page.getByTestId('agent-summary')).toBeVisible();
  await expect(page.getByTestId('agent-revoke')).toHaveCount(0);
});

test('zh-CN: the agents page, its dialogs, a refusal and an agent page speak Chinese', async ({ page }) => {
  const bad: Found[] = [];
  // The fleet's data: ids, names, the fingerprint, and what the live agent reported about its host.
  const reported: string[] = [];
  for (const r of await admin.call('agents.results', { agentId: LIVE, limit: 100 })) {
    if (r.data.kind === 'inventory') reported.push(r.data.osRelease, r.data.kernel, ...r.data.files.map((f) => f.path));
    if (r.data.kind === 'metrics') reported.push(...r.data.disks.map((d) => d.mount), ...r.data.nets.map((n) => n.iface));
    if (r.data.kind === 'process') reported.push(r.data.name);
  }
  const values = [ON_DEVICE, BY_HAND, LIVE, DEVICE.id, DEVICE.hostname, DEVICE_2.id, DEVICE_2.hostname, identity.fingerprint256, 'operator@', 'admin@', 'viewer@', 'English', ...reported];
  const data = dataMatcher(values);
  await openInChinese(page, serve.tokens.operator, serve.url);
  await goHash(page, '#/agents');
  await expect(page.getByTestId('agent-row')).toHaveCount(3);
  await expect(row(page, ON_DEVICE).getByTestId('agent-health')).toHaveText('已吊销');
  await check(page, 'agents', data, bad);

  await row(page, BY_HAND).getByTestId('agent-select').check();
  await page.getByTestId('agents-upgrade').click();
  const dialog = page.getByTestId('agents-rollout');
  await dialog.getByTestId('agents-rollout-batchSize').fill('0');
  await dialog.getByTestId('agents-rollout-next').click();
  await expect(dialog.getByTestId('agents-rollout-batchSize-problem')).toBeVisible();
  await check(page, 'agents upgrade form', data, bad);
  await dialog.getByTestId('agents-rollout-batchSize').fill('');
  await dialog.getByTestId('agents-rollout-next').click();
  await expect(dialog.getByTestId('agents-rollout-question')).toHaveText('将 1 个代理升级到控制台内置的版本？');
  await dialog.getByTestId('agents-rollout-submit').click();
  await expect(dialog.getByTestId('agents-rollout-unreachable')).toContainText('为手动登记');
  await check(page, 'agents upgrade refused', data, bad);
  await dialog.getByTestId('agents-rollout-back').click();
  await dialog.getByTestId('agents-rollout-cancel').click();
  // A rollback launched: the run and the agent left out, in Chinese.
  await row(page, LIVE).getByTestId('agent-select').check();
  await row(page, BY_HAND).getByTestId('agent-select').check();
  await page.getByTestId('agents-rollback').click();
  await dialog.getByTestId('agents-rollout-next').click();
  await expect(dialog.getByTestId('agents-rollout-question')).toHaveText('将 2 个代理回滚到各自的上一个版本？');
  await dialog.getByTestId('agents-rollout-submit').click();
  await expect(dialog.getByTestId('agents-rollout-result')).toContainText('已在 1 台主机上发起。');
  await check(page, 'agents rollback launched', data, bad);
  await dialog.getByTestId('agents-rollout-close').click();

  await row(page, BY_HAND).getByTestId('agent-revoke').click();
  await page.getByTestId('confirm-input').fill('x');
  await expect(page.getByTestId('confirm-mismatch')).toBeVisible();
  await check(page, 'agents revoke', data, bad);
  await page.getByTestId('confirm-cancel').click();

  await goHash(page, `#/agents/${ON_DEVICE}`);
  await expect(page.getByTestId('agent-summary')).toBeVisible();
  await expect(page.getByTestId('agent-res-status')).toContainText('尚未上报');
  await check(page, 'agent page', data, bad);
  await goHash(page, `#/agents/${LIVE}`);
  await expect(page.getByTestId('agent-status-state')).toHaveText('超出内存上限：只发送状态');
  await expect(page.getByTestId('agent-files')).toBeVisible();
  await expect(page.getByTestId('agent-rollout')).toHaveAttribute('data-outcome', 'failed');
  await expect(page.getByTestId('agent-rollout-text')).toHaveText('回滚到上一个版本在“启用”步骤失败');
  const failed = (await admin.call('agents.list', undefined)).find((a) => a.id === LIVE)?.lastRollout?.error ?? '';
  expect(failed).not.toBe('');
  await check(page, 'live agent page', dataMatcher([...values, failed]), bad);
  await shoot(page, 'agent-detail-zh-cn');
  expectNoLatin(bad);
});
