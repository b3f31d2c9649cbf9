// The codec side of SNMP: net-snmp does the BER; this turns its varbinds into typed values
// (Counter64 as bigint, strings as bytes plus text) and back for set, and holds the OID
// arithmetic walks and tables need. Pure functions: no sockets, nothing thrown on odd input
// except the named SnmpValueError from the encoders.
import * as snmp from 'net-snmp';
import { SnmpValueError } from './errors';

export type SnmpValue =
  | { type: 'integer' | 'counter32' | 'gauge32' | 'timeticks'; value: number }
  | { type: 'counter64'; value: bigint }
  | { type: 'octets' | 'opaque'; value: Buffer }
  | { type: 'oid' | 'ipAddress' | 'bitString'; value: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' | 'noSuchObject' | 'noSuchInstance' | 'endOfMibView'; value: null };

export type SnmpValueType = SnmpValue['type'];

export type TypedVarbind = { oid: string } & SnmpValue;

const T = snmp.ObjectType;
const U64 = (1n << 64n) - 1n;

/** A Counter64 as net-snmp decodes it (big-endian content bytes) to a bigint; null if unusable. */
export function counter64(value: unknown): bigint | null {
  if (Buffer.isBuffer(value)) {
    if (value.length > 9) return null; // 8 bytes, plus a leading 0 for the sign bit
    let n = 0n;
    for (const byte of value) n = (n << 8n) | BigInt(byte);
    return n & U64;
  }
  if (typeof value === 'bigint') return value >= 0n ? value & U64 : null;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return BigInt(Math.trunc(value));
  return null;
}

/** Counter64 content bytes as net-snmp's encoder wants them (minimal, unsigned). */
export function encodeCounter64(value: bigint): Buffer {
  let v = value & U64;
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return Buffer.from(bytes);
}

const toBuffer = (v: unknown): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(typeof v === 'string' ? v : ''));
const toNumber = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** One net-snmp varbind as a typed value. Never throws: an unknown type comes out as opaque bytes. */
export function decodeVarbind(vb: snmp.Varbind): TypedVarbind {
  const oid = typeof vb.oid === 'string' ? vb.oid : '';
  const v = vb.value;
  switch (vb.type) {
    case T.Integer: return { oid, type: 'integer', value: toNumber(v) };
    case T.Counter: return { oid, type: 'counter32', value: toNumber(v) };
    case T.Gauge: return { oid, type: 'gauge32', value: toNumber(v) };
    case T.TimeTicks: return { oid, type: 'timeticks', value: toNumber(v) };
    case T.Counter64: return { oid, type: 'counter64', value: counter64(v) ?? 0n };
    case T.OctetString: return { oid, type: 'octets', value: toBuffer(v) };
    case T.Opaque: return { oid, type: 'opaque', value: toBuffer(v) };
    case T.OID: return { oid, type: 'oid', value: typeof v === 'string' ? v : '' };
    case T.IpAddress: return { oid, type: 'ipAddress', value: typeof v === 'string' ? v : '' };
    case T.BitString: return { oid, type: 'bitString', value: typeof v === 'string' ? v : '' };
    case T.Boolean: return { oid, type: 'boolean', value: v === true };
    case T.Null: return { oid, type: 'null', value: null };
    case T.NoSuchObject: return { oid, type: 'noSuchObject', value: null };
    case T.NoSuchInstance: return { oid, type: 'noSuchInstance', value: null };
    case T.EndOfMibView: return { oid, type: 'endOfMibView', value: null };
    default: return { oid, type: 'opaque', value: toBuffer(v) };
  }
}

/** True for the three "no value here" exceptions (noSuchObject, noSuchInstance, endOfMibView). */
export function isException(vb: TypedVarbind): boolean {
  return vb.type === 'noSuchObject' || vb.type === 'noSuchInstance' || vb.type === 'endOfMibView';
}

/** An OCTET STRING as text: UTF-8 when it decodes cleanly, else null (binary: a MAC, a key). */
export function octetText(value: Buffer): string | null {
  const text = value.toString('utf8');
  // U+FFFD means invalid UTF-8; control characters other than tab/newline mean binary.
  // eslint-disable-next-line no-control-regex
  return /\uFFFD|[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text) ? null : text;
}

/** A typed value as a number (integers, counters, gauges, ticks), or null. */
export function numberOf(vb: TypedVarbind | undefined): number | null {
  if (!vb) return null;
  if (vb.type === 'integer' || vb.type === 'counter32' || vb.type === 'gauge32' || vb.type === 'timeticks') return vb.value;
  if (vb.type === 'counter64') return Number(vb.value);
  return null;
}

/** A typed value as text (octets decoded, OIDs and addresses as written), or null. */
export function textOf(vb: TypedVarbind | undefined): string | null {
  if (!vb) return null;
  if (vb.type === 'octets') return octetText(vb.value) ?? vb.value.toString('hex');
  if (vb.type === 'oid' || vb.type === 'ipAddress') return vb.value;
  return null;
}

