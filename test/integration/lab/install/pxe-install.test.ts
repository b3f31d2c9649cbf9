// A lab server's PXE install, driven the way the console's install tool will drive it: an
// install profile handed to the lab, boot device PXE and a power cycle over IPMI (FleetDeck's
// own client), then the installer's callback (a real HTTP receiver on 127.0.0.1). While it
// installs the host's SNMP and SSH are quiet and its BMC says power on; afterwards SSH presents
// a new host key (the pinned pool refuses it) and the new OS and hostname, SNMP the new sysName.
// install-fail, install-hang, a power loss mid-install, a plain reset (a reboot) and a PXE
// boot without a profile too.
// Addresses 127.76.x.y (BMCs 127.176.x.y), SNMP port 16591.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device, LabInstallStatus, LabStatus } from '../../../../src-shared/domain';
import { createIpmiClient, type IpmiClient } from '../../../../src-main/core/protocols/ipmi';
import { SshConnectError, SshHostKeyMismatchError } from '../../../../src-main/core/protocols/ssh';
import { hostOsFor, linuxSysDescr, templateOs, unameAll } from '../../../../src-main/lab/host-os';
import { startLabFleet, type LabFleet } from '../../../../src-main/lab/lab-fleet';
import { labHostKeySeed, labSshHostKey } from '../../../../src-main/lab/ssh/ssh-host';
import { until } from '../../../support/handles';
import { snmpGet, sshLook, startReceiver, SYS_DESCR, SYS_NAME, type CallbackReceiver, type SshLook } from './support';

const SEED = 21;
const COMMUNITY = 'pxe-install-test';
const NEW_OS = 'ubuntu-24.04' as const; // the lab never generates it: always a change

let fleet: LabFleet;
let sshHosts: Device[];
let receiver: CallbackReceiver;
const clients: IpmiClient[] = [];
const looks: SshLook[] = [];

const bmc = (d: Device): IpmiClient => {
  const { username, password } = fleet.credentials.ipmi;
  const c = createIpmiClient({ host: d.bmcAddress!, port: d.bmcPort, username, password, cipherSuite: 17, keepAliveMs: 0 });
  clients.push(c);
  return c;
};
const look = (): SshLook => {
  const l = sshLook(fleet.credentials.ssh);
  looks.push(l);
  return l;
};
const entry = (s: LabStatus, id: string): LabInstallStatus | undefined => s.installs?.find((i) => i.deviceId === id);
const installOf = (id: string): LabInstallStatus | undefined => entry(fleet.status(), id);
const sys = (d: Device, oids = [SYS_NAME]): Promise<string[] | null> => snmpGet(d.mgmtIp, d.snmpPort, COMMUNITY, oids);
const calls = (path: string) => receiver.requests.filter((r) => r.path === path);
const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
const fingerprint = (d: Device, generation: number): string => labSshHostKey(labHostKeySeed(SEED, d.id, generation)).fingerprint;

async function pxeCycle(c: IpmiClient): Promise<void> {
  await c.setBootDevice('pxe');
  expect(await c.bootDevice()).toMatchObject({ device: 'pxe', valid: true, persistent: false });
  await c.power('cycle');
}

/** The host answers neither SNMP nor SSH while its BMC says it is on. */
async function expectQuiet(d: Device, c: IpmiClient): Promise<void> {
  expect(await sys(d), `${d.id} SNMP`).toBeNull();
  if (d.sshCredential) {
    const err = await look().run(d, 'true').catch((e: unknown) => e);
    expect(err, `${d.id} SSH`).toBeInstanceOf(SshConnectError);
    expect((err as SshConnectError).reason).toMatch(/ECONNREFUSED/);
  }
  expect((await c.chassisStatus()).powerOn, `${d.id} BMC power`).toBe(true);
}

beforeAll(async () => {
  fleet = await startLabFleet({
    seed: SEED,
    size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 4, devices: 60 },
    community: COMMUNITY,
    snmpPort: 16591,
    addressPrefix: '127.76',
  }, undefined, { pxeTimeoutMs: 1500, callbackBackoffMs: [100, 200, 400] });
  sshHosts = fleet.inventory.devices.filter((d) => d.sshCredential);
  receiver = await startReceiver();
}, 60_000);

afterAll(async () => {
  await Promise.all(looks.map((l) => l.pool.dispose()));
  await Promise.all(clients.map((c) => c.close()));
  await fleet?.close();
  await receiver?.close();
});

