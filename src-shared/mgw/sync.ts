// The gateway nodes' sync messages on the wire (version 1): the codec of sync-types.ts, for
// replication.ts (src-daemons/mgw/DESIGN.md, "Replication"). One message per UDP datagram,
// big-endian (network order) throughout, never more than SYNC_MTU (1400) bytes.
//
// Every message starts with the common header (10 bytes):
//   offset size field
//        0    2 magic 'F' 'S' (0x46 0x53)
//        2    1 version: 1
//        3    1 type: 1 batch, 2 ack, 3 heartbeat, 4 resync-request, 5 resync-done
//        4    2 node: the sender's node id
//        6    4 epoch: the sender's epoch
//
// batch (type 1): 16 + 13 x count bytes (BATCH_HEADER_BYTES, ENTRY_BYTES)
//       10    4 seq
//       14    1 flags: bit 0 bulk (part of a resync); bits 1-7 zero
//       15    1 count: entries that follow, 0..MAX_BATCH_ENTRIES (106: 16 + 106 x 13 = 1394)
//       16   13 per entry: op u8 (1 upsert, 2 delete), k0 u32, k1 u32 (key.ts), backend u16
//                (NO_BACKEND 0xffff on a delete and only there), idle u16 (seconds; the
//                encoder saturates a longer idle time at 65535)
// ack (type 2): 19 + 8 x n bytes (at most 19 + 8 x 64 = 531)
//       10    4 peerEpoch: the epoch of the peer being acknowledged
//       14    4 cumulative: every seq up to it received
//       18    1 n: NACK ranges that follow, 0..MAX_NACK_RANGES (64)
//       19    8 per range: from u32, to u32, inclusive; from <= to; every from above cumulative
//                and above the previous range's to + 1 (ascending, with a received seq between
//                two ranges: adjacent ones are one range)
// heartbeat (type 3): 19 bytes
//       10    1 state: index in NODE_STATES (0 joining, 1 resyncing, 2 ready, 3 draining)
//       11    4 sessions
//       15    4 sentSeq
// resync-request (type 4): 14 bytes
//       10    4 requestId
// resync-done (type 5): 22 bytes
//       10    4 requestId
//       14    4 lastSeq
//       18    4 sessions
//
// Sequence numbers are plain u32 compared as numbers: the codec knows no wrap-around (a sender
// starts a new epoch long before 2^32 batches; at one batch per 5 ms that is 248 days).
//
// decodeSync checks everything (exact length for the type and count, flag bits, ops, the
// backend rule, the protocol nibble of k1, states, NACK ranges) and throws MgwCodecError with a
// fault naming the rule; what it returns re-encodes to the same bytes. encodeSync checks the
// same rules (a value out of range is the caller's bug, thrown as 'bad-field' and the like),
// so it never writes what a peer would refuse. BatchWriter fills a preallocated buffer entry
// by entry, allocating nothing per entry, for the replicator's batches.
import { PROTO_TCP, PROTO_UDP } from './key';
import {
  BATCH_HEADER_BYTES, ENTRY_BYTES, ENTRY_DELETE, ENTRY_UPSERT, MAX_BATCH_ENTRIES, NODE_STATES, SYNC_MTU,
  type SyncAck, type SyncBatch, type SyncEntry, type SyncHeader, type SyncMessage,
} from './sync-types';
import { checkField, checkPreamble, get16, get32, MgwCodecError, put16, put32, type WireFormat } from './wire';

export const SYNC_VERSION = 1;
export const SYNC_HEADER_BYTES = 10;
/** The backend of a delete (and of nothing else). */
export const NO_BACKEND = 0xffff;
/** NACK ranges one ack carries at most (a receiver with more gaps reports the first 64). */
export const MAX_NACK_RANGES = 64;
export const ACK_BYTES = 19;
export const NACK_RANGE_BYTES = 8;
export const HEARTBEAT_BYTES = 19;
export const RESYNC_REQUEST_BYTES = 14;
export const RESYNC_DONE_BYTES = 22;

