// Install profiles and install faults on a lab started from fake peer kinds (no sockets):
// what the lab refuses (a non-server, an unknown template, a callback off loopback...), what
// its status says, and the install state machine driven through setHostPower with a boot
// target, the way the lab's BMCs drive it. Also the API schema's refusals.
import { describe, expect, it } from 'vitest';
import { API_METHODS } from '../../../src-shared/api';
import { installCallbackProblem, type LabInstallProfile, type LabInstallStatus, type LabStatus } from '../../../src-shared/domain';
import type { LabStartOptions } from '../../../src-shared/lab-protocol';
import { startLabFleet, type LabFleet } from '../../../src-main/lab/lab-fleet';
import type { LabPeerKind } from '../../../src-main/lab/peer-kind';
import { until } from '../../support/handles';

const OPTIONS: LabStartOptions = {
  seed: 9,
  size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 2, devices: 12 },
  community: 'fake',
  snmpPort: 1,
  addressPrefix: '127.202',
};
const PROFILE: LabInstallProfile = { os: 'debian-12', hostname: 'db-01.example', durationMs: 0 };

/** A kind that only records what it is told. */
function recorder(): { kind: LabPeerKind; log: string[] } {
  const log: string[] = [];
  return { log, kind: { kind: 'rec', start: async () => ({ reconcile: async (d) => void log.push(d.device.id), dispose: async () => {} }) } };
}

const entry = (s: LabStatus, id: string): LabInstallStatus | undefined => s.installs?.find((i) => i.deviceId === id);

async function withLab(fn: (lab: LabFleet, server: string, other: string) => Promise<void>, pxeTimeoutMs = 20): Promise<void> {
  const lab = await startLabFleet(OPTIONS, [recorder().kind], { pxeTimeoutMs });
  try {
    const server = lab.inventory.devices.find((d) => d.kind === 'server')!.id;
    const other = lab.inventory.devices.find((d) => d.kind !== 'server')!.id;
    await fn(lab, server, other);
  } finally {
    await lab.close();
  }
}

describe('lab install profiles', () => {
  it('are refused, naming the problem, for a device that is not a server or does not exist, and when malformed', () => withLab(async (lab, server, other) => {
    await expect(lab.setInstallProfile(other, PROFILE)).rejects.toThrow(new RegExp(`an install profile is for servers; "${other}" is a `));
    await expect(lab.setInstallProfile('nope', PROFILE)).rejects.toThrow('lab: no device "nope"');
    const refused = (p: object) => lab.setInstallProfile(server, { ...PROFILE, ...p } as LabInstallProfile);
    await expect(refused({ os: 'windows-11' })).rejects.toThrow('os "windows-11" is not one of ubuntu-22.04, ubuntu-24.04, debian-12, rocky-9');
    await expect(refused({ hostname: 'bad_name!' })).rejects.toThrow('hostname "bad_name!" is not a valid host name');
    await expect(refused({ durationMs: -1 })).rejects.toThrow('durationMs must be an integer from 0 to 21600000, got -1');
    await expect(refused({ callback: { url: 'http://10.0.0.1/cb' } })).rejects.toThrow('the lab only calls receivers on 127.0.0.0/8 or [::1], not "10.0.0.1"');
    await expect(refused({ callback: { url: 'http://127.0.0.1/cb', method: 'GET' } })).rejects.toThrow('callback method "GET" is not one of POST, PUT, PATCH');
    await expect(lab.fault({ kind: 'install-hang', deviceId: other })).rejects.toThrow(`lab: install-hang is for servers; "${other}" is a `);
    expect(lab.status().installs).toBeUndefined(); // nothing was taken
  }));

  it('show in the status with the install faults, until cleared', () => withLab(async (lab, server) => {
    expect(entry(await lab.setInstallProfile(server, PROFILE), server)).toEqual({
      deviceId: server, phase: 'idle', profile: PROFILE, fault: null, installs: 0, os: null, hostname: expect.any(String), last: null,
    });
    expect(entry(await lab.fault({ kind: 'install-fail', deviceId: server }), server)).toMatchObject({ fault: 'install-fail', profile: PROFILE });
    expect(entry(await lab.fault({ kind: 'install-hang', deviceId: server }), server)).toMatchObject({ fault: 'install-hang' });
    await lab.fault({ kind: 'install-normal', deviceId: server });
    expect((await lab.setInstallProfile(server, null)).installs).toBeUndefined();
  }));

  it('install on a PXE boot, are used up by it, and change what the host reports', () => withLab(async (lab, server) => {
    await lab.setInstallProfile(server, PROFILE);
    await lab.setHostPower(server, false);
    await lab.setHostPower(server, true, 'pxe');
    const done = await until('installed', () => (entry(lab.status(), server)?.installs === 1 ? entry(lab.status(), server) : undefined));
    expect(done).toMatchObject({ phase: 'idle', profile: null, os: 'debian-12', hostname: 'db-01.example', last: { status: 'installed', callback: 'none', attempts: 0 } });
    // The next PXE boot finds no profile: it waits out the PXE timeout, then boots the disk: still the new OS.
    await lab.setHostPower(server, false);
    await lab.setHostPower(server, true, 'pxe');
    expect(entry(lab.status(), server)?.phase).toBe('pxe-no-entry');
    await until('booted from disk', () => entry(lab.status(), server)?.phase === 'idle');
    expect(entry(lab.status(), server)).toMatchObject({ installs: 1, os: 'debian-12' });
  }));

  it('do nothing on a boot from disk, or while the host is dead', () => withLab(async (lab, server) => {
    await lab.setInstallProfile(server, { ...PROFILE, durationMs: 60_000 });
    await lab.setHostPower(server, false);
    await lab.setHostPower(server, true, null);
    expect(entry(lab.status(), server)?.phase).toBe('idle');
    await lab.setHostPower(server, false);
    await lab.setHostPower(server, true, 'pxe');
    expect(entry(lab.status(), server)?.phase).toBe('installing');
    await lab.fault({ kind: 'kill-device', deviceId: server }); // a dead host installs nothing
    expect(entry(lab.status(), server)).toMatchObject({ phase: 'idle', installs: 0, profile: { durationMs: 60_000 } });
  }));
});

