// IPMI v2.0 / RMCP+ session packets (IPMI v2.0 section 13.6):
//   RMCP header | 0x06 | payload type | session ID | session seq | length | payload
//   [| 0xFF pad | pad length | next header 0x07 | AuthCode]     (when authenticated)
// The AuthCode covers everything from the auth type byte through next header, and the pad
// makes that span a multiple of four bytes. An encrypted payload is IV | AES-CBC blocks.
import { IpmiProtocolError } from './errors';
import { AUTH_TYPE, PAYLOAD, RMCP_CLASS_IPMI } from './constants';
import { codesEqual, decryptPayload, encryptPayload, integrityCode, integrityCodeLength, type ConfidentialityAlgorithm, type IntegrityAlgorithm } from './cipher';
import { rmcpHeader } from './rmcp';
import { Reader, check } from './reader';

const NEXT_HEADER = 0x07;
const RMCP_LEN = 4;
/** Auth type through payload length, without the OEM fields. */
const SESSION_HEADER_LEN = 12;

export interface SessionCrypto {
  integrity: IntegrityAlgorithm;
  confidentiality: ConfidentialityAlgorithm;
  k1: Buffer;
  k2: Buffer;
}

export interface RmcpPlusPacket {
  payloadType: number;
  sessionId: number;
  sequence: number;
  /** The payload as sent: for an encrypted packet, still IV | ciphertext. */
  payload: Buffer;
  encrypted: boolean;
  authenticated: boolean;
  /** Present when authenticated: the AuthCode and the bytes it covers. */
  authCode?: Buffer;
  signed?: Buffer;
  oem?: { iana: number; payloadId: number };
}

export interface EncodeRmcpPlusOptions {
  payloadType: number;
  sessionId: number;
  sequence: number;
  payload: Buffer;
  /** Session keys once the session is active: the packet is then encrypted and signed as the suite says. */
  crypto?: SessionCrypto;
  /** For tests and fixtures: a fixed IV. */
  iv?: Buffer;
}

export function encodeRmcpPlus(o: EncodeRmcpPlusOptions): Buffer {
  const crypto = o.crypto;
  const encrypt = crypto !== undefined && crypto.confidentiality !== 'none';
  const sign = crypto !== undefined && crypto.integrity !== 'none';
  const body = encrypt ? encryptPayload(crypto.k2, o.payload, o.iv) : o.payload;
  check(body.length <= 0xffff, 'payload is longer than 65535 bytes');
  const head = Buffer.alloc(RMCP_LEN + SESSION_HEADER_LEN);
  rmcpHeader(RMCP_CLASS_IPMI).copy(head, 0);
  head[4] = AUTH_TYPE.RMCP_PLUS;
  head[5] = (o.payloadType & 0x3f) | (encrypt ? 0x80 : 0) | (sign ? 0x40 : 0);
  head.writeUInt32LE(o.sessionId >>> 0, 6);
  head.writeUInt32LE(o.sequence >>> 0, 10);
  head.writeUInt16LE(body.length, 14);
  if (!sign) return Buffer.concat([head, body]);
  const padLen = (4 - ((SESSION_HEADER_LEN + body.length + 2) % 4)) % 4;
  const trailer = Buffer.alloc(padLen + 2, 0xff);
  trailer[padLen] = padLen;
  trailer[padLen + 1] = NEXT_HEADER;
  const unsigned = Buffer.concat([head, body, trailer]);
  const code = integrityCode(crypto.integrity, crypto.k1, unsigned.subarray(RMCP_LEN));
  return Buffer.concat([unsigned, code]);
}

/** Splits a datagram into header fields, payload and trailer; verifies nothing cryptographic. */
export function decodeRmcpPlus(buf: Buffer): RmcpPlusPacket {
  check(buf.length >= RMCP_LEN + SESSION_HEADER_LEN, `RMCP+ packet of ${buf.length} bytes is shorter than its header`);
  check(buf[3] === RMCP_CLASS_IPMI && buf[4] === AUTH_TYPE.RMCP_PLUS, 'not an RMCP+ packet');
  const r = new Reader(buf, 'RMCP+ packet', 5);
  const pt = r.u8();
  const payloadType = pt & 0x3f;
  let oem: RmcpPlusPacket['oem'];
  if (payloadType === PAYLOAD.OEM) {
    const iana = r.u32le();
    oem = { iana, payloadId: r.u16le() };
  }
  const sessionId = r.u32le();
  const sequence = r.u32le();
  const len = r.u16le();
  const payload = r.bytes(len);
  const encrypted = (pt & 0x80) !== 0;
  const authenticated = (pt & 0x40) !== 0;
  const packet: RmcpPlusPacket = { payloadType, sessionId, sequence, payload, encrypted, authenticated, oem };
  if (!authenticated) {
    check(r.remaining === 0, `${r.remaining} byte(s) after an unauthenticated RMCP+ payload`);
    return packet;
  }
  // pad (0..3 x 0xFF) | pad length | next header | AuthCode: the pad length tells where the code starts.
  const afterPayload = r.offset;
  const hdrLen = afterPayload - RMCP_LEN;
  const padLen = (4 - ((hdrLen + 2) % 4)) % 4;
  check(r.remaining >= padLen + 2, 'authenticated RMCP+ packet has no integrity trailer');
  r.skip(padLen);
  const declared = r.u8();
  check(declared === padLen, `integrity pad length ${declared}, expected ${padLen}`);
  check(r.u8() === NEXT_HEADER, 'integrity trailer next-header byte is not 0x07');
  packet.signed = buf.subarray(RMCP_LEN, r.offset);
  packet.authCode = r.rest();
  return packet;
}

/** Checks the AuthCode with K1; throws IpmiProtocolError if it is missing or wrong. */
export function verifyIntegrity(packet: RmcpPlusPacket, crypto: SessionCrypto): void {
  if (crypto.integrity === 'none') return;
  if (!packet.authenticated || !packet.authCode || !packet.signed) throw new IpmiProtocolError('packet in an integrity-protected session is not authenticated');
  if (packet.authCode.length !== integrityCodeLength(crypto.integrity)) throw new IpmiProtocolError(`AuthCode is ${packet.authCode.length} bytes, expected ${integrityCodeLength(crypto.integrity)}`);
  if (!codesEqual(packet.authCode, integrityCode(crypto.integrity, crypto.k1, packet.signed))) throw new IpmiProtocolError('AuthCode does not verify');
}

/** The plain payload of a packet in an established session: integrity checked, then decrypted. */
export function openPayload(packet: RmcpPlusPacket, crypto: SessionCrypto): Buffer {
  verifyIntegrity(packet, crypto);
  if (crypto.confidentiality === 'none') {
    if (packet.encrypted) throw new IpmiProtocolError('encrypted packet in a session without confidentiality');
    return packet.payload;
  }
  if (!packet.encrypted) throw new IpmiProtocolError('unencrypted packet in a confidential session');
  return decryptPayload(crypto.k2, packet.payload);
}
