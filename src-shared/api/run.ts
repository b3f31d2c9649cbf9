// Fleet-wide command runs over SSH: start, cancel, and the per-host result stream.
import { z } from 'zod';
import { event, method, optInt, result, text } from './contract';
import type { RunFinished, RunHostResult, RunStarted } from '../domain/run';

export const runMethods = {
  /** Runs one command line on many hosts; results stream as onDidReceiveRunResult. */
  'fleet.run': method({
    role: 'operator',
    confirm: 'always',
    args: z.strictObject({ deviceIds: z.array(z.string().max(200)).max(100_000), command: text(4096), timeoutMs: optInt(1000, 3_600_000) }),
    result: result<RunStarted>(),
    audit: (a) => `${a.deviceIds.length} hosts: ${a.command.slice(0, 200)}`,
    example: { deviceIds: ['dev-1', 'dev-2'], command: 'uptime' },
  }),
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
