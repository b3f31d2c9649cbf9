// The gateway's sync messages on the wire (src-shared/mgw/sync.ts): one message of each type
// written out byte by byte (a change of the format fails here), round trips at the edge values
// (0 and 0xffffffff, a full batch, no NACKs, 64 NACK ranges), the BatchWriter filling a reused
// MTU buffer to the same bytes encodeSync writes, and every rule a decoder checks refused with
// its own fault, the encoder refusing the same values.
import { describe, expect, it } from 'vitest';
import { packK1, PROTO_TCP, PROTO_UDP } from '../../../../src-shared/mgw/key';
import {
  ACK_BYTES, BatchWriter, decodeSync, encodeSync, MAX_NACK_RANGES, NO_BACKEND, SYNC_HEADER_BYTES,
} from '../../../../src-shared/mgw/sync';
import {
  BATCH_HEADER_BYTES, ENTRY_BYTES, ENTRY_DELETE, ENTRY_UPSERT, MAX_BATCH_ENTRIES, NODE_STATES, SYNC_MTU,
  type SyncAck, type SyncBatch, type SyncEntry, type SyncMessage,
} from '../../../../src-shared/mgw/sync-types';
import { fault, hex, toHex } from './bytes';

/** A copy of bytes with some of them replaced. */
const patched = (bytes: Uint8Array, at: number, ...values: number[]): Uint8Array => {
  const b = bytes.slice();
  b.set(values, at);
  return b;
};

const upsert = (k0: number, k1: number, backend: number, idleS: number): SyncEntry => ({ op: ENTRY_UPSERT, k0, k1, backend, idleS });
const del = (k0: number, k1: number, idleS = 0): SyncEntry => ({ op: ENTRY_DELETE, k0, k1, backend: NO_BACKEND, idleS });

// Each message and its bytes, field by field (common header: magic, version, type, node, epoch).
const FIXTURES: [SyncMessage, string][] = [
  [
    { type: 'batch', node: 3, epoch: 7, seq: 42, bulk: true, entries: [upsert(0x0a010203, packK1(5353, 2, PROTO_UDP), 5, 30), del(0xc0a80001, packK1(80, 0, PROTO_TCP))] },
    '4653 01 01 0003 00000007  0000002a 01 02  01 0a010203 14e90021 0005 001e  02 c0a80001 00500002 ffff 0000',
  ],
  [
    { type: 'ack', node: 1, epoch: 2, peerEpoch: 9, cumulative: 100, nacks: [[102, 103], [110, 110]] },
    '4653 01 02 0001 00000002  00000009 00000064 02  00000066 00000067  0000006e 0000006e',
  ],
  [
    { type: 'heartbeat', node: 2, epoch: 0xffffffff, state: 'ready', sessions: 1_000_000, sentSeq: 77 },
    '4653 01 03 0002 ffffffff  02 000f4240 0000004d',
  ],
  [
    { type: 'resync-request', node: 0xffff, epoch: 1, requestId: 0x01020304 },
    '4653 01 04 ffff 00000001  01020304',
  ],
  [
    { type: 'resync-done', node: 4, epoch: 5, requestId: 6, lastSeq: 0x12345678, sessions: 0 },
    '4653 01 05 0004 00000005  00000006 12345678 00000000',
  ],
];

const K1 = packK1(40000, 7, PROTO_UDP);
const fullBatch = (): SyncBatch => ({
  type: 'batch', node: 0xffff, epoch: 0xffffffff, seq: 0xffffffff, bulk: false,
  entries: Array.from({ length: MAX_BATCH_ENTRIES }, (_, i) => (i % 3 === 2 ? del(i, K1, 0xffff) : upsert(0xffffffff - i, packK1(i, i % 4096, PROTO_TCP), i, i * 600))),
});
const BATCH = hex(FIXTURES[0][1]);
const ACK = hex(FIXTURES[1][1]);
const HEARTBEAT = hex(FIXTURES[2][1]);

