// The rig of the agent deploy tests against real OpenSSH, for tests that run sshd somewhere
// other than this process's own network (deploy-sshd.test.ts and deploy-kill9.test.ts keep
// their own copies; this file changes neither): the releases build-daemons makes, free ports
// on an address, liveness that does not count a zombie (PID 1 here does not reap orphans),
// every agent supervisor a deploy started stopped by the pids its pid files name, a workflow
// run waited for, and an sshd started under a wrapper argv (e.g. `ip netns exec <ns>`) with its
// own config, host key and authorized key, stopped by pid, its connection children first.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { CallContext } from '../../../src-shared/api';
import type { WfRunDetail } from '../../../src-shared/domain/workflow';
import type { Core } from '../../../src-main/core/create-core';
import { ed25519KeyPair, type SshKeyPair } from '../../../src-main/core/protocols/ssh/codec/keys';
import { descendants, sleep, until } from '../../support/handles';
import { SSHD } from '../../interop/ssh/sshd-peer';

const run = promisify(execFile);
const operator: CallContext = { actor: 'oli', role: 'operator' };

/** A TCP port free on this address now. */
export const freePort = (host = '127.0.0.1'): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer().once('error', reject).listen(0, host, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Alive and not a zombie. */
export function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Sends sig to pid; a process already gone (ESRCH: a supervisor reaped its child first) is what was wanted. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Builds each version with scripts/build-daemons.mjs into <releasesDir>/<version>. */
export async function buildReleases(releasesDir: string, versions: readonly string[]): Promise<void> {
  const build = (await import(pathToFileURL(path.resolve('scripts/build-daemons.mjs')).href)) as { buildDaemons(o: { outDir: string; version: string; quiet: boolean }): Promise<unknown> };
  for (const v of versions) await build.buildDaemons({ outDir: path.join(releasesDir, v), version: v, quiet: true });
}

/** The pids a host's supervisor.pid and supervisor.pid.child name, those still running. */
export function supervisorPids(installDir: string): number[] {
  const pids: number[] = [];
  for (const f of ['supervisor.pid', 'supervisor.pid.child']) {
    const file = path.join(installDir, f);
    const pid = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : NaN;
    if (Number.isInteger(pid) && pid > 0 && running(pid)) pids.push(pid);
  }
  return pids;
}

/** SIGTERM to every supervisor and agent the pid files under these dirs name; SIGKILL after 15 s. */
export async function stopSupervisors(installDirs: readonly string[]): Promise<void> {
  const pids = installDirs.flatMap(supervisorPids);
  for (const pid of pids) signal(pid, 'SIGTERM');
  const end = Date.now() + 15_000;
  while (pids.some(running) && Date.now() < end) await sleep(100);
  for (const pid of pids.filter(running)) signal(pid, 'SIGKILL');
}

/** Waits for a run to reach one of these states. */
export async function ended(c: Core, runId: string, states: readonly string[], ms = 240_000): Promise<WfRunDetail> {
  return until(`run ${runId} to be ${states.join(' or ')}`, async () => {
    const r = await c.api.call(operator, 'workflows.run', { runId });
    return states.includes(r.state) ? r : false;
  }, ms, 200);
}

export const task = (r: WfRunDetail, stepId: string, host: string) => r.tasks.find((t) => t.stepId === stepId && t.host === host)!;

export interface RigSshd {
  readonly address: string;
  readonly port: number;
  readonly pid: number;
  readonly username: string;
  /** Authorized in its AuthorizedKeysFile. */
  readonly clientKey: SshKeyPair;
  /** "SHA256:..." of its host key. */
  readonly hostFingerprint: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * sshd -D -e on address:port under `wrapper` (argv put before sshd, e.g. ip netns exec <ns>, which
 * execs sshd in place: the child's pid is sshd's), logging in `username` (root: PermitRootLogin
 * prohibit-password) by key only, with its own host key.
 */
export async function startRigSshd(o: { address: string; port: number; wrapper?: readonly string[]; username?: string }): Promise<RigSshd> {
  mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege separation directory, as root
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fd-rig-sshd-'));
  const hostKey = path.join(dir, 'ssh_host_ed25519_key');
  const clientKey = ed25519KeyPair(undefined, 'fleetdeck-rig');
  writeFileSync(path.join(dir, 'authorized_keys'), `${clientKey.publicKey}\n`, { mode: 0o600 });
  const config = path.join(dir, 'sshd_config');
  writeFileSync(config, [
    `ListenAddress ${o.address}:${o.port}`,
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
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
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'rig-host', '-f', hostKey]);
  const fp = /\b(SHA256:[A-Za-z0-9+/]+)/.exec((await run('ssh-keygen', ['-l', '-f', `${hostKey}.pub`])).stdout)?.[1] ?? '';

  const argv = [...(o.wrapper ?? []), SSHD, '-D', '-e', '-f', config];
  const child: ChildProcess = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const halt = async (): Promise<void> => {
    if (gone()) return;
    for (const pid of descendants(child.pid!)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await sleep(100);
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(3000)]);
    if (!gone()) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sshd did not start listening in 10 s:\n${log}`)), 10_000);
      const onData = (b: Buffer): void => {
        log += b.toString();
        if (log.includes(`Server listening on ${o.address} port ${o.port}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`${argv.join(' ')} exited (${code ?? sig}) before listening:\n${log}`));
      });
    });
  } catch (err) {
    await halt();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    address: o.address,
    port: o.port,
    pid: child.pid!,
    username: o.username ?? os.userInfo().username,
    clientKey,
    hostFingerprint: fp,
    output: () => log,
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
