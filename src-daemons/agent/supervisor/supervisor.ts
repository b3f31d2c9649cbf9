// The agent's own small supervisor, for hosts where systemd is not PID 1 (these machines and
// most containers): it starts the agent, restarts it with exponential backoff, holds a pid
// file, writes the agent's output to a log rotated by size, and stops it on request.
//  - backoff: the n-th restart in a row waits initialMs * 2^(n-1), at most maxMs (1 s doubling
//    to 60 s by default); a child that ran resetAfterMs (60 s) before it exited starts the
//    count again. Each exit is recorded in the log with its exit code or signal, the time it
//    ran and the wait before the next start.
//  - restart 'on-failure' (the default, as the systemd unit's Restart=): a child exiting 0
//    ends the supervisor with 0; 'always' restarts it anyway.
//  - pid files: <pidFile> holds the supervisor's pid (a second supervisor on the same file
//    refuses to start: SupervisorRunningError); <pidFile>.child holds the child's, so a
//    supervisor that was SIGKILLed does not leave its agent running beside the next one's:
//    the next one stops that orphan (SIGTERM, SIGKILL after the grace) before it starts.
//  - stop(signal): the signal goes to the child, SIGKILL follows after graceMs (10 s), the
//    pid files are removed and `done` resolves with 0.
// The child gets FLEETDECK_SUPERVISOR_PID in its environment (an agent can exit when its
// supervisor is gone, as Node cannot set PR_SET_PDEATHSIG).
import { spawn, type ChildProcess } from 'node:child_process';
import { claimPidFile, isRunning, orphanChild, releasePidFile, writePid } from './pid-file';
import { RotatingLog } from './log-file';

export interface SupervisorOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly pidFile: string;
  readonly logFile: string;
  readonly maxLogBytes: number;
  readonly keepLogs: number;
  readonly backoffInitialMs?: number;
  readonly backoffMaxMs?: number;
  readonly resetAfterMs?: number;
  readonly graceMs?: number;
  readonly restart?: 'on-failure' | 'always';
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Monotonic ms (default performance.now). */
  readonly now?: () => number;
}

export interface Supervisor {
  /** The running child's pid, null between restarts. */
  readonly childPid: number | null;
  /** Starts after the first. */
  readonly restarts: number;
  /** Forwards `signal` to the child, kills it after the grace, and ends the supervisor. */
  stop(signal?: NodeJS.Signals): Promise<number>;
  /** The supervisor's exit code, once it is done. */
  readonly done: Promise<number>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startSupervisor(opts: SupervisorOptions): Promise<Supervisor> {
  const initial = opts.backoffInitialMs ?? 1000;
  const max = opts.backoffMaxMs ?? 60_000;
  const resetAfter = opts.resetAfterMs ?? 60_000;
  const grace = opts.graceMs ?? 10_000;
  const now = opts.now ?? (() => performance.now());
  const childPidFile = `${opts.pidFile}.child`;
  const argv = [opts.command, ...opts.args];

  claimPidFile(opts.pidFile);
  const log = new RotatingLog(opts.logFile, opts.maxLogBytes, opts.keepLogs);
  const orphan = orphanChild(childPidFile, argv);
  if (orphan !== null) {
    log.record(`stopping pid ${orphan}, left running by an earlier supervisor`);
    await killAndWait(orphan, grace);
  }

  let child: ChildProcess | null = null;
  let restarts = 0;
  let failures = 0;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let finish!: (code: number) => void;
  const done = new Promise<number>((r) => (finish = r));
  let exited: Promise<void> = Promise.resolve();
  /** The child's output pipes are drained and closed. */
  let drained: Promise<void> = Promise.resolve();

  let ended = false;
  const end = (code: number) => {
    if (ended) return;
    ended = true;
    if (timer) clearTimeout(timer);
    timer = null;
    releasePidFile(childPidFile, child?.pid ?? -1);
    releasePidFile(opts.pidFile);
    log.record(`exiting with ${code}`);
    log.close();
    finish(code);
  };

  const launch = () => {
    timer = null;
    const startedAt = now();
    const c = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: { ...(opts.env ?? process.env), FLEETDECK_SUPERVISOR_PID: String(process.pid) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    let settled = false;
    let onExit!: () => void;
    exited = new Promise<void>((r) => (onExit = r));
    drained = new Promise<void>((r) => c.once('close', () => r()));
    const exit = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      if (settled) return;
      settled = true;
      child = null;
      if (c.pid !== undefined) releasePidFile(childPidFile, c.pid);
      onExit();
      const ran = Math.round(now() - startedAt);
      const how = error ? `failed to start (${error.message})` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
      if (stopping) return log.record(`child ${c.pid ?? '-'} ${how} after ${ran} ms (stopping)`);
      if (!error && code === 0 && (opts.restart ?? 'on-failure') === 'on-failure') {
        log.record(`child ${c.pid} ${how} after ${ran} ms; not restarting (restart on failure)`);
        return end(0);
      }
      if (ran >= resetAfter) failures = 0;
      const wait = Math.min(max, initial * 2 ** failures);
      failures++;
      restarts++;
      log.record(`child ${c.pid ?? '-'} ${how} after ${ran} ms; restart ${restarts} in ${wait} ms`);
      timer = setTimeout(launch, wait);
    };
    c.stdout?.on('data', (b: Buffer) => log.write(b));
    c.stderr?.on('data', (b: Buffer) => log.write(b));
    c.on('exit', (code, signal) => exit(code, signal));
    c.on('error', (err) => {
      if (c.pid === undefined) exit(null, null, err); // spawn failed: no 'exit' follows
    });
    if (c.pid !== undefined) {
      writePid(childPidFile, c.pid);
      log.record(`started child ${c.pid}: ${argv.join(' ')}`);
    }
  };

  log.record(`supervising: ${argv.join(' ')}`);
  launch();

  return {
    get childPid() {
      return child?.pid ?? null;
    },
    get restarts() {
      return restarts;
    },
    done,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (stopping) return done;
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const c = child;
      if (c) {
        log.record(`forwarding ${signal} to child ${c.pid}`);
        c.kill(signal);
        const kill = setTimeout(() => {
          log.record(`child ${c.pid} still running after ${grace} ms: SIGKILL`);
          c.kill('SIGKILL');
        }, grace);
        await exited;
        clearTimeout(kill);
        // Let the last output drain into the log (bounded: a grandchild may hold the pipes).
        let cap: NodeJS.Timeout | undefined;
        await Promise.race([drained, new Promise<void>((r) => (cap = setTimeout(r, Math.min(grace, 1000))))]);
        clearTimeout(cap);
      }
      end(0);
      return done;
    },
  };
}

/** SIGTERM, then SIGKILL after the grace; resolves when the process is gone. */
async function killAndWait(pid: number, graceMs: number): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const deadline = performance.now() + graceMs;
  while (isRunning(pid) && performance.now() < deadline) await sleep(50);
  if (isRunning(pid)) signal('SIGKILL');
  while (isRunning(pid) && performance.now() < deadline + 5000) await sleep(20);
}
