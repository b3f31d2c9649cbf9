// Each provisioning tool against a lab fleet in this process (real SSH hosts, BMCs and SNMP
// agents on loopback), called as the engine calls it: system.check reads what the host says
// (checked against the lab's own OS identity) and calls a dead host "no OS answering";
// bmc.status and bmc.power over the console's BMC service, a dead BMC failing; host.ping by
// TCP on loopback (where ICMP answers even for a dead host: shown with fping when installed);
// os.install staging on the lab's PXE server and finishing on its SSH check, the new host key
// accepted with both fingerprints audited; ssh.acceptNewHostKey refusing a host that answers
// under another name (the old key pinned again); burnin.run with and without a load.
// Addresses 127.83.x.y (BMCs 127.183.x.y), SNMP port 16881.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../../src-shared/domain';
import { findFping } from '../../../src-main/core/provisioning/host-ping';
import { hostOsFor, templateOs } from '../../../src-main/lab/host-os';
import { labHostKeySeed, labSshHostKey } from '../../../src-main/lab/ssh/ssh-host';
import { callTool, startRig, type Rig } from './support';

const SEED = 83;
let rig: Rig;
let servers: Device[];
const key = (d: Device, generation: number): string => labSshHostKey(labHostKeySeed(SEED, d.id, generation)).fingerprint;
const call = (tool: string, input: Record<string, unknown>, o?: Parameters<typeof callTool>[2]) => callTool(rig.tool(tool), input, o);
const out = async (tool: string, input: Record<string, unknown>, o?: Parameters<typeof callTool>[2]) => {
  const r = (await call(tool, input, o)).result;
  if (r.status !== 'done') throw new Error(`${tool} did not finish`);
  return r.output;
};