describe('a lab server PXE booted with an install profile', () => {
  it('installs quietly, calls back once, and comes back with the new OS, hostname and SSH host key', async () => {
    expect(sshHosts.length).toBeGreaterThanOrEqual(4);
    const d = sshHosts[0];
    expect(hostOsFor(d.id).prettyName).not.toBe(templateOs(NEW_OS).prettyName);
    const pinned = look();
    expect(await pinned.run(d, 'hostname')).toBe(d.hostname);
    expect(pinned.pins.get(d.mgmtIp, d.sshPort)).toBe(fingerprint(d, 0));
    expect(await sys(d)).toEqual([d.hostname]);

    const status = await fleet.setInstallProfile(d.id, { os: NEW_OS, hostname: 'web-new-01', durationMs: 2500, callback: { url: receiver.url('/cb/install') } });
    expect(entry(status, d.id)).toMatchObject({ phase: 'idle', profile: { hostname: 'web-new-01' }, installs: 0 });
    const c = bmc(d);
    await pxeCycle(c);

    await until('the install running', () => installOf(d.id)?.phase === 'installing');
    await expectQuiet(d, c);
    expect((await c.bootDevice()).valid, 'the one-time PXE override is used up by the boot').toBe(false);
    expect(installOf(d.id)?.phase, 'the checks ran while the install did').toBe('installing');
    expect(calls('/cb/install')).toHaveLength(0);

    await until('the callback delivered', () => installOf(d.id)?.last?.callback === 'delivered');
    const got = calls('/cb/install');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ method: 'POST', body: { sn: d.sn, hostname: 'web-new-01', os: NEW_OS, status: 'installed' } });
    expect(got[0].headers).toMatchObject({ 'content-type': 'application/json', 'idempotency-key': `${d.sn}/install-1` });
    expect(installOf(d.id)).toMatchObject({ phase: 'idle', profile: null, installs: 1, os: NEW_OS, hostname: 'web-new-01', last: { status: 'installed', attempts: 1, error: null } });

    // The console's pinning sees a changed key: the pool that pinned the old one refuses the host.
    await pinned.pool.closeHost(d.mgmtIp, d.sshPort);
    const err = await pinned.run(d, 'true').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshHostKeyMismatchError);
    expect(err).toMatchObject({ expected: fingerprint(d, 0), actual: fingerprint(d, 1) });
    expect(fingerprint(d, 1)).not.toBe(fingerprint(d, 0));

    const fresh = look();
    const os = templateOs(NEW_OS);
    expect(await fresh.run(d, 'hostname')).toBe('web-new-01');
    expect(await fresh.run(d, 'cat /etc/hostname')).toBe('web-new-01');
    expect(await fresh.run(d, 'cat /etc/os-release')).toContain(`PRETTY_NAME="${os.prettyName}"`);
    expect(await fresh.run(d, 'uname -a')).toBe(unameAll('web-new-01', os));
    expect(fresh.pins.get(d.mgmtIp, d.sshPort)).toBe(fingerprint(d, 1));
    expect(await sys(d, [SYS_NAME, SYS_DESCR])).toEqual(['web-new-01', linuxSysDescr('web-new-01', os)]);
    expect(calls('/cb/install')).toHaveLength(1);
  });

  it('with install-fail: calls back "failed", boots its old OS with its old key, and keeps the profile for a retry', async () => {
    const d = sshHosts[1];
    const pinned = look();
    const oldRelease = await pinned.run(d, 'cat /etc/os-release');
    expect(entry(await fleet.fault({ kind: 'install-fail', deviceId: d.id }), d.id)).toMatchObject({ fault: 'install-fail', phase: 'idle' });
    await fleet.setInstallProfile(d.id, { os: NEW_OS, hostname: 'fail-01', durationMs: 1000, callback: { url: receiver.url('/cb/fail'), method: 'PUT' } });
    const c = bmc(d);
    await pxeCycle(c);

    await until('the failure called back', () => installOf(d.id)?.last?.callback === 'delivered');
    expect(calls('/cb/fail')).toEqual([expect.objectContaining({ method: 'PUT', body: { sn: d.sn, hostname: 'fail-01', os: NEW_OS, status: 'failed' } })]);
    expect(installOf(d.id)).toMatchObject({ phase: 'idle', installs: 0, os: null, hostname: d.hostname, fault: 'install-fail', profile: expect.objectContaining({ hostname: 'fail-01' }), last: { status: 'failed' } });
    await pinned.pool.closeHost(d.mgmtIp, d.sshPort);
    expect(await pinned.run(d, 'hostname')).toBe(d.hostname); // the same pinned key: no mismatch
    expect(await pinned.run(d, 'cat /etc/os-release')).toBe(oldRelease);
    expect(await sys(d)).toEqual([d.hostname]);

    // The retry: the fault cleared, the same profile installs.
    await fleet.fault({ kind: 'install-normal', deviceId: d.id });
    await pxeCycle(c);
    await until('the retry installed', () => installOf(d.id)?.installs === 1 && installOf(d.id)?.last?.callback === 'delivered');
    expect(calls('/cb/fail').map((r) => (r.body as { status: string }).status)).toEqual(['failed', 'installed']);
    expect(calls('/cb/fail')[1].headers['idempotency-key']).toBe(`${d.sn}/install-2`);
    expect(await look().run(d, 'hostname')).toBe('fail-01');
  });

  it('with install-hang: stays quiet, never calls back, and a reset without PXE boots the old OS', async () => {
    const d = sshHosts[2];
    const pinned = look();
    expect(await pinned.run(d, 'hostname')).toBe(d.hostname);
    await fleet.fault({ kind: 'install-hang', deviceId: d.id });
    await fleet.setInstallProfile(d.id, { os: NEW_OS, hostname: 'hang-01', durationMs: 800, callback: { url: receiver.url('/cb/hang') } });
    const c = bmc(d);
    await pxeCycle(c);

    await until('the install hung', () => installOf(d.id)?.phase === 'hung');
    await expectQuiet(d, c);
    expect(calls('/cb/hang')).toHaveLength(0);
    // Clearing the fault does not unstick an install already hung.
    expect(entry(await fleet.fault({ kind: 'install-normal', deviceId: d.id }), d.id)).toMatchObject({ fault: null, phase: 'hung' });
    await expectQuiet(d, c);

    await c.power('reset'); // no PXE override left: the disk boots
    await until('the host answering again', () => sys(d));
    expect(await sys(d)).toEqual([d.hostname]);
    expect(installOf(d.id)).toMatchObject({ phase: 'idle', installs: 0, last: null });
    await pinned.pool.closeHost(d.mgmtIp, d.sshPort);
    expect(await pinned.run(d, 'hostname')).toBe(d.hostname);
    expect(calls('/cb/hang')).toHaveLength(0);
  });

  it('cut short by a power off: the old OS boots, nothing is called back', async () => {
    const d = fleet.inventory.devices.find((x) => x.kind === 'server' && !x.sshCredential)!;
    await fleet.setInstallProfile(d.id, { os: 'debian-12', hostname: 'cut-01', durationMs: 60_000, callback: { url: receiver.url('/cb/cut') } });
    const c = bmc(d);
    await pxeCycle(c);
    await until('the install running', () => installOf(d.id)?.phase === 'installing');
    await expectQuiet(d, c);
    await c.power('off');
    await until('the install ended', () => installOf(d.id)?.phase === 'idle');
    await c.power('on');
    await until('the host answering again', () => sys(d));
    expect(await sys(d)).toEqual([d.hostname]);
    expect(installOf(d.id)).toMatchObject({ installs: 0, profile: expect.objectContaining({ hostname: 'cut-01' }), last: null });
    expect(calls('/cb/cut')).toHaveLength(0);
  });
});

