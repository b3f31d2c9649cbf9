// SNMP values: net-snmp does the BER; this turns its varbinds into typed values (Counter64 as
// bigint, strings as bytes plus text) and back for set. Pure: nothing thrown on odd input
// except the named SnmpValueError from the encoder.
import * as snmp from 'net-snmp';
import { SnmpValueError } from './errors';
import { counter64, encodeCounter64, COUNTER64_MAX } from './counter64';
import { normalizeOid } from './oid';

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
      if (typeof v.value !== 'bigint' || v.value < 0n || v.value > COUNTER64_MAX) bad('counter64 out of the unsigned 64-bit range');
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
