// credentials.test against real peers: an IPMI Get Device ID at OpenIPMI's ipmi_sim (127.43.7.1:17437)
// and an SSH `exec true` with a password at OpenSSH's sshd (127.62.0.1:19162), right and wrong logins.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../src-shared/api';
import { createCore, type Core } from '../../src-main/core/create-core';
import { seedOneCabinet } from '../support/one-cabinet';
import { alive, descendants } from '../support/handles';
import { FIXTURES, IPMI_SIM, peerCheck, SIM, waitForBmc } from './ipmi/peers';
import { SSHD, sshdCheck } from './ssh/sshd-peer';

const BMC = { address: '127.43.7.1', port: 17437 } as const;
const SSH = { address: '127.62.0.1', port: 19162 } as const;
const UNSHARE = '/usr/bin/unshare';
/** The password sshd accepts for the current user, and its SHA-512 crypt (openssl passwd -6 -salt fleetdeckcredtest). */
const SSH_PASSWORD = 'right-horse-9';
const SSH_PASSWORD_HASH = '$6$fleetdeckcredtes$fh9KRaARKZFgx5OTpSAhU07tPdINM5HFecXr6tryjL537edT5QSkwgif.GTRsER.iVlgp4Z6sjTC5mBI2S2.A.';
const admin: CallContext = { actor: 'ada', role: 'admin' };
const run = promisify(execFile);

// sshd checks passwords against /etc/shadow: it runs in a mount namespace of its own where a
// temporary shadow file (this one user, the hash above) is bound over it; the host's is untouched.
const ipmiPeers = peerCheck([IPMI_SIM]);
const sshPeers = sshdCheck();
const unshare = peerCheck([UNSHARE]);
const rootMissing = process.getuid?.() === 0 ? [] : ['root (sshd needs a mount namespace for its own /etc/shadow)'];
const missing = [...ipmiPeers.missing, ...sshPeers.missing, ...unshare.missing, ...rootMissing];
const reason = [ipmiPeers.reason, sshPeers.reason, unshare.reason, ...rootMissing].filter(Boolean).join('; ');
const skip = missing.length > 0 && process.env.CI !== 'true';