export const SYNC_TYPES = { batch: 1, ack: 2, heartbeat: 3, 'resync-request': 4, 'resync-done': 5 } as const;
type SyncTypeName = keyof typeof SYNC_TYPES;
const TYPE_NAMES: readonly (SyncTypeName | undefined)[] = [undefined, 'batch', 'ack', 'heartbeat', 'resync-request', 'resync-done'];

const FORMAT: WireFormat = { name: 'FleetDeck sync', magic: [0x46, 0x53], version: SYNC_VERSION, headerBytes: SYNC_HEADER_BYTES, maxBytes: SYNC_MTU }; // 'F' 'S'
const FLAG_BULK = 1;
const U16 = 0xffff;
const U32 = 0xffffffff;

function writeHeader(out: Uint8Array, type: SyncTypeName, node: number, epoch: number): void {
  checkField('node', node, U16);
  checkField('epoch', epoch, U32);
  out[0] = FORMAT.magic[0];
  out[1] = FORMAT.magic[1];
  out[2] = SYNC_VERSION;
  out[3] = SYNC_TYPES[type];
  put16(out, 4, node);
  put32(out, 6, epoch);
}

/** The fault of an entry that breaks a rule, or null: shared by the encoder (thrown as the caller's bug) and the decoder. */
function entryFault(op: number, k1: number, backend: number): { fault: 'bad-op' | 'unknown-proto' | 'bad-backend'; message: string } | null {
  if (op !== ENTRY_UPSERT && op !== ENTRY_DELETE) return { fault: 'bad-op', message: `Sync entry op ${op} is neither upsert (1) nor delete (2)` };
  const proto = k1 & 0xf;
  if (proto !== PROTO_UDP && proto !== PROTO_TCP) return { fault: 'unknown-proto', message: `Sync entry key k1 0x${(k1 >>> 0).toString(16)} has protocol ${proto}, neither UDP (1) nor TCP (2)` };
  if ((op === ENTRY_DELETE) !== (backend === NO_BACKEND)) {
    return { fault: 'bad-backend', message: op === ENTRY_DELETE ? `A sync delete names backend ${backend} (a delete carries ${NO_BACKEND})` : `A sync upsert has no backend (${NO_BACKEND})` };
  }
  return null;
}

function writeEntry(out: Uint8Array, at: number, op: number, k0: number, k1: number, backend: number, idleS: number): void {
  checkField('k0', k0, U32);
  checkField('k1', k1, U32);
  checkField('backend', backend, U16);
  checkField('idleS', idleS, Number.MAX_SAFE_INTEGER);
  const bad = entryFault(op, k1, backend);
  if (bad) throw new MgwCodecError(bad.fault, bad.message, { op, k1, backend });
  out[at] = op;
  put32(out, at + 1, k0);
  put32(out, at + 5, k1);
  put16(out, at + 9, backend);
  put16(out, at + 11, Math.min(idleS, U16));
}

/** The fault of an ack's NACK list, or null (same rules on both sides). */
function nackFault(cumulative: number, nacks: readonly (readonly [number, number])[]): { fault: 'too-many-nacks' | 'bad-nack'; message: string } | null {
  if (nacks.length > MAX_NACK_RANGES) return { fault: 'too-many-nacks', message: `A sync ack with ${nacks.length} NACK ranges is over the limit of ${MAX_NACK_RANGES}` };
  // The lowest seq the next range may start at (a number, so cumulative 0xffffffff leaves none).
  let floor = cumulative + 1;
  for (let i = 0; i < nacks.length; i++) {
    const [from, to] = nacks[i];
    if (from > to) return { fault: 'bad-nack', message: `NACK range ${i} [${from}, ${to}] is reversed` };
    if (from < floor) {
      return { fault: 'bad-nack', message: i === 0 ? `NACK range 0 [${from}, ${to}] is not above the cumulative ack ${cumulative}` : `NACK range ${i} [${from}, ${to}] does not follow range ${i - 1} with a gap` };
    }
    floor = to + 2;
  }
  return null;
}

