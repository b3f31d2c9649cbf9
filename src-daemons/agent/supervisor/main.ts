// The supervisor's command line (bundled as supervise.js for hosts without systemd):
//   node supervise.js --pid-file F --log-file L --max-log-bytes N --keep-logs K
//        [--backoff-initial-ms 1000] [--backoff-max-ms 60000] [--reset-after-ms 60000]
//        [--grace-ms 10000] [--restart on-failure|always] -- <node> <agent.js> <args...>
// SIGTERM and SIGINT are forwarded to the agent and the supervisor exits after it; SIGHUP is
// ignored (a closing SSH session does not take the fleet agent with it). Exit codes: 0 after
// a requested stop or a clean exit, 2 bad usage, 3 another supervisor holds the pid file,
// 1 anything else.
import { parseArgs } from 'node:util';
import { SupervisorRunningError } from './pid-file';
import { startSupervisor, type Supervisor } from './supervisor';

const USAGE = 'usage: supervise --pid-file F --log-file L --max-log-bytes N --keep-logs K [--backoff-initial-ms MS] [--backoff-max-ms MS] [--reset-after-ms MS] [--grace-ms MS] [--restart on-failure|always] -- <command> [args...]';

function fail(code: number, message: string): never {
  process.stderr.write(`supervise: ${message}\n`);
  process.exit(code);
}

function parse() {
  const str = { type: 'string' } as const;
  let parsed;
  try {
    parsed = parseArgs({
      options: { 'pid-file': str, 'log-file': str, 'max-log-bytes': str, 'keep-logs': str, 'backoff-initial-ms': str, 'backoff-max-ms': str, 'reset-after-ms': str, 'grace-ms': str, restart: str },
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
    command, args, pidFile: v['pid-file'], logFile: v['log-file'], maxLogBytes: Math.max(1, num('max-log-bytes')), keepLogs: num('keep-logs'),
    backoffInitialMs: num('backoff-initial-ms', 1000), backoffMaxMs: num('backoff-max-ms', 60_000), resetAfterMs: num('reset-after-ms', 60_000),
    graceMs: num('grace-ms', 10_000), restart,
  } as const;
}

async function main(): Promise<void> {
  const opts = parse();
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
