// Named SNMP errors. Everything the SNMP code lets out is one of these: net-snmp's own
// errors (RequestTimedOutError, RequestFailedError, ResponseInvalidError, ProcessingError,
// plain Errors) are mapped by toSnmpError() and kept in `cause`. Params never carry
// secrets: a net-snmp ResponseInvalidError's `info` (which can hold the USM user and its
// keys) is dropped, and so is its message when it quotes digests.
import { SnmpError, SnmpValueError } from './codec/errors';

// The codec's own errors (the base class among them) are part of this module's set.
export { SnmpError, SnmpValueError } from './codec/errors';

/** No answer within the timeout, retries included. `oid` is the first OID asked for. */
export class SnmpTimeoutError extends SnmpError {
  readonly host: string;
  readonly oid: string | null;
  constructor(host: string, oid: string | null, cause?: unknown) {
    super('UNAVAILABLE', `SNMP request to ${host}${oid ? ` for ${oid}` : ''} timed out`, { host, oid }, cause);
    this.name = 'SnmpTimeoutError';
    this.host = host;
    this.oid = oid;
  }
}

/**
 * The peer refused our credentials or we refused its: a USM report (unknown user, wrong
 * digest, decryption error, not in time window), a digest that does not verify, a community
 * or user the trap receiver does not know.
 */
export class SnmpAuthError extends SnmpError {
  readonly host: string;
  readonly reason: string;
  constructor(host: string, reason: string, cause?: unknown) {
    super('UNAVAILABLE', `SNMP authentication with ${host} failed: ${reason}`, { host, reason }, cause);
    this.name = 'SnmpAuthError';
    this.host = host;
    this.reason = reason;
  }
}

/** The agent answered with an error-status (noSuchName, notWritable, wrongType, genErr...). */
export class SnmpResponseError extends SnmpError {
  readonly host: string;
  /** RFC 3416 error-status name, e.g. 'notWritable'. */
  readonly status: string;
  readonly statusCode: number;
  /** 1-based error-index into the request's varbinds; 0 when the agent named none. */
  readonly index: number;
  readonly oid: string | null;
  constructor(host: string, statusCode: number, index: number, oid: string | null, cause?: unknown) {
    const status = ERROR_STATUS_NAMES[statusCode] ?? `error-status ${statusCode}`;
    super('BAD_REQUEST', `SNMP agent ${host} answered ${status}${oid ? ` for ${oid}` : ''}`, { host, status, statusCode, index, oid }, cause);
    this.name = 'SnmpResponseError';
    this.host = host;
    this.status = status;
    this.statusCode = statusCode;
    this.index = index;
    this.oid = oid;
  }
}

/** An answer we cannot use: out-of-order OIDs in a walk, an unexpected PDU or report... */
export class SnmpInvalidResponseError extends SnmpError {
  readonly host: string;
  readonly reason: string;
  constructor(host: string, reason: string, cause?: unknown) {
    super('UNAVAILABLE', `SNMP agent ${host} sent an unusable answer: ${reason}`, { host, reason }, cause);
    this.name = 'SnmpInvalidResponseError';
    this.host = host;
    this.reason = reason;
  }
}

/** The session was closed (or disposed) while the request was outstanding. */
export class SnmpSessionClosedError extends SnmpError {
  readonly host: string;
  constructor(host: string, cause?: unknown) {
    super('UNAVAILABLE', `SNMP session to ${host} is closed`, { host }, cause);
    this.name = 'SnmpSessionClosedError';
    this.host = host;
  }
}

/** A datagram the trap receiver could not decode. Its bytes are not kept (only the size). */
export class SnmpMalformedPacketError extends SnmpError {
  readonly source: string;
  readonly bytes: number;
  constructor(source: string, bytes: number, reason: string, cause?: unknown) {
    super('BAD_REQUEST', `malformed SNMP packet from ${source} (${bytes} bytes): ${reason}`, { source, bytes, reason }, cause);
    this.name = 'SnmpMalformedPacketError';
    this.source = source;
    this.bytes = bytes;
  }
}

/** A well-formed message the trap receiver does not take (a GetRequest, a Response...). */
export class SnmpUnexpectedPduError extends SnmpError {
  readonly source: string;
  readonly reason: string;
  constructor(source: string, reason: string, cause?: unknown) {
    super('BAD_REQUEST', `unexpected SNMP message from ${source}: ${reason}`, { source, reason }, cause);
    this.name = 'SnmpUnexpectedPduError';
    this.source = source;
    this.reason = reason;
  }
}

export const ERROR_STATUS_NAMES: readonly string[] = [
  'noError', 'tooBig', 'noSuchName', 'badValue', 'readOnly', 'genErr', 'noAccess', 'wrongType', 'wrongLength',
  'wrongEncoding', 'wrongValue', 'noCreation', 'inconsistentValue', 'resourceUnavailable', 'commitFailed',
  'undoFailed', 'authorizationError', 'notWritable', 'inconsistentName',
];

// net-snmp's ResponseInvalidCode values that mean "security said no".
const RESPONSE_INVALID_AUTH = new Set([4 /* ECouldNotDecrypt */, 5 /* EAuthFailure */, 14 /* ENotInTimeWindow */]);

interface NetSnmpErrorLike {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  code?: unknown;
}

/**
 * Maps whatever net-snmp handed a request callback to a named error. `oids` are the request's
 * OIDs, so an error-status can be pinned to its varbind.
 */
export function toSnmpError(err: unknown, host: string, oids: readonly string[] = []): SnmpError {
  if (err instanceof SnmpError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as NetSnmpErrorLike;
  const message = typeof e.message === 'string' ? e.message : String(err);
  switch (e.name) {
    case 'RequestTimedOutError':
      return new SnmpTimeoutError(host, oids[0] ?? null, err);
    case 'RequestFailedError': {
      const statusCode = typeof e.status === 'number' ? e.status : 5;
      // net-snmp words it "<status>: <oid>" when the agent named a varbind.
      const m = /:\s*([0-9.]+)\s*$/.exec(message);
      const oid = m ? m[1] : null;
      const index = oid ? oids.indexOf(oid) + 1 : 0;
      return new SnmpResponseError(host, statusCode, index, oid, err);
    }
    case 'ResponseInvalidError': {
      const code = typeof e.code === 'number' ? e.code : 0;
      // Keep the USM wording ("Wrong Digest...", "Unknown User Name") but never a digest.
      const reason = /digest [0-9a-f]+ received/i.test(message) ? 'authentication digest does not verify' : message;
      const cause = new Error(reason); // not `err`: its `info` may hold the user's keys
      cause.name = 'ResponseInvalidError';
      return RESPONSE_INVALID_AUTH.has(code) ? new SnmpAuthError(host, reason, cause) : new SnmpInvalidResponseError(host, reason, cause);
    }
    case 'RequestInvalidError':
      return new SnmpValueError(oids[0] ?? '', message, err);
    default:
      if (/socket forcibly closed|not running|closed/i.test(message)) return new SnmpSessionClosedError(host, err);
      return new SnmpInvalidResponseError(host, message, err);
  }
}