/** A sync message as one new datagram of exactly its size. A value that cannot be encoded throws MgwCodecError. */
export function encodeSync(msg: SyncMessage): Uint8Array {
  switch (msg.type) {
    case 'batch': {
      if (msg.entries.length > MAX_BATCH_ENTRIES) {
        throw new MgwCodecError('too-many-entries', `A sync batch of ${msg.entries.length} entries is over the ${MAX_BATCH_ENTRIES} that fit ${SYNC_MTU} bytes`, { entries: msg.entries.length, limit: MAX_BATCH_ENTRIES });
      }
      const w = new BatchWriter(new Uint8Array(BATCH_HEADER_BYTES + ENTRY_BYTES * msg.entries.length));
      w.begin(msg.node, msg.epoch, msg.seq, msg.bulk);
      for (const e of msg.entries) w.add(e.op, e.k0, e.k1, e.backend, e.idleS);
      return w.finish();
    }
    case 'ack': {
      checkField('peerEpoch', msg.peerEpoch, U32);
      checkField('cumulative', msg.cumulative, U32);
      for (const [from, to] of msg.nacks) {
        checkField('nack from', from, U32);
        checkField('nack to', to, U32);
      }
      const bad = nackFault(msg.cumulative, msg.nacks);
      if (bad) throw new MgwCodecError(bad.fault, bad.message, { cumulative: msg.cumulative, ranges: msg.nacks.length });
      const out = new Uint8Array(ACK_BYTES + NACK_RANGE_BYTES * msg.nacks.length);
      writeHeader(out, 'ack', msg.node, msg.epoch);
      put32(out, 10, msg.peerEpoch);
      put32(out, 14, msg.cumulative);
      out[18] = msg.nacks.length;
      let at = ACK_BYTES;
      for (const [from, to] of msg.nacks) {
        put32(out, at, from);
        put32(out, at + 4, to);
        at += NACK_RANGE_BYTES;
      }
      return out;
    }
    case 'heartbeat': {
      const state = NODE_STATES.indexOf(msg.state);
      if (state < 0) throw new MgwCodecError('bad-state', `Heartbeat state ${String(msg.state)} is not one of ${NODE_STATES.join(', ')}`, { state: msg.state });
      checkField('sessions', msg.sessions, U32);
      checkField('sentSeq', msg.sentSeq, U32);
      const out = new Uint8Array(HEARTBEAT_BYTES);
      writeHeader(out, 'heartbeat', msg.node, msg.epoch);
      out[10] = state;
      put32(out, 11, msg.sessions);
      put32(out, 15, msg.sentSeq);
      return out;
    }
    case 'resync-request': {
      checkField('requestId', msg.requestId, U32);
      const out = new Uint8Array(RESYNC_REQUEST_BYTES);
      writeHeader(out, 'resync-request', msg.node, msg.epoch);
      put32(out, 10, msg.requestId);
      return out;
    }
    case 'resync-done': {
      checkField('requestId', msg.requestId, U32);
      checkField('lastSeq', msg.lastSeq, U32);
      checkField('sessions', msg.sessions, U32);
      const out = new Uint8Array(RESYNC_DONE_BYTES);
      writeHeader(out, 'resync-done', msg.node, msg.epoch);
      put32(out, 10, msg.requestId);
      put32(out, 14, msg.lastSeq);
      put32(out, 18, msg.sessions);
      return out;
    }
    default:
      throw new MgwCodecError('unknown-type', `Sync message type ${String((msg as { type: unknown }).type)} is not one of ${Object.keys(SYNC_TYPES).join(', ')}`, { type: (msg as { type: unknown }).type });
  }
}

/**
 * Builds batches in a preallocated buffer (the replicator's MTU buffer, reused batch after
 * batch): begin() writes the header, add() one entry (false, writing nothing, when the batch
 * is full), finish() the count and returns the datagram as a view of the buffer. Nothing is
 * allocated per entry. The batch holds as many entries as fit both the buffer and SYNC_MTU,
 * at most MAX_BATCH_ENTRIES. An entry that breaks a rule throws (the caller's bug); the
 * entries added before it stay.
 */
