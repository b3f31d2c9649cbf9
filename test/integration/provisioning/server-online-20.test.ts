// Issue 12's second acceptance point, through the real core (createCore with a forked lab of
// 220 devices, of which 21 servers answer SSH; every call through core.api under a viewer,
// operator or admin, so the audit trail is the real one): server-online over 20 lab servers
// with a planted dead BMC and a planted hung install.
// - Dead BMC: an admin's import gives one server a wrong BMC address (in the lab's BMC range,
//   where nothing answers IPMI) and so binds its IPMI login there; bmc.status fails after the
//   shipped automatic retries (2 s, then 4 s), three attempts by the engine.
// - The NOC's fix: an operator edits the device's BMC address back (inventory.putDevice, which
//   binds nothing: the IPMI login is unbound at the new address), an admin binds it
//   (credentials.bind), and the operator retries the step with an edited input
//   (expectPower: on); the host goes on to online. Both attempts are in workflows.attempts
//   (the engine's, then the operator's) and the edit, bind and retry in audit.list.
// - Hung install (lab install-hang): the install step's deadline (a 20 s copy of the template
//   saved by an admin as server-online v2, onTimeout fail, no automatic retry) fails it with
//   failure 'timeout'; its later steps never run and it stays provisioning.
// - The other 18, and the retried one: online in the CMDB under their new hostnames; the
//   flow's HTTP callback reaches a real receiver on 127.0.0.1 once per finished host (by
//   Idempotency-Key); the installers' callbacks reach serve mode's own callback route.
// - workflows.stats over the run's period matches workflows.runs and workflows.attempts: one
//   failed run; per step the failed attempts, the top error and the mean time of succeeded
//   attempts, bmc_check and os_install named with their errors.
// Addresses 127.97.x.y (BMCs 127.197.x.y), SNMP port 16897.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { Device, InventoryDocument } from '../../../src-shared/domain';
import type { WfAttempt, WfRunDetail, WfTemplate, WfTemplateStep } from '../../../src-shared/domain/workflow';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { createCallbackRoute } from '../../../src-main/serve/workflow-callback-route';
import { until } from '../../support/handles';
import { startReceiver, type CallbackReceiver } from '../lab/install/support';

const LAB_ENTRY = fileURLToPath(new URL('../../../src-main/lab/lab-process.ts', import.meta.url));
const viewer: CallContext = { actor: 'vera-noc', role: 'viewer' };
const operator: CallContext = { actor: 'oscar-noc', role: 'operator' };
const admin: CallContext = { actor: 'ada-admin', role: 'admin' };

const HOSTS = 20;
const INSTALL_DEADLINE_MS = 20_000;
const CALLBACK_PATH = '/api/machineManage/v1/createCallback';

let core: Core;
let receiver: CallbackReceiver;
let route: Server;
let base = '';
/** The installers' calls to the one-time URLs the route accepted: the tasks they completed. */
const installCallbacks: { stepId: string; host: string; state: string }[] = [];

/** The device record inventory.putDevice takes (the stored device has more: lifecycle...). */
const record = (d: Device, over: Partial<Device> = {}) => {
  const x = { ...d, ...over };
  return {
    id: x.id, cabinetId: x.cabinetId, kind: x.kind, hostname: x.hostname, sn: x.sn, uPosition: x.uPosition, uHeight: x.uHeight, mgmtIp: x.mgmtIp,
    snmpPort: x.snmpPort, bmcAddress: x.bmcAddress, bmcPort: x.bmcPort, sshPort: x.sshPort, snmpCredential: x.snmpCredential,
    sshCredential: x.sshCredential, ipmiCredential: x.ipmiCredential, serviceTree: x.serviceTree,
  };
};

async function devices(): Promise<Map<string, Device>> {
  const out = await core.api.call(viewer, 'inventory.export', { format: 'json' });
  const doc = JSON.parse(out.text) as InventoryDocument;
  return new Map(doc.devices.map((d) => [d.id, d]));
}

