// What the gateway's two wire formats share (encap.ts: node -> backend agent; sync.ts: node
// <-> node): the error a malformed datagram (or a value that cannot be encoded) raises, the
// check of a datagram's length, magic and version, and big-endian reads and writes straight on
// a Uint8Array. Byte shifts rather than a DataView: no view object per packet, and a subarray
// at any byteOffset reads the same.
import { FleetDeckError } from '../errors';

export type MgwCodecFault =
  /** Fewer bytes than the fixed part of the header or message. */
  | 'short'
  /** Over the format's limit (an encapsulated datagram over 65,507 bytes, a sync datagram over SYNC_MTU). */
  | 'too-large'
  | 'bad-magic'
  | 'version'
  /** A sync message type that is not one of the five. */
  | 'unknown-type'
  /** An encapsulation's proto byte, or the protocol nibble of an entry's k1, that is neither UDP nor TCP. */
  | 'unknown-proto'
  /** A flag bit or reserved byte that this version does not define was not zero. */
  | 'reserved'
  /** A sync message whose length is not the one its type (and count) gives. */
  | 'length'
  /** A batch that declares (or is asked to hold) more than MAX_BATCH_ENTRIES entries. */
  | 'too-many-entries'
  /** An entry op that is neither upsert nor delete. */
  | 'bad-op'
  /** An upsert with no backend (0xffff), or a delete that names one. */
  | 'bad-backend'
  /** A heartbeat state that is not an index of NODE_STATES. */
  | 'bad-state'
  /** An ack with more than MAX_NACK_RANGES ranges. */
  | 'too-many-nacks'
  /** A NACK range that is reversed, not above the cumulative ack, or not after the previous one with a gap between. */
  | 'bad-nack'
  // Encoding only (a programming error in the caller, never a peer's fault):
  /** A value that does not fit its field (a u16 over 65535, a negative or fractional number). */
  | 'bad-field'
  /** The caller's output buffer cannot hold the datagram. */
  | 'buffer-too-small'
  /** A BatchWriter used out of order (add or finish before begin). */
  | 'writer-state';

/** A gateway datagram that does not fit its format, or a value that cannot be encoded: fault names the rule broken. */
export class MgwCodecError extends FleetDeckError {
  readonly fault: MgwCodecFault;
  constructor(fault: MgwCodecFault, message: string, params: Record<string, unknown> = {}) {
    super('BAD_REQUEST', message, { fault, ...params });
    this.name = 'MgwCodecError';
    this.fault = fault;
  }
}

export const get16 = (b: Uint8Array, at: number): number => (b[at] << 8) | b[at + 1];
export const get32 = (b: Uint8Array, at: number): number => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

export function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 8;
  b[at + 1] = v;
}

export function put32(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = v >>> 16;
  b[at + 2] = v >>> 8;
  b[at + 3] = v;
}

/** Throws bad-field unless v is an integer in 0..max (max 0xff, 0xffff or 0xffffffff). */
export function checkField(name: string, v: number, max: number): void {
  if (!(Number.isInteger(v) && v >= 0 && v <= max)) {
    throw new MgwCodecError('bad-field', `${name} ${v} does not fit its field (0..${max})`, { field: name, value: v, max });
  }
}

/** A datagram format's fixed marks: what checkPreamble holds a datagram to. */
export interface WireFormat {
  /** For messages: "FleetDeck encapsulation", "FleetDeck sync". */
  readonly name: string;
  /** The two magic bytes at offset 0. */
  readonly magic: readonly [number, number];
  /** The version byte at offset 2. */
  readonly version: number;
  /** The header's size: fewer bytes are 'short'. */
  readonly headerBytes: number;
  /** The largest datagram: more bytes are 'too-large'. */
  readonly maxBytes: number;
}

/** Length within the format's bounds, its magic, its version; throws 'short', 'too-large', 'bad-magic' or 'version'. */
export function checkPreamble(bytes: Uint8Array, f: WireFormat): void {
  if (bytes.length < f.headerBytes) {
    throw new MgwCodecError('short', `A ${f.name} datagram of ${bytes.length} bytes is shorter than its ${f.headerBytes}-byte header`, { bytes: bytes.length, min: f.headerBytes });
  }
  if (bytes.length > f.maxBytes) {
    throw new MgwCodecError('too-large', `A ${f.name} datagram of ${bytes.length} bytes is over the ${f.maxBytes}-byte limit`, { bytes: bytes.length, limit: f.maxBytes });
  }
  if (bytes[0] !== f.magic[0] || bytes[1] !== f.magic[1]) {
    const magic = get16(bytes, 0);
    throw new MgwCodecError('bad-magic', `Not a ${f.name} datagram (magic 0x${magic.toString(16).padStart(4, '0')})`, { magic });
  }
  if (bytes[2] !== f.version) {
    throw new MgwCodecError('version', `${f.name} version ${bytes[2]} is not ${f.version}`, { version: bytes[2], expected: f.version });
  }
}
