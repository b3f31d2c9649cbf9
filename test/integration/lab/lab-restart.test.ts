// The lab with its real peers (SNMP agents, BMCs, SSH hosts) stopped and started again on one
// state file, as serve mode does across a console restart: a host installed over IPMI (PXE boot
// flag, power cycle) comes back with its new identity on every protocol (SSH hostname,
// /etc/os-release and that install's host key; SNMP sysName and sysDescr), a server its BMC
// powered off stays off and quiet, a persistent boot override stays set, and a host power
// cycled just before the stop still boots from PXE into its install. The fresh lab without the
// file forgets (factory hostname and key). Addresses 127.87.x.y (BMCs 127.187.x.y), SNMP 16598.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Device, LabInstallStatus } from '../../../src-shared/domain';
import type { LabStartOptions } from '../../../src-shared/lab-protocol';
import { createIpmiClient, type IpmiClient } from '../../../src-main/core/protocols/ipmi';
import { linuxSysDescr, templateOs } from '../../../src-main/lab/host-os';
import { startLabFleet, type LabFleet } from '../../../src-main/lab/lab-fleet';
import { labHostKeySeed, labSshHostKey } from '../../../src-main/lab/ssh/ssh-host';
import { until } from '../../support/handles';
import { snmpGet, sshLook, SYS_DESCR, SYS_NAME, type SshLook } from './install/support';

const SEED = 23;
const COMMUNITY = 'lab-restart-test';
const OS = 'rocky-9' as const;

let dir: string;
let lab: LabFleet | null = null;
const clients: IpmiClient[] = [];
const looks: SshLook[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lab-restart-'));
});
afterEach(async () => {
  await Promise.all(looks.splice(0).map((l) => l.pool.dispose()));
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await lab?.close();
  rmSync(dir, { recursive: true, force: true });
});

const start = async (stateFile: string | null): Promise<LabFleet> => {
  const options: LabStartOptions = {
    seed: SEED, size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 4, devices: 50 }, community: COMMUNITY, snmpPort: 16598, addressPrefix: '127.87',
    ...(stateFile ? { stateFile } : {}),
  };
  lab = await startLabFleet(options, undefined, { callbackBackoffMs: [100] });
  return lab;
};
const stop = async (): Promise<void> => {
  await lab?.close();
  lab = null;
};
const bmc = (d: Device): IpmiClient => {
  const { username, password } = lab!.credentials.ipmi;
  const c = createIpmiClient({ host: d.bmcAddress!, port: d.bmcPort, username, password, cipherSuite: 17, keepAliveMs: 0 });
  clients.push(c);
  return c;
};
const look = (): SshLook => {
  const l = sshLook(lab!.credentials.ssh);
  looks.push(l);
  return l;
};
const installOf = (id: string): LabInstallStatus | undefined => lab!.status().installs?.find((i) => i.deviceId === id);
const sys = (d: Device): Promise<string[] | null> => snmpGet(d.mgmtIp, d.snmpPort, COMMUNITY, [SYS_NAME, SYS_DESCR]);
const fingerprint = (d: Device, generation: number): string => labSshHostKey(labHostKeySeed(SEED, d.id, generation)).fingerprint;

describe('the lab over a restart on its state file', () => {
  it('brings its hosts back as they were: installed, powered off, boot flags set, a cycle finished', async () => {
    const stateFile = join(dir, 'lab-state.json');
    const a = await start(stateFile);
    const ssh = a.inventory.devices.filter((d) => d.sshCredential);
    const plain = a.inventory.devices.filter((d) => d.kind === 'server' && !d.sshCredential);
    expect(ssh.length).toBeGreaterThanOrEqual(2);
    const [installed, cycled] = ssh;
    const [off, flagged] = plain;

    await a.setInstallProfile(installed.id, { os: OS, hostname: 'kept-01', durationMs: 0 });
    const c1 = bmc(installed);
    await c1.setBootDevice('pxe');
    await c1.power('cycle');
    await until('installed', () => installOf(installed.id)?.installs === 1);
    await bmc(off).power('off');
    await bmc(flagged).setBootDevice('disk', { persistent: true });
    // Power cycled into PXE, and the lab stops before the cycle powers the host on again.
    await a.setInstallProfile(cycled.id, { os: OS, hostname: 'cycled-01', durationMs: 0 });
    const c2 = bmc(cycled);
    await c2.setBootDevice('pxe');
    await c2.power('cycle');
    await stop();
    await Promise.all(clients.splice(0).map((c) => c.close()));

    await start(stateFile);
    const os = templateOs(OS);
    const fresh = look();
    expect(await fresh.run(installed, 'hostname')).toBe('kept-01');
    expect(await fresh.run(installed, 'cat /etc/os-release')).toContain(`PRETTY_NAME="${os.prettyName}"`);
    expect(fresh.pins.get(installed.mgmtIp, installed.sshPort)).toBe(fingerprint(installed, 1));
    expect(await sys(installed)).toEqual(['kept-01', linuxSysDescr('kept-01', os)]);
    expect(installOf(installed.id)).toMatchObject({ installs: 1, os: OS, hostname: 'kept-01', profile: null, last: { status: 'installed' } });

    expect((await bmc(off).chassisStatus()).powerOn).toBe(false);
    expect(await snmpGet(off.mgmtIp, off.snmpPort, COMMUNITY, [SYS_NAME])).toBeNull();
    expect(await bmc(flagged).bootDevice()).toMatchObject({ device: 'disk', persistent: true, valid: true });

    await until('the cycled host installed', () => installOf(cycled.id)?.installs === 1);
    expect((await bmc(cycled).chassisStatus()).powerOn).toBe(true);
    expect(await look().run(cycled, 'hostname')).toBe('cycled-01');

    // The same lab without its state file starts factory-fresh.
    await stop();
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await start(null);
    const forgot = look();
    expect(await forgot.run(installed, 'hostname')).toBe(installed.hostname);
    expect(forgot.pins.get(installed.mgmtIp, installed.sshPort)).toBe(fingerprint(installed, 0));
    expect((await bmc(off).chassisStatus()).powerOn).toBe(true);
  });
});
