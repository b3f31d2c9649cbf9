// Named IPMI errors. Everything the IPMI code lets out is one of these: codec failures on
// malformed bytes, a BMC that does not answer, a BMC that refuses the credentials, a command
// answered with a non-zero completion code. The underlying error (a socket error, a crypto
// failure) is kept in `cause`. Details never carry a password or a session key.
import { completionCodeText } from './codec/completion-codes';
import { IpmiError, IpmiProtocolError } from './codec/errors';

// The codec's own errors (the base class among them) are part of this module's set.
export { IpmiArgumentError, IpmiError, IpmiProtocolError } from './codec/errors';

/** No answer within the timeout, retries included. `command` is null for session setup steps. */
export class IpmiTimeoutError extends IpmiError {
  readonly host: string;
  readonly port: number;
  readonly command: string;
  readonly timeoutMs: number;
  constructor(host: string, port: number, command: string, timeoutMs: number, cause?: unknown) {
    super('UNAVAILABLE', `IPMI ${command} to ${host}:${port} got no answer within ${timeoutMs} ms`, { host, port, command, timeoutMs }, cause);
    this.name = 'IpmiTimeoutError';
    this.host = host;
    this.port = port;
    this.command = command;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The BMC refused us or we refused it: unknown user, wrong password (the BMC's RAKP 2 code
 * does not verify with ours), a RAKP status, a privilege level the user may not take.
 */
export class IpmiAuthError extends IpmiError {
  readonly host: string;
  readonly reason: string;
  constructor(host: string, reason: string, cause?: unknown) {
    super('UNAVAILABLE', `IPMI authentication with ${host} failed: ${reason}`, { host, reason }, cause);
    this.name = 'IpmiAuthError';
    this.host = host;
    this.reason = reason;
  }
}

/**
 * The BMC answered a command with a non-zero completion code. The code is `completionCode`:
 * `code` is taken by FleetDeckError for the contract's error code ('BAD_REQUEST').
 */
export class IpmiCompletionCodeError extends IpmiError {
  readonly completionCode: number;
  readonly command: string;
  readonly host: string;
  constructor(host: string, command: string, completionCode: number) {
    const text = completionCodeText(completionCode);
    super('BAD_REQUEST', `IPMI ${command} on ${host} failed: ${text} (0x${completionCode.toString(16).padStart(2, '0')})`,
      { host, command, completionCode, text });
    this.name = 'IpmiCompletionCodeError';
    this.completionCode = completionCode;
    this.command = command;
    this.host = host;
  }
}

/** The BMC cannot do what was asked: no common cipher suite, no DCMI and no power sensor... */
export class IpmiUnsupportedError extends IpmiError {
  readonly host: string;
  readonly what: string;
  constructor(host: string, what: string, cause?: unknown) {
    super('UNAVAILABLE', `IPMI BMC ${host} does not support ${what}`, { host, what }, cause);
    this.name = 'IpmiUnsupportedError';
    this.host = host;
    this.what = what;
  }
}

/** The session (or its transport) was closed while a request was queued or outstanding. */
export class IpmiSessionClosedError extends IpmiError {
  readonly host: string;
  constructor(host: string, cause?: unknown) {
    super('UNAVAILABLE', `IPMI session to ${host} is closed`, { host }, cause);
    this.name = 'IpmiSessionClosedError';
    this.host = host;
  }
}

/** The caller cancelled (a sweep's AbortSignal) before this BMC was reached. */
export class IpmiCancelledError extends IpmiError {
  readonly host: string;
  constructor(host: string) {
    super('UNAVAILABLE', `IPMI request to ${host} was cancelled`, { host });
    this.name = 'IpmiCancelledError';
    this.host = host;
  }
}

/** Maps anything thrown inside the IPMI code to a named error (already-named errors pass). */
export function toIpmiError(err: unknown, host: string | null): IpmiError {
  if (err instanceof IpmiError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new IpmiProtocolError(reason, host, err);
}
