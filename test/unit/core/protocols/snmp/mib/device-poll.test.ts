// What one poll reads: the main GET's OIDs per plan, and the octet rate arithmetic over
// Counter64 samples (one wrap allowed, no rate across a restart).
import { describe, expect, it } from 'vitest';
import { counter64 } from '../../../../../../src-main/core/protocols/snmp/codec/counter64';
import { counterDelta } from '../../../../../../src-main/core/protocols/snmp/mib/if-mib';
import { octetRates, pollOids } from '../../../../../../src-main/core/protocols/snmp/mib/device-poll';

describe('device poll plan', () => {
  it('asks the GET for the system scalars, four columns per interface and a PDU power sensor', () => {
    expect(pollOids({ kind: 'pdu', interfaces: 2, walkInterfaces: false, pduProfile: null })).toHaveLength(3 + 8 + 1);
    expect(pollOids({ kind: 'switch', interfaces: 2, walkInterfaces: true, pduProfile: null })).toHaveLength(3);
  });
});

describe('octet rate arithmetic', () => {
  it('decodes Counter64 bytes, allows one wrap, and gives no rate across a restart', () => {
    expect(counter64(Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBe(2n ** 64n - 1n);
    expect(counter64(Buffer.from([0x01, 0x00]))).toBe(256n);
    expect(counter64(null)).toBeNull();
    expect(counterDelta(2n ** 64n - 100n, 50n)).toBe(150n);
    const prev = { at: 0, ticks: 1000, inOctets: [2n ** 64n - 1000n, 10n], outOctets: [0n, null] };
    expect(octetRates(prev, { at: 2000, ticks: 1200, inOctets: [1000n, 2010n], outOctets: [4000n, 5n] })).toEqual({ inBps: 2000, outBps: 2000 });
    expect(octetRates(prev, { at: 2000, ticks: 10, inOctets: [1000n, 2010n], outOctets: [4000n, 5n] })).toBeNull();
    expect(octetRates(prev, { at: 0, ticks: 1200, inOctets: [1000n, 2010n], outOctets: [4000n, 5n] })).toBeNull();
  });
});
