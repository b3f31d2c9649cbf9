// Counter64 as bigint: net-snmp hands over (and takes) a Counter64 as its big-endian content
// bytes; these turn them into an unsigned 64-bit bigint and back. Pure functions.

/** The largest Counter64. */
export const COUNTER64_MAX = (1n << 64n) - 1n;

/** A Counter64 as net-snmp decodes it (big-endian content bytes) to a bigint; null if unusable. */
export function counter64(value: unknown): bigint | null {
  if (Buffer.isBuffer(value)) {
    if (value.length > 9) return null; // 8 bytes, plus a leading 0 for the sign bit
    let n = 0n;
    for (const byte of value) n = (n << 8n) | BigInt(byte);
    return n & COUNTER64_MAX;
  }
  if (typeof value === 'bigint') return value >= 0n ? value & COUNTER64_MAX : null;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return BigInt(Math.trunc(value));
  return null;
}

/** Counter64 content bytes as net-snmp's encoder wants them (minimal, unsigned). */
export function encodeCounter64(value: bigint): Buffer {
  let v = value & COUNTER64_MAX;
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return Buffer.from(bytes);
}
