// The workflow tool ssh.run: one command line on the task's host over the console's SSH pool,
// as fleet run always ran it (the command line run as given, nothing pasted into it; the
// device's SSH credential checked against its binding before the pool dials: unbound, the
// host fails with CredentialUnboundError and no connection is made; stdout and stderr capped
// at 64 KiB each). Not idempotent: a command line may not be safe to run twice, so an attempt
// cut off by a restart fails as interrupted for an operator to decide.
//
// The rule for an exit status: exit 0 is the tool's result; a non-zero exit or a signal fails
// the host (CommandFailedError, "the command exited with 3"), like a host that could not be
// reached. So the run's state, its failed count and the statistics say what the Run view says
// (ok or failed per host), the most frequent error names the exit status, and the hosts where
// the command failed are the ones an operator retries or skips from the run view.
//
// Command output goes to operators only: the workflows journal is read by viewers, so outputs
// and log lines carry exit status, duration and output sizes, never the text. The text goes,
// with the rest of the host's result, to `report` (fleet-runs.ts streams it to operators as
// onDidReceiveRunResult). A call aborted by the engine (revoke, skip, deadline, the engine
// stopping) reports nothing: the engine's verdict on the task is what gets reported then.
import { z } from 'zod';
import type { Device, RunHostResult } from '../../../src-shared/domain';
import { FleetDeckError, NotFoundError, serializeError, ValidationError } from '../../../src-shared/errors';
import type { CredentialResolver } from '../credentials/credential-resolver';
import { sshExec, toCommand, type ExecResult, type SshPool } from '../protocols/ssh';
import { tool, type Tool, type ToolContext } from '../workflows/tool';
import { commandProblem, MAX_COMMAND, MAX_TIMEOUT_MS, MIN_TIMEOUT_MS, OUTPUT_CAP, SSH_RUN_TOOL, timeoutProblem } from './fleet-run-template';

/** A command ran and did not exit 0: it exited non-zero, or a signal killed it. */
export class CommandFailedError extends FleetDeckError {
  constructor(exitCode: number | null, signal: string | null) {
    const how = exitCode !== null ? `exited with ${exitCode}` : signal !== null ? `was killed by signal ${signal}` : 'ended with no exit status';
    super('UNAVAILABLE', `the command ${how}`, { exitCode, signal });
    this.name = 'CommandFailedError';
  }
}

export interface SshRunDeps {
  device: (id: string) => Device | null;
  credentials: Pick<CredentialResolver, 'requireBound'>;
  pool: SshPool;
  /** The host's full result (output included), for the operators' stream; not called for an aborted call. */
  report: (ctx: ToolContext, result: RunHostResult) => void;
}

const input = z.object({
  deviceId: z.string().min(1).max(200),
  command: z
    .string()
    .max(MAX_COMMAND, `the command must be under ${MAX_COMMAND} characters, with no NUL`)
    .refine((c) => commandProblem(c) === null, { message: 'the command is empty or holds a NUL' }),
  timeoutMs: z
    .number()
    .min(MIN_TIMEOUT_MS)
    .max(MAX_TIMEOUT_MS)
    .refine((t) => timeoutProblem(t) === null, { message: 'timeoutMs must be a whole number of ms' }),
});

const output = z.object({
  exitCode: z.number().int(),
  signal: z.string().nullable(),
  ms: z.number(),
  /** Output past the 64 KiB cap (per stream) was dropped. */
  truncated: z.boolean(),
  stdoutBytes: z.number().int(),
  stderrBytes: z.number().int(),
});

const bytes = (s: string) => Buffer.byteLength(s);

export function sshRunTool(d: SshRunDeps): Tool {
  const t = tool({
    name: SSH_RUN_TOOL,
    title: 'Run a command line over SSH',
    kind: 'sync',
    idempotent: false,
    input,
    output,
    async run(ctx, a) {
      const dev = d.device(a.deviceId);
      const hostname = dev?.hostname ?? ctx.host?.hostname ?? a.deviceId;
      const t0 = performance.now();
      const base = { runId: ctx.runId, deviceId: a.deviceId, hostname };
      const say = (r: RunHostResult) => {
        if (!ctx.signal.aborted) d.report(ctx, r);
      };
      let r: ExecResult;
      try {
        if (!dev) throw new NotFoundError('device', a.deviceId);
        if (!dev.sshCredential) throw new ValidationError(`${dev.hostname} has no SSH credential`, { deviceId: dev.id, reason: 'no-ssh-credential' });
        const target = { id: dev.id, host: dev.mgmtIp, port: dev.sshPort, credentialId: dev.sshCredential };
        // The device's SSH credential only where it is bound: checked here, before the pool dials.
        d.credentials.requireBound({ deviceId: dev.id, role: 'ssh', credentialId: target.credentialId, host: target.host, port: target.port }, { hostname: dev.hostname });
        r = await sshExec(d.pool, target, toCommand(a.command), { timeoutMs: a.timeoutMs, maxStdoutBytes: OUTPUT_CAP, maxStderrBytes: OUTPUT_CAP, signal: ctx.signal });
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        say({ ...base, ok: false, exitCode: null, signal: null, stdout: '', stderr: '', truncated: false, error: `${e.name}: ${e.message}`, failure: serializeError(e), ms: Math.round(performance.now() - t0) });
        throw e;
      }
      const ms = Math.round(performance.now() - t0);
      const truncated = r.stdoutTruncated || r.stderrTruncated;
      const ok = r.exitCode === 0;
      say({ ...base, ok, exitCode: r.exitCode, signal: r.signal, stdout: r.stdout, stderr: r.stderr, truncated, error: null, failure: null, ms });
      const sizes = `stdout ${bytes(r.stdout)} bytes, stderr ${bytes(r.stderr)} bytes${truncated ? ' (cut at the 64 KiB cap)' : ''}`;
      if (!ok) {
        ctx.log(`${r.exitCode !== null ? `exit ${r.exitCode}` : `signal ${r.signal ?? '?'}`} after ${ms} ms; ${sizes}`, 'error');
        throw new CommandFailedError(r.exitCode, r.signal);
      }
      ctx.log(`exit 0 after ${ms} ms; ${sizes}`);
      return { status: 'done', output: { exitCode: 0, signal: null, ms, truncated, stdoutBytes: bytes(r.stdout), stderrBytes: bytes(r.stderr) } };
    },
  });
  return t as unknown as Tool;
}