describe('sync messages on the wire', () => {
  it('writes the documented bytes for each type and reads them back', () => {
    for (const [msg, bytes] of FIXTURES) {
      expect(toHex(encodeSync(msg)), msg.type).toBe(bytes.replace(/\s+/g, ''));
      expect(decodeSync(hex(bytes))).toEqual(msg);
    }
  });

  it('round-trips edge values: 0 and 0xffffffff everywhere, every state, an empty and a full batch', () => {
    const msgs: SyncMessage[] = [];
    for (const v of [0, 1, 0x7fffffff, 0x80000000, 0xffffffff]) {
      const node = v & 0xffff;
      msgs.push(
        { type: 'batch', node, epoch: v, seq: v, bulk: v === 0, entries: [] },
        { type: 'batch', node, epoch: v, seq: v, bulk: true, entries: [upsert(v, packK1(0xffff, 4095, PROTO_TCP), 0xfffe, 0xffff), upsert(v, packK1(0, 0, PROTO_UDP), 0, 0), del(v, K1, 0xffff)] },
        { type: 'ack', node, epoch: v, peerEpoch: v, cumulative: v, nacks: [] },
        { type: 'resync-request', node, epoch: v, requestId: v },
        { type: 'resync-done', node, epoch: v, requestId: v, lastSeq: v, sessions: v },
        ...NODE_STATES.map((state): SyncMessage => ({ type: 'heartbeat', node, epoch: v, state, sessions: v, sentSeq: v })),
      );
    }
    msgs.push({ type: 'ack', node: 0, epoch: 0, peerEpoch: 0, cumulative: 0xfffffffd, nacks: [[0xffffffff, 0xffffffff]] });
    msgs.push({ type: 'ack', node: 0, epoch: 0, peerEpoch: 0, cumulative: 0, nacks: [[1, 0xffffffff]] });
    msgs.push(fullBatch());
    for (const m of msgs) expect(decodeSync(encodeSync(m))).toEqual(m);
  });

  it('a full batch is MAX_BATCH_ENTRIES entries and stays within SYNC_MTU', () => {
    expect(BATCH_HEADER_BYTES).toBe(SYNC_HEADER_BYTES + 6);
    expect(MAX_BATCH_ENTRIES).toBe(106);
    const bytes = encodeSync(fullBatch());
    expect(bytes.length).toBe(BATCH_HEADER_BYTES + MAX_BATCH_ENTRIES * ENTRY_BYTES);
    expect(bytes.length).toBeLessThanOrEqual(SYNC_MTU);
    expect(BATCH_HEADER_BYTES + (MAX_BATCH_ENTRIES + 1) * ENTRY_BYTES).toBeGreaterThan(SYNC_MTU);
    expect(fault(() => encodeSync({ ...fullBatch(), entries: [...fullBatch().entries, upsert(1, K1, 1, 1)] }))).toBe('too-many-entries');
  });

  it('an ack carries 64 NACK ranges, not 65', () => {
    const nacks = (n: number): [number, number][] => Array.from({ length: n }, (_, i) => [1000 + i * 10, 1000 + i * 10 + (i % 5)]);
    const ack: SyncAck = { type: 'ack', node: 1, epoch: 1, peerEpoch: 1, cumulative: 999, nacks: nacks(MAX_NACK_RANGES) };
    const bytes = encodeSync(ack);
    expect(bytes.length).toBe(ACK_BYTES + 8 * MAX_NACK_RANGES);
    expect(bytes.length).toBeLessThanOrEqual(SYNC_MTU);
    expect(decodeSync(bytes)).toEqual(ack);
    expect(fault(() => encodeSync({ ...ack, nacks: nacks(MAX_NACK_RANGES + 1) }))).toBe('too-many-nacks');
    // The same on the way in: a count byte of 65 with the ranges there.
    const more = new Uint8Array(ACK_BYTES + 8 * (MAX_NACK_RANGES + 1));
    more.set(bytes);
    more[18] = MAX_NACK_RANGES + 1;
    expect(fault(() => decodeSync(more))).toBe('too-many-nacks');
  });

  it('the idle time saturates at 65535 seconds', () => {
    const m: SyncBatch = { type: 'batch', node: 1, epoch: 1, seq: 1, bulk: false, entries: [upsert(1, K1, 2, 1_000_000)] };
    expect((decodeSync(encodeSync(m)) as SyncBatch).entries[0].idleS).toBe(0xffff);
  });

  describe('BatchWriter', () => {
    it('fills a reused MTU buffer to the bytes encodeSync writes, and says when it is full', () => {
      const buf = new Uint8Array(SYNC_MTU);
      const w = new BatchWriter(buf);
      expect(w.capacity).toBe(MAX_BATCH_ENTRIES);
      const full = fullBatch();
      w.begin(full.node, full.epoch, full.seq, full.bulk);
      for (const e of full.entries) expect(w.add(e.op, e.k0, e.k1, e.backend, e.idleS)).toBe(true);
      expect(w.full).toBe(true);
      expect(w.add(ENTRY_UPSERT, 1, K1, 1, 1)).toBe(false);
      expect(w.count).toBe(MAX_BATCH_ENTRIES);
      expect(w.byteLength).toBe(BATCH_HEADER_BYTES + MAX_BATCH_ENTRIES * ENTRY_BYTES);
      const out = w.finish();
      expect(out.buffer).toBe(buf.buffer);
      expect(toHex(out)).toBe(toHex(encodeSync(full)));

      // The next batch in the same buffer: fewer entries, its own count, the old tail not sent.
      const [fixture, fixtureHex] = FIXTURES[0] as [SyncBatch, string];
      w.begin(fixture.node, fixture.epoch, fixture.seq, fixture.bulk);
      expect(w.count).toBe(0);
      for (const e of fixture.entries) w.add(e.op, e.k0, e.k1, e.backend, e.idleS);
      expect(toHex(w.finish())).toBe(fixtureHex.replace(/\s+/g, ''));

      // An empty batch is a valid one.
      w.begin(1, 2, 3, false);
      expect(decodeSync(w.finish())).toEqual({ type: 'batch', node: 1, epoch: 2, seq: 3, bulk: false, entries: [] });
    });

    it('holds what a smaller buffer fits, and never more than SYNC_MTU allows from a larger one', () => {
      const small = new BatchWriter(new Uint8Array(BATCH_HEADER_BYTES + 2 * ENTRY_BYTES + 12));
      expect(small.capacity).toBe(2);
      small.begin(1, 1, 1, false);
      expect(small.add(ENTRY_UPSERT, 1, K1, 1, 1)).toBe(true);
      expect(small.add(ENTRY_UPSERT, 2, K1, 1, 1)).toBe(true);
      expect(small.add(ENTRY_UPSERT, 3, K1, 1, 1)).toBe(false);
      expect((decodeSync(small.finish()) as SyncBatch).entries.map((e) => e.k0)).toEqual([1, 2]);
      expect(new BatchWriter(new Uint8Array(BATCH_HEADER_BYTES)).capacity).toBe(0);
      expect(new BatchWriter(new Uint8Array(9000)).capacity).toBe(MAX_BATCH_ENTRIES);
      expect(fault(() => new BatchWriter(new Uint8Array(BATCH_HEADER_BYTES - 1)))).toBe('buffer-too-small');
    });

    it('refuses use out of order and entries that break a rule (keeping those added before)', () => {
      const w = new BatchWriter(new Uint8Array(SYNC_MTU));
      expect(fault(() => w.add(ENTRY_UPSERT, 1, K1, 1, 1))).toBe('writer-state');
      expect(fault(() => w.finish())).toBe('writer-state');
      w.begin(1, 1, 1, false);
      w.add(ENTRY_UPSERT, 1, K1, 1, 1);
      expect(fault(() => w.add(3 as typeof ENTRY_UPSERT, 2, K1, 1, 1))).toBe('bad-op');
      expect(fault(() => w.add(ENTRY_UPSERT, 2, K1, NO_BACKEND, 1))).toBe('bad-backend');
      expect(fault(() => w.add(ENTRY_DELETE, 2, K1, 4, 1))).toBe('bad-backend');
      expect(fault(() => w.add(ENTRY_UPSERT, 2, packK1(1, 1, 0), 1, 1))).toBe('unknown-proto');
      expect(fault(() => w.add(ENTRY_UPSERT, -1, K1, 1, 1))).toBe('bad-field');
      expect(fault(() => w.add(ENTRY_UPSERT, 1, 2 ** 32, 1, 1))).toBe('bad-field');
      expect(fault(() => w.add(ENTRY_UPSERT, 1, K1, 0x10000, 1))).toBe('bad-field');
      expect(fault(() => w.add(ENTRY_UPSERT, 1, K1, 1, -1))).toBe('bad-field');
      expect(fault(() => w.add(ENTRY_UPSERT, 1, K1, 1, 0.5))).toBe('bad-field');
      expect(w.count).toBe(1);
      expect((decodeSync(w.finish()) as SyncBatch).entries).toEqual([upsert(1, K1, 1, 1)]);
      expect(fault(() => w.finish())).toBe('writer-state');
      expect(fault(() => w.begin(0x10000, 1, 1, false))).toBe('bad-field');
      expect(fault(() => w.begin(1, 1, -1, false))).toBe('bad-field');
    });
  });

  it('refuses to encode values that do not fit or break a rule', () => {
    const [batch, ack, heartbeat, request, done] = FIXTURES.map(([m]) => m);
    const enc = (m: unknown): string => fault(() => encodeSync(m as SyncMessage));
    expect(enc({ ...request, node: 0x10000 })).toBe('bad-field');
    expect(enc({ ...request, epoch: 2 ** 32 })).toBe('bad-field');
    expect(enc({ ...request, requestId: Number.NaN })).toBe('bad-field');
    expect(enc({ ...done, lastSeq: -1 })).toBe('bad-field');
    expect(enc({ ...done, sessions: 1.25 })).toBe('bad-field');
    expect(enc({ ...heartbeat, sentSeq: 2 ** 32 })).toBe('bad-field');
    expect(enc({ ...heartbeat, state: 'asleep' })).toBe('bad-state');
    expect(enc({ ...batch, seq: 2 ** 32 })).toBe('bad-field');
    expect(enc({ ...batch, entries: [{ ...upsert(1, K1, 1, 1), op: 0 }] })).toBe('bad-op');
    expect(enc({ ...batch, entries: [del(1, K1), upsert(1, K1, NO_BACKEND, 1)] })).toBe('bad-backend');
    expect(enc({ ...ack, cumulative: -1 })).toBe('bad-field');
    expect(enc({ ...ack, nacks: [[200, 2 ** 32]] })).toBe('bad-field');
    expect(enc({ ...ack, nacks: [[105, 104]] })).toBe('bad-nack');
    expect(enc({ ...ack, nacks: [[100, 104]] })).toBe('bad-nack');
    expect(enc({ ...ack, nacks: [[102, 104], [105, 106]] })).toBe('bad-nack');
    expect(enc({ ...ack, type: 'gossip' })).toBe('unknown-type');
  });

  it('refuses every kind of malformed datagram with its fault', () => {
    const dec = (b: Uint8Array): string => fault(() => decodeSync(b));
    // Header.
    expect(dec(new Uint8Array(0))).toBe('short');
    expect(dec(HEARTBEAT.subarray(0, SYNC_HEADER_BYTES - 1))).toBe('short');
    const huge = new Uint8Array(SYNC_MTU + 1);
    huge.set(BATCH);
    expect(dec(huge)).toBe('too-large');
    expect(dec(patched(HEARTBEAT, 0, 0x46, 0x47))).toBe('bad-magic'); // an encapsulation's magic
    expect(dec(patched(HEARTBEAT, 0, 0, 0))).toBe('bad-magic');
    expect(dec(patched(HEARTBEAT, 2, 0))).toBe('version');
    expect(dec(patched(HEARTBEAT, 2, 2))).toBe('version');
    expect(dec(patched(HEARTBEAT, 3, 0))).toBe('unknown-type');
    expect(dec(patched(HEARTBEAT, 3, 6))).toBe('unknown-type');
    expect(dec(patched(HEARTBEAT, 3, 0xff))).toBe('unknown-type');
    // Fixed lengths: one byte short or long of each type.
    for (const [, s] of FIXTURES.slice(2)) {
      const b = hex(s);
      expect(dec(b.subarray(0, b.length - 1))).toBe('length');
      expect(dec(Uint8Array.from([...b, 0]))).toBe('length');
    }
    // Batches.
    expect(dec(BATCH.subarray(0, BATCH_HEADER_BYTES - 1))).toBe('short');
    expect(dec(BATCH.subarray(0, BATCH.length - 1))).toBe('length');
    expect(dec(Uint8Array.from([...BATCH, 0]))).toBe('length');
    expect(dec(patched(BATCH, 15, 1))).toBe('length'); // count 1 with two entries there
    expect(dec(patched(BATCH, 15, 3))).toBe('length');
    expect(dec(patched(BATCH.subarray(0, BATCH_HEADER_BYTES), 15, 0))).toBe('accepted');
    expect(dec(patched(BATCH, 15, MAX_BATCH_ENTRIES + 1))).toBe('too-many-entries');
    expect(dec(patched(BATCH, 15, 0xff))).toBe('too-many-entries');
    expect(dec(patched(BATCH, 14, 0x03))).toBe('reserved');
    expect(dec(patched(BATCH, 14, 0x80))).toBe('reserved');
    expect(dec(patched(BATCH, 14, 0x00))).toBe('accepted');
    const second = BATCH_HEADER_BYTES + ENTRY_BYTES;
    expect(dec(patched(BATCH, second, 0))).toBe('bad-op');
    expect(dec(patched(BATCH, second, 3))).toBe('bad-op');
    expect(dec(patched(BATCH, BATCH_HEADER_BYTES + 8, 0x20))).toBe('unknown-proto'); // k1's low nibble 0
    expect(dec(patched(BATCH, second + 8, 0x03))).toBe('unknown-proto');
    expect(dec(patched(BATCH, second + 9, 0xff, 0xfe))).toBe('bad-backend'); // a delete naming backend 65534
    expect(dec(patched(BATCH, BATCH_HEADER_BYTES + 9, 0xff, 0xff))).toBe('bad-backend'); // an upsert with none
    expect(dec(patched(BATCH, second, ENTRY_UPSERT))).toBe('bad-backend'); // the delete turned upsert keeps 0xffff
    // Acks.
    expect(dec(ACK.subarray(0, ACK_BYTES - 1))).toBe('short');
    expect(dec(ACK.subarray(0, ACK.length - 1))).toBe('length');
    expect(dec(patched(ACK, 18, 1))).toBe('length');
    expect(dec(patched(ACK, 18, 3))).toBe('length');
    expect(dec(patched(ACK.subarray(0, ACK_BYTES), 18, 0))).toBe('accepted');
    const u32 = (v: number): number[] => [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    // cumulative 100; ranges [102, 103] and [110, 110] at offsets 19 and 27.
    expect(dec(patched(ACK, 19, ...u32(104)))).toBe('bad-nack'); // reversed
    expect(dec(patched(ACK, 19, ...u32(100)))).toBe('bad-nack'); // not above cumulative
    expect(dec(patched(ACK, 19, ...u32(50)))).toBe('bad-nack');
    expect(dec(patched(ACK, 19, ...u32(101)))).toBe('accepted'); // right above it
    expect(dec(patched(ACK, 27, ...u32(103)))).toBe('bad-nack'); // overlaps the first
    expect(dec(patched(ACK, 27, ...u32(104)))).toBe('bad-nack'); // adjacent: one range written as two
    expect(dec(patched(ACK, 27, ...u32(105), ...u32(110)))).toBe('accepted');
    expect(dec(patched(ACK, 19, ...u32(120), ...u32(130)))).toBe('bad-nack'); // descending
    expect(dec(patched(ACK, 14, ...u32(0xffffffff)))).toBe('bad-nack'); // nothing is above 0xffffffff
    // Heartbeats.
    for (let s = 0; s < NODE_STATES.length; s++) expect(dec(patched(HEARTBEAT, 10, s))).toBe('accepted');
    expect(dec(patched(HEARTBEAT, 10, NODE_STATES.length))).toBe('bad-state');
    expect(dec(patched(HEARTBEAT, 10, 0xff))).toBe('bad-state');
  });

  it('decodes at any offset of a larger buffer (a subarray, as a socket hands it over)', () => {
    for (const [msg, s] of FIXTURES) {
      const b = hex(s);
      const big = new Uint8Array(b.length + 13).fill(0xee);
      big.set(b, 7);
      expect(decodeSync(big.subarray(7, 7 + b.length))).toEqual(msg);
    }
  });
});