export class BatchWriter {
  readonly #buf: Uint8Array;
  /** Entries this buffer holds. */
  readonly capacity: number;
  #count = 0;
  #open = false;

  constructor(buf: Uint8Array) {
    if (buf.length < BATCH_HEADER_BYTES) {
      throw new MgwCodecError('buffer-too-small', `A batch needs at least ${BATCH_HEADER_BYTES} bytes; the buffer has ${buf.length}`, { bytes: buf.length });
    }
    this.#buf = buf;
    this.capacity = Math.min(MAX_BATCH_ENTRIES, Math.floor((Math.min(buf.length, SYNC_MTU) - BATCH_HEADER_BYTES) / ENTRY_BYTES));
  }

  /** Entries added since begin(). */
  get count(): number {
    return this.#count;
  }

  get full(): boolean {
    return this.#count >= this.capacity;
  }

  /** The datagram's length so far (header and entries), for a send(buf, 0, byteLength) that takes no view. */
  get byteLength(): number {
    return BATCH_HEADER_BYTES + ENTRY_BYTES * this.#count;
  }

  /** Starts a batch (dropping one begun and not finished). */
  begin(node: number, epoch: number, seq: number, bulk: boolean): void {
    checkField('seq', seq, U32);
    writeHeader(this.#buf, 'batch', node, epoch);
    put32(this.#buf, 10, seq);
    this.#buf[14] = bulk ? FLAG_BULK : 0;
    this.#buf[15] = 0;
    this.#count = 0;
    this.#open = true;
  }

  /** Adds one entry; false (nothing written) when the batch is full. */
  add(op: SyncEntry['op'], k0: number, k1: number, backend: number, idleS: number): boolean {
    if (!this.#open) throw new MgwCodecError('writer-state', 'BatchWriter.add() before begin()');
    if (this.#count >= this.capacity) return false;
    writeEntry(this.#buf, BATCH_HEADER_BYTES + ENTRY_BYTES * this.#count, op, k0, k1, backend, idleS);
    this.#count++;
    return true;
  }

  /** Ends the batch: writes its count and returns buf[0..byteLength) (the buffer itself when that is all of it). The writer is ready for the next begin(). */
  finish(): Uint8Array {
    if (!this.#open) throw new MgwCodecError('writer-state', 'BatchWriter.finish() before begin()');
    this.#open = false;
    this.#buf[15] = this.#count;
    const length = this.byteLength;
    return length === this.#buf.length ? this.#buf : this.#buf.subarray(0, length);
  }
}

function fixedLength(bytes: Uint8Array, type: SyncTypeName, expected: number): void {
  if (bytes.length !== expected) {
    throw new MgwCodecError('length', `A sync ${type} is ${expected} bytes, not ${bytes.length}`, { type, bytes: bytes.length, expected });
  }
}

function atLeast(bytes: Uint8Array, type: SyncTypeName, min: number): void {
  if (bytes.length < min) {
    throw new MgwCodecError('short', `A sync ${type} is at least ${min} bytes, not ${bytes.length}`, { type, bytes: bytes.length, min });
  }
}

function decodeBatch(bytes: Uint8Array, head: SyncHeader): SyncBatch {
  atLeast(bytes, 'batch', BATCH_HEADER_BYTES);
  const flags = bytes[14];
  if ((flags & ~FLAG_BULK) !== 0) throw new MgwCodecError('reserved', `Sync batch flags 0x${flags.toString(16)} set bits version ${SYNC_VERSION} does not define`, { flags });
  const count = bytes[15];
  if (count > MAX_BATCH_ENTRIES) {
    throw new MgwCodecError('too-many-entries', `A sync batch declares ${count} entries, over the ${MAX_BATCH_ENTRIES} that fit ${SYNC_MTU} bytes`, { entries: count, limit: MAX_BATCH_ENTRIES });
  }
  const expected = BATCH_HEADER_BYTES + ENTRY_BYTES * count;
  if (bytes.length !== expected) {
    throw new MgwCodecError('length', `A sync batch of ${count} entries is ${expected} bytes, not ${bytes.length}`, { type: 'batch', entries: count, bytes: bytes.length, expected });
  }
  const entries: SyncEntry[] = [];
  for (let i = 0, at = BATCH_HEADER_BYTES; i < count; i++, at += ENTRY_BYTES) {
    const op = bytes[at];
    const k1 = get32(bytes, at + 5);
    const backend = get16(bytes, at + 9);
    const bad = entryFault(op, k1, backend);
    if (bad) throw new MgwCodecError(bad.fault, `${bad.message} (entry ${i})`, { entry: i, op, k1, backend });
    entries.push({ op: op as SyncEntry['op'], k0: get32(bytes, at + 1), k1, backend, idleS: get16(bytes, at + 11) });
  }
  return { type: 'batch', ...head, seq: get32(bytes, 10), bulk: flags === FLAG_BULK, entries };
}

function decodeAck(bytes: Uint8Array, head: SyncHeader): SyncAck {
  atLeast(bytes, 'ack', ACK_BYTES);
  const n = bytes[18];
  if (n > MAX_NACK_RANGES) {
    throw new MgwCodecError('too-many-nacks', `A sync ack declares ${n} NACK ranges, over the limit of ${MAX_NACK_RANGES}`, { ranges: n, limit: MAX_NACK_RANGES });
  }
  const expected = ACK_BYTES + NACK_RANGE_BYTES * n;
  if (bytes.length !== expected) {
    throw new MgwCodecError('length', `A sync ack with ${n} NACK ranges is ${expected} bytes, not ${bytes.length}`, { type: 'ack', ranges: n, bytes: bytes.length, expected });
  }
  const cumulative = get32(bytes, 14);
  const nacks: (readonly [number, number])[] = [];
  for (let at = ACK_BYTES; at < expected; at += NACK_RANGE_BYTES) nacks.push([get32(bytes, at), get32(bytes, at + 4)]);
  const bad = nackFault(cumulative, nacks);
  if (bad) throw new MgwCodecError(bad.fault, bad.message, { cumulative, ranges: n });
  return { type: 'ack', ...head, peerEpoch: get32(bytes, 10), cumulative, nacks };
}

/** One sync datagram, validated whole; anything malformed throws MgwCodecError naming the fault. */
export function decodeSync(bytes: Uint8Array): SyncMessage {
  checkPreamble(bytes, FORMAT);
  const type = TYPE_NAMES[bytes[3]];
  if (!type) throw new MgwCodecError('unknown-type', `Sync message type ${bytes[3]} is not one of 1..5`, { type: bytes[3] });
  const head: SyncHeader = { node: get16(bytes, 4), epoch: get32(bytes, 6) };
  switch (type) {
    case 'batch':
      return decodeBatch(bytes, head);
    case 'ack':
      return decodeAck(bytes, head);
    case 'heartbeat': {
      fixedLength(bytes, type, HEARTBEAT_BYTES);
      const state = NODE_STATES[bytes[10]] as (typeof NODE_STATES)[number] | undefined;
      if (state === undefined) throw new MgwCodecError('bad-state', `Heartbeat state ${bytes[10]} is not an index of ${NODE_STATES.join(', ')}`, { state: bytes[10] });
      return { type, ...head, state, sessions: get32(bytes, 11), sentSeq: get32(bytes, 15) };
    }
    case 'resync-request':
      fixedLength(bytes, type, RESYNC_REQUEST_BYTES);
      return { type, ...head, requestId: get32(bytes, 10) };
    case 'resync-done':
      fixedLength(bytes, type, RESYNC_DONE_BYTES);
      return { type, ...head, requestId: get32(bytes, 10), lastSeq: get32(bytes, 14), sessions: get32(bytes, 18) };
  }
}
