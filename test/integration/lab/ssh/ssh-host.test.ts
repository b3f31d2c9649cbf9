// Lab SSH hosts (ssh2 Server, many in this process) reached through FleetDeck's own SSH
// code: the command set, both login methods, SFTP upload, power off, a reinstalled host.
// Addresses 127.61.x.y, port 19022.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../../../src-shared/domain';
import {
  createSshPool, ed25519KeyPair, fleetExec, MemoryHostKeyStore, seedFrom, sftpUpload, sshExec,
  SshAuthError, SshChecksumMismatchError, SshConnectError, SshHostKeyMismatchError, SshTimeoutError, SshUploadError,
  type SshPool, type SshTarget,
} from '../../../../src-main/core/protocols/ssh';
import { generateLab } from '../../../../src-main/lab/generator';
import { factsFor } from '../../../../src-main/lab/ssh/ssh-host-facts';
import { labSshHostKey, sshHostSpecFor, startLabSshHosts, type LabSshHost, type LabSshHosts } from '../../../../src-main/lab/ssh/ssh-host';
import { leftOver, resources, until } from '../../../support/handles';

const PORT = 19022;
const SEED = 11;
const PASSWORD = 'lab-ssh-secret';
const operatorKey = ed25519KeyPair(seedFrom('ssh-host test operator'), 'noc@fleetdeck');

let before: string[];
let lab: LabSshHosts;
let servers: Device[];
let pool: SshPool;
let pins: MemoryHostKeyStore;

const target = (d: Device, credentialId = 'lab-ssh'): SshTarget => ({ host: d.mgmtIp, port: PORT, credentialId });
const host = (d: Device): LabSshHost => lab.hosts.get(d.id)!;
const credentials = (id: string) => {
  if (id === 'lab-ssh') return { username: 'fleetdeck', password: PASSWORD };
  if (id === 'lab-key') return { username: 'fleetdeck', privateKey: operatorKey.privateKey };
  if (id === 'wrong-password') return { username: 'fleetdeck', password: 'nope' };
  if (id === 'wrong-key') return { username: 'fleetdeck', privateKey: ed25519KeyPair(seedFrom('stranger')).privateKey };
  return { username: 'root', password: PASSWORD };
};

beforeAll(async () => {
  before = resources();
  const inventory = generateLab(SEED, { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 3, devices: 40 }, { addressPrefix: '127.61' });
  servers = inventory.devices.filter((d) => d.kind === 'server').slice(0, 24);
  lab = await startLabSshHosts(servers.map((d) => ({
    ...sshHostSpecFor(d, SEED, { username: 'fleetdeck', password: PASSWORD, authorizedKeys: [operatorKey.publicKey] }, 40 * 86_400),
    port: PORT,
  })));
  pins = new MemoryHostKeyStore();
  pool = createSshPool({ hostKeys: pins, credentials, idleTimeoutMs: 5000, connectTimeoutMs: 5000 });
});

afterAll(async () => {
  await pool?.dispose();
  await lab?.close();
  await until('every socket closed', () => leftOver(before, resources()).length === 0 || undefined, 5000).catch(() => {
    throw new Error(`handles left open: ${leftOver(before, resources()).join(', ')}`);
  });
});

