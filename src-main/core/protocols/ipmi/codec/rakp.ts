// RMCP+ session establishment (IPMI v2.0 sections 13.17-13.23): Open Session request and
// response, RAKP messages 1-4, and the keyed codes each side proves itself with.
import { IpmiProtocolError } from './errors';
import {
  AUTH_ALGORITHM_NUMBERS, CONFIDENTIALITY_ALGORITHM_NUMBERS, INTEGRITY_ALGORITHM_NUMBERS, algorithmByNumber, authCodeLength, authHmac, rakp4CodeLength,
  type AuthAlgorithm, type CipherSuite, type ConfidentialityAlgorithm, type IntegrityAlgorithm,
} from './cipher';
import { Reader, check } from './reader';

/** RMCP+ status codes (table 13-15). */
export const RAKP_STATUS: Record<number, string> = {
  0x00: 'no errors',
  0x01: 'insufficient resources to create a session',
  0x02: 'invalid session ID',
  0x03: 'invalid payload type',
  0x04: 'invalid authentication algorithm',
  0x05: 'invalid integrity algorithm',
  0x06: 'no matching authentication payload',
  0x07: 'no matching integrity payload',
  0x08: 'inactive session ID',
  0x09: 'invalid role',
  0x0a: 'unauthorized role or privilege level requested',
  0x0b: 'insufficient resources to create a session at the requested role',
  0x0c: 'invalid name length',
  0x0d: 'unauthorized name',
  0x0e: 'unauthorized GUID',
  0x0f: 'invalid integrity check value',
  0x10: 'invalid confidentiality algorithm',
  0x11: 'no cipher suite match with proposed security algorithms',
  0x12: 'illegal or unrecognized parameter',
};

/** consoleSessionId of a refusal that did not carry one. */
export const SHORT_ERROR = -1;

export function rakpStatusText(status: number): string {
  return RAKP_STATUS[status] ?? `RMCP+ status 0x${status.toString(16)}`;
}

/** Statuses that mean "pick another cipher suite" rather than "you may not log in". */
export const RAKP_ALGORITHM_STATUSES = new Set([0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11]);

export interface OpenSessionRequest {
  tag: number;
  /** 0 = the highest level the user's cipher suite allows. */
  maxPrivilege: number;
  consoleSessionId: number;
  auth: AuthAlgorithm;
  integrity: IntegrityAlgorithm;
  confidentiality: ConfidentialityAlgorithm;
}

export interface OpenSessionResponse {
  tag: number;
  status: number;
  maxPrivilege: number;
  consoleSessionId: number;
  bmcSessionId: number;
  auth?: AuthAlgorithm;
  integrity?: IntegrityAlgorithm;
  confidentiality?: ConfidentialityAlgorithm;
}

function algPayload(type: number, alg: number): Buffer {
  return Buffer.from([type, 0, 0, 8, alg, 0, 0, 0]);
}

function readAlgPayload(r: Reader, type: number): number {
  const t = r.u8();
  r.skip(2);
  const len = r.u8();
  check(t === type, `algorithm payload type ${t}, expected ${type}`);
  check(len === 8, `algorithm payload length ${len}, expected 8`);
  const alg = r.u8() & 0x3f;
  r.skip(3);
  return alg;
}

export function encodeOpenSessionRequest(o: OpenSessionRequest): Buffer {
  const b = Buffer.alloc(8);
  b[0] = o.tag & 0xff;
  b[1] = o.maxPrivilege & 0x0f;
  b.writeUInt32LE(o.consoleSessionId >>> 0, 4);
  return Buffer.concat([
    b,
    algPayload(0, AUTH_ALGORITHM_NUMBERS[o.auth]),
    algPayload(1, INTEGRITY_ALGORITHM_NUMBERS[o.integrity]),
    algPayload(2, CONFIDENTIALITY_ALGORITHM_NUMBERS[o.confidentiality]),
  ]);
}

/** Algorithms a peer asked for that FleetDeck has no name for come back as undefined. */
export function decodeOpenSessionRequest(buf: Buffer): Omit<OpenSessionRequest, 'auth' | 'integrity' | 'confidentiality'> & { auth?: AuthAlgorithm; integrity?: IntegrityAlgorithm; confidentiality?: ConfidentialityAlgorithm } {
  const r = new Reader(buf, 'Open Session request');
  const tag = r.u8();
  const maxPrivilege = r.u8() & 0x0f;
  r.skip(2);
  const consoleSessionId = r.u32le();
  return {
    tag, maxPrivilege, consoleSessionId,
    auth: algorithmByNumber(AUTH_ALGORITHM_NUMBERS, readAlgPayload(r, 0)),
    integrity: algorithmByNumber(INTEGRITY_ALGORITHM_NUMBERS, readAlgPayload(r, 1)),
    confidentiality: algorithmByNumber(CONFIDENTIALITY_ALGORITHM_NUMBERS, readAlgPayload(r, 2)),
  };
}

