// One OS per lab host: the same server's SNMP sysDescr, its SSH `uname -a`, /etc/os-release,
// /proc/version and SSH banner all tell the same distribution and kernel, read over the
// real protocols (net-snmp's client, FleetDeck's SSH pool, a raw TCP read of the banner).
import { connect } from 'node:net';
import * as snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../../src-shared/domain';
import { createSshPool, MemoryHostKeyStore, sshExec, type SshPool } from '../../../src-main/core/protocols/ssh';
import { hostOsFor, linuxSysDescr, unameAll } from '../../../src-main/lab/host-os';
import { startLabFleet, type LabFleet } from '../../../src-main/lab/lab-fleet';
import { OID } from '../../../src-main/lab/snmp/snmp-device';

const COMMUNITY = 'host-identity-test';
const PORT = 16861;

let fleet: LabFleet;
let sshHosts: Device[];
let pool: SshPool;

function sysDescr(host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = snmp.createSession(host, COMMUNITY, { port: PORT, version: snmp.Version2c, timeout: 1000, retries: 1 });
    session.on('error', () => {});
    session.get([OID.sysDescr], (err, vbs) => {
      session.close();
      if (err) reject(err);
      else resolve(String(vbs![0].value));
    });
  });
}

/** The SSH identification line the host sends first. */
function banner(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buf = '';
    socket.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(buf.slice(0, end));
      }
    });
    socket.on('error', reject);
  });
}

beforeAll(async () => {
  fleet = await startLabFleet({
    seed: 5,
    size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 2, cabinetsPerRow: 4, devices: 160 },
    community: COMMUNITY,
    snmpPort: PORT,
    addressPrefix: '127.71',
  });
  sshHosts = fleet.inventory.devices.filter((d) => d.sshCredential);
  pool = createSshPool({ hostKeys: new MemoryHostKeyStore(), credentials: () => fleet.credentials.ssh, idleTimeoutMs: 5000, connectTimeoutMs: 5000 });
}, 60_000);

afterAll(async () => {
  await pool?.dispose();
  await fleet?.close();
});

describe('a lab host has one OS identity', () => {
  it('derives it from the device: the same id, the same OS; the lab has more than one distribution', () => {
    const ids = fleet.inventory.devices.filter((d) => d.kind === 'server').map((d) => d.id);
    for (const id of ids) expect(hostOsFor(id)).toEqual(hostOsFor(id));
    expect(new Set(ids.map((id) => hostOsFor(id).distro)).size).toBeGreaterThan(1);
  });

  it('SNMP sysDescr and SSH uname -a, os-release, /proc/version and the banner agree on every SSH host', async () => {
    expect(sshHosts.length).toBeGreaterThanOrEqual(8);
    const seen = new Set<string>();
    for (const d of sshHosts) {
      const target = { host: d.mgmtIp, port: d.sshPort, credentialId: d.sshCredential! };
      const run = (cmd: string): Promise<string> => sshExec(pool, target, cmd, { check: true }).then((r) => r.stdout.trimEnd());
      const [descr, uname, release, kernel, version, ident] = await Promise.all([
        sysDescr(d.mgmtIp), run('uname -a'), run('cat /etc/os-release'), run('uname -r'), run('cat /proc/version'), banner(d.mgmtIp, d.sshPort),
      ]);
      const os = hostOsFor(d.id);
      seen.add(os.distro);
      // snmpd on Linux: sysDescr is uname's sysname, nodename, release, version, machine.
      expect(descr).toBe(linuxSysDescr(d.hostname, os));
      expect(uname).toBe(unameAll(d.hostname, os));
      expect(uname.startsWith(`${descr} `)).toBe(true);
      expect(descr.split(' ')[2]).toBe(kernel);
      expect(version).toContain(`Linux version ${kernel} `);
      expect(release.split('\n')).toContain(`ID=${os.distro}`);
      expect(release).toContain(`PRETTY_NAME="${os.prettyName}"`);
      // The kernel's own signature names the distribution that built it.
      const build = { ubuntu: /-generic$/, debian: /-amd64$/, rocky: /\.el9_3\.x86_64$/ }[os.distro];
      expect(kernel).toMatch(build);
      expect(ident).toBe(`SSH-2.0-${os.sshIdent}`);
      if (os.distro !== 'rocky') expect(ident.toLowerCase()).toContain(os.distro);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('servers without SSH report their own OS over SNMP too', async () => {
    const quiet = fleet.inventory.devices.filter((d) => d.kind === 'server' && !d.sshCredential).slice(0, 5);
    for (const d of quiet) expect(await sysDescr(d.mgmtIp)).toBe(linuxSysDescr(d.hostname, hostOsFor(d.id)));
  });
});
