// Named SNMP errors: every net-snmp failure mapped with its fields and cause, and serialized in the shared shape.
import * as snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import { FleetDeckError, serializeError } from '../../../../../src-shared/errors';
import {
  SnmpAuthError, SnmpError, SnmpInvalidResponseError, SnmpResponseError, SnmpSessionClosedError, SnmpTimeoutError, toSnmpError,
} from '../../../../../src-main/core/protocols/snmp/errors';

describe('SNMP errors', () => {
  it('maps every net-snmp failure to a named error with fields and the cause kept', () => {
    const timedOut = new (snmp as unknown as { RequestTimedOutError: new (m: string) => Error }).RequestTimedOutError('Request timed out');
    const t = toSnmpError(timedOut, '127.0.0.9', ['1.3.6.1.2.1.1.5.0']);
    expect(t).toBeInstanceOf(SnmpTimeoutError);
    expect(t).toMatchObject({ host: '127.0.0.9', oid: '1.3.6.1.2.1.1.5.0', code: 'UNAVAILABLE', cause: timedOut });
    expect(t).toBeInstanceOf(SnmpError);
    expect(t).toBeInstanceOf(FleetDeckError);

    const failed = new snmp.RequestFailedError('notWritable: 1.3.6.1.2.1.1.3.0', snmp.ErrorStatus.NotWritable);
    expect(toSnmpError(failed, 'h', ['1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.1.3.0'])).toMatchObject({
      name: 'SnmpResponseError', status: 'notWritable', statusCode: 17, index: 2, oid: '1.3.6.1.2.1.1.3.0',
    });
    expect(toSnmpError(new snmp.RequestFailedError('tooBig', 1), 'h')).toMatchObject({ status: 'tooBig', index: 0, oid: null });
    expect(toSnmpError(new snmp.RequestFailedError('?', 99), 'h')).toBeInstanceOf(SnmpResponseError);

    const auth = new snmp.ResponseInvalidError('Authentication digest 0011aabb received in message does not match digest ffee calculated for message',
      snmp.ResponseInvalidCode.EAuthFailure, { user: { name: 'u', authKey: 'super-secret-key' } });
    const a = toSnmpError(auth, 'h');
    expect(a).toBeInstanceOf(SnmpAuthError);
    const seen = JSON.stringify({ s: serializeError(a), cause: String(a.cause), m: a.message });
    expect(seen).not.toMatch(/super-secret-key|0011aabb|ffee/);
    expect(toSnmpError(new snmp.ResponseInvalidError('Unknown User Name', snmp.ResponseInvalidCode.EAuthFailure), 'h')).toMatchObject({ reason: 'Unknown User Name' });
    expect(toSnmpError(new snmp.ResponseInvalidError('Unexpected Report PDU', snmp.ResponseInvalidCode.EUnexpectedReport), 'h')).toBeInstanceOf(SnmpInvalidResponseError);
    expect(toSnmpError(new Error('Socket forcibly closed'), 'h')).toBeInstanceOf(SnmpSessionClosedError);
    expect(toSnmpError('weird', 'h')).toBeInstanceOf(SnmpInvalidResponseError);
    expect(toSnmpError(t, 'other')).toBe(t);
  });

  it('serializes to the shared { name, code, message, params } shape', () => {
    expect(serializeError(new SnmpTimeoutError('127.0.0.9', '1.3.6.1'))).toEqual({
      name: 'SnmpTimeoutError', code: 'UNAVAILABLE', message: 'SNMP request to 127.0.0.9 for 1.3.6.1 timed out', params: { host: '127.0.0.9', oid: '1.3.6.1' },
    });
  });
});