export function encodeOpenSessionResponse(o: OpenSessionResponse): Buffer {
  const b = Buffer.alloc(12);
  b[0] = o.tag & 0xff;
  b[1] = o.status & 0xff;
  b[2] = o.maxPrivilege & 0x0f;
  b.writeUInt32LE(o.consoleSessionId >>> 0, 4);
  b.writeUInt32LE(o.bmcSessionId >>> 0, 8);
  if (o.status !== 0 || !o.auth || !o.integrity || !o.confidentiality) return b.subarray(0, 8);
  return Buffer.concat([
    b,
    algPayload(0, AUTH_ALGORITHM_NUMBERS[o.auth]),
    algPayload(1, INTEGRITY_ALGORITHM_NUMBERS[o.integrity]),
    algPayload(2, CONFIDENTIALITY_ALGORITHM_NUMBERS[o.confidentiality]),
  ]);
}

export function decodeOpenSessionResponse(buf: Buffer): OpenSessionResponse {
  const r = new Reader(buf, 'Open Session response');
  const tag = r.u8();
  const status = r.u8();
  // Some BMCs (ipmi_sim) answer a refusal with just the tag and the status.
  if (status !== 0 && r.remaining < 6) return { tag, status, maxPrivilege: 0, consoleSessionId: SHORT_ERROR, bmcSessionId: 0 };
  const maxPrivilege = r.u8() & 0x0f;
  r.skip(1);
  const consoleSessionId = r.u32le();
  if (status !== 0) return { tag, status, maxPrivilege, consoleSessionId, bmcSessionId: 0 };
  const bmcSessionId = r.u32le();
  const auth = readAlgPayload(r, 0);
  const integrity = readAlgPayload(r, 1);
  const confidentiality = readAlgPayload(r, 2);
  return {
    tag, status, maxPrivilege, consoleSessionId, bmcSessionId,
    auth: algorithmByNumber(AUTH_ALGORITHM_NUMBERS, auth),
    integrity: algorithmByNumber(INTEGRITY_ALGORITHM_NUMBERS, integrity),
    confidentiality: algorithmByNumber(CONFIDENTIALITY_ALGORITHM_NUMBERS, confidentiality),
  };
}

export interface Rakp1 {
  tag: number;
  bmcSessionId: number;
  consoleRandom: Buffer;
  /** The whole role byte: privilege in bits 3:0, bit 4 = name-only lookup. */
  role: number;
  username: Buffer;
}

export function encodeRakp1(o: Rakp1): Buffer {
  check(o.consoleRandom.length === 16, 'RAKP 1 random number must be 16 bytes');
  check(o.username.length <= 16, 'IPMI user names are at most 16 bytes');
  const b = Buffer.alloc(28 + o.username.length);
  b[0] = o.tag & 0xff;
  b.writeUInt32LE(o.bmcSessionId >>> 0, 4);
  o.consoleRandom.copy(b, 8);
  b[24] = o.role & 0xff;
  b[27] = o.username.length;
  o.username.copy(b, 28);
  return b;
}

export function decodeRakp1(buf: Buffer): Rakp1 {
  const r = new Reader(buf, 'RAKP 1');
  const tag = r.u8();
  r.skip(3);
  const bmcSessionId = r.u32le();
  const consoleRandom = Buffer.from(r.bytes(16));
  const role = r.u8();
  r.skip(2);
  const len = r.u8();
  check(len <= 16, `RAKP 1 user name length ${len} is over 16`);
  return { tag, bmcSessionId, consoleRandom, role, username: Buffer.from(r.bytes(len)) };
}

export interface Rakp2 {
  tag: number;
  status: number;
  consoleSessionId: number;
  bmcRandom: Buffer;
  bmcGuid: Buffer;
  authCode: Buffer;
}

export function encodeRakp2(o: Rakp2): Buffer {
  const b = Buffer.alloc(8);
  b[0] = o.tag & 0xff;
  b[1] = o.status & 0xff;
  b.writeUInt32LE(o.consoleSessionId >>> 0, 4);
  if (o.status !== 0) return b;
  return Buffer.concat([b, o.bmcRandom, o.bmcGuid, o.authCode]);
}

