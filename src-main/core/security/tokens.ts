// Serve-mode access tokens: random, compared in constant time, stored only as SHA-256.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Tokens are 32 random bytes, base64url; only their SHA-256 is stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
