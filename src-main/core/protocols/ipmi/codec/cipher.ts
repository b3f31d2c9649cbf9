// RMCP+ cryptography (IPMI v2.0 sections 13.28-13.32): cipher suites, the keyed hashes of
// the RAKP exchange, session key derivation (SIK, K1, K2), per-packet integrity codes and
// AES-CBC-128 confidentiality with IPMI's own pad rule (pad bytes 1, 2, 3... then the count).
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { IpmiProtocolError } from './errors';

export type AuthAlgorithm = 'none' | 'hmac-sha1' | 'hmac-md5' | 'hmac-sha256';
export type IntegrityAlgorithm = 'none' | 'hmac-sha1-96' | 'hmac-md5-128' | 'md5-128' | 'hmac-sha256-128';
export type ConfidentialityAlgorithm = 'none' | 'aes-cbc-128';

export interface CipherSuite {
  id: number;
  auth: AuthAlgorithm;
  integrity: IntegrityAlgorithm;
  confidentiality: ConfidentialityAlgorithm;
}

export const AUTH_ALGORITHM_NUMBERS: Record<AuthAlgorithm, number> = { none: 0, 'hmac-sha1': 1, 'hmac-md5': 2, 'hmac-sha256': 3 };
export const INTEGRITY_ALGORITHM_NUMBERS: Record<IntegrityAlgorithm, number> = { none: 0, 'hmac-sha1-96': 1, 'hmac-md5-128': 2, 'md5-128': 3, 'hmac-sha256-128': 4 };
export const CONFIDENTIALITY_ALGORITHM_NUMBERS: Record<ConfidentialityAlgorithm, number> = { none: 0, 'aes-cbc-128': 1 };

/** The suites FleetDeck speaks (table 22-20): the ones without MD5, which nobody should use. */
export const CIPHER_SUITES: Readonly<Record<number, CipherSuite>> = {
  0: { id: 0, auth: 'none', integrity: 'none', confidentiality: 'none' },
  1: { id: 1, auth: 'hmac-sha1', integrity: 'none', confidentiality: 'none' },
  2: { id: 2, auth: 'hmac-sha1', integrity: 'hmac-sha1-96', confidentiality: 'none' },
  3: { id: 3, auth: 'hmac-sha1', integrity: 'hmac-sha1-96', confidentiality: 'aes-cbc-128' },
  15: { id: 15, auth: 'hmac-sha256', integrity: 'none', confidentiality: 'none' },
  16: { id: 16, auth: 'hmac-sha256', integrity: 'hmac-sha256-128', confidentiality: 'none' },
  17: { id: 17, auth: 'hmac-sha256', integrity: 'hmac-sha256-128', confidentiality: 'aes-cbc-128' },
};

export function algorithmByNumber<T extends string>(table: Record<T, number>, n: number): T | undefined {
  return (Object.keys(table) as T[]).find((k) => table[k] === n);
}

export function suiteFor(auth: AuthAlgorithm, integrity: IntegrityAlgorithm, confidentiality: ConfidentialityAlgorithm): CipherSuite | undefined {
  return Object.values(CIPHER_SUITES).find((s) => s.auth === auth && s.integrity === integrity && s.confidentiality === confidentiality);
}

function hashName(alg: AuthAlgorithm): 'sha1' | 'sha256' | 'md5' {
  if (alg === 'hmac-sha256') return 'sha256';
  if (alg === 'hmac-md5') return 'md5';
  return 'sha1';
}

/** Length of the RAKP 2/3 key exchange code for an authentication algorithm. */
export function authCodeLength(alg: AuthAlgorithm): number {
  return alg === 'none' ? 0 : alg === 'hmac-sha256' ? 32 : alg === 'hmac-md5' ? 16 : 20;
}

/** Length of the RAKP 4 integrity check value (the auth algorithm's hash, truncated). */
export function rakp4CodeLength(alg: AuthAlgorithm): number {
  return alg === 'none' ? 0 : alg === 'hmac-sha256' ? 16 : alg === 'hmac-md5' ? 16 : 12;
}