export function decodeRakp2(buf: Buffer, auth: AuthAlgorithm): Rakp2 {
  const r = new Reader(buf, 'RAKP 2');
  const tag = r.u8();
  const status = r.u8();
  if (status !== 0 && r.remaining < 6) return { tag, status, consoleSessionId: SHORT_ERROR, bmcRandom: Buffer.alloc(0), bmcGuid: Buffer.alloc(0), authCode: Buffer.alloc(0) };
  r.skip(2);
  const consoleSessionId = r.u32le();
  if (status !== 0) return { tag, status, consoleSessionId, bmcRandom: Buffer.alloc(0), bmcGuid: Buffer.alloc(0), authCode: Buffer.alloc(0) };
  const bmcRandom = Buffer.from(r.bytes(16));
  const bmcGuid = Buffer.from(r.bytes(16));
  const authCode = Buffer.from(r.bytes(authCodeLength(auth)));
  return { tag, status, consoleSessionId, bmcRandom, bmcGuid, authCode };
}

export interface Rakp3 {
  tag: number;
  status: number;
  bmcSessionId: number;
  authCode: Buffer;
}

export function encodeRakp3(o: Rakp3): Buffer {
  const b = Buffer.alloc(8);
  b[0] = o.tag & 0xff;
  b[1] = o.status & 0xff;
  b.writeUInt32LE(o.bmcSessionId >>> 0, 4);
  return o.status !== 0 ? b : Buffer.concat([b, o.authCode]);
}

export function decodeRakp3(buf: Buffer, auth: AuthAlgorithm): Rakp3 {
  const r = new Reader(buf, 'RAKP 3');
  const tag = r.u8();
  const status = r.u8();
  r.skip(2);
  const bmcSessionId = r.u32le();
  const authCode = status === 0 ? Buffer.from(r.bytes(authCodeLength(auth))) : Buffer.alloc(0);
  return { tag, status, bmcSessionId, authCode };
}

export interface Rakp4 {
  tag: number;
  status: number;
  consoleSessionId: number;
  integrityCheck: Buffer;
}

export function encodeRakp4(o: Rakp4): Buffer {
  const b = Buffer.alloc(8);
  b[0] = o.tag & 0xff;
  b[1] = o.status & 0xff;
  b.writeUInt32LE(o.consoleSessionId >>> 0, 4);
  return o.status !== 0 ? b : Buffer.concat([b, o.integrityCheck]);
}

export function decodeRakp4(buf: Buffer, auth: AuthAlgorithm): Rakp4 {
  const r = new Reader(buf, 'RAKP 4');
  const tag = r.u8();
  const status = r.u8();
  if (status !== 0 && r.remaining < 6) return { tag, status, consoleSessionId: SHORT_ERROR, integrityCheck: Buffer.alloc(0) };
  r.skip(2);
  const consoleSessionId = r.u32le();
  const integrityCheck = status === 0 ? Buffer.from(r.bytes(rakp4CodeLength(auth))) : Buffer.alloc(0);
  return { tag, status, consoleSessionId, integrityCheck };
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

export interface RakpExchange {
  suite: CipherSuite;
  consoleSessionId: number;
  bmcSessionId: number;
  consoleRandom: Buffer;
  bmcRandom: Buffer;
  bmcGuid: Buffer;
  role: number;
  username: Buffer;
}

/** RAKP 2 key exchange code: HMAC_Kuid(SIDm | SIDc | Rm | Rc | GUIDc | ROLEm | ULENGTHm | UNAMEm). */
export function rakp2AuthCode(x: RakpExchange, kuid: Buffer): Buffer {
  return authHmac(x.suite.auth, kuid, u32(x.consoleSessionId), u32(x.bmcSessionId), x.consoleRandom, x.bmcRandom, x.bmcGuid,
    Buffer.from([x.role, x.username.length]), x.username);
}

/** RAKP 3 key exchange code: HMAC_Kuid(Rc | SIDm | ROLEm | ULENGTHm | UNAMEm). */
export function rakp3AuthCode(x: RakpExchange, kuid: Buffer): Buffer {
  return authHmac(x.suite.auth, kuid, x.bmcRandom, u32(x.consoleSessionId), Buffer.from([x.role, x.username.length]), x.username);
}

/** RAKP 4 integrity check value: HMAC_SIK(Rm | SIDc | GUIDc), truncated. */
export function rakp4IntegrityCheck(x: RakpExchange, sik: Buffer): Buffer {
  return authHmac(x.suite.auth, sik, x.consoleRandom, u32(x.bmcSessionId), x.bmcGuid).subarray(0, rakp4CodeLength(x.suite.auth));
}

export function requireSuiteAlgorithms(r: OpenSessionResponse): asserts r is Required<OpenSessionResponse> {
  if (!r.auth || !r.integrity || !r.confidentiality) throw new IpmiProtocolError('Open Session response names an algorithm FleetDeck does not know');
}
