import * as snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import {
  compareOids, counter64, decodeVarbind, encodeCounter64, encodeSetVarbind, isUnder, normalizeOid, octetText, oidSuffix, tableColumns, textOf,
} from '../../../../../src-main/core/protocols/snmp/codec';
import { SnmpValueError } from '../../../../../src-main/core/protocols/snmp/errors';

const T = snmp.ObjectType;

describe('SNMP codec', () => {
  it('turns Counter64 bytes into bigints and back, minimal and unsigned', () => {
    expect(counter64(Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBe(2n ** 64n - 1n);
    expect(counter64(Buffer.from([0x01, 0x00]))).toBe(256n);
    expect(counter64(Buffer.alloc(10))).toBeNull();
    expect(counter64(-1)).toBeNull();
    expect(counter64('12')).toBeNull();
    for (const v of [0n, 127n, 128n, 255n, 2n ** 32n, 2n ** 63n, 2n ** 64n - 1n]) {
      const bytes = encodeCounter64(v);
      expect(counter64(bytes)).toBe(v);
      expect(bytes[0] & 0x80).toBe(0); // never reads as negative
      expect(bytes.length === 1 || bytes[0] !== 0 || (bytes[1] & 0x80) !== 0).toBe(true); // minimal
    }
  });

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

  it('orders OIDs lexicographically by arc, like GetNext', () => {
    const ref = (a: string, b: string): number => {
      const x = a.split('.').map(Number);
      const y = b.split('.').map(Number);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
      return x.length - y.length;
    };
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const oid = (): string => Array.from({ length: 1 + rnd(6) }, () => String(rnd(3) === 0 ? rnd(100_000) : rnd(4))).join('.');
    for (let i = 0; i < 5000; i++) {
      const a = oid();
      const b = rnd(4) === 0 ? a : oid();
      expect(Math.sign(compareOids(a, b))).toBe(Math.sign(ref(a, b)));
    }
    expect(compareOids('1.3.6.1.2.1.2', '1.3.6.1.2.1.10')).toBeLessThan(0);
  });

  it('checks OIDs and knows subtrees', () => {
    expect(normalizeOid('.1.3.6.1')).toBe('1.3.6.1');
    for (const bad of ['', '1', '1..3', '1.3.x', '3.1', '1.3.99999999999']) expect(() => normalizeOid(bad)).toThrow(SnmpValueError);
    expect(isUnder('1.3.6.1.2', '1.3.6.1')).toBe(true);
    expect(isUnder('1.3.6.10', '1.3.6.1')).toBe(false);
    expect(isUnder('1.3.6.1', '1.3.6.1')).toBe(false);
    expect(oidSuffix('1.3.6.1.2.1.2.2.1.10.7', '1.3.6.1.2.1.2.2.1')).toBe('10.7');
    const cols = tableColumns([
      { oid: '1.3.6.1.2.1.2.2.1.2.7', type: 'octets', value: Buffer.from('a') },
      { oid: '1.3.6.1.2.1.2.2.1.8.7', type: 'integer', value: 1 },
      { oid: '1.3.6.1.2.1.99.1', type: 'integer', value: 1 },
    ], '1.3.6.1.2.1.2.2.1');
    expect([...cols.keys()]).toEqual([2, 8]);
    expect(cols.get(8)?.get('7')?.value).toBe(1);
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
