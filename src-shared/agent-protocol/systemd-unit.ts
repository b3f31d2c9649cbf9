// The agent as a systemd service, where systemd is PID 1: the unit file's text. Shared: the
// console's deploy workflow writes it to a systemd host (src-main/core/agents/deploy), and the
// agent's own tools (src-daemons/agent/supervisor/systemd.ts) re-export it.
//
// The unit restarts on failure with systemd's own backoff mirroring the supervisor's: from 1 s
// by 6 steps to 60 s (RestartSteps/RestartMaxDelaySec, systemd >= 254; older versions warn
// about the two keys and restart every second), never giving up (StartLimitIntervalSec=0).
// MemoryMax and CPUQuota are the kernel-enforced caps beside the agent's own (caps.ts).
// Values are checked, and ExecStart quoted by systemd's rules, so no value can add a line.
export interface SystemdUnitOptions {
  /** The program (an absolute path) and its arguments. */
  readonly execStart: readonly string[];
  readonly workingDirectory: string;
  readonly user?: string;
  /** systemd's MemoryMax=: bytes with an optional K/M/G/T suffix, a percentage, or infinity. */
  readonly memoryMax?: string;
  /** systemd's CPUQuota=: a percentage of one CPU, such as 20%. */
  readonly cpuQuota?: string;
  readonly description?: string;
  readonly restartSec?: number;
  readonly environment?: Readonly<Record<string, string>>;
}

export class SystemdUnitError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'SystemdUnitError';
  }
}

function check(field: string, value: string, ok: RegExp, what: string): string {
  if (!ok.test(value)) throw new SystemdUnitError(field, `The unit's ${field} must be ${what}, not ${JSON.stringify(value)}`);
  return value;
}

/** Non-empty and free of control characters (a newline would start another directive). */
function printable(field: string, value: string): string {
  if (value === '' || [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    throw new SystemdUnitError(field, `The unit's ${field} must be one line of printable text, not ${JSON.stringify(value)}`);
  }
  return value;
}

/** One ExecStart word: % and $ escaped (specifiers and variables), quoted when it holds blanks, quotes or backslashes. */
function execWord(word: string): string {
  printable('execStart', word);
  const escaped = word.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return /[\s"'\\;]/.test(escaped) ? `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : escaped;
}

export function systemdUnit(opts: SystemdUnitOptions): string {
  const [program] = opts.execStart;
  if (!program || !program.startsWith('/')) throw new SystemdUnitError('execStart', "The unit's program must be an absolute path");
  if (!printable('workingDirectory', opts.workingDirectory).startsWith('/')) throw new SystemdUnitError('workingDirectory', "The unit's workingDirectory must be an absolute path");
  const description = printable('description', opts.description ?? 'FleetDeck agent');
  const restartSec = opts.restartSec ?? 1;
  if (!(Number.isInteger(restartSec) && restartSec >= 0)) throw new SystemdUnitError('restartSec', "The unit's restartSec must be whole seconds");
  const service = [
    'Type=simple',
    `ExecStart=${opts.execStart.map(execWord).join(' ')}`,
    `WorkingDirectory=${opts.workingDirectory.replace(/%/g, '%%')}`,
  ];
  if (opts.user !== undefined) service.push(`User=${check('user', opts.user, /^[a-z_][a-z0-9_-]*\$?$/i, 'a user name')}`);
  for (const [k, v] of Object.entries(opts.environment ?? {})) {
    check('environment', k, /^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name');
    if (v !== '') printable('environment', v);
    check('environment', v, /^[^"\\]*$/, 'text without quotes or backslashes');
    service.push(`Environment="${k}=${v.replace(/%/g, '%%')}"`);
  }
  service.push(`Restart=on-failure`, `RestartSec=${restartSec}`, 'RestartSteps=6', 'RestartMaxDelaySec=60', 'TimeoutStopSec=10', 'KillMode=mixed');
  if (opts.memoryMax !== undefined) service.push(`MemoryMax=${check('memoryMax', opts.memoryMax, /^(\d+[KMGT]?|\d{1,2}(\.\d+)?%|100%|infinity)$/, 'bytes (K/M/G/T), a percentage or infinity')}`);
  if (opts.cpuQuota !== undefined) service.push(`CPUQuota=${check('cpuQuota', opts.cpuQuota, /^\d+(\.\d+)?%$/, 'a percentage such as 20%')}`);
  return [
    '[Unit]',
    `Description=${description}`,
    'Wants=network-online.target',
    'After=network-online.target',
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    ...service,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
