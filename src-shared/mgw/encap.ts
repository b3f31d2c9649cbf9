// The FleetDeck gateway encapsulation (version 1): how a gateway node hands a client's UDP
// datagram to a backend's agent, inside one UDP datagram (src-daemons/mgw/DESIGN.md, "Packet
// path"). A 24-byte header, big-endian (network order), then the client's payload unchanged:
//
//   offset size field
//        0    2 magic 'F' 'G' (0x46 0x47)
//        2    1 version: 1
//        3    1 flags: bit 0 the session is new (first packet the gateway saw of the flow),
//                      bit 1 a health probe (the node's backend check, not client traffic;
//                      the agent echoes it back, header and all),
//                      bit 2 a redirect (a node that is not in the flow's replica set
//                      forwards the packet to the flow's home over the node link; the home
//                      does not redirect it again), bits 3-7 zero
//        4    1 proto: 1 UDP, 2 TCP (PROTO_UDP, PROTO_TCP of key.ts)
//        5    1 reserved: zero
//        6    2 node id of the sending gateway node
//        8    4 VIP IPv4 (the address the client sent to; the agent replies from it)
//       12    2 VIP port
//       14    4 client IPv4
//       18    2 client port
//       20    4 session sequence: a per-node counter, so the backend can spot reordering
//       24    - the client's payload, as it came (the rest of the datagram: no length field)
//
// Decoding is strict: a flag bit or the reserved byte not zero is refused ('reserved'), so
// anything a later version adds comes with a new version number and an old agent says so
// instead of misreading it. An encapsulated datagram stays within the largest UDP payload over
// IPv4 (65,507 bytes), so a client payload can be at most MAX_ENCAP_PAYLOAD (65,483) bytes: a
// larger one cannot be carried whole (encodeEncap refuses it, decodeEncap a longer datagram). Pure TS over Uint8Array (no Buffer); the
// header is written and read byte by byte, so encoding into a caller's buffer allocates
// nothing but the returned view, and decoding returns the payload as a subarray (no copy).
import { PROTO_TCP, PROTO_UDP, type FlowProto } from './key';
import { checkField, checkPreamble, get16, get32, MgwCodecError, put16, put32, type WireFormat } from './wire';

export const ENCAP_VERSION = 1;
export const ENCAP_HEADER_BYTES = 24;
/** The largest UDP payload over IPv4 (65,535 - 20 IP - 8 UDP): the whole encapsulated datagram. */
export const MAX_ENCAP_DATAGRAM = 65_507;
export const MAX_ENCAP_PAYLOAD = MAX_ENCAP_DATAGRAM - ENCAP_HEADER_BYTES;
const FORMAT: WireFormat = { name: 'FleetDeck encapsulation', magic: [0x46, 0x47], version: ENCAP_VERSION, headerBytes: ENCAP_HEADER_BYTES, maxBytes: MAX_ENCAP_DATAGRAM }; // 'F' 'G'

/** The first packet of the flow the gateway saw (it just created the session). */
export const ENCAP_FLAG_NEW = 1;
/** A health probe from the node, not client traffic: the agent echoes it, the service never sees it. */
export const ENCAP_FLAG_HEALTH = 2;
/** Forwarded by another gateway node to the flow's home over the node link: the receiver does not redirect it again. */
export const ENCAP_FLAG_REDIRECT = 4;
const FLAGS_KNOWN = ENCAP_FLAG_NEW | ENCAP_FLAG_HEALTH | ENCAP_FLAG_REDIRECT;

export interface EncapHeader {
  /** ENCAP_FLAG_* bits: new session, health probe, redirect. */
  readonly flags: number;
  readonly proto: FlowProto;
  /** The sending gateway node's id (u16). */
  readonly node: number;
  /** VIP IPv4 as a u32 (key.ts ipv4ToU32). */
  readonly vip: number;
  readonly vipPort: number;
  /** Client IPv4 as a u32. */
  readonly client: number;
  readonly clientPort: number;
  /** The node's session sequence (u32). */
  readonly seq: number;
}

export interface EncapDatagram {
  readonly header: EncapHeader;
  /** The client's payload: a subarray of the decoded bytes (no copy). */
  readonly payload: Uint8Array;
}

/**
 * Writes the 24-byte header at out[offset..offset+24) and returns offset + 24 (where the
 * payload goes). Allocates nothing. A field out of its range throws MgwCodecError 'bad-field',
 * an unknown proto 'unknown-proto', too little room 'buffer-too-small'.
 */