/** Length of a session packet's AuthCode for an integrity algorithm. */
export function integrityCodeLength(alg: IntegrityAlgorithm): number {
  return alg === 'none' ? 0 : alg === 'hmac-sha1-96' ? 12 : 16;
}

/** HMAC keyed with `key` over the concatenation of `parts` with the auth algorithm's hash. */
export function authHmac(alg: AuthAlgorithm, key: Buffer, ...parts: Buffer[]): Buffer {
  if (alg === 'none') return Buffer.alloc(0);
  const h = createHmac(hashName(alg), key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The user's key: the password as bytes, at most 20 (IPMI 2.0 passwords are up to 20). */
export function passwordKey(password: string): Buffer {
  const b = Buffer.from(password, 'utf8');
  if (b.length > 20) throw new IpmiProtocolError('IPMI 2.0 passwords are at most 20 bytes');
  return b;
}

export interface SessionKeys {
  sik: Buffer;
  k1: Buffer;
  k2: Buffer;
}

/**
 * SIK = HMAC_KG(Rm | Rc | RoleM | ULengthM | UNameM); K1, K2 = HMAC_SIK(twenty 0x01 / 0x02
 * bytes). The constants stay 20 bytes long with HMAC-SHA256 too: that is what ipmitool and
 * the BMCs it works with do.
 */
export function deriveSessionKeys(alg: AuthAlgorithm, kg: Buffer, rm: Buffer, rc: Buffer, role: number, username: Buffer): SessionKeys {
  const sik = authHmac(alg, kg, rm, rc, Buffer.from([role, username.length]), username);
  return {
    sik,
    k1: authHmac(alg, sik, Buffer.alloc(20, 0x01)),
    k2: authHmac(alg, sik, Buffer.alloc(20, 0x02)),
  };
}

/** The AuthCode of a session packet (already truncated to the algorithm's length). */
export function integrityCode(alg: IntegrityAlgorithm, k1: Buffer, data: Buffer): Buffer {
  switch (alg) {
    case 'none':
      return Buffer.alloc(0);
    case 'hmac-sha1-96':
      return createHmac('sha1', k1).update(data).digest().subarray(0, 12);
    case 'hmac-sha256-128':
      return createHmac('sha256', k1).update(data).digest().subarray(0, 16);
    default:
      throw new IpmiProtocolError(`integrity algorithm ${alg} is not supported`);
  }
}

/** Constant-time comparison; false on a length mismatch. */
export function codesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const AES_BLOCK = 16;

/** IV | AES-CBC-128(payload | 1, 2, ..., n | n), key = K2[0..16). */
export function encryptPayload(k2: Buffer, payload: Buffer, iv: Buffer = randomBytes(AES_BLOCK)): Buffer {
  const padLen = (AES_BLOCK - ((payload.length + 1) % AES_BLOCK)) % AES_BLOCK;
  const plain = Buffer.alloc(payload.length + padLen + 1);
  payload.copy(plain, 0);
  for (let i = 0; i < padLen; i++) plain[payload.length + i] = i + 1;
  plain[plain.length - 1] = padLen;
  const c = createCipheriv('aes-128-cbc', k2.subarray(0, 16), iv);
  c.setAutoPadding(false);
  return Buffer.concat([iv, c.update(plain), c.final()]);
}

export function decryptPayload(k2: Buffer, data: Buffer): Buffer {
  if (data.length < 2 * AES_BLOCK || data.length % AES_BLOCK !== 0) {
    throw new IpmiProtocolError(`encrypted payload of ${data.length} bytes is not IV + whole AES blocks`);
  }
  const d = createDecipheriv('aes-128-cbc', k2.subarray(0, 16), data.subarray(0, AES_BLOCK));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(data.subarray(AES_BLOCK)), d.final()]);
  const padLen = plain[plain.length - 1];
  if (padLen >= AES_BLOCK) throw new IpmiProtocolError(`confidentiality pad length ${padLen} is over 15`);
  for (let i = 0; i < padLen; i++) {
    if (plain[plain.length - 1 - padLen + i] !== i + 1) throw new IpmiProtocolError('confidentiality pad bytes are not 1, 2, 3...');
  }
  return plain.subarray(0, plain.length - 1 - padLen);
}