describe('lab SSH hosts', () => {
  it('answer uname, hostname, uptime and /proc like the server the inventory says they are', async () => {
    const d = servers[0];
    const f = factsFor(d.id);
    const run = (cmd: string | string[]) => sshExec(pool, target(d), cmd, { check: true }).then((r) => r.stdout);
    expect(await run('uname -a')).toBe(`Linux ${d.hostname} ${f.kernel} ${f.kernelBuild} x86_64 x86_64 x86_64 GNU/Linux\n`);
    expect(await run('uname -r')).toBe(`${f.kernel}\n`);
    expect(await run('hostname')).toBe(`${d.hostname}\n`);
    expect(await run('uptime')).toMatch(/^ \d\d:\d\d:\d\d up 40 days, +(\d+:\d\d|\d+ min), +\d+ users?, +load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d\n$/);
    expect(await run('cat /proc/loadavg')).toMatch(/^\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+\/\d+ \d+\n$/);
    const uptimeSec = Number((await run('cat /proc/uptime')).split(' ')[0]);
    expect(uptimeSec).toBeGreaterThan(40 * 86_400);
    expect(await run('cat /proc/meminfo')).toMatch(new RegExp(`^MemTotal: +${f.memKb} kB\\n`));
    const cpuinfo = await run('cat /proc/cpuinfo');
    expect(cpuinfo.match(/^processor\t: /gm)).toHaveLength(f.cpus);
    expect(await run('nproc')).toBe(`${f.cpus}\n`);
    expect(await run('cat /etc/os-release')).toContain(`PRETTY_NAME="${f.prettyName}"`);
  });

  it('list packages the way their distribution does; the other tool is not installed', async () => {
    const deb = servers.find((d) => factsFor(d.id).distro !== 'rocky')!;
    const rpmHost = servers.find((d) => factsFor(d.id).distro === 'rocky');
    const dpkg = await sshExec(pool, target(deb), 'dpkg -l');
    expect(dpkg.exitCode).toBe(0);
    expect(dpkg.stdout).toMatch(/^Desired=Unknown\/Install/);
    expect(dpkg.stdout).toMatch(/^ii {2}openssh-server +1:\S+ +amd64 +secure shell/m);
    expect(await sshExec(pool, target(deb), 'rpm -qa')).toMatchObject({ exitCode: 127, stderr: 'bash: rpm: command not found\n' });
    if (rpmHost) {
      const rpm = await sshExec(pool, target(rpmHost), ['rpm', '-qa']);
      expect(rpm.stdout).toMatch(/^openssh-server-8\.7p1-\S+\.el9\S*\.x86_64$/m);
    }
  });

  it('run lists with exit codes, quoted argv verbatim, stdin, and unknown commands as 127', async () => {
    const t = target(servers[1]);
    expect(await sshExec(pool, t, 'true')).toMatchObject({ exitCode: 0, stdout: '' });
    expect(await sshExec(pool, t, 'false')).toMatchObject({ exitCode: 1 });
    expect(await sshExec(pool, t, 'echo a; exit 7; echo never')).toMatchObject({ exitCode: 7, stdout: 'a\n' });
    expect(await sshExec(pool, t, 'false && echo no || echo yes')).toMatchObject({ exitCode: 0, stdout: 'yes\n' });
    const nasty = ["it's", '$(reboot)', '`id`', 'a  b', 'tab\there', 'new\nline', '"dq"', '\\', '*', '#', ';', '&&', '中文'];
    expect((await sshExec(pool, t, ['echo', ...nasty])).stdout).toBe(`${nasty.join(' ')}\n`);
    expect(await sshExec(pool, t, 'cat', { stdin: 'from stdin\n' })).toMatchObject({ exitCode: 0, stdout: 'from stdin\n' });
    expect(await sshExec(pool, t, 'reboot')).toMatchObject({ exitCode: 127, stderr: 'bash: reboot: command not found\n' });
    expect(await sshExec(pool, t, 'cat /proc/nope')).toMatchObject({ exitCode: 1, stderr: 'cat: /proc/nope: No such file or directory\n' });
    expect(await sshExec(pool, t, 'echo | wc')).toMatchObject({ exitCode: 2 });
    await expect(sshExec(pool, t, 'exit 4', { check: true })).rejects.toMatchObject({ name: 'SshExecError', exitCode: 4 });
  });

  it('caps output with a truncated flag and keeps the exit status; times out a command that hangs', async () => {
    const t = target(servers[2]);
    const r = await sshExec(pool, t, 'cat /proc/cpuinfo; exit 5', { maxStdoutBytes: 100 });
    expect(r).toMatchObject({ exitCode: 5, stdoutTruncated: true, stderrTruncated: false });
    expect(Buffer.byteLength(r.stdout)).toBe(100);
    expect(r.stdoutBytes).toBeGreaterThan(1000);
    const slow = sshExec(pool, t, 'sleep 30', { timeoutMs: 300 });
    await expect(slow).rejects.toBeInstanceOf(SshTimeoutError);
    await expect(slow).rejects.toMatchObject({ host: t.host, command: 'sleep 30', timeoutMs: 300 });
    // The host is still usable afterwards (a fresh connection if the old one was retired).
    expect(await sshExec(pool, t, 'echo still here')).toMatchObject({ exitCode: 0, stdout: 'still here\n' });
  });

  it('accept the lab key and password; refuse a wrong password, a stranger key and another user', async () => {
    const d = servers[3];
    expect((await sshExec(pool, target(d, 'lab-key'), 'whoami')).stdout).toBe('fleetdeck\n');
    for (const id of ['wrong-password', 'wrong-key', 'root']) {
      const err = await sshExec(pool, target(d, id), 'true').catch((e: unknown) => e);
      expect(err, id).toBeInstanceOf(SshAuthError);
      expect(err).toMatchObject({ host: d.mgmtIp, port: PORT, credentialId: id });
    }
  });

  it('take an SFTP upload atomically: verified by sha256sum, renamed over the old file, no temp file left', async () => {
    const t = target(servers[4]);
    const v1 = Buffer.alloc(300_000, 1);
    const v2 = Buffer.from(Array.from({ length: 150_000 }, (_, i) => (i * 31) & 255));
    const r1 = await sftpUpload(pool, t, { source: v1, remotePath: '/opt/fd-agent', mode: 0o755 });
    expect(r1).toMatchObject({ bytes: v1.length, verifiedBy: 'sha256sum', remotePath: '/opt/fd-agent' });
    const r2 = await sftpUpload(pool, t, { source: v2, remotePath: '/opt/fd-agent', verify: 'readback' });
    expect(r2.verifiedBy).toBe('readback');
    expect((await sshExec(pool, t, ['sha256sum', '/opt/fd-agent'])).stdout).toBe(`${r2.sha256}  /opt/fd-agent\n`);
    expect((await sshExec(pool, t, 'ls /opt')).stdout).toBe('fd-agent\n');

    // A wrong expected checksum: refused before the rename, old file intact, temp file gone.
    const bad = await sftpUpload(pool, t, { source: v1, remotePath: '/opt/fd-agent', sha256: '0'.repeat(64) }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(SshChecksumMismatchError);
    expect(bad).toMatchObject({ host: t.host, remotePath: '/opt/fd-agent', expected: '0'.repeat(64), actual: r1.sha256 });
    expect((await sshExec(pool, t, ['sha256sum', '/opt/fd-agent'])).stdout).toBe(`${r2.sha256}  /opt/fd-agent\n`);
    expect((await sshExec(pool, t, 'ls /opt')).stdout).toBe('fd-agent\n');

    // Nowhere to write: a named error that says which step failed.
    await expect(sftpUpload(pool, t, { source: v1, remotePath: '/etc/fd-agent' })).rejects.toMatchObject({ name: 'SshUploadError', step: 'open' });
    await expect(sftpUpload(pool, t, { source: v1, remotePath: '/no/such/dir/x' })).rejects.toBeInstanceOf(SshUploadError);
  });

  it('go quiet when powered off (connections dropped, new ones refused) and come back freshly booted', async () => {
    const d = servers[5];
    const t = target(d);
    await sftpUpload(pool, t, { source: Buffer.from('keep'), remotePath: '/opt/keep' });
    await sftpUpload(pool, t, { source: Buffer.from('lost'), remotePath: '/tmp/lost' });
    expect(pool.stats().connections).toBeGreaterThan(0);
    await host(d).setPower(false);
    expect(host(d).connections).toBe(0);
    // The pooled connection died while idle: the pool retries on a fresh one, which is refused.
    const err = await sshExec(pool, t, 'uptime').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshConnectError);
    expect((err as SshConnectError).reason).toMatch(/ECONNREFUSED/);

    await host(d).setPower(true);
    expect((await sshExec(pool, t, 'uptime')).stdout).toMatch(/ up (0 min|\d+ min),/);
    expect(await sshExec(pool, t, 'cat /opt/keep /tmp/lost')).toMatchObject({ exitCode: 1, stdout: 'keep' });
  });

  it('a reinstalled host (new key) is refused, naming the host and both fingerprints', async () => {
    const d = servers[6];
    const t = target(d);
    await sshExec(pool, t, 'true');
    const old = labSshHostKey(`${SEED}/${d.id}`).fingerprint;
    expect(pins.get(d.mgmtIp, PORT)).toBe(old);
    host(d).rekey('reinstalled');
    await pool.closeHost(d.mgmtIp, PORT);
    const err = await sshExec(pool, t, 'true').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshHostKeyMismatchError);
    const fresh = labSshHostKey('reinstalled').fingerprint;
    expect(err).toMatchObject({ host: d.mgmtIp, port: PORT, expected: old, actual: fresh });
    expect((err as Error).message).toContain(old);
    expect((err as Error).message).toContain(fresh);
    expect(pins.get(d.mgmtIp, PORT)).toBe(old);
  });

  it('run one command on every host, bounded, with a powered-off host as an error result', async () => {
    const off = servers.slice(20, 22);
    for (const d of off) await host(d).setPower(false);
    const results = [];
    for await (const r of fleetExec(pool, servers.map((d) => ({ ...target(d), id: d.id })), 'hostname', { concurrency: 8 })) results.push(r);
    expect(results).toHaveLength(servers.length);
    const byId = new Map(results.map((r) => [r.id, r]));
    for (const d of servers) {
      const r = byId.get(d.id)!;
      if (off.includes(d)) {
        expect(r.error).toBeInstanceOf(SshConnectError);
      } else if (d === servers[6]) {
        expect(r.error).toBeInstanceOf(SshHostKeyMismatchError); // still reinstalled from the test before
      } else {
        expect(r, d.id).toMatchObject({ exitCode: 0, stdout: `${d.hostname}\n`, error: null });
      }
    }
    for (const d of off) await host(d).setPower(true);
  });

  it('present the same key for the same lab seed, a different one per host', () => {
    const keys = servers.map((d) => host(d).hostKey.fingerprint);
    expect(keys[0]).toBe(labSshHostKey(`${SEED}/${servers[0].id}`).fingerprint);
    expect(new Set(keys.slice(0, 6)).size).toBe(6);
  });
});