export function encodeEncapHeader(header: EncapHeader, out: Uint8Array, offset = 0): number {
  if (!(Number.isInteger(offset) && offset >= 0 && offset + ENCAP_HEADER_BYTES <= out.length)) {
    throw new MgwCodecError('buffer-too-small', `An encapsulation header needs ${ENCAP_HEADER_BYTES} bytes at offset ${offset} of a ${out.length}-byte buffer`, { offset, bytes: out.length });
  }
  if (header.proto !== PROTO_UDP && header.proto !== PROTO_TCP) {
    throw new MgwCodecError('unknown-proto', `Encapsulation proto ${String(header.proto)} is neither UDP (1) nor TCP (2)`, { proto: header.proto });
  }
  const f = header.flags;
  if (!(Number.isInteger(f) && f >= 0 && f <= 0xff && (f & ~FLAGS_KNOWN) === 0)) {
    throw new MgwCodecError('reserved', `Encapsulation flags ${header.flags} set bits version ${ENCAP_VERSION} does not define`, { flags: header.flags });
  }
  checkField('node', header.node, 0xffff);
  checkField('vip', header.vip, 0xffffffff);
  checkField('vipPort', header.vipPort, 0xffff);
  checkField('client', header.client, 0xffffffff);
  checkField('clientPort', header.clientPort, 0xffff);
  checkField('seq', header.seq, 0xffffffff);
  out[offset] = FORMAT.magic[0];
  out[offset + 1] = FORMAT.magic[1];
  out[offset + 2] = ENCAP_VERSION;
  out[offset + 3] = header.flags;
  out[offset + 4] = header.proto;
  out[offset + 5] = 0;
  put16(out, offset + 6, header.node);
  put32(out, offset + 8, header.vip);
  put16(out, offset + 12, header.vipPort);
  put32(out, offset + 14, header.client);
  put16(out, offset + 18, header.clientPort);
  put32(out, offset + 20, header.seq);
  return offset + ENCAP_HEADER_BYTES;
}

/**
 * Header and payload as one datagram. With `out` (the data path's preallocated buffer) the
 * datagram is written at its start and a view of out[0..24+payload) is returned; without, a
 * new array of exactly that size. A payload over MAX_ENCAP_PAYLOAD throws 'too-large'.
 */
export function encodeEncap(header: EncapHeader, payload: Uint8Array, out?: Uint8Array): Uint8Array {
  if (payload.length > MAX_ENCAP_PAYLOAD) {
    throw new MgwCodecError('too-large', `A payload of ${payload.length} bytes is over the ${MAX_ENCAP_PAYLOAD}-byte limit of an encapsulated datagram`, { bytes: payload.length, limit: MAX_ENCAP_PAYLOAD });
  }
  const length = ENCAP_HEADER_BYTES + payload.length;
  const buf = out ?? new Uint8Array(length);
  if (buf.length < length) {
    throw new MgwCodecError('buffer-too-small', `An encapsulated datagram of ${length} bytes does not fit a ${buf.length}-byte buffer`, { bytes: length, size: buf.length });
  }
  encodeEncapHeader(header, buf, 0);
  buf.set(payload, ENCAP_HEADER_BYTES);
  return buf.length === length ? buf : buf.subarray(0, length);
}

/** One encapsulated datagram: its header, validated, and the payload as a subarray. Anything malformed throws MgwCodecError. */
export function decodeEncap(bytes: Uint8Array): EncapDatagram {
  checkPreamble(bytes, FORMAT);
  const flags = bytes[3];
  if ((flags & ~FLAGS_KNOWN) !== 0 || bytes[5] !== 0) {
    throw new MgwCodecError('reserved', `Encapsulation flags 0x${flags.toString(16)} or reserved byte 0x${bytes[5].toString(16)} set bits version ${ENCAP_VERSION} does not define`, { flags, reserved: bytes[5] });
  }
  const proto = bytes[4];
  if (proto !== PROTO_UDP && proto !== PROTO_TCP) {
    throw new MgwCodecError('unknown-proto', `Encapsulation proto ${proto} is neither UDP (1) nor TCP (2)`, { proto });
  }
  return {
    header: {
      flags,
      proto,
      node: get16(bytes, 6),
      vip: get32(bytes, 8),
      vipPort: get16(bytes, 12),
      client: get32(bytes, 14),
      clientPort: get16(bytes, 18),
      seq: get32(bytes, 20),
    },
    payload: bytes.subarray(ENCAP_HEADER_BYTES),
  };
}