const detail = (runId: string): Promise<WfRunDetail> => core.api.call(viewer, 'workflows.run', { runId });
const states = (run: WfRunDetail, host: string): Record<string, string> => Object.fromEntries(run.tasks.filter((t) => t.host === host).map((t) => [t.stepId, t.state]));
/** The audit rows of exactly this action (audit.list's filter matches a substring: credentials.bind would take credentials.bindings too). */
const trail = async (action: string) => (await core.api.call(admin, 'audit.list', { action })).filter((e) => e.action === action);
const step = (id: string, t: WfTemplate): WfTemplateStep => t.steps.find((s) => s.id === id)!;

beforeAll(async () => {
  receiver = await startReceiver();
  // Serve mode's own callback route in front of core.workflowCallback, on 127.0.0.1: where the installers report.
  const callbacks = createCallbackRoute((token, body) => {
    const t = core.workflowCallback(token, body);
    installCallbacks.push({ stepId: t.stepId, host: t.host, state: t.state });
    return t;
  });
  route = createServer((req, res) => {
    if (!callbacks.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => route.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(route.address() as AddressInfo).port}`;
  core = await createCore({
    storePath: ':memory:',
    secretKey: randomBytes(32),
    lab: { entry: LAB_ENTRY, seed: 97, size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 6, devices: 220 }, addressPrefix: '127.97', snmpPort: 16897, loopback: 'aliases' },
    // The fleet's SNMP poll and BMC sensor sweep are not under test here: slow / off.
    poller: { intervalMs: 60_000, timeoutMs: 500, retries: 0 },
    bmcSensors: false,
    workflows: { callbackBaseUrl: () => base },
  });
}, 60_000);

afterAll(async () => {
  await core?.dispose();
  await receiver?.close();
  if (route) {
    route.closeAllConnections();
    await new Promise<void>((resolve) => route.close(() => resolve()));
  }
});

describe('server-online over 20 lab servers through the core, with a dead BMC and a hung install', () => {
  it('retries then fails the dead BMC, recovers it by an edited address, a bind and an edited retry; times out the hang; the rest finish; stats match', async () => {
    const before = await devices();
    const hosts = [...before.values()].filter((d) => d.kind === 'server' && d.bmcAddress && d.sshCredential).slice(0, HOSTS);
    expect(hosts).toHaveLength(HOSTS);
    const dead = hosts[3];
    const hung = hosts[11];
    const healthy = hosts.filter((d) => d !== dead && d !== hung);
    const rightBmc = dead.bmcAddress!;
    // The lab's BMCs are 127.197.<c>.<d>, one per server; .250 of that /24 is nobody's (220 devices).
    const wrongBmc = rightBmc.replace(/\.\d+$/, '.250');
    expect(wrongBmc).not.toBe(rightBmc);
    expect([...before.values()].some((d) => d.bmcAddress === wrongBmc || d.mgmtIp === wrongBmc)).toBe(false);

    // Plant the dead BMC: an admin's import with a typo in one BMC address (an admin's write binds the IPMI login there).
    const typo: InventoryDocument = { format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [record(dead, { bmcAddress: wrongBmc })] } as unknown as InventoryDocument;
    await core.api.call(admin, 'inventory.import', { format: 'json', text: JSON.stringify(typo) });
    expect((await devices()).get(dead.id)?.bmcAddress).toBe(wrongBmc);
    const ipmiBinding = async () => (await core.api.call(operator, 'credentials.bindings', { deviceId: dead.id })).find((b) => b.role === 'ipmi')!;
    expect(await ipmiBinding()).toMatchObject({ endpoint: `${wrongBmc}:${dead.bmcPort}`, bound: true });

    // Reinstalls: the 20 go offline in the CMDB first (the flow takes racked or offline servers).
    await core.api.call(operator, 'inventory.setLifecycle', { deviceIds: hosts.map((d) => d.id), to: 'offline' });
    // Plant the hung install.
    await core.api.call(operator, 'lab.fault', { kind: 'install-hang', deviceId: hung.id });

    // An admin saves server-online with a 20 s install deadline (onTimeout fail, no automatic retry) and quicker polls; the rest as shipped.
    const shipped = (await core.api.call(viewer, 'workflows.template', { id: 'server-online' })).template;
    expect(step('bmc_check', shipped).retry).toEqual({ max: 2, backoffMs: 2000, factor: 2, maxBackoffMs: 10_000 });
    const { retry: _installRetry, ...install } = step('os_install', shipped);
    const configured: WfTemplate = {
      ...shipped,
      steps: shipped.steps.map((s) => {
        if (s.id === 'os_install') return { ...install, poll: { intervalMs: 500, deadlineMs: INSTALL_DEADLINE_MS }, onTimeout: 'fail' as const };
        if (s.id === 'host_ping') return { ...s, poll: { intervalMs: 500, deadlineMs: 60_000 } };
        return s;
      }),
    };
    const saved = await core.api.call(admin, 'workflows.saveTemplate', { template: configured as unknown as Record<string, unknown> });
    expect(saved).toMatchObject({ id: 'server-online', version: 2, savedBy: admin.actor });

    const names = Object.fromEntries(hosts.map((d, i) => [d.sn, `bj-noc-db${String(i + 1).padStart(2, '0')}`]));
    const run = await core.api.call(operator, 'workflows.launch', {
      templateId: 'server-online',
      params: { callbackMethod: 'POST', callbackUrl: receiver.url(CALLBACK_PATH), hostnames: names, os: 'ubuntu-24.04', purpose: 'NOC', installMs: 2000 },
      deviceIds: hosts.map((d) => d.id),
    });
    expect(run).toMatchObject({ templateId: 'server-online', templateVersion: 2, state: 'running', createdBy: operator.actor, total: HOSTS * 9 });

    // The dead BMC: three attempts by the engine (the first, then the automatic retries 2 s and 4 s later), then failed.
    await until('bmc_check of the dead BMC failed', async () => (await detail(run.id)).tasks.find((t) => t.stepId === 'bmc_check' && t.host === dead.id)?.state === 'failed', 60_000, 200);
    const failedTries = await core.api.call(viewer, 'workflows.attempts', { runId: run.id, stepId: 'bmc_check', host: dead.id });
    expect(failedTries.map((a) => [a.attempt, a.state, a.by, a.edited])).toEqual([[1, 'failed', 'engine', null], [2, 'failed', 'engine', null], [3, 'failed', 'engine', null]]);
    for (const a of failedTries) expect(a.error).toContain(`the BMC of ${dead.hostname} (${dead.id}) at ${wrongBmc}:${dead.bmcPort} does not answer IPMI`);
    // The backoff: each retry started no sooner than its delay after the attempt before it (a timer may fire a millisecond early).
    expect(failedTries[1].startedAt - failedTries[0].finishedAt!).toBeGreaterThanOrEqual(2000 - 2);
    expect(failedTries[2].startedAt - failedTries[1].finishedAt!).toBeGreaterThanOrEqual(4000 - 2);
    const deadLog = (await core.api.call(viewer, 'workflows.logs', { runId: run.id, stepId: 'bmc_check', host: dead.id })).map((l) => l.line);
    expect(deadLog.filter((l) => /automatic retry \d of 2 in \d+ ms/.test(l)).map((l) => /retry (\d) of 2 in (\d+) ms/.exec(l)!.slice(1))).toEqual([['1', '2000'], ['2', '4000']]);
    expect(states(await detail(run.id), dead.id)).toMatchObject({ check_system: 'succeeded', bmc_check: 'failed', cmdb_check: 'pending', os_install: 'pending' });

    // The fix as a NOC makes it: an operator corrects the BMC address (audited; an operator's write binds nothing) ...
    const edited = await core.api.call(operator, 'inventory.putDevice', { device: record((await devices()).get(dead.id)!, { bmcAddress: rightBmc }) });
    expect(edited).toMatchObject({ id: dead.id, bmcAddress: rightBmc, lifecycle: 'offline' });
    expect(await ipmiBinding()).toMatchObject({ endpoint: `${rightBmc}:${dead.bmcPort}`, bound: false });
    // ... an admin binds its credentials at the corrected address (audited) ...
    const bound = await core.api.call(admin, 'credentials.bind', { deviceIds: [dead.id] });
    expect(bound.missing).toEqual([]);
    expect(bound.bound.find((b) => b.role === 'ipmi')).toMatchObject({ deviceId: dead.id, endpoint: `${rightBmc}:${dead.bmcPort}`, boundBy: admin.actor });
    expect(await ipmiBinding()).toMatchObject({ endpoint: `${rightBmc}:${dead.bmcPort}`, bound: true });
    // ... and the operator retries the step, also asking that the server be powered on now (an edited input).
    const retried = await core.api.call(operator, 'workflows.retry', { runId: run.id, stepId: 'bmc_check', host: dead.id, inputs: { expectPower: 'on' } });
    expect(retried).toMatchObject({ stepId: 'bmc_check', host: dead.id });

    // Over: the retried host at its callback, the hung install at its deadline; the run stays failed (the hang).
    const end = await until('the run over with every task settled', async () => {
      const r = await detail(run.id);
      const settled = r.tasks.filter((t) => t.host !== hung.id).every((t) => t.state === 'succeeded') && states(r, hung.id).os_install === 'failed';
      return settled && r.state === 'failed' ? r : undefined;
    }, 60_000, 250);
    await until('the flow callback of every finished host', () => receiver.requests.length >= HOSTS - 1, 30_000, 100);

    // The dead BMC's host: both attempts kept, the engine's three then the operator's edited one, and on to online.
    const tries: WfAttempt[] = await core.api.call(viewer, 'workflows.attempts', { runId: run.id, stepId: 'bmc_check', host: dead.id });
    expect(tries.map((a) => [a.attempt, a.state, a.by, a.edited])).toEqual([
      [1, 'failed', 'engine', null], [2, 'failed', 'engine', null], [3, 'failed', 'engine', null], [4, 'succeeded', operator.actor, { expectPower: 'on' }],
    ]);
    expect(tries[3].inputs).toMatchObject({ deviceId: dead.id, expectPower: 'on' });
    expect(tries[3].outputs).toMatchObject({ reachable: true, power: 'on', bmc: `${rightBmc}:${dead.bmcPort}` });
    expect(Object.values(states(end, dead.id)).every((s) => s === 'succeeded')).toBe(true);

    // The hung install: failed at its deadline as configured (no retry, nothing after it ran), left provisioning for an operator.
    const hang = end.tasks.find((t) => t.stepId === 'os_install' && t.host === hung.id)!;
    expect(hang).toMatchObject({ state: 'failed', failure: 'timeout', error: `no result within the ${INSTALL_DEADLINE_MS} ms deadline` });
    expect(states(end, hung.id)).toEqual({
      check_system: 'succeeded', bmc_check: 'succeeded', cmdb_check: 'succeeded', cmdb_provisioning: 'succeeded', os_install: 'failed',
      host_key: 'pending', host_ping: 'pending', cmdb_online: 'pending', callback: 'pending',
    });
    expect(await core.api.call(viewer, 'workflows.attempts', { runId: run.id, stepId: 'os_install', host: hung.id })).toHaveLength(1);
    expect((await core.api.call(viewer, 'lab.status', undefined)).installs?.find((i) => i.deviceId === hung.id)).toMatchObject({ phase: 'hung', fault: 'install-hang' });
    expect(end).toMatchObject({ state: 'failed', total: HOSTS * 9, done: HOSTS * 9 - 5, failed: 1 });

    // The rest (and the recovered one): online under their new names, their new SSH key accepted.
    const after = await devices();
    for (const d of [...healthy, dead]) {
      expect(after.get(d.id), d.id).toMatchObject({ lifecycle: 'online', hostname: names[d.sn], mgmtIp: d.mgmtIp, bmcAddress: d.bmcAddress });
      expect(end.tasks.find((t) => t.stepId === 'host_key' && t.host === d.id)?.outputs).toMatchObject({ changed: true, hostname: names[d.sn], osId: 'ubuntu', osVersion: '24.04' });
    }
    expect(after.get(hung.id)).toMatchObject({ lifecycle: 'provisioning', hostname: hung.hostname });
    // Every finished install reported to serve mode's route and completed its step; the hung one never did.
    expect(installCallbacks.filter((c) => c.stepId === 'os_install' && c.state === 'succeeded').map((c) => c.host).sort()).toEqual([...healthy, dead].map((d) => d.id).sort());

    // The flow's HTTP callback: exactly one per finished host, by Idempotency-Key, with the seed's fields; none for the hang.
    const got = receiver.requests.filter((r) => r.path === CALLBACK_PATH);
    expect(got).toHaveLength(HOSTS - 1);
    const keys = got.map((r) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(HOSTS - 1);
    expect([...keys].sort()).toEqual([...healthy, dead].map((d) => `${run.id}/callback/${d.id}`).sort());
    for (const d of [...healthy, dead]) {
      const mine = got.find((r) => r.headers['idempotency-key'] === `${run.id}/callback/${d.id}`)!;
      expect(mine).toMatchObject({ method: 'POST', body: { sn: d.sn, hostname: names[d.sn], os: 'ubuntu-24.04', purpose: 'NOC', status: 'online' } });
    }

    // The audit trail: the plant, the edit, the bind, the retry with its edited input; the launch and the template.
    expect((await trail('inventory.import')).filter((e) => e.actor === admin.actor).map((e) => e.outcome)).toEqual(['succeeded']);
    const edits = (await trail('inventory.putDevice')).filter((e) => e.target.startsWith(`device ${dead.id} `));
    expect(edits.map((e) => [e.actor, e.role, e.outcome])).toEqual([[operator.actor, 'operator', 'succeeded']]);
    expect(edits[0].target).toContain(`BMC ${rightBmc}:${dead.bmcPort}`);
    expect((await trail('credentials.bind')).map((e) => [e.actor, e.outcome, e.target])).toEqual([[admin.actor, 'succeeded', `credentials of device ${dead.id}`]]);
    expect((await trail('workflows.retry')).map((e) => [e.actor, e.outcome, e.target])).toEqual([
      [operator.actor, 'succeeded', `run ${run.id} step bmc_check host ${dead.id}; edited inputs {"expectPower":"on"}`],
    ]);
    expect((await trail('workflows.launch')).map((e) => [e.actor, e.outcome])).toEqual([[operator.actor, 'succeeded']]);
    expect((await trail('workflows.saveTemplate')).map((e) => [e.actor, e.outcome, e.target])).toEqual([[admin.actor, 'succeeded', 'template server-online']]);
    // The tools' own audit rows, under the launcher: two CMDB moves per finished host, one for the hang.
    expect((await trail('cmdb.set')).filter((e) => e.actor === operator.actor && e.outcome === 'succeeded')).toHaveLength(2 * (HOSTS - 1) + 1);

    // The statistics table over the run's period matches the runs and their attempts.
    const [stats] = await core.api.call(viewer, 'workflows.stats', { from: run.createdAt, to: Date.now() + 1, templateId: 'server-online' });
    const runs = (await core.api.call(viewer, 'workflows.runs', { templateId: 'server-online' })).filter((r) => r.createdAt >= run.createdAt);
    expect(runs.map((r) => [r.id, r.state])).toEqual([[run.id, 'failed']]);
    expect(stats).toMatchObject({ templateId: 'server-online', total: 1, succeeded: 0, failed: 1, running: 0, successRate: 0 });
    expect(stats.meanMs).toBe(end.finishedAt! - run.createdAt);
    const all = await core.api.call(viewer, 'workflows.attempts', { runId: run.id });
    expect(stats.steps.map((s) => s.stepId)).toEqual(configured.steps.map((s) => s.id));
    for (const s of stats.steps) {
      const failed = all.filter((a) => a.stepId === s.stepId && a.state === 'failed' && a.failure !== null);
      const ok = all.filter((a) => a.stepId === s.stepId && a.state === 'succeeded');
      expect(s.failures, s.stepId).toBe(failed.length);
      expect(s.meanMs, s.stepId).toBe(Math.round(ok.reduce((n, a) => n + (a.finishedAt! - a.startedAt), 0) / ok.length));
    }
    const byStep = Object.fromEntries(stats.steps.map((s) => [s.stepId, s]));
    expect(byStep.bmc_check.failures).toBe(3);
    expect(failedTries.map((a) => a.error)).toContain(byStep.bmc_check.topError);
    expect(byStep.bmc_check.topError).toContain(`at ${wrongBmc}:${dead.bmcPort} does not answer IPMI`);
    expect(byStep.os_install).toMatchObject({ failures: 1, topError: `no result within the ${INSTALL_DEADLINE_MS} ms deadline` });
    expect(stats.steps.filter((s) => s.failures > 0).map((s) => s.stepId).sort()).toEqual(['bmc_check', 'os_install']);
  }, 150_000);
});
