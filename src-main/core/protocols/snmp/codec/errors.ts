// The SNMP codec's errors: the base class of every named SNMP error, and the one the codec
// itself throws (a malformed OID, a value that cannot be sent as its type). Pure, like the codec.
import { FleetDeckError, type ErrorCode, type ErrorParams } from '../../../../../src-shared/errors';

/** Base class: `instanceof SnmpError` picks out every error of this module. */
export class SnmpError extends FleetDeckError {
  constructor(code: ErrorCode, message: string, params: ErrorParams, cause?: unknown) {
    super(code, message, params, cause === undefined ? undefined : { cause });
    this.name = 'SnmpError';
  }
}

/** A value that cannot be sent as the type asked for (set), or a malformed OID. */
export class SnmpValueError extends SnmpError {
  readonly oid: string;
  constructor(oid: string, reason: string, cause?: unknown) {
    super('VALIDATION', `cannot use ${oid}: ${reason}`, { oid, reason }, cause);
    this.name = 'SnmpValueError';
    this.oid = oid;
  }
}
