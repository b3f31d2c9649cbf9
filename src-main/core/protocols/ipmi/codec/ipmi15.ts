// IPMI v1.5 session packets (IPMI v2.0 section 13.6, table 13-8):
//   RMCP header | auth type | session seq | session ID | [AuthCode(16)] | length | message
// Used before any session exists (Get Channel Authentication Capabilities, which every
// RMCP+ client sends first) and for IPMI 1.5 sessions with MD5 or straight-password auth.
import { createHash } from 'node:crypto';
import { IpmiProtocolError } from './errors';
import { AUTH_TYPE, RMCP_CLASS_IPMI } from './constants';
import { codesEqual } from './cipher';
import { rmcpHeader } from './rmcp';
import { Reader, check } from './reader';

export type Ipmi15AuthType = 'none' | 'md5' | 'password';

const AUTH_TYPE_NUMBERS: Record<Ipmi15AuthType, number> = { none: AUTH_TYPE.NONE, md5: AUTH_TYPE.MD5, password: AUTH_TYPE.PASSWORD };

export interface Ipmi15Packet {
  authType: number;
  sequence: number;
  sessionId: number;
  authCode: Buffer | null;
  message: Buffer;
}

/** The 16-byte, zero-padded password IPMI 1.5 hashes. */
export function password16(password: string): Buffer {
  const p = Buffer.from(password, 'utf8');
  if (p.length > 16) throw new IpmiProtocolError('IPMI 1.5 passwords are at most 16 bytes');
  const b = Buffer.alloc(16);
  p.copy(b);
  return b;
}

/** AuthCode for one packet: MD5(pw | session ID | message | seq | pw), or the password itself. */
export function ipmi15AuthCode(type: Ipmi15AuthType, password: Buffer, sessionId: number, sequence: number, message: Buffer): Buffer {
  if (type === 'none') return Buffer.alloc(0);
  if (type === 'password') return password;
  const id = Buffer.alloc(4);
  id.writeUInt32LE(sessionId >>> 0);
  const seq = Buffer.alloc(4);
  seq.writeUInt32LE(sequence >>> 0);
  return createHash('md5').update(password).update(id).update(message).update(seq).update(password).digest();
}

export interface EncodeIpmi15Options {
  authType: Ipmi15AuthType;
  sequence: number;
  sessionId: number;
  message: Buffer;
  /** 16-byte key: required unless authType is 'none'. */
  password?: Buffer;
}

export function encodeIpmi15(o: EncodeIpmi15Options): Buffer {
  check(o.message.length <= 0xff, 'IPMI 1.5 message is longer than 255 bytes');
  const authed = o.authType !== 'none';
  const head = Buffer.alloc(4 + 9 + (authed ? 16 : 0) + 1);
  rmcpHeader(RMCP_CLASS_IPMI).copy(head, 0);
  head[4] = AUTH_TYPE_NUMBERS[o.authType];
  head.writeUInt32LE(o.sequence >>> 0, 5);
  head.writeUInt32LE(o.sessionId >>> 0, 9);
  if (authed) {
    if (!o.password) throw new IpmiProtocolError('an authenticated IPMI 1.5 packet needs the password');
    ipmi15AuthCode(o.authType, o.password, o.sessionId, o.sequence, o.message).copy(head, 13);
  }
  head[head.length - 1] = o.message.length;
  return Buffer.concat([head, o.message]);
}

export function decodeIpmi15(buf: Buffer): Ipmi15Packet {
  check(buf.length >= 14 && buf[3] === RMCP_CLASS_IPMI, 'not an IPMI 1.5 packet');
  const r = new Reader(buf, 'IPMI 1.5 packet', 4);
  const authType = r.u8() & 0x0f;
  check(authType !== AUTH_TYPE.RMCP_PLUS, 'RMCP+ packet given to the IPMI 1.5 decoder');
  const sequence = r.u32le();
  const sessionId = r.u32le();
  const authCode = authType === AUTH_TYPE.NONE ? null : Buffer.from(r.bytes(16));
  const len = r.u8();
  const message = Buffer.from(r.bytes(len));
  // Anything after the message is the legacy pad byte some stacks send: ignored.
  return { authType, sequence, sessionId, authCode, message };
}

export function authTypeName(n: number): Ipmi15AuthType | undefined {
  return (Object.keys(AUTH_TYPE_NUMBERS) as Ipmi15AuthType[]).find((k) => AUTH_TYPE_NUMBERS[k] === n);
}

/** Verifies an authenticated IPMI 1.5 packet's AuthCode; throws IpmiProtocolError if wrong. */
export function verifyIpmi15(packet: Ipmi15Packet, password: Buffer): void {
  const type = authTypeName(packet.authType);
  if (type === undefined) throw new IpmiProtocolError(`IPMI 1.5 auth type ${packet.authType} is not supported`);
  if (type === 'none') return;
  const expected = ipmi15AuthCode(type, password, packet.sessionId, packet.sequence, packet.message);
  if (!packet.authCode || !codesEqual(packet.authCode, expected)) throw new IpmiProtocolError('IPMI 1.5 AuthCode does not verify');
}
