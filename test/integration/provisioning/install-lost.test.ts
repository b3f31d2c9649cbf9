// server-online on a lab server whose install is lost: the PXE server forgets the profile the
// step staged (the lab's PXE stand-in, labPxe, handed a null profile), so the server's PXE boot
// finds no entry, waits out the lab's PXE timeout and boots from its disk, back into the OS it
// ran. os.install fails at once with "booted back into <release>: the install did not take"
// (an error, not the step's 10-minute deadline), its automatic retry does the same, the host
// stays provisioning with its old key, and nobody is called back. Then the PXE server keeps its
// profiles again and an operator's retry of the install step carries the host through to
// online (three attempts kept, the last one the operator's). Called directly with a power
// cycle that never takes the host down (the BMC answers, the host keeps running its old OS),
// os.install does not mistake the old OS for a lost install while the host has not been seen
// down, until its grace since the power cycle (oldOsGraceMs) has passed. And a hung install
// (lab install-hang) need not wait for its deadline: an operator retries the waiting step with
// an edited input, the hung attempt is cancelled, the new one installs, and the hung
// attempt's one-time URL is answered 409 after. Addresses 127.88.x.y (BMCs 127.188.x.y), SNMP
// port 16885.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labPxe } from '../../../src-main/core/provisioning';
import type { ProvisioningDeps } from '../../../src-main/core/provisioning';
import { hostOsFor } from '../../../src-main/lab/host-os';
import type { CallbackReceiver } from '../lab/install/support';
import { until } from '../../support/handles';
import { closeFlowRig, fastTemplate, finished, startFlowRig, taskStates, type Flow } from './flow-support';
import { callTool, type Rig } from './support';

let rig: Rig;
let flow: Flow;
let receiver: CallbackReceiver;
/** While true, the PXE server forgets every install staged on it. */
let forgetting = true;
/** Every install staged, with the callback URL it carried. */
const staged: { deviceId: string; url: string | null }[] = [];

beforeAll(async () => {
  ({ rig, flow, receiver } = await startFlowRig({ seed: 88, addressPrefix: '127.88', snmpPort: 16885, devices: 80 }));
  rig.deps.pxe = labPxe({
    setInstallProfile: (id, profile) => {
      if (profile) staged.push({ deviceId: id, url: profile.callback?.url ?? null });
      return rig.fleet.setInstallProfile(id, forgetting ? null : profile);
    },
  });
}, 60_000);

afterAll(() => closeFlowRig({ rig, flow, receiver }));

