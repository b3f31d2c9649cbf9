// The shipped workflow template behind fleet.run ("run this command line on these hosts"):
// `fleet-run`, one per-host fan-out step whose tool, ssh.run (ssh-run-tool.ts), runs the
// command line on the task's host over the console's SSH pool. The command line and the
// per-host timeout are the run's params; the limits on them are the ones fleet.run has
// always had (checked by fleet.run before launching, and again by ssh.run's input schema for
// a launch made straight from the workflows view). The fan-out bound is the one the old
// in-memory fleet run used (32 hosts in flight), in one batch that never pauses on failures:
// a fleet run goes to every host it was given, as before.
//
// Bulk inventory import is not a workflow and does not move here: it is one all-or-nothing
// SQLite transaction of a few seconds (validated whole, then written or refused whole), with
// no per-host steps, nothing to resume after a crash (the transaction either committed or it
// did not) and nothing for an operator to retry or skip part of.
import type { WfTemplate } from '../../../src-shared/domain/workflow';

export const FLEET_RUN_TEMPLATE_ID = 'fleet-run';
export const FLEET_RUN_STEP_ID = 'run';
export const SSH_RUN_TOOL = 'ssh.run';

/** Hosts in flight at once (what fleet run's runOnHosts used). */
export const FLEET_RUN_CONCURRENCY = 32;
/** Devices in one fleet.run call. */
export const FLEET_RUN_MAX_HOSTS = 5000;
/** The longest command line (characters). */
export const MAX_COMMAND = 4096;
export const MIN_TIMEOUT_MS = 1000;
export const MAX_TIMEOUT_MS = 3_600_000;
export const DEFAULT_TIMEOUT_MS = 60_000;
/** Per host and stream, what is kept of the output (the rest is counted as truncated). */
export const OUTPUT_CAP = 64 * 1024;

/**
 * Why a command line or timeout is refused (fleet.run's rules), or null. The same words as
 * the old ssh-service gave, prefixed by the caller ("fleet.run").
 */
export function commandProblem(command: unknown): string | null {
  if (typeof command !== 'string' || !command.trim()) return 'the command is empty';
  if (command.length > MAX_COMMAND || command.includes('\0')) return `the command must be under ${MAX_COMMAND} characters, with no NUL`;
  return null;
}

export function timeoutProblem(timeoutMs: unknown): string | null {
  const ok = typeof timeoutMs === 'number' && Number.isInteger(timeoutMs) && timeoutMs >= MIN_TIMEOUT_MS && timeoutMs <= MAX_TIMEOUT_MS;
  return ok ? null : 'timeoutMs must be 1,000 to 3,600,000';
}

export const FLEET_RUN_TEMPLATE: WfTemplate = {
  id: FLEET_RUN_TEMPLATE_ID,
  name: 'Fleet run',
  description:
    'One command line on many hosts over SSH (what the Run view launches). A non-zero exit or a signal fails the host; ' +
    'the command is not idempotent, so a host cut off by a restart fails as interrupted for an operator to retry or skip, never run again by itself. ' +
    'Command output goes to operators only (the Run view): the journal keeps exit status, duration and output sizes.',
  params: [
    { name: 'command', type: 'string', required: true, title: 'Command line' },
    { name: 'timeoutMs', type: 'number', required: false, default: DEFAULT_TIMEOUT_MS, title: 'Timeout per host (ms, 1,000 to 3,600,000)' },
  ],
  steps: [
    {
      id: FLEET_RUN_STEP_ID,
      title: 'Run the command line',
      tool: SSH_RUN_TOOL,
      scope: 'host',
      inputs: { deviceId: '${host.id}', command: '${params.command}', timeoutMs: '${params.timeoutMs}' },
      fanOut: { concurrency: FLEET_RUN_CONCURRENCY, batchSize: 100_000, maxFailPct: 100 },
      // A backstop past the command's own deadline (ssh.run's timeoutMs), for a call that never returns.
      timeoutMs: MAX_TIMEOUT_MS + 120_000,
      onTimeout: 'fail',
    },
  ],
};