/** What set() takes: a value and the type to send it as. */
export type SetValue =
  | { oid: string; type: 'integer' | 'counter32' | 'gauge32' | 'timeticks'; value: number }
  | { oid: string; type: 'counter64'; value: bigint }
  | { oid: string; type: 'octets'; value: string | Buffer }
  | { oid: string; type: 'oid' | 'ipAddress'; value: string };

const UINT_TYPES = { counter32: T.Counter, gauge32: T.Gauge, timeticks: T.TimeTicks } as const;

/** A set value as a net-snmp varbind, checked first: a bad value is an SnmpValueError, not a BER surprise. */
export function encodeSetVarbind(v: SetValue): snmp.Varbind {
  const oid = normalizeOid(v.oid);
  const bad = (reason: string): never => {
    throw new SnmpValueError(v.oid, reason);
  };
  switch (v.type) {
    case 'integer':
      if (!Number.isInteger(v.value) || v.value < -(2 ** 31) || v.value >= 2 ** 31) bad('integer out of the Integer32 range');
      return { oid, type: T.Integer, value: v.value };
    case 'counter32':
    case 'gauge32':
    case 'timeticks':
      if (!Number.isInteger(v.value) || v.value < 0 || v.value >= 2 ** 32) bad(`${v.type} out of the unsigned 32-bit range`);
      return { oid, type: UINT_TYPES[v.type], value: v.value };
    case 'counter64':
      if (typeof v.value !== 'bigint' || v.value < 0n || v.value > U64) bad('counter64 out of the unsigned 64-bit range');
      return { oid, type: T.Counter64, value: encodeCounter64(v.value) };
    case 'octets':
      if (typeof v.value !== 'string' && !Buffer.isBuffer(v.value)) bad('octets must be a string or bytes');
      if (Buffer.byteLength(v.value) > 65_535) bad('octet string longer than 65535 bytes');
      return { oid, type: T.OctetString, value: v.value };
    case 'oid':
      return { oid, type: T.OID, value: normalizeOid(v.value) };
    case 'ipAddress':
      if (!/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(v.value) || v.value.split('.').some((b) => Number(b) > 255)) bad('not a dotted IPv4 address');
      return { oid, type: T.IpAddress, value: v.value };
    default:
      return bad('unknown type');
  }
}

// ---- OID utilities ----------------------------------------------------------------------

/** "1.3.6.1.2.1.1.5.0" (a leading dot allowed) checked and without the dot; SnmpValueError if malformed. */
export function normalizeOid(oid: string): string {
  const s = oid.charCodeAt(0) === 46 ? oid.slice(1) : oid;
  // One pass (this runs on every request of every walk): digits and single dots, at least two
  // arcs, the first arc 0-2, every arc within 32 bits.
  let arcs = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0) throw new SnmpValueError(oid, 'not a dotted numeric OID');
      if (value > 0xffff_ffff || (arcs === 0 && value > 2)) throw new SnmpValueError(oid, 'arc out of range');
      arcs++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
    } else {
      throw new SnmpValueError(oid, 'not a dotted numeric OID');
    }
  }
  if (arcs < 2) throw new SnmpValueError(oid, 'not a dotted numeric OID');
  return s;
}

export function parseOid(oid: string): number[] {
  return normalizeOid(oid).split('.').map(Number);
}

/** Lexicographic OID order (the order GetNext walks): negative, zero or positive. Allocation-free. */
export function compareOids(a: string, b: string): number {
  let i = 0;
  let j = 0;
  const la = a.length;
  const lb = b.length;
  while (i < la && j < lb) {
    let x = 0;
    for (let c = a.charCodeAt(i); i < la && c !== 46; c = a.charCodeAt(++i)) x = x * 10 + (c - 48);
    let y = 0;
    for (let c = b.charCodeAt(j); j < lb && c !== 46; c = b.charCodeAt(++j)) y = y * 10 + (c - 48);
    if (x !== y) return x - y;
    i++;
    j++;
  }
  return i < la ? 1 : j < lb ? -1 : 0;
}

/** True when `oid` lies strictly inside the subtree rooted at `root`. */
export function isUnder(oid: string, root: string): boolean {
  return oid.length > root.length && oid.startsWith(root) && oid.charCodeAt(root.length) === 46; // '.'
}

/** The arcs of `oid` after `root` ("1.3.6.1.2.1.2.2.1.10.7" under ifEntry -> "10.7"); null if not under it. */
export function oidSuffix(oid: string, root: string): string | null {
  return isUnder(oid, root) ? oid.slice(root.length + 1) : null;
}

/**
 * Groups a walked table by column and row: `table[column][rowIndex]`, where the row index is
 * the OID suffix after the column (a single number for ifIndex-style tables).
 */
export function tableColumns(varbinds: readonly TypedVarbind[], entryOid: string): Map<number, Map<string, TypedVarbind>> {
  const columns = new Map<number, Map<string, TypedVarbind>>();
  for (const vb of varbinds) {
    const suffix = oidSuffix(vb.oid, entryOid);
    if (!suffix) continue;
    const dot = suffix.indexOf('.');
    if (dot < 0) continue;
    const column = Number(suffix.slice(0, dot));
    let rows = columns.get(column);
    if (!rows) columns.set(column, (rows = new Map()));
    rows.set(suffix.slice(dot + 1), vb);
  }
  return columns;
}
