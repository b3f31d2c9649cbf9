// Named SSH errors. Every one carries the host it concerns (and the port) as fields, keeps
// the underlying ssh2 / socket error in `cause`, and crosses the API boundary through
// serializeError as { name, code, message, details }.
import { FleetDeckError, type ErrorCode } from '../../../../src-shared/errors';

export abstract class SshError extends FleetDeckError {
  readonly host: string;
  readonly port: number;
  constructor(code: ErrorCode, host: string, port: number, message: string, details: Record<string, unknown>, cause?: unknown) {
    super(code, message, { host, port, ...details }, cause === undefined ? undefined : { cause });
    this.host = host;
    this.port = port;
  }
}

/** The host presented a key other than the one pinned for it: the connection is refused. */
export class SshHostKeyMismatchError extends SshError {
  /** SHA256:... fingerprints, as OpenSSH prints them. */
  readonly expected: string;
  readonly actual: string;
  constructor(host: string, port: number, expected: string, actual: string) {
    super('CONFLICT', host, port,
      `Host key for ${host}:${port} has changed: pinned ${expected}, offered ${actual}. ` +
      'The connection was refused; if the host was reinstalled, remove its pinned key first.',
      { expected, actual });
    this.name = 'SshHostKeyMismatchError';
    this.expected = expected;
    this.actual = actual;
  }
}

/** Every authentication method the credential allowed was rejected by the host. */
export class SshAuthError extends SshError {
  readonly username: string;
  readonly credentialId: string;
  constructor(host: string, port: number, username: string, credentialId: string, cause?: unknown) {
    super('UNAVAILABLE', host, port, `SSH authentication as "${username}" failed on ${host}:${port} (credential "${credentialId}")`,
      { username, credentialId }, cause);
    this.name = 'SshAuthError';
    this.username = username;
    this.credentialId = credentialId;
  }
}

/** No SSH session could be set up: refused, unreachable, reset during the handshake. */
export class SshConnectError extends SshError {
  readonly reason: string;
  constructor(host: string, port: number, reason: string, cause?: unknown) {
    super('UNAVAILABLE', host, port, `Cannot connect to ${host}:${port} over SSH: ${reason}`, { reason }, cause);
    this.name = 'SshConnectError';
    this.reason = reason;
  }
}

/** A deadline passed. `command` is null when the handshake itself did not finish in time. */
export class SshTimeoutError extends SshError {
  readonly command: string | null;
  readonly timeoutMs: number;
  constructor(host: string, port: number, command: string | null, timeoutMs: number, cause?: unknown) {
    super('UNAVAILABLE', host, port,
      command === null
        ? `SSH handshake with ${host}:${port} did not finish within ${timeoutMs} ms`
        : `Command on ${host}:${port} did not finish within ${timeoutMs} ms: ${command}`,
      { command, timeoutMs }, cause);
    this.name = 'SshTimeoutError';
    this.command = command;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A command ran and failed: a non-zero exit or a signal (raised by exec only when the caller
 * asked for `check`), or the host refused to open the channel at all (exitCode null).
 */
export class SshExecError extends SshError {
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderr: string;
  constructor(host: string, port: number, command: string, exitCode: number | null, signal: string | null, stderr: string, cause?: unknown) {
    const how = exitCode !== null ? `exited with ${exitCode}` : signal !== null ? `was killed by SIG${signal}` : 'could not be started';
    const tail = stderr.trim().split('\n').slice(-3).join(' / ').slice(0, 300);
    super('UNAVAILABLE', host, port, `Command on ${host}:${port} ${how}: ${command}${tail ? ` (stderr: ${tail})` : ''}`,
      { command, exitCode, signal, stderr: stderr.slice(-4096) }, cause);
    this.name = 'SshExecError';
    this.command = command;
    this.exitCode = exitCode;
    this.signal = signal;
    this.stderr = stderr;
  }
}

const UPLOAD_STEP = { open: 'opening the temporary file', write: 'writing', verify: 'verifying the checksum', rename: 'renaming into place' };

/** An SFTP upload failed; the target path was not touched and the temporary file removed. */
export class SshUploadError extends SshError {
  readonly remotePath: string;
  readonly step: 'open' | 'write' | 'verify' | 'rename';
  constructor(host: string, port: number, remotePath: string, step: SshUploadError['step'], reason: string, cause?: unknown) {
    super('UNAVAILABLE', host, port, `Upload to ${host}:${port}:${remotePath} failed while ${UPLOAD_STEP[step]}: ${reason}`,
      { remotePath, step, reason }, cause);
    this.name = 'SshUploadError';
    this.remotePath = remotePath;
    this.step = step;
  }
}

/** The bytes on the host do not hash to what was sent (or what the caller expected). */
export class SshChecksumMismatchError extends SshError {
  readonly remotePath: string;
  readonly expected: string;
  readonly actual: string;
  constructor(host: string, port: number, remotePath: string, expected: string, actual: string) {
    super('CONFLICT', host, port, `Upload to ${host}:${port}:${remotePath}: sha256 on the host is ${actual}, expected ${expected}; the target was left untouched`,
      { remotePath, expected, actual });
    this.name = 'SshChecksumMismatchError';
    this.remotePath = remotePath;
    this.expected = expected;
    this.actual = actual;
  }
}

/** The caller cancelled (AbortSignal) before the operation on this host finished. */
export class SshCancelledError extends SshError {
  constructor(host: string, port: number, what: string) {
    super('UNAVAILABLE', host, port, `${what} on ${host}:${port} was cancelled`, { what });
    this.name = 'SshCancelledError';
  }
}

/** The pool was disposed: no new sessions. */
export class SshPoolClosedError extends SshError {
  constructor(host: string, port: number) {
    super('UNAVAILABLE', host, port, `SSH pool is closed; cannot reach ${host}:${port}`, {});
    this.name = 'SshPoolClosedError';
  }
}