describe('a lab server reset over IPMI without a boot override', () => {
  it('reboots: SNMP answers again, its uptime from zero, the same host', async () => {
    const d = fleet.inventory.devices.filter((x) => x.kind === 'server' && !x.sshCredential)[3];
    const uptime = async (): Promise<number> => Number((await sys(d, [SYS_UPTIME]))?.[0]);
    expect(await uptime()).toBeGreaterThan(86_400 * 100); // days, in hundredths of a second
    await bmc(d).power('reset');
    await until('the host answering again', () => sys(d));
    expect(await uptime()).toBeLessThan(60 * 100);
    expect(await sys(d)).toEqual([d.hostname]);
  });
});

describe('a lab server PXE booted without a profile', () => {
  it('finds no boot entry, is quiet until the PXE timeout, then boots its disk unchanged', async () => {
    const d = sshHosts[3];
    const pinned = look();
    const before = await pinned.run(d, 'uname -a');
    const c = bmc(d);
    await pxeCycle(c);
    await until('the PXE wait', () => installOf(d.id)?.phase === 'pxe-no-entry');
    expect(await sys(d)).toBeNull();
    await until('the host answering again', () => sys(d));
    expect(await sys(d)).toEqual([d.hostname]);
    expect(installOf(d.id)).toBeUndefined(); // nothing to report: no profile, no fault, no install
    await pinned.pool.closeHost(d.mgmtIp, d.sshPort);
    expect(await pinned.run(d, 'uname -a')).toBe(before);
    expect(pinned.pins.get(d.mgmtIp, d.sshPort)).toBe(fingerprint(d, 0));
  });
});
