// The supervisor's command line (bundled as agent-supervise.js for hosts without systemd):
//   node agent-supervise.js [start [--daemonize]] --pid-file F --log-file L
//        [--max-log-bytes N (10 MiB)] [--keep-logs K (3)]
//        [--backoff-initial-ms 1000] [--backoff-max-ms 60000] [--reset-after-ms 60000]
//        [--grace-ms 10000] [--restart on-failure|always] -- <node> <agent.js> <args...>
//   node agent-supervise.js stop --pid-file F [--grace-ms 10000]
// start --daemonize starts the supervisor detached from the caller (an SSH exec returns at
// once) and exits 0 once the supervisor holds its pid file (3: another one does; 1: it died
// first, with its message). stop sends SIGTERM to the supervisor named by the pid file (which
// stops its agent), waits for it, and SIGKILLs it after the grace; nothing running is fine.
// SIGTERM and SIGINT are forwarded to the agent and the supervisor exits after it; SIGHUP is
// ignored (a closing SSH session does not take the fleet agent with it). Exit codes: 0 after
// a requested stop or a clean exit, 2 bad usage, 3 another supervisor holds the pid file,
// 1 anything else.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { isRunning, readPid, SupervisorRunningError } from './pid-file';
import { startSupervisor, type Supervisor } from './supervisor';

const USAGE = 'usage: supervise --pid-file F --log-file L --max-log-bytes N --keep-logs K [--backoff-initial-ms MS] [--backoff-max-ms MS] [--reset-after-ms MS] [--grace-ms MS] [--restart on-failure|always] -- <command> [args...]';

function fail(code: number, message: string): never {
  process.stderr.write(`supervise: ${message}\n`);
  process.exit(code);
}

function parse(argv: string[]) {
  const str = { type: 'string' } as const;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { daemonize: { type: 'boolean' }, 'pid-file': str, 'log-file': str, 'max-log-bytes': str, 'keep-logs': str, 'backoff-initial-ms': str, 'backoff-max-ms': str, 'reset-after-ms': str, 'grace-ms': str, restart: str },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    fail(2, `${(err as Error).message}\n${USAGE}`);
  }
  const v = parsed.values;
  const num = (name: keyof typeof v, fallback?: number): number => {
    const raw = v[name];
    if (raw === undefined && fallback !== undefined) return fallback;
    const n = Number(raw);
    if (raw === undefined || !Number.isInteger(n) || n < 0) fail(2, `--${name} needs a whole number\n${USAGE}`);
    return n;
  };
  const [command, ...args] = parsed.positionals;
  if (!v['pid-file'] || !v['log-file'] || !command) fail(2, USAGE);
  const restart = v.restart ?? 'on-failure';
  if (restart !== 'on-failure' && restart !== 'always') fail(2, `--restart is on-failure or always\n${USAGE}`);
  return {
    command, args, pidFile: v['pid-file'], logFile: v['log-file'], maxLogBytes: Math.max(1, num('max-log-bytes', 10 * 1024 * 1024)), keepLogs: num('keep-logs', 3),
    backoffInitialMs: num('backoff-initial-ms', 1000), backoffMaxMs: num('backoff-max-ms', 60_000), resetAfterMs: num('reset-after-ms', 60_000),
    graceMs: num('grace-ms', 10_000), restart, daemonize: v.daemonize === true,
  } as const;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts this program again, detached, without --daemonize; exits once it holds the pid file. */
async function daemonize(argv: string[], pidFile: string): Promise<never> {
  const child = spawn(process.execPath, [process.argv[1], ...argv.filter((a) => a !== '--daemonize')], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => void (err += d.toString()));
  let exited: number | null = null;
  child.on('exit', (code) => void (exited = code ?? 1));
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    if (exited !== null) fail(exited === 3 ? 3 : 1, err.trim().replace(/^supervise: /, '') || `the supervisor exited with ${exited}`);
    if (readPid(pidFile) === child.pid) {
      child.stderr?.destroy();
      child.unref();
      process.stdout.write(`supervisor ${child.pid} started\n`);
      process.exit(0);
    }
    await sleep(50);
  }
  fail(1, `the supervisor did not write ${pidFile} within 10 s`);
}

async function stop(argv: string[]): Promise<never> {
  const { values } = parseArgs({ args: argv, options: { 'pid-file': { type: 'string' }, 'grace-ms': { type: 'string' } }, strict: true });
  const pidFile = values['pid-file'];
  if (!pidFile) fail(2, 'usage: supervise stop --pid-file F [--grace-ms MS]');
  const grace = Number(values['grace-ms'] ?? 10_000);
  const pid = readPid(pidFile);
  if (pid === null || !isRunning(pid)) {
    process.stdout.write('nothing running\n');
    process.exit(0);
  }
  process.kill(pid, 'SIGTERM');
  const end = Date.now() + grace + 2000;
  while (Date.now() < end && isRunning(pid)) await sleep(50);
  if (isRunning(pid)) {
    process.kill(pid, 'SIGKILL');
    // Its agent would outlive it: the child's pid file names it.
    const child = readPid(`${pidFile}.child`);
    if (child !== null && isRunning(child)) process.kill(child, 'SIGKILL');
    process.stdout.write(`supervisor ${pid} killed after ${grace} ms\n`);
  } else {
    process.stdout.write(`supervisor ${pid} stopped\n`);
  }
  process.exit(0);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'stop') return stop(argv.slice(1));
  const startArgs = argv[0] === 'start' ? argv.slice(1) : argv;
  const opts = parse(startArgs);
  if (opts.daemonize) return daemonize(startArgs, opts.pidFile);
  let sup: Supervisor;
  try {
    sup = await startSupervisor(opts);
  } catch (err) {
    if (err instanceof SupervisorRunningError) fail(3, err.message);
    fail(1, (err as Error).message);
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void sup.stop(signal));
  process.on('SIGHUP', () => undefined);
  process.exit(await sup.done);
}

void main();