describe('the install profile in the API', () => {
  const args = API_METHODS['lab.setInstallProfile'].args;
  const issue = (a: unknown): string => {
    const r = args.safeParse(a);
    return r.success ? 'accepted' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  };
  const base = { deviceId: 'srv-1', profile: { os: 'rocky-9', hostname: 'a-1', durationMs: 1000, callback: { url: 'http://127.0.0.1:9/x' } } };

  it('takes a profile or null, and refuses callbacks off loopback, bad templates and durations', () => {
    expect(issue(base)).toBe('accepted');
    expect(issue({ deviceId: 'srv-1', profile: null })).toBe('accepted');
    expect(issue({ ...base, profile: { ...base.profile, callback: { url: 'http://[::1]:8080/x', method: 'PATCH' } } })).toBe('accepted');
    expect(issue({ ...base, profile: { ...base.profile, callback: { url: 'http://localhost:9/x' } } })).toMatch(/^profile\.callback\.url: .*not "localhost"/);
    expect(issue({ ...base, profile: { ...base.profile, callback: { url: 'https://127.0.0.1/x' } } })).toMatch(/^profile\.callback\.url: .*must be http:\/\//);
    expect(issue({ ...base, profile: { ...base.profile, os: 'centos-7' } })).toMatch(/^profile\.os: /);
    expect(issue({ ...base, profile: { ...base.profile, durationMs: 1.5 } })).toMatch(/^profile\.durationMs: must be an integer/);
    expect(API_METHODS['lab.setInstallProfile'].role).toBe('operator');
  });

  it('checks callback URLs the same way in the lab', () => {
    expect(installCallbackProblem('http://127.1.2.3:80/x')).toBeNull();
    expect(installCallbackProblem('http://127.0.0.256/x')).toMatch(/not a URL|only calls receivers/);
    expect(installCallbackProblem('http://192.168.1.1/x')).toMatch(/not "192\.168\.1\.1"/);
    expect(installCallbackProblem('not a url')).toBe('callback url "not a url" is not a URL');
  });
});
