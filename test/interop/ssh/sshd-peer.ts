// OpenSSH's sshd as a test peer: a child process on a loopback address with its own
// config, host key (made by ssh-keygen) and authorized key (made by FleetDeck's key codec),
// run as the current user with -D -e. Stopped by pid, its per-connection children first
// (PID 1 here does not reap orphans).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ed25519KeyPair, type SshKeyPair } from '../../../src-main/core/protocols/ssh/codec/keys';
import { descendants } from '../../support/handles';

const run = promisify(execFile);
export const SSHD = '/usr/sbin/sshd';
const PROGRAMS = [SSHD, '/usr/bin/ssh-keygen'];

/** With CI=true a missing sshd must fail the suite; elsewhere the suite may skip. */
export function sshdCheck(): { missing: string[]; skip: boolean; reason: string } {
  const missing = PROGRAMS.filter((p) => {
    try {
      accessSync(p, constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
  const reason = missing.length ? `${missing.join(', ')} not installed (apt-get install openssh-server openssh-client)` : '';
  return { missing, skip: missing.length > 0 && process.env.CI !== 'true', reason };
}

export interface SshdPeer {
  address: string;
  port: number;
  readonly pid: number;
  dir: string;
  username: string;
  /** Authorized in the peer's AuthorizedKeysFile. */
  clientKey: SshKeyPair;
  /** "SHA256:..." of the current host key, as ssh-keygen -l prints it. */
  readonly hostFingerprint: string;
  /** sshd's log so far (for failure messages). */
  output(): string;
  /** A reinstall: new host key on disk, sshd restarted on the same address. */
  regenerateHostKey(): Promise<void>;
  stop(): Promise<void>;
}


async function fingerprint(keyFile: string): Promise<string> {
  const { stdout } = await run('ssh-keygen', ['-l', '-f', keyFile]);
  const m = /\b(SHA256:[A-Za-z0-9+/]+)/.exec(stdout);
  if (!m) throw new Error(`ssh-keygen -l printed no fingerprint: ${stdout}`);
  return m[1];
}

export async function startSshd(opts: { address: string; port: number }): Promise<SshdPeer> {
  try {
    mkdirSync('/run/sshd', { recursive: true }); // privilege separation directory sshd insists on as root
  } catch {
    // not root: sshd then runs without privilege separation and only logs in its own user
  }
  const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-sshd-'));
  const hostKey = join(dir, 'ssh_host_ed25519_key');
  const clientKey = ed25519KeyPair(undefined, 'fleetdeck-interop');
  writeFileSync(join(dir, 'authorized_keys'), `${clientKey.publicKey}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'sshd_config'), [
    `ListenAddress ${opts.address}:${opts.port}`,
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PidFile none',
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
    '',
  ].join('\n'));

  let child: ChildProcess | null = null;
  let log = '';
  let hostFingerprint = '';

  const launch = async (): Promise<void> => {
    rmSync(hostKey, { force: true });
    rmSync(`${hostKey}.pub`, { force: true });
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'interop-host', '-f', hostKey]);
    hostFingerprint = await fingerprint(`${hostKey}.pub`);
    const c = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sshd did not start listening in 10 s:\n${log}`)), 10_000);
      const onData = (b: Buffer): void => {
        log += b.toString();
        if (log.includes(`Server listening on ${opts.address} port ${opts.port}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      c.stdout!.on('data', onData);
      c.stderr!.on('data', onData);
      c.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`sshd exited (${code ?? sig}) before listening:\n${log}`));
      });
    });
  };

  const halt = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    // Connection children first, while their parent is alive to reap them.
    for (const pid of descendants(c.pid!)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 100));
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await exited;
    }
  };

  await launch();
  return {
    address: opts.address,
    port: opts.port,
    get pid() {
      return child!.pid!;
    },
    dir,
    username: userInfo().username,
    clientKey,
    get hostFingerprint() {
      return hostFingerprint;
    },
    output: () => log,
    regenerateHostKey: async () => {
      await halt();
      await launch();
    },
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
