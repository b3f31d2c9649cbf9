// server-online on four lab servers with planted faults, through the workflow engine: a dead
// BMC (lab kill-device) fails bmc.status after its automatic retries with backoff (three
// attempts kept); a hung install (lab install-hang) times out at the install step's deadline;
// a failed install (lab install-fail) is reported by the installer, heard at the callback URL
// (200, once) and fails the step at once naming the report; the healthy server finishes and alone is called
// back. Then the dead BMC comes back and an operator's retry of its step carries that host
// through to online (both attempts in the journal, the retry under the operator's name).
// Addresses 127.85.x.y (BMCs 127.185.x.y), SNMP port 16883.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallbackReceiver } from '../lab/install/support';
import { closeFlowRig, fastTemplate, finished, startFlowRig, taskStates, type Flow } from './flow-support';
import type { Rig } from './support';

let rig: Rig;
let flow: Flow;
let receiver: CallbackReceiver;

beforeAll(async () => {
  ({ rig, flow, receiver } = await startFlowRig({ seed: 85, addressPrefix: '127.85', snmpPort: 16883, devices: 50 }));
}, 60_000);

afterAll(() => closeFlowRig({ rig, flow, receiver }));

describe('server-online with a dead BMC, a hung install and a failed install', () => {
  it('retries then fails the dead BMC, times out the hang, fails the reported failure, finishes the rest', async () => {
    const [dead, hung, broken, healthy] = rig.servers().slice(0, 4);
    for (const d of [dead, hung, broken, healthy]) rig.inventory.putDevice({ ...d, lifecycle: 'racked' }, null, 'test');
    await rig.fleet.fault({ kind: 'kill-device', deviceId: dead.id });
    await rig.fleet.fault({ kind: 'install-hang', deviceId: hung.id });
    await rig.fleet.fault({ kind: 'install-fail', deviceId: broken.id });
    const names = Object.fromEntries([dead, hung, broken, healthy].map((d, i) => [d.sn, `node-0${i + 1}`]));

    // The install step: a 6 s deadline and no automatic retry, so the hang shows as a timeout.
    flow.engine.saveTemplate(fastTemplate('server-online', { steps: { os_install: { poll: { intervalMs: 300, deadlineMs: 6000 }, retry: undefined } } }), 'fleetdeck');
    const run = flow.engine.launch('server-online', { callbackUrl: receiver.url('/cb'), hostnames: names, os: 'ubuntu-24.04', installMs: 1200 }, [dead, hung, broken, healthy].map((d) => d.id), 'ops-noc');
    const detail = await finished(flow.engine, run.id);
    expect(detail.state).toBe('failed');

    // Dead BMC: no OS answering passes check_system; bmc_check fails after 1 + 2 automatic retries.
    expect(taskStates(flow.engine, run.id, dead.id)).toMatchObject({ check_system: 'succeeded', bmc_check: 'failed', cmdb_check: 'pending' });
    const bmcTries = flow.engine.attempts(run.id, 'bmc_check', dead.id);
    expect(bmcTries.map((a) => [a.state, a.by])).toEqual([['failed', 'engine'], ['failed', 'engine'], ['failed', 'engine']]);
    for (const a of bmcTries) expect(a.error).toContain(`the BMC of ${dead.hostname} (${dead.id}) at ${dead.bmcAddress}:${dead.bmcPort} does not answer IPMI`);
    const deadLog = flow.engine.logs(run.id, { host: dead.id, stepId: 'bmc_check', limit: 100 }).map((l) => l.line);
    expect(deadLog.filter((l) => /automatic retry \d of 2 in \d+ ms/.test(l))).toHaveLength(2);
    expect(rig.inventory.device(dead.id)?.lifecycle).toBe('racked');

    // Hung install: the install step's deadline; it stays provisioning for an operator.
    const hang = flow.engine.task(run.id, 'os_install', hung.id);
    expect(hang).toMatchObject({ state: 'failed', failure: 'timeout', error: 'no result within the 6000 ms deadline' });
    expect(taskStates(flow.engine, run.id, hung.id)).toMatchObject({ host_key: 'pending', cmdb_online: 'pending', callback: 'pending' });
    expect(rig.inventory.device(hung.id)?.lifecycle).toBe('provisioning');

    // Failed install: the installer's "failed" report was heard at the URL (200, delivered at the
    // first try) and failed the step with it, named, in the callback's own transaction.
    const fail = flow.engine.task(run.id, 'os_install', broken.id);
    expect(fail).toMatchObject({ state: 'failed', failure: 'error' });
    expect(fail.error).toBe(`the installer reports the install of ubuntu-24.04 on ${broken.hostname} (${broken.id}) (SN ${broken.sn}) failed (hostname node-03)`);
    const report = { sn: broken.sn, hostname: 'node-03', os: 'ubuntu-24.04', status: 'failed' };
    expect(flow.callbacks.calls.filter((c) => (c.body as { sn?: string }).sn === broken.sn)).toEqual([{ status: 200, body: report }]);
    expect(rig.fleet.status().installs?.find((i) => i.deviceId === broken.id)?.last).toMatchObject({ status: 'failed', callback: 'delivered', attempts: 1 });
    const heard = flow.engine.events(run.id).filter((e) => e.kind === 'callback' && e.host === broken.id);
    expect(heard.map((e) => e.detail)).toEqual([{ verdict: 'failed' }]);
    expect(flow.engine.logs(run.id, { stepId: 'os_install', host: broken.id, limit: 100 }).map((l) => l.line).slice(-2)).toEqual(['the callback URL was called', `failed (error): ${fail.error}`]);
    expect(rig.hostKeys.get(broken.mgmtIp, broken.sshPort), 'the old OS booted again with its old key').toBe(flow.engine.task(run.id, 'check_system', broken.id).outputs?.hostKeyFingerprint);

    // The healthy server: online, called back once; nobody else was.
    expect(rig.inventory.device(healthy.id)).toMatchObject({ lifecycle: 'online', hostname: 'node-04' });
    expect(receiver.requests.map((r) => (r.body as { sn: string }).sn)).toEqual([healthy.sn]);

    const stats = flow.engine.stats('server-online', run.createdAt - 1, Date.now() + 1);
    expect(stats).toMatchObject({ total: 1, succeeded: 0, failed: 1 });
    expect(stats.steps.find((s) => s.stepId === 'os_install')).toMatchObject({ failures: 2 });
    expect(stats.steps.find((s) => s.stepId === 'bmc_check')).toMatchObject({ failures: 3, topError: expect.stringContaining('does not answer IPMI') }); // failed attempts

    // The BMC is back: an operator retries its step, and that host goes through to online.
    await rig.fleet.fault({ kind: 'revive-device', deviceId: dead.id });
    flow.engine.retry(run.id, 'bmc_check', dead.id, 'ops-lead');
    await finished(flow.engine, run.id);
    expect(Object.values(taskStates(flow.engine, run.id, dead.id)).every((s) => s === 'succeeded')).toBe(true);
    expect(flow.engine.attempts(run.id, 'bmc_check', dead.id).map((a) => [a.state, a.by])).toEqual([['failed', 'engine'], ['failed', 'engine'], ['failed', 'engine'], ['succeeded', 'ops-lead']]);
    expect(rig.inventory.device(dead.id)).toMatchObject({ lifecycle: 'online', hostname: 'node-01' });
    expect(receiver.requests.map((r) => (r.body as { sn: string }).sn).sort()).toEqual([healthy.sn, dead.sn].sort());
  }, 60_000);
});
