// "Run this on 500 hosts": at most `concurrency` hosts at a time, every host's result
// streamed back as soon as it lands (an async iterator, or a callback), exactly one result
// per target, cancellable. A host that fails (down, refused key, timeout) is a result with
// an error, never an exception that ends the run.
import { setMaxListeners } from 'node:events';
import { SshCancelledError } from './errors';
import { DEFAULT_SSH_PORT, type SshTarget } from './connection';
import { sshExec, toCommand, type ExecOptions, type ExecResult } from './exec';
import type { SshPool } from './pool';

export interface FleetTarget extends SshTarget {
  /** The caller's name for this host (e.g. a device id), echoed in its result. */
  id?: string;
}

/** One host's outcome: what exec returned for it (exit status and capped output), or why not. */
export interface FleetHostResult extends Pick<ExecResult, 'host' | 'port' | 'exitCode' | 'signal' | 'stdout' | 'stderr' | 'stdoutTruncated' | 'stderrTruncated' | 'ms'> {
  id: string | undefined;
  /** Position of the target in the list given. */
  index: number;
  /** Why the host has no exit status: a named SshError (SshCancelledError if never started). */
  error: Error | null;
  /** False for targets the run was cancelled before reaching. */
  started: boolean;
}

export interface FleetRunSummary {
  total: number;
  ok: number;
  failed: number;
  errors: number;
  cancelled: boolean;
  ms: number;
}

export interface FleetRun extends AsyncIterable<FleetHostResult> {
  /** Stops starting hosts and aborts those in flight; each still yields a (cancelled) result. */
  cancel(): void;
  /** Resolves after the last result, whether or not anyone iterates. */
  readonly done: Promise<FleetRunSummary>;
}

export interface FleetRunOptions {
  /** Hosts in flight at once. Default 32. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Receives each result; when given, results are not also buffered for iteration. */
  onResult?: (result: FleetHostResult) => void;
}

/** The general form: any per-host task, bounded and streamed. */
export function runOnHosts(
  targets: readonly FleetTarget[],
  task: (target: FleetTarget, signal: AbortSignal) => Promise<ExecResult>,
  opts: FleetRunOptions = {},
): FleetRun {
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 32));
  const stop = new AbortController();
  // Every host in flight listens on this signal (exec, pool wait): more than the default 10.
  setMaxListeners(0, stop.signal);
  const onAbort = (): void => stop.abort();
  if (opts.signal?.aborted) stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const t0 = performance.now();
  const buffer: FleetHostResult[] = [];
  const readers: Array<() => void> = [];
  let finished = false;
  let iterating = false;
  const summary: FleetRunSummary = { total: targets.length, ok: 0, failed: 0, errors: 0, cancelled: false, ms: 0 };

  const emit = (r: FleetHostResult): void => {
    if (r.error) summary.errors++;
    else if (r.exitCode === 0) summary.ok++;
    else summary.failed++;
    if (opts.onResult) {
      try {
        opts.onResult(r);
      } catch {
        // a throwing listener must not stop the other hosts
      }
    } else buffer.push(r);
    readers.splice(0).forEach((wake) => wake());
  };

  const base = (t: FleetTarget, index: number): Pick<FleetHostResult, 'id' | 'host' | 'port' | 'index'> =>
    ({ id: t.id, host: t.host, port: t.port ?? DEFAULT_SSH_PORT, index });

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const index = next++;
      const t = targets[index];
      if (stop.signal.aborted) {
        emit({ ...base(t, index), exitCode: null, signal: null, stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false,
          error: new SshCancelledError(t.host, t.port ?? DEFAULT_SSH_PORT, 'Fleet run'), started: false, ms: 0 });
        continue;
      }
      const started = performance.now();
      try {
        const r = await task(t, stop.signal);
        emit({ ...base(t, index), exitCode: r.exitCode, signal: r.signal, stdout: r.stdout, stderr: r.stderr,
          stdoutTruncated: r.stdoutTruncated, stderrTruncated: r.stderrTruncated, error: null, started: true, ms: performance.now() - started });
      } catch (err) {
        emit({ ...base(t, index), exitCode: null, signal: null, stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false,
          error: err instanceof Error ? err : new Error(String(err)), started: true, ms: performance.now() - started });
      }
    }
  };

  const done = Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker)).then(() => {
    finished = true;
    opts.signal?.removeEventListener('abort', onAbort);
    summary.cancelled = stop.signal.aborted;
    summary.ms = performance.now() - t0;
    readers.splice(0).forEach((wake) => wake());
    return summary;
  });

  return {
    cancel: () => stop.abort(),
    done,
    [Symbol.asyncIterator](): AsyncIterator<FleetHostResult> {
      if (opts.onResult) throw new Error('fleet run: results go to onResult; iterate a run started without it');
      if (iterating) throw new Error('fleet run: results can be iterated once');
      iterating = true;
      return {
        next: async () => {
          while (buffer.length === 0 && !finished) await new Promise<void>((r) => readers.push(r));
          return buffer.length > 0 ? { value: buffer.shift()!, done: false } : { value: undefined, done: true };
        },
        return: async () => {
          // The consumer stopped listening (break): nobody wants the rest.
          stop.abort();
          buffer.length = 0;
          return { value: undefined, done: true };
        },
      };
    },
  };
}

/** One command on every target over the pool, `concurrency` hosts at a time. */
export function fleetExec(
  pool: SshPool,
  targets: readonly FleetTarget[],
  command: string | readonly string[],
  opts: FleetRunOptions & Omit<ExecOptions, 'signal' | 'check' | 'stdin'> = {},
): FleetRun {
  const cmd = toCommand(command);
  const { timeoutMs, maxStdoutBytes, maxStderrBytes } = opts;
  return runOnHosts(targets, (t, signal) => sshExec(pool, t, cmd, { timeoutMs, maxStdoutBytes, maxStderrBytes, signal }), opts);
}
