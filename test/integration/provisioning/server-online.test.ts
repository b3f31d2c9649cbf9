// The shipped server-online flow on three lab servers through the workflow engine: the real
// provisioning tools, the lab's PXE installs calling the engine's one-time URLs over HTTP,
// the new SSH host keys accepted as their own audited step, and a real HTTP receiver for the
// flow's last step. Ends with each server online in the CMDB under its new hostname, its new
// key pinned, and the callback received exactly once per host with its Idempotency-Key.
// Addresses 127.84.x.y (BMCs 127.184.x.y), SNMP port 16882.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../../src-shared/domain';
import { labHostKeySeed, labSshHostKey } from '../../../src-main/lab/ssh/ssh-host';
import type { CallbackReceiver } from '../lab/install/support';
import { closeFlowRig, fastTemplate, finished, startFlowRig, taskStates, type Flow } from './flow-support';
import type { Rig } from './support';

const SEED = 84;
let rig: Rig;
let flow: Flow;
let receiver: CallbackReceiver;
const key = (d: Device, generation: number): string => labSshHostKey(labHostKeySeed(SEED, d.id, generation)).fingerprint;

beforeAll(async () => {
  ({ rig, flow, receiver } = await startFlowRig({ seed: SEED, addressPrefix: '127.84', snmpPort: 16882, devices: 40 }));
}, 60_000);

afterAll(() => closeFlowRig({ rig, flow, receiver }));

describe('server-online on three lab servers', () => {
  it('installs, accepts the new keys, brings them online under their new names and calls back once each', async () => {
    const hosts = rig.servers().slice(0, 3);
    expect(hosts).toHaveLength(3);
    // Two new arrivals (racked) and one reinstall (offline).
    rig.inventory.putDevice({ ...hosts[0], lifecycle: 'racked' }, null, 'test');
    rig.inventory.putDevice({ ...hosts[1], lifecycle: 'racked' }, null, 'test');
    rig.inventory.lifecycle.set({ deviceIds: [hosts[2].id], to: 'offline', actor: 'test' });
    const names = Object.fromEntries(hosts.map((d, i) => [d.sn, `gh-waimai-mysql-dwpoi0${i + 1}`]));

    flow.engine.saveTemplate(fastTemplate('server-online'), 'fleetdeck');
    const run = flow.engine.launch('server-online', {
      callbackMethod: 'POST', callbackUrl: receiver.url('/api/machineManage/v1/createCallback'), hostnames: names, os: 'ubuntu-24.04', purpose: 'DBA', installMs: 1500,
    }, hosts.map((d) => d.id), 'ops-dba');
    const detail = await finished(flow.engine, run.id);
    expect(detail.state, JSON.stringify(detail.tasks.filter((t) => t.error).map((t) => [t.stepId, t.host, t.error]))).toBe('succeeded');

    for (const d of hosts) {
      const name = names[d.sn];
      expect(Object.values(taskStates(flow.engine, run.id, d.id)).every((s) => s === 'succeeded')).toBe(true);
      expect(rig.inventory.device(d.id)).toMatchObject({ lifecycle: 'online', hostname: name, mgmtIp: d.mgmtIp });
      expect(rig.hostKeys.get(d.mgmtIp, d.sshPort), 'the new key, accepted').toBe(key(d, 1));
      const task = (step: string) => flow.engine.task(run.id, step, d.id);
      // The installer's callback finished the install step (its body is the output; no SSH verdict).
      expect(task('os_install').outputs).toEqual({ sn: d.sn, hostname: name, os: 'ubuntu-24.04', status: 'installed' });
      expect(task('host_key').outputs).toMatchObject({ changed: true, oldFingerprint: key(d, 0), newFingerprint: key(d, 1), hostname: name, osId: 'ubuntu', osVersion: '24.04' });
      expect(task('cmdb_online').outputs).toMatchObject({ from: 'provisioning', to: 'online', hostname: name, hostnameBefore: d.hostname });
      expect(task('host_ping').outputs).toMatchObject({ reachable: true, method: 'tcp' });
    }
    expect(flow.engine.task(run.id, 'cmdb_provisioning', hosts[2].id).outputs).toMatchObject({ from: 'offline', to: 'provisioning' });

    // The flow's callback: once per host, with the engine's Idempotency-Key and the seed's fields.
    const got = receiver.requests.filter((r) => r.path === '/api/machineManage/v1/createCallback');
    expect(got).toHaveLength(3);
    for (const d of hosts) {
      const mine = got.filter((r) => (r.body as { sn?: string }).sn === d.sn);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ method: 'POST', body: { sn: d.sn, hostname: names[d.sn], os: 'ubuntu-24.04', purpose: 'DBA', status: 'online' } });
      expect(mine[0].headers['idempotency-key']).toBe(`${run.id}/callback/${d.id}`);
    }
    // The installers called the one-time URLs: one accepted call per host.
    expect(flow.callbacks.calls.filter((c) => c.status === 200)).toHaveLength(3);

    // Audited under the launching actor: two CMDB moves and one key acceptance per host, with both fingerprints.
    expect(rig.auditOf('cmdb.set').filter((e) => e.actor === 'ops-dba' && e.outcome === 'succeeded')).toHaveLength(6);
    const keys = rig.auditOf('ssh.acceptNewHostKey').filter((e) => e.actor === 'ops-dba');
    expect(keys).toHaveLength(3);
    for (const d of hosts) expect(keys.some((e) => e.detail.includes(`old ${key(d, 0)}, new ${key(d, 1)}`) && e.detail.includes(run.id))).toBe(true);

    // Timestamped per-host log lines an operator reads in the run view.
    const lines = flow.engine.logs(run.id, { host: hosts[0].id, limit: 500 });
    expect(lines.every((l) => l.at >= run.createdAt)).toBe(true);
    const text = lines.map((l) => `${l.stepId}: ${l.line}`).join('\n');
    expect(text).toMatch(/os_install: install of ubuntu-24\.04 as gh-waimai-mysql-dwpoi01 staged on the PXE server/);
    expect(text).toMatch(/os_install: the callback URL was called/);
    expect(text).toMatch(/host_key: the SSH host key of .* changed \(a reinstall\)/);
    expect(text).toMatch(/cmdb_online: .*CMDB status provisioning -> online; hostname .* -> gh-waimai-mysql-dwpoi01/);

    const stats = flow.engine.stats('server-online', run.createdAt - 1, Date.now() + 1);
    expect(stats).toMatchObject({ total: 1, succeeded: 1, failed: 0, running: 0, successRate: 1 });
  }, 60_000);
});