beforeAll(async () => {
  rig = await startRig({ seed: SEED, addressPrefix: '127.83', snmpPort: 16881 });
  servers = rig.servers();
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

describe('system.check', () => {
  it('reports the OS, kernel and hostname the lab host has, and what it could not read', async () => {
    const d = servers[0];
    const os = hostOsFor(d.id);
    const r = await out('system.check', { deviceId: d.id });
    expect(r).toMatchObject({
      reachable: true, osId: os.distro, osVersion: os.versionId, os: os.prettyName, kernel: os.kernel, hostname: d.hostname, disks: null, nics: null,
      hostKeyFingerprint: key(d, 0),
    });
    expect(r.missing).toEqual(['disks: lsblk is not available or printed nothing readable', 'nics: neither ip link nor /sys/class/net answered']);
    await expect(call('system.check', { deviceId: d.id, expect: 'none' })).rejects.toThrow(`already runs ${os.prettyName}; this step expects a server with no OS`);
  });

  it('calls a host that does not answer SSH "no OS answering", and fails it where an OS is expected', async () => {
    const d = servers[1];
    await rig.fleet.fault({ kind: 'kill-device', deviceId: d.id });
    try {
      const r = await out('system.check', { deviceId: d.id });
      expect(r).toMatchObject({ reachable: false, os: 'no OS answering', osId: null, hostname: null });
      expect(r.unreachableReason).toMatch(/ECONNREFUSED/);
      await expect(call('system.check', { deviceId: d.id, expect: 'installed' })).rejects.toThrow(/no OS answers \(.*ECONNREFUSED.*\); this step expects an installed OS/);
    } finally {
      await rig.fleet.fault({ kind: 'revive-device', deviceId: d.id });
    }
  });
});

describe('bmc.status and bmc.power', () => {
  it('reads power, SEL and sensors; powers off and on; a dead BMC fails unless allowed', async () => {
    const d = servers[2];
    expect(await out('bmc.status', { deviceId: d.id, expectPower: 'on' })).toMatchObject({ reachable: true, power: 'on', selCritical: 0, bmc: `${d.bmcAddress}:${d.bmcPort}` });
    expect(await out('bmc.power', { deviceId: d.id, action: 'off' })).toEqual({ power: 'off' });
    const off = await out('bmc.status', { deviceId: d.id });
    expect(off).toMatchObject({ power: 'off', selErrors: 0 });
    expect(off.selEntries).toBeGreaterThan(0); // the power-off event: information, not an error
    await expect(call('bmc.status', { deviceId: d.id, expectPower: 'on' })).rejects.toThrow(`${d.hostname} (${d.id}) is powered off; this step expects it on`);
    expect(await out('bmc.power', { deviceId: d.id, action: 'on' })).toEqual({ power: 'on' });

    await rig.fleet.fault({ kind: 'kill-device', deviceId: d.id });
    try {
      await expect(call('bmc.status', { deviceId: d.id })).rejects.toThrow(`the BMC of ${d.hostname} (${d.id}) at ${d.bmcAddress}:${d.bmcPort} does not answer IPMI`);
      expect(await out('bmc.status', { deviceId: d.id, allowUnreachable: true })).toMatchObject({ reachable: false, power: 'unknown' });
    } finally {
      await rig.fleet.fault({ kind: 'revive-device', deviceId: d.id });
    }
  }, 30_000);
});

describe('host.ping', () => {
  it('says up by TCP to the SSH port on loopback, and down once the host is dead', async () => {
    const d = servers[3];
    const up = await call('host.ping', { deviceId: d.id });
    expect(up.result).toMatchObject({ status: 'done', output: { reachable: true, method: 'tcp', target: `${d.mgmtIp}:${d.sshPort}`, sent: 3, received: 3 } });
    expect(up.logs[0]).toContain('loopback answers ICMP for any address');
    await rig.fleet.fault({ kind: 'kill-device', deviceId: d.id });
    try {
      const still = await call('host.ping', { deviceId: d.id, count: 1, timeoutMs: 300 }, { checks: 2, intervalMs: 50 });
      expect(still.result.status).toBe('pending');
      expect(still.logs.at(-1)).toContain('is still down (0/1 answered); waiting until it is up');
      expect((await call('host.ping', { deviceId: d.id, expect: 'down', count: 1 })).result).toMatchObject({ status: 'done', output: { reachable: false, received: 0 } });
      const fping = findFping();
      if (fping) {
        // Why auto does not use ICMP here: the kernel answers for the dead host's address.
        expect((await call('host.ping', { deviceId: d.id, method: 'icmp', count: 2 })).result).toMatchObject({ status: 'done', output: { reachable: true, method: 'icmp', target: d.mgmtIp } });
      } else {
        await expect(call('host.ping', { deviceId: d.id, method: 'icmp' })).rejects.toThrow('ICMP ping needs fping');
      }
    } finally {
      await rig.fleet.fault({ kind: 'revive-device', deviceId: d.id });
    }
  });
});

describe('os.install without a callback URL, and the new host key', () => {
  it('stages, boots from PXE, and finishes on the SSH check, accepting the new key with both fingerprints audited', async () => {
    const d = servers[4];
    expect((await out('system.check', { deviceId: d.id })).hostKeyFingerprint).toBe(key(d, 0)); // pinned now
    const r = await call('os.install', { deviceId: d.id, os: 'ubuntu-24.04', hostname: 'web-direct-01', durationMs: 1200, acceptNewHostKey: true }, { intervalMs: 300, checks: 100 });
    expect(r.result).toEqual({ status: 'done', output: { sn: d.sn, hostname: 'web-direct-01', os: 'ubuntu-24.04', status: 'installed', via: 'ssh' } });
    expect(r.logs.join('\n')).toMatch(/staged on the PXE server[\s\S]*next boot from PXE[\s\S]*power cycle \(was on, now (on|off)\)[\s\S]*SSH is quiet[\s\S]*changed \(a reinstall\)/);
    expect(rig.hostKeys.get(d.mgmtIp, d.sshPort)).toBe(key(d, 1));
    expect(rig.auditOf('ssh.acceptNewHostKey')[0]).toMatchObject({
      actor: 'ops-test', outcome: 'succeeded', detail: expect.stringContaining(`old ${key(d, 0)}, new ${key(d, 1)}`),
    });
    expect(rig.fleet.status().installs?.find((i) => i.deviceId === d.id)).toMatchObject({ installs: 1, os: 'ubuntu-24.04', hostname: 'web-direct-01', profile: null });
    // Accepting again finds the new key pinned: nothing changes.
    expect(await out('ssh.acceptNewHostKey', { deviceId: d.id, expectHostname: 'web-direct-01', expectOs: 'ubuntu-24.04' }))
      .toMatchObject({ changed: false, newFingerprint: key(d, 1), hostname: 'web-direct-01', osId: 'ubuntu', osVersion: '24.04', os: templateOs('ubuntu-24.04').prettyName });
  }, 40_000);

  it('without acceptNewHostKey waits at the new key; ssh.acceptNewHostKey refuses a host under another name, then takes it', async () => {
    const d = servers[5];
    await out('system.check', { deviceId: d.id });
    const r = await call('os.install', { deviceId: d.id, os: 'rocky-9', hostname: 'db-direct-01', durationMs: 800 }, { intervalMs: 300, checks: 12 });
    expect(r.result.status).toBe('pending');
    expect(r.logs.some((l) => l.includes(`is back with a new SSH host key (pinned ${key(d, 0)}, offered ${key(d, 1)})`))).toBe(true);
    expect(rig.hostKeys.get(d.mgmtIp, d.sshPort), 'never re-pinned silently').toBe(key(d, 0));

    await expect(call('ssh.acceptNewHostKey', { deviceId: d.id, expectHostname: 'someone-else' })).rejects.toThrow('the host reports hostname "db-direct-01", not "someone-else"');
    expect(rig.hostKeys.get(d.mgmtIp, d.sshPort)).toBe(key(d, 0));
    expect(rig.auditOf('ssh.acceptNewHostKey')[0]).toMatchObject({ outcome: 'refused', detail: expect.stringContaining(`new SSH host key ${key(d, 1)} not kept, ${key(d, 0)} pinned again`) });

    expect(await out('ssh.acceptNewHostKey', { deviceId: d.id, expectHostname: 'db-direct-01', expectOs: 'rocky-9', requireChange: true }))
      .toMatchObject({ changed: true, oldFingerprint: key(d, 0), newFingerprint: key(d, 1), hostname: 'db-direct-01', osId: 'rocky', osVersion: '9.3' });
    expect(rig.hostKeys.get(d.mgmtIp, d.sshPort)).toBe(key(d, 1));
  }, 40_000);

  it('refuses what the lab has no image for, before anything boots', async () => {
    const d = servers[6];
    await expect(call('os.install', { deviceId: d.id, os: 'centos-6', hostname: 'x1' })).rejects.toThrow('the lab\'s PXE server has no image "centos-6"');
    await expect(call('os.install', { deviceId: d.id, os: 'debian-12' })).rejects.toThrow(`no hostname for ${d.hostname} (SN ${d.sn})`);
    expect(await out('os.install', { deviceId: d.id, os: 'debian-12', hostnames: { [d.sn]: 'by-sn-01' } }, { checks: 0 }).catch((e: Error) => e.message)).toBe('os.install did not finish');
    expect(rig.fleet.status().installs?.find((i) => i.deviceId === d.id)?.profile).toMatchObject({ hostname: 'by-sn-01', os: 'debian-12' });
  });
});

describe('burnin.run', () => {
  it('watches the BMC for the time asked, says the lab host ran no load, and fails past a limit', async () => {
    const d = servers[7];
    const r = await call('burnin.run', { deviceId: d.id, minutes: 0.03 }, { intervalMs: 400 });
    expect(r.result).toMatchObject({ status: 'done', output: { minutes: 0.03, loadStarted: false, newSelCritical: 0 } });
    const o = (r.result as unknown as { output: { peaks: { sensor: string }[]; peakTempC: number; peakInletTempC: number } }).output;
    expect(o.peaks.map((p) => p.sensor)).toEqual(['Inlet Temp', 'CPU Temp']);
    expect(o.peakTempC).toBeGreaterThan(o.peakInletTempC);
    expect(r.logs.join('\n')).toMatch(/the CPU load could not be started \(exit \d+: bash: .+, no pid printed\): watching the BMC without load/);

    await expect(call('burnin.run', { deviceId: d.id, minutes: 0.03, requireLoad: true })).rejects.toThrow('the CPU load could not be started');
    await expect(call('burnin.run', { deviceId: d.id, minutes: 1, maxTempC: 20 }, { intervalMs: 100 })).rejects.toThrow(/failed the burn-in after \d+ s: CPU Temp \d+(\.\d+)? C \(limit 20 C\)/);
  }, 30_000);
});
