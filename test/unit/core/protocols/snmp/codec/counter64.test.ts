// Counter64 content bytes to bigint and back: unsigned, minimal, and null when unusable.
import { describe, expect, it } from 'vitest';
import { counter64, encodeCounter64 } from '../../../../../../src-main/core/protocols/snmp/codec/counter64';

describe('SNMP codec: Counter64', () => {
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
});