interface Peer {
  readonly pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** Kills the child's own children first (while it is alive to reap them: PID 1 here does not), then the child. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  for (const pid of descendants(child.pid!)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** ipmi_sim with the interop fixtures, its lan.conf moved to this file's address. */
async function startBmc(): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-credtest-ipmi-'));
  cpSync(FIXTURES, dir, { recursive: true });
  const conf = readFileSync(join(dir, 'lan.conf'), 'utf8');
  const moved = conf.replace(`addr ${SIM.address} ${SIM.port}`, `addr ${BMC.address} ${BMC.port}`);
  if (moved === conf) throw new Error(`lan.conf does not put ipmi_sim on ${SIM.address} ${SIM.port}`);
  writeFileSync(join(dir, 'lan.conf'), moved);
  let out = '';
  const child = spawn(IPMI_SIM, ['-c', 'lan.conf', '-f', 'bmc.emu', '-s', dir, '-n'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const peer: Peer = {
    pid: child.pid!,
    output: () => out,
    stop: async () => {
      await stopChild(child, exited);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.race([
      waitForBmc(BMC.address, BMC.port),
      exited.then(() => {
        throw new Error(`ipmi_sim exited at start: ${out}`);
      }),
    ]);
  } catch (err) {
    await peer.stop();
    throw err;
  }
  return peer;
}

/** sshd allowing password logins (and only those) for the current user, with SSH_PASSWORD. */
async function startPasswordSshd(): Promise<Peer> {
  try {
    mkdirSync('/run/sshd', { recursive: true }); // privilege separation directory sshd insists on as root
  } catch {
    // sshd says so if it needs it
  }
  const dir = mkdtempSync(join(tmpdir(), 'fd-credtest-sshd-'));
  const hostKey = join(dir, 'ssh_host_ed25519_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'credtest-host', '-f', hostKey]);
  const shadow = join(dir, 'shadow');
  writeFileSync(shadow, `${userInfo().username}:${SSH_PASSWORD_HASH}:19000:0:99999:7:::\n`, { mode: 0o600 });
  const config = join(dir, 'sshd_config');
  writeFileSync(config, [
    `ListenAddress ${SSH.address}:${SSH.port}`,
    `HostKey ${hostKey}`,
    'PermitRootLogin yes',
    'PasswordAuthentication yes',
    'PermitEmptyPasswords no',
    'PubkeyAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PidFile none',
    'LogLevel VERBOSE',
    '',
  ].join('\n'));
  let log = '';
  // unshare execs sh, which execs sshd: the child's pid is sshd's.
  const child = spawn(UNSHARE, ['--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount --bind "$1" /etc/shadow && exec "$2" -D -e -f "$3"', 'sh', shadow, SSHD, config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const peer: Peer = {
    pid: child.pid!,
    output: () => log,
    stop: async () => {
      await stopChild(child, exited);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sshd did not start listening in 10 s:\n${log}`)), 10_000);
      const onData = (b: Buffer): void => {
        log += b.toString();
        if (log.includes(`Server listening on ${SSH.address} port ${SSH.port}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`sshd exited (${code ?? sig}) before listening:\n${log}`));
      });
    });
  } catch (err) {
    await peer.stop();
    throw err;
  }
  return peer;
}

/** The inventory written straight to the store: a server with a BMC at ipmi_sim, a host at sshd. */
function seedInventory(path: string): void {
  seedOneCabinet(path, [
    { id: 'dev-bmc', cabinetId: 'c', kind: 'server', hostname: 'ipmi-sim', sn: 'SN-BMC', uPosition: 10, uHeight: 2, mgmtIp: '127.43.7.2', snmpPort: 161, bmcAddress: BMC.address, bmcPort: BMC.port, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: 'bmc-right', serviceTree: null },
    { id: 'dev-ssh', cabinetId: 'c', kind: 'server', hostname: 'sshd', sn: 'SN-SSH', uPosition: 20, uHeight: 1, mgmtIp: SSH.address, snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: SSH.port, snmpCredential: null, sshCredential: 'ssh-right', ipmiCredential: null, serviceTree: null },
  ]);
}

describe.skipIf(skip)(`credentials.test against ipmi_sim and sshd${skip ? ` (skipped: ${reason})` : ''}`, () => {
  let bmc: Peer | undefined;
  let sshd: Peer | undefined;
  let core: Core | undefined;
  let dir: string | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    if (missing.length) throw new Error(`CI=true: the interop peers must be installed: ${reason}`);
    dir = mkdtempSync(join(tmpdir(), 'fd-credtest-'));
    [bmc, sshd] = await Promise.all([startBmc(), startPasswordSshd()]);
    const storePath = join(dir, 'core.db');
    seedInventory(storePath);
    core = await createCore({ storePath, secretKey: randomBytes(32), lab: false, poller: { intervalMs: 60_000, timeoutMs: 500, retries: 0 }, bmcSensors: false, log: (l) => lines.push(l) });
    const put = (id: string, kind: 'ipmi' | 'ssh-password', secret: Record<string, string>) => core!.api.call(admin, 'credentials.put', { id, kind, name: id, secret });
    await put('bmc-right', 'ipmi', { username: SIM.username, password: SIM.password });
    await put('bmc-wrong', 'ipmi', { username: SIM.username, password: 'not-the-password' });
    await put('ssh-right', 'ssh-password', { username: userInfo().username, password: SSH_PASSWORD });
    await put('ssh-wrong', 'ssh-password', { username: userInfo().username, password: 'not-the-password' });
  }, 30_000);

  afterAll(async () => {
    await core?.dispose();
    const pids = [bmc?.pid, sshd?.pid];
    await Promise.all([bmc?.stop(), sshd?.stop()]);
    for (const pid of pids) if (pid) expect(alive(pid)).toBe(false);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const test = (id: string, deviceId: string) => core!.api.call(admin, 'credentials.test', { id, deviceId });

  it('reads the device ID with the right IPMI login', async () => {
    const r = await test('bmc-right', 'dev-bmc');
    expect(r, bmc!.output()).toMatchObject({ ok: true, request: `IPMI Get Device ID on ${BMC.address}:${BMC.port}`, error: null });
    expect(r.ms).toBeLessThan(3500);
  });

  it('names a wrong IPMI password IpmiAuthError', async () => {
    const r = await test('bmc-wrong', 'dev-bmc');
    expect(r).toMatchObject({ ok: false, request: `IPMI Get Device ID on ${BMC.address}:${BMC.port}`, error: { name: 'IpmiAuthError' } });
    expect(r.ms).toBeLessThan(3500);
  });

  it('runs `true` over SSH with the right password', async () => {
    const r = await test('ssh-right', 'dev-ssh');
    expect(r, sshd!.output()).toMatchObject({ ok: true, request: `SSH exec true on ${SSH.address}:${SSH.port} as ${userInfo().username}`, error: null });
    expect(r.ms).toBeLessThan(3500);
  });

  it('names a wrong SSH password SshAuthError', async () => {
    const r = await test('ssh-wrong', 'dev-ssh');
    expect(r, sshd!.output()).toMatchObject({ ok: false, request: `SSH exec true on ${SSH.address}:${SSH.port} as ${userInfo().username}`, error: { name: 'SshAuthError' } });
    expect(r.ms).toBeLessThan(3500);
  });
});