describe('server-online when the install falls back to the disk', () => {
  it('fails os.install naming the old OS well before its deadline; a retry with the profile kept goes online', async () => {
    const host = rig.servers()[0];
    rig.inventory.putDevice({ ...host, lifecycle: 'racked' }, null, 'test');

    // Every poll step's deadline is 10 minutes: a failure that waited for it would outlast this test.
    flow.engine.saveTemplate(fastTemplate('server-online', { deadlineMs: 600_000 }), 'fleetdeck');
    const run = flow.engine.launch('server-online', { callbackUrl: receiver.url('/cb'), hostname: 'node-lost-01', os: 'ubuntu-24.04', installMs: 1200 }, [host.id], 'ops-noc');
    const detail = await finished(flow.engine, run.id);
    expect(detail.state).toBe('failed');

    const was = flow.engine.task(run.id, 'check_system', host.id).outputs!;
    expect(was.os).not.toMatch(/24\.04/);
    const keyBefore = was.hostKeyFingerprint;
    expect(keyBefore).toMatch(/^SHA256:/);
    const install = flow.engine.task(run.id, 'os_install', host.id);
    expect(install).toMatchObject({ state: 'failed', failure: 'error' });
    const said = `${host.hostname} (${host.id}) (SN ${host.sn}) booted back into ${String(was.os)}: the install did not take`;
    expect(install.error).toContain(said);
    expect(install.error).toContain('after it went down');
    // The first attempt and the step's one automatic retry, each failed by the same check.
    const tries = flow.engine.attempts(run.id, 'os_install', host.id);
    expect(tries.map((a) => [a.state, a.failure, a.by])).toEqual([['failed', 'error', 'engine'], ['failed', 'error', 'engine']]);
    for (const a of tries) expect(a.error).toContain(said);
    const lines = flow.engine.logs(run.id, { stepId: 'os_install', host: host.id, limit: 1000 }).map((l) => l.line);
    const first = (re: RegExp) => lines.findIndex((l) => re.test(l));
    expect(first(/runs .* before the install \(SSH host key SHA256:/)).toBeGreaterThanOrEqual(0);
    expect(first(/SSH is quiet/)).toBeLessThan(first(/the install looks lost; a later check confirms it/));
    expect(lines.filter((l) => /automatic retry 1 of 1/.test(l))).toHaveLength(1);

    // Nothing was installed: the old OS and key, still provisioning, no callback.
    const lab = rig.fleet.status().installs?.find((i) => i.deviceId === host.id);
    expect([lab?.installs ?? 0, lab?.profile ?? null]).toEqual([0, null]);
    expect(rig.hostKeys.get(host.mgmtIp, host.sshPort)).toBe(keyBefore);
    expect(rig.inventory.device(host.id)).toMatchObject({ lifecycle: 'provisioning', hostname: host.hostname });
    expect(taskStates(flow.engine, run.id, host.id)).toMatchObject({ host_key: 'pending', cmdb_online: 'pending', callback: 'pending' });
    expect(receiver.requests).toEqual([]);

    // The PXE server keeps its profiles again: the operator retries the install.
    forgetting = false;
    flow.engine.retry(run.id, 'os_install', host.id, 'ops-lead');
    const after = await finished(flow.engine, run.id);
    expect(after.state, JSON.stringify(after.tasks.filter((t) => t.error).map((t) => [t.stepId, t.error]))).toBe('succeeded');
    expect(flow.engine.attempts(run.id, 'os_install', host.id).map((a) => [a.state, a.by])).toEqual([['failed', 'engine'], ['failed', 'engine'], ['succeeded', 'ops-lead']]);
    expect(flow.engine.task(run.id, 'os_install', host.id).outputs).toMatchObject({ hostname: 'node-lost-01', os: 'ubuntu-24.04', status: 'installed' });
    expect(rig.inventory.device(host.id)).toMatchObject({ lifecycle: 'online', hostname: 'node-lost-01' });
    expect(rig.hostKeys.get(host.mgmtIp, host.sshPort)).not.toBe(keyBefore);
    expect(receiver.requests.map((r) => (r.body as { sn: string }).sn)).toEqual([host.sn]);
  }, 60_000);

  it('a hung install is retried by the operator while it waits: cancelled, installed anew, its old URL refused', async () => {
    forgetting = false;
    const host = rig.servers()[3];
    rig.inventory.putDevice({ ...host, lifecycle: 'racked' }, null, 'test');
    await rig.fleet.fault({ kind: 'install-hang', deviceId: host.id });
    const run = flow.engine.launch('server-online', { callbackUrl: receiver.url('/cb-hang'), hostname: 'node-hung-01', os: 'ubuntu-24.04', installMs: 600 }, [host.id], 'ops-noc');
    await until('the install hangs', () => rig.fleet.status().installs?.find((i) => i.deviceId === host.id)?.phase === 'hung' || undefined, 30_000, 100);
    expect(flow.engine.task(run.id, 'os_install', host.id).state).toBe('awaiting-callback');
    const hungUrl = staged.filter((x) => x.deviceId === host.id).at(-1)!.url!;

    await rig.fleet.fault({ kind: 'install-normal', deviceId: host.id });
    flow.engine.retry(run.id, 'os_install', host.id, 'ops-lead', { durationMs: 800 });
    const after = await finished(flow.engine, run.id);
    expect(after.state, JSON.stringify(after.tasks.filter((t) => t.error).map((t) => [t.stepId, t.error]))).toBe('succeeded');
    const tries = flow.engine.attempts(run.id, 'os_install', host.id);
    expect(tries.map((a) => [a.state, a.by, a.cancelledBy ?? null, a.edited])).toEqual([['cancelled', 'engine', 'ops-lead', null], ['succeeded', 'ops-lead', null, { durationMs: 800 }]]);
    expect(tries[0].error).toBe('cancelled by ops-lead: retried while awaiting-callback');
    expect(staged.filter((x) => x.deviceId === host.id).map((x) => x.url)).toHaveLength(2);
    expect(rig.inventory.device(host.id)).toMatchObject({ lifecycle: 'online', hostname: 'node-hung-01' });

    // The hung attempt's URL, called late: refused, nothing changes.
    const late = await fetch(hungUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sn: host.sn, hostname: 'node-hung-01', os: 'ubuntu-24.04', status: 'installed' }) });
    expect(late.status).toBe(409);
    expect(flow.engine.attempts(run.id, 'os_install', host.id)).toHaveLength(2);
    expect(flow.engine.summary(run.id).state).toBe('succeeded');
  }, 60_000);
});

describe('os.install when the power cycle does not take the host down', () => {
  /** The BMC takes the power command and answers, but the host keeps running. */
  async function noCycle<T>(fn: () => Promise<T>): Promise<T> {
    const real = rig.deps.bmc;
    const fake: ProvisioningDeps['bmc'] = {
      info: (id) => real.info(id),
      bootDevice: (id, device, persistent) => real.bootDevice(id, device, persistent),
      power: async (id) => ({ power: (await real.info(id)).power === 'on' ? 'on' : 'off' }),
    };
    rig.deps.bmc = fake;
    try {
      return await fn();
    } finally {
      rig.deps.bmc = real;
    }
  }

  it('never seen down: the old OS is not taken for a lost install before the grace', async () => {
    const d = rig.servers()[1];
    const r = await noCycle(() => callTool(rig.tool('os.install'), { deviceId: d.id, os: 'ubuntu-24.04', hostname: 'node-up-02', durationMs: 1000 }, { host: d, intervalMs: 300, checks: 10 }));
    expect(r.result.status).toBe('pending');
    const text = r.logs.join('\n');
    expect(text).toContain(`runs ${hostOsFor(d.id).prettyName} before the install`);
    expect(text).toMatch(/power cycle \(was on, now on\)/);
    expect(text).toContain(`running ${hostOsFor(d.id).prettyName}: not the new system yet`);
    expect(text).not.toMatch(/looks lost|booted back/);
  }, 30_000);

  it('past the grace since the power cycle, the old OS with its old key fails the install, naming it', async () => {
    const d = rig.servers()[2];
    const call = noCycle(() => callTool(rig.tool('os.install'), { deviceId: d.id, os: 'ubuntu-24.04', hostname: 'node-up-03', durationMs: 1000, oldOsGraceMs: 1000 }, { host: d, intervalMs: 300, checks: 60 }));
    await expect(call).rejects.toThrow(`${d.hostname} (${d.id}) (SN ${d.sn}) booted back into ${hostOsFor(d.id).prettyName}: the install did not take`);
    await expect(call).rejects.toThrow(/s after the power cycle, never seen down; the staged install was taken back\)$/);
    const lab = rig.fleet.status().installs?.find((i) => i.deviceId === d.id);
    expect(lab?.profile ?? null, 'the staged install was taken back').toBeNull();
  }, 30_000);
});
