// The IPMI codec's errors: the base class of every named IPMI error, and the two the codec
// itself throws (malformed bytes, an argument the protocol cannot carry). Pure, like the codec.
import { FleetDeckError, type ErrorCode } from '../../../../../src-shared/errors';

/** Base class: `instanceof IpmiError` picks out every error of this module. */
export class IpmiError extends FleetDeckError {
  constructor(code: ErrorCode, message: string, details: Record<string, unknown>, cause?: unknown) {
    super(code, message, details, cause === undefined ? undefined : { cause });
    this.name = 'IpmiError';
  }
}

/** Bytes that are not what the protocol allows: truncated, bad checksum, bad MAC, bad padding. */
export class IpmiProtocolError extends IpmiError {
  readonly reason: string;
  readonly host: string | null;
  constructor(reason: string, host: string | null = null, cause?: unknown) {
    super('UNAVAILABLE', host ? `IPMI peer ${host} sent an unusable message: ${reason}` : `malformed IPMI message: ${reason}`, { reason, host }, cause);
    this.name = 'IpmiProtocolError';
    this.reason = reason;
    this.host = host;
  }
}

/** A caller's argument the protocol cannot carry (an identify interval of 300 s, a 17-byte user). */
export class IpmiArgumentError extends IpmiError {
  readonly argument: string;
  constructor(argument: string, reason: string) {
    super('VALIDATION', `invalid IPMI ${argument}: ${reason}`, { argument, reason });
    this.name = 'IpmiArgumentError';
    this.argument = argument;
  }
}
