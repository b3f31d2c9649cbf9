// Typed varbind values: every net-snmp type decoded, octets as text only when text, set values checked.
import * as snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import { encodeCounter64 } from '../../../../../../src-main/core/protocols/snmp/codec/counter64';
import { decodeVarbind, encodeSetVarbind, octetText, textOf } from '../../../../../../src-main/core/protocols/snmp/codec/values';
import { SnmpValueError } from '../../../../../../src-main/core/protocols/snmp/errors';

const T = snmp.ObjectType;

describe('SNMP codec', () => {
  it('types every varbind net-snmp can hand over, and never throws on odd ones', () => {
    const cases: Array<[snmp.Varbind, object]> = [
      [{ oid: '1.1', type: T.Integer, value: -5 }, { type: 'integer', value: -5 }],
      [{ oid: '1.1', type: T.Counter, value: 7 }, { type: 'counter32', value: 7 }],
      [{ oid: '1.1', type: T.Gauge, value: 8 }, { type: 'gauge32', value: 8 }],
      [{ oid: '1.1', type: T.TimeTicks, value: 9 }, { type: 'timeticks', value: 9 }],
      [{ oid: '1.1', type: T.Counter64, value: Buffer.from([1, 0, 0, 0, 0]) }, { type: 'counter64', value: 2n ** 32n }],
      [{ oid: '1.1', type: T.OctetString, value: Buffer.from('eth0') }, { type: 'octets', value: Buffer.from('eth0') }],
      [{ oid: '1.1', type: T.OID, value: '1.3.6' }, { type: 'oid', value: '1.3.6' }],
      [{ oid: '1.1', type: T.IpAddress, value: '127.0.0.1' }, { type: 'ipAddress', value: '127.0.0.1' }],
      [{ oid: '1.1', type: T.Boolean, value: true }, { type: 'boolean', value: true }],
      [{ oid: '1.1', type: T.Null, value: null }, { type: 'null', value: null }],
      [{ oid: '1.1', type: T.NoSuchInstance, value: null }, { type: 'noSuchInstance', value: null }],
      [{ oid: '1.1', type: T.EndOfMibView, value: null }, { type: 'endOfMibView', value: null }],
      [{ oid: '1.1', type: 99 as snmp.ObjectType, value: 'x' }, { type: 'opaque', value: Buffer.from('x') }],
      [{ oid: '1.1', type: T.Integer, value: 'nonsense' as never }, { type: 'integer', value: 0 }],
    ];
    for (const [vb, want] of cases) expect(decodeVarbind(vb)).toEqual({ oid: '1.1', ...want });
  });

  it('reads octet strings as text only when they are text', () => {
    expect(octetText(Buffer.from('Ethernet1/1'))).toBe('Ethernet1/1');
    expect(octetText(Buffer.from([0x00, 0x1b, 0x21, 0xff]))).toBeNull();
    expect(textOf({ oid: '1', type: 'octets', value: Buffer.from([0xde, 0xad, 0x00]) })).toBe('dead00');
  });


  it('encodes set values after checking them', () => {
    expect(encodeSetVarbind({ oid: '1.3.6.1.2.1.2.2.1.7.3', type: 'integer', value: 2 })).toEqual({ oid: '1.3.6.1.2.1.2.2.1.7.3', type: T.Integer, value: 2 });
    expect(encodeSetVarbind({ oid: '1.3.6.1.2.1.1.6.0', type: 'octets', value: 'rack 7' }).type).toBe(T.OctetString);
    expect(encodeSetVarbind({ oid: '1.3.6.1.4.1.1.0', type: 'counter64', value: 2n ** 40n }).value).toEqual(encodeCounter64(2n ** 40n));
    expect(encodeSetVarbind({ oid: '1.3.6.1.4.1.1.0', type: 'ipAddress', value: '127.0.0.1' }).type).toBe(T.IpAddress);
    for (const bad of [
      { oid: '1.3.6.1.4.1.1.0', type: 'integer', value: 1.5 },
      { oid: '1.3.6.1.4.1.1.0', type: 'gauge32', value: -1 },
      { oid: '1.3.6.1.4.1.1.0', type: 'counter64', value: -1n },
      { oid: '1.3.6.1.4.1.1.0', type: 'ipAddress', value: '256.0.0.1' },
      { oid: 'nope', type: 'integer', value: 1 },
    ] as const) expect(() => encodeSetVarbind(bad as never)).toThrow(SnmpValueError);
  });
});
