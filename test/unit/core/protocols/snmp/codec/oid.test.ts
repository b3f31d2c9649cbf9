// OID arithmetic: GetNext order against a reference, malformed OIDs, subtrees, table columns.
import { describe, expect, it } from 'vitest';
import { compareOids, isUnder, normalizeOid, oidSuffix, tableColumns } from '../../../../../../src-main/core/protocols/snmp/codec/oid';
import { SnmpValueError } from '../../../../../../src-main/core/protocols/snmp/errors';

describe('SNMP codec: OIDs', () => {
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
});
