// Running one command over SSH: a deadline, capped stdout/stderr (the rest is drained and
// counted, so the command still finishes and reports its exit status), the exit code or the
// signal that killed it. An argv array is quoted word by word (quote.ts); a string is sent
// as it is, for command lines the caller wrote on purpose.
import type { ClientChannel } from 'ssh2';
import { SshCancelledError, SshExecError, SshTimeoutError } from './errors';
import type { SshConnection, SshTarget } from './connection';
import type { SshPool } from './pool';
import { commandLine } from './codec/quote';

export interface ExecOptions {
  /** From opening the channel to its close. Default 30 s. */
  timeoutMs?: number;
  /** Bytes of stdout kept; the rest is counted and dropped. Default 1 MiB. */
  maxStdoutBytes?: number;
  /** Default 256 KiB. */
  maxStderrBytes?: number;
  /** Written to the command's stdin, which is then closed (it is closed at once without). */
  stdin?: string | Uint8Array;
  signal?: AbortSignal;
  /** Throw SshExecError on a non-zero exit or a signal instead of returning the result. */
  check?: boolean;
}

export interface ExecResult {
  host: string;
  port: number;
  command: string;
  /** null when the command was killed by a signal (or the host sent no status). */
  exitCode: number | null;
  /** Signal name without "SIG", e.g. "KILL". */
  signal: string | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** Bytes the command wrote, kept or not. */
  stdoutBytes: number;
  stderrBytes: number;
  ms: number;
}

class Capped {
  readonly chunks: Buffer[] = [];
  kept = 0;
  total = 0;
  constructor(private readonly cap: number) {}
  push(b: Buffer): void {
    this.total += b.length;
    const room = this.cap - this.kept;
    if (room <= 0) return;
    const part = b.length <= room ? b : b.subarray(0, room);
    this.chunks.push(part);
    this.kept += part.length;
  }
  get truncated(): boolean {
    return this.total > this.kept;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export function toCommand(command: string | readonly string[]): string {
  return typeof command === 'string' ? command : commandLine(command);
}

/** Runs one command on an open connection. */
export async function execOn(conn: SshConnection, command: string | readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const cmd = toCommand(command);
  const { host, port } = conn;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const signal = opts.signal;
  if (signal?.aborted) throw new SshCancelledError(host, port, `Command "${cmd}"`);
  const t0 = performance.now();
  const out = new Capped(opts.maxStdoutBytes ?? 1 << 20);
  const err = new Capped(opts.maxStderrBytes ?? 256 << 10);

  let channel: ClientChannel | null = null;
  let timer: NodeJS.Timeout | null = null;
  let onAbort: (() => void) | null = null;
  let gaveUp = false;
  const stop = (): void => {
    if (!channel) return;
    // OpenSSH honours "signal" from 7.9; then closing the channel hangs up on the command.
    try {
      channel.signal('KILL');
    } catch {
      // channel already gone
    }
    channel.close();
  };

  try {
    return await new Promise<ExecResult>((resolve, reject) => {
      timer = setTimeout(() => {
        gaveUp = true;
        stop();
        reject(new SshTimeoutError(host, port, cmd, timeoutMs));
      }, timeoutMs);
      onAbort = () => {
        gaveUp = true;
        stop();
        reject(new SshCancelledError(host, port, `Command "${cmd}"`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });

      conn.exec(cmd).then((ch) => {
        channel = ch;
        if (gaveUp) return stop();
        ch.on('data', (b: Buffer) => out.push(b));
        ch.stderr.on('data', (b: Buffer) => err.push(b));
        // ssh2 repeats the exit status in 'close'. Its 'exit' event can fire in the same tick
        // as the channel opens (a fast command, one TCP read), before this callback runs.
        ch.on('close', (code?: number | null, sig?: string) => {
          const exitCode = typeof code === 'number' ? code : null;
          const exitSignal = typeof sig === 'string' ? sig.replace(/^SIG/, '') : null;
          const result: ExecResult = {
            host, port, command: cmd, exitCode, signal: exitSignal,
            stdout: out.text(), stderr: err.text(),
            stdoutTruncated: out.truncated, stderrTruncated: err.truncated,
            stdoutBytes: out.total, stderrBytes: err.total,
            ms: performance.now() - t0,
          };
          if (exitCode === null && exitSignal === null && conn.closed) {
            return reject(new SshExecError(host, port, cmd, null, null, result.stderr, new Error('the connection closed while the command ran')));
          }
          if (opts.check && (exitCode !== 0 || exitSignal !== null)) {
            return reject(new SshExecError(host, port, cmd, exitCode, exitSignal, result.stderr));
          }
          resolve(result);
        });
        ch.on('error', () => undefined); // 'close' follows and reports
        ch.end(opts.stdin === undefined ? undefined : Buffer.from(opts.stdin));
      }, (e: unknown) => reject(e instanceof SshExecError || (e as Error)?.name === 'SshConnectError' ? e
        : new SshExecError(host, port, cmd, null, null, '', e)));
    });
  } finally {
    if (timer) clearTimeout(timer);
    timer = null;
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** True for errors after which the connection may hold a wedged channel. */
export function leavesChannelOpen(err: unknown): boolean {
  return err instanceof SshTimeoutError || err instanceof SshCancelledError;
}

/** Runs one command on a pooled connection to the target. */
export function sshExec(pool: SshPool, target: SshTarget, command: string | readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const cmd = toCommand(command); // quote (and refuse NUL) before touching the network
  return pool.use(target, (conn) => execOn(conn, cmd, opts), { signal: opts.signal, brokenOn: leavesChannelOpen });
}
