// The gateway encapsulation (src-shared/mgw/encap.ts): one datagram written out byte by byte
// (a change of the format fails here), headers round-trip at their edge values, the payload
// comes back as a view of the input, encoding into a caller's buffer writes there, and every
// kind of malformed datagram is refused with its own fault.
import { describe, expect, it } from 'vitest';
import {
  decodeEncap, encodeEncap, encodeEncapHeader, ENCAP_FLAG_HEALTH, ENCAP_FLAG_NEW, ENCAP_FLAG_REDIRECT, ENCAP_HEADER_BYTES,
  MAX_ENCAP_DATAGRAM, MAX_ENCAP_PAYLOAD, type EncapHeader,
} from '../../../../src-shared/mgw/encap';
import { ipv4ToU32, PROTO_TCP, PROTO_UDP } from '../../../../src-shared/mgw/key';
import { FleetDeckError } from '../../../../src-shared/errors';
import { MgwCodecError } from '../../../../src-shared/mgw/wire';
import { fault, hex, toHex } from './bytes';


const HEADER: EncapHeader = { flags: ENCAP_FLAG_NEW, proto: PROTO_UDP, node: 0x0102, vip: ipv4ToU32('10.0.0.1'), vipPort: 53, client: ipv4ToU32('192.168.1.2'), clientPort: 40000, seq: 0xdeadbeef };
// magic, version, flags, proto, reserved, node, VIP, VIP port, client, client port, seq, payload 'hi'
const FIXTURE = '4647 01 01 01 00 0102 0a000001 0035 c0a80102 9c40 deadbeef 6869';

