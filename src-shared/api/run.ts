// Fleet-wide command runs over SSH: start, cancel, and the per-host result stream. A fleet run
// is a run of the shipped workflow template fleet-run (journaled, listed in workflows.runs,
// resumed after a restart: a host cut off by it fails as interrupted, never re-run by itself).
import { z } from 'zod';
import { event, method, optInt, result, text } from './contract';
import type { RunFinished, RunHostResult, RunStarted } from '../domain/run';

export const runMethods = {
  /**
   * Runs one command line on many hosts as a workflow run launched by the caller (runId is its
   * id: #/workflows/run/<runId>); results stream as onDidReceiveRunResult, the end as onDidFinishRun.
   */
  'fleet.run': method({
    role: 'operator',
    confirm: 'always',
    args: z.strictObject({ deviceIds: z.array(z.string().max(200)).max(100_000), command: text(4096), timeoutMs: optInt(1000, 3_600_000) }),
    result: result<RunStarted>(),
    audit: (a) => `${a.deviceIds.length} hosts: ${a.command.slice(0, 200)}`,
    example: { deviceIds: ['dev-1', 'dev-2'], command: 'uptime' },
  }),
  /** Revokes the fleet run; cancelled: false when it had already finished. */
  'fleet.cancelRun': method({
    role: 'operator',
    args: z.strictObject({ runId: text(100) }),
    result: result<{ cancelled: boolean }>(),
    audit: (a) => `run ${a.runId}`,
    example: { runId: 'run-1' },
  }),
};

export const runEvents = {
  onDidReceiveRunResult: event({ role: 'operator', payload: result<RunHostResult>() }),
  onDidFinishRun: event({ role: 'operator', payload: result<RunFinished>() }),
};