describe('gateway encapsulation', () => {
  it('writes the documented bytes and reads them back', () => {
    const payload = new TextEncoder().encode('hi');
    expect(toHex(encodeEncap(HEADER, payload))).toBe(FIXTURE.replace(/ /g, ''));
    const got = decodeEncap(hex(FIXTURE));
    expect(got.header).toEqual(HEADER);
    expect(toHex(got.payload)).toBe('6869');
  });

  it('round-trips every flag combination, both protocols and the edge values of every field', () => {
    const zero: EncapHeader = { flags: 0, proto: PROTO_UDP, node: 0, vip: 0, vipPort: 0, client: 0, clientPort: 0, seq: 0 };
    const ones: EncapHeader = { flags: 7, proto: PROTO_TCP, node: 0xffff, vip: 0xffffffff, vipPort: 0xffff, client: 0xffffffff, clientPort: 0xffff, seq: 0xffffffff };
    for (const h of [zero, ones, HEADER]) {
      for (const flags of [0, ENCAP_FLAG_NEW, ENCAP_FLAG_HEALTH, ENCAP_FLAG_REDIRECT, ENCAP_FLAG_NEW | ENCAP_FLAG_REDIRECT, 7]) {
        const header = { ...h, flags };
        const bytes = encodeEncap(header, Uint8Array.of(1, 2, 3));
        expect(bytes.length).toBe(ENCAP_HEADER_BYTES + 3);
        const got = decodeEncap(bytes);
        expect(got.header).toEqual(header);
        expect([...got.payload]).toEqual([1, 2, 3]);
      }
    }
    expect(toHex(encodeEncap(ones, new Uint8Array(0)))).toBe(`4647 01 07 02 00 ${'ff'.repeat(18)}`.replace(/ /g, ''));
  });

  it('carries an empty payload and the largest one, and refuses one byte more', () => {
    expect(decodeEncap(encodeEncap(HEADER, new Uint8Array(0))).payload.length).toBe(0);
    const big = new Uint8Array(MAX_ENCAP_PAYLOAD).map((_, i) => i & 0xff);
    const bytes = encodeEncap(HEADER, big);
    expect(bytes.length).toBe(MAX_ENCAP_DATAGRAM);
    expect(Buffer.from(decodeEncap(bytes).payload).equals(big)).toBe(true);
    expect(fault(() => encodeEncap(HEADER, new Uint8Array(MAX_ENCAP_PAYLOAD + 1)))).toBe('too-large');
    const over = new Uint8Array(MAX_ENCAP_DATAGRAM + 1);
    over.set(bytes);
    expect(fault(() => decodeEncap(over))).toBe('too-large');
  });

  it('decodes the payload as a view of the input, at any offset of a larger buffer', () => {
    const framed = new Uint8Array(100);
    framed.set(encodeEncap(HEADER, Uint8Array.of(9, 8, 7)), 40);
    const view = framed.subarray(40, 40 + ENCAP_HEADER_BYTES + 3);
    const got = decodeEncap(view);
    expect(got.header).toEqual(HEADER);
    expect(got.payload.buffer).toBe(framed.buffer);
    expect(got.payload.byteOffset).toBe(40 + ENCAP_HEADER_BYTES);
    framed[40 + ENCAP_HEADER_BYTES] = 5;
    expect(got.payload[0]).toBe(5);
  });

  it('writes into the caller\'s buffer: the datagram at its start, a view returned, the rest untouched', () => {
    const out = new Uint8Array(64).fill(0xaa);
    const got = encodeEncap(HEADER, new TextEncoder().encode('hi'), out);
    expect(got.buffer).toBe(out.buffer);
    expect(got.byteOffset).toBe(0);
    expect(toHex(got)).toBe(FIXTURE.replace(/ /g, ''));
    expect(out[26]).toBe(0xaa);
    // A buffer of exactly the size comes back itself.
    const exact = new Uint8Array(ENCAP_HEADER_BYTES + 2);
    expect(encodeEncap(HEADER, Uint8Array.of(1, 2), exact)).toBe(exact);
    // The payload may already sit where it goes (received into the buffer after a header's room).
    const inPlace = new Uint8Array(64);
    inPlace.set([4, 5, 6], ENCAP_HEADER_BYTES);
    const d = decodeEncap(encodeEncap(HEADER, inPlace.subarray(ENCAP_HEADER_BYTES, ENCAP_HEADER_BYTES + 3), inPlace));
    expect([...d.payload]).toEqual([4, 5, 6]);
    expect(fault(() => encodeEncap(HEADER, new Uint8Array(41), out))).toBe('buffer-too-small');
  });

  it('encodeEncapHeader writes the header alone at an offset and returns where the payload goes', () => {
    const out = new Uint8Array(40);
    expect(encodeEncapHeader(HEADER, out, 10)).toBe(10 + ENCAP_HEADER_BYTES);
    expect(toHex(out.subarray(10, 34))).toBe(FIXTURE.replace(/ /g, '').slice(0, 48));
    expect([...out.subarray(0, 10), ...out.subarray(34)].every((b) => b === 0)).toBe(true);
    expect(encodeEncapHeader(HEADER, out)).toBe(ENCAP_HEADER_BYTES);
    expect(fault(() => encodeEncapHeader(HEADER, out, 17))).toBe('buffer-too-small');
    expect(fault(() => encodeEncapHeader(HEADER, new Uint8Array(23)))).toBe('buffer-too-small');
  });

  it('refuses to encode what does not fit the header', () => {
    const bad = (over: Partial<Record<keyof EncapHeader, number>>): string => fault(() => encodeEncap({ ...HEADER, ...over } as EncapHeader, new Uint8Array(0)));
    expect(bad({ node: 0x10000 })).toBe('bad-field');
    expect(bad({ vip: 2 ** 32 })).toBe('bad-field');
    expect(bad({ vipPort: -1 })).toBe('bad-field');
    expect(bad({ client: 1.5 })).toBe('bad-field');
    expect(bad({ clientPort: Number.NaN })).toBe('bad-field');
    expect(bad({ seq: 2 ** 32 })).toBe('bad-field');
    expect(bad({ flags: 8 })).toBe('reserved');
    expect(bad({ flags: 2 ** 32 + 1 })).toBe('reserved');
    expect(bad({ proto: 0 })).toBe('unknown-proto');
    expect(bad({ proto: 3 })).toBe('unknown-proto');
  });

  it('refuses every kind of malformed datagram with its fault', () => {
    const good = hex(FIXTURE);
    const patched = (at: number, v: number): Uint8Array => {
      const b = good.slice();
      b[at] = v;
      return b;
    };
    expect(fault(() => decodeEncap(new Uint8Array(0)))).toBe('short');
    expect(fault(() => decodeEncap(good.subarray(0, ENCAP_HEADER_BYTES - 1)))).toBe('short');
    expect(fault(() => decodeEncap(good.subarray(0, ENCAP_HEADER_BYTES)))).toBe('accepted');
    expect(fault(() => decodeEncap(patched(0, 0x47)))).toBe('bad-magic');
    expect(fault(() => decodeEncap(patched(1, 0x53)))).toBe('bad-magic'); // a sync datagram's magic
    expect(fault(() => decodeEncap(patched(2, 0)))).toBe('version');
    expect(fault(() => decodeEncap(patched(2, 2)))).toBe('version');
    for (let bit = 3; bit < 8; bit++) expect(fault(() => decodeEncap(patched(3, 1 << bit)))).toBe('reserved');
    expect(fault(() => decodeEncap(patched(5, 1)))).toBe('reserved');
    expect(fault(() => decodeEncap(patched(4, 0)))).toBe('unknown-proto');
    expect(fault(() => decodeEncap(patched(4, 3)))).toBe('unknown-proto');
    expect(fault(() => decodeEncap(patched(4, 0x11)))).toBe('unknown-proto');
    const err = (() => {
      try {
        decodeEncap(patched(2, 9));
      } catch (e) {
        return e as MgwCodecError;
      }
      throw new Error('accepted');
    })();
    expect(err).toBeInstanceOf(MgwCodecError);
    expect(err).toBeInstanceOf(FleetDeckError);
    expect(err.name).toBe('MgwCodecError');
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.params).toMatchObject({ fault: 'version', version: 9 });
  });
});
