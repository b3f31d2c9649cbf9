// Sensor Data Records (IPMI v2.0 section 43) and reading conversion (section 36.3):
//   y = L[(M * x + B * 10^Bexp) * 10^Rexp]
// with M and B 10-bit two's-complement, the exponents 4-bit two's-complement, x the raw
// reading in the record's analog format and L the record's linearization function.
import { Reader, check } from './reader';
import { unitName } from './units';

export const SDR_TYPE = { FULL: 0x01, COMPACT: 0x02, EVENT_ONLY: 0x03, FRU_LOCATOR: 0x11, MC_LOCATOR: 0x12 } as const;
export const SDR_HEADER_LEN = 5;

export type AnalogFormat = 'unsigned' | 'ones-complement' | 'twos-complement' | 'none';
const ANALOG: AnalogFormat[] = ['unsigned', 'ones-complement', 'twos-complement', 'none'];

export interface SdrHeader {
  recordId: number;
  version: number;
  type: number;
  /** Bytes after the 5-byte header. */
  length: number;
}

export interface Conversion {
  analogFormat: AnalogFormat;
  linearization: number;
  m: number;
  b: number;
  bExp: number;
  rExp: number;
}

export interface Thresholds {
  lnr: number | null;
  lcr: number | null;
  lnc: number | null;
  unc: number | null;
  ucr: number | null;
  unr: number | null;
}

export interface SensorRecord {
  recordId: number;
  kind: 'full' | 'compact' | 'event-only';
  ownerId: number;
  ownerLun: number;
  number: number;
  entityId: number;
  entityInstance: number;
  sensorType: number;
  eventReadingType: number;
  name: string;
  /** "degrees C", "RPM", "Volts"... with modifier units as "A/B" or "A*B". */
  units: string;
  /** The base unit's IPMI code (table 43-15), what the units text starts with. */
  baseUnit: number;
  percentage: boolean;
  /** Full records only: how to turn a raw byte into units. */
  conversion: Conversion | null;
  /** Full threshold records: thresholds in units where the record marks them readable. */
  thresholds: Thresholds | null;
  readableThresholds: number;
  nominal: number | null;
}

export interface OtherRecord {
  recordId: number;
  kind: 'fru-locator' | 'mc-locator' | 'other';
  type: number;
  name: string;
  /** MC locator: the controller's slave address; FRU locator: the FRU device id. */
  address: number | null;
  entityId: number | null;
  entityInstance: number | null;
}

export type SdrRecord = SensorRecord | OtherRecord;

export function decodeSdrHeader(buf: Buffer): SdrHeader {
  const r = new Reader(buf, 'SDR header');
  return { recordId: r.u16le(), version: r.u8(), type: r.u8(), length: r.u8() };
}

function signed(v: number, bits: number): number {
  const sign = 1 << (bits - 1);
  return v & sign ? v - (1 << bits) : v;
}

/** The ID string: type/length byte then the bytes; 8-bit ASCII+Latin-1 is all that is seen in practice. */
function idString(r: Reader): string {
  if (r.remaining < 1) return '';
  const tl = r.u8();
  const len = Math.min(tl & 0x1f, r.remaining);
  const raw = r.bytes(len);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('latin1');
}

function unitsText(u1: number, base: number, mod: number): string {
  const baseName = unitName(base);
  const modifier = (u1 >> 1) & 3;
  if (modifier === 1) return `${baseName}/${unitName(mod)}`;
  if (modifier === 2) return `${baseName}*${unitName(mod)}`;
  return baseName;
}

const LINEAR = [
  (y: number) => y, Math.log, Math.log10, Math.log2, Math.exp, (y: number) => 10 ** y, (y: number) => 2 ** y,
  (y: number) => 1 / y, (y: number) => y * y, (y: number) => y * y * y, Math.sqrt, Math.cbrt,
];

/** Raw reading -> value in units; null when the record has no analog reading. */
export function convertReading(raw: number, c: Conversion): number | null {
  if (c.analogFormat === 'none') return null;
  let x = raw & 0xff;
  if (c.analogFormat === 'twos-complement') x = signed(x, 8);
  else if (c.analogFormat === 'ones-complement') x = x & 0x80 ? -(~x & 0x7f) : x;
  const y = (c.m * x + c.b * 10 ** c.bExp) * 10 ** c.rExp;
  // 0x70-0x7F are OEM non-linear curves: FleetDeck cannot know them, so it shows y unchanged.
  const f = LINEAR[c.linearization & 0x7f] ?? LINEAR[0];
  return f(y);
}

/** Value in units -> nearest raw byte (linear records only); used by the lab's BMCs. */
export function rawFromValue(value: number, c: Conversion): number {
  const x = Math.round((value / 10 ** c.rExp - c.b * 10 ** c.bExp) / (c.m || 1));
  if (c.analogFormat === 'twos-complement') return Math.max(-128, Math.min(127, x)) & 0xff;
  return Math.max(0, Math.min(255, x));
}

function decodeFull(r: Reader, h: SdrHeader): SensorRecord {
  const ownerId = r.u8();
  const ownerLun = r.u8() & 3;
  const number = r.u8();
  const entityId = r.u8();
  const entityInstance = r.u8() & 0x7f;
  r.skip(2); // initialization, capabilities
  const sensorType = r.u8();
  const eventReadingType = r.u8();
  r.skip(4); // assertion / deassertion masks
  const readableThresholds = r.u8() & 0x3f;
  r.skip(1);
  const u1 = r.u8();
  const base = r.u8();
  const mod = r.u8();
  const linearization = r.u8() & 0x7f;
  const mLo = r.u8();
  const mHi = r.u8();
  const bLo = r.u8();
  const bHi = r.u8();
  r.skip(1); // accuracy, direction
  const exps = r.u8();
  const conversion: Conversion = {
    analogFormat: ANALOG[u1 >> 6],
    linearization,
    m: signed(((mHi & 0xc0) << 2) | mLo, 10),
    b: signed(((bHi & 0xc0) << 2) | bLo, 10),
    rExp: signed(exps >> 4, 4),
    bExp: signed(exps & 0x0f, 4),
  };
  const flags = r.u8();
  const nominalRaw = r.u8();
  r.skip(4); // normal max/min, sensor max/min
  const t = [r.u8(), r.u8(), r.u8(), r.u8(), r.u8(), r.u8()]; // unr ucr unc lnr lcr lnc
  r.skip(2 + 2 + 1); // hysteresis, reserved, OEM
  const name = idString(r);
  const cv = (raw: number, bit: number): number | null => (readableThresholds & (1 << bit) ? convertReading(raw, conversion) : null);
  const threshold = eventReadingType === 0x01;
  return {
    recordId: h.recordId, kind: 'full', ownerId, ownerLun, number, entityId, entityInstance, sensorType, eventReadingType, name,
    units: unitsText(u1, base, mod), baseUnit: base, percentage: (u1 & 1) === 1, conversion,
    thresholds: threshold ? { unr: cv(t[0], 5), ucr: cv(t[1], 4), unc: cv(t[2], 3), lnr: cv(t[3], 2), lcr: cv(t[4], 1), lnc: cv(t[5], 0) } : null,
    readableThresholds: threshold ? readableThresholds : 0,
    nominal: flags & 1 ? convertReading(nominalRaw, conversion) : null,
  };
}

function decodeCompact(r: Reader, h: SdrHeader): SensorRecord {
  const ownerId = r.u8();
  const ownerLun = r.u8() & 3;
  const number = r.u8();
  const entityId = r.u8();
  const entityInstance = r.u8() & 0x7f;
  r.skip(2);
  const sensorType = r.u8();
  const eventReadingType = r.u8();
  r.skip(6);
  const u1 = r.u8();
  const base = r.u8();
  const mod = r.u8();
  r.skip(2 + 2 + 3 + 1); // sharing, hysteresis, reserved, OEM
  const name = idString(r);
  return {
    recordId: h.recordId, kind: 'compact', ownerId, ownerLun, number, entityId, entityInstance, sensorType, eventReadingType, name,
    units: unitsText(u1, base, mod), baseUnit: base, percentage: (u1 & 1) === 1, conversion: null, thresholds: null, readableThresholds: 0, nominal: null,
  };
}

function decodeEventOnly(r: Reader, h: SdrHeader): SensorRecord {
  const ownerId = r.u8();
  const ownerLun = r.u8() & 3;
  const number = r.u8();
  const entityId = r.u8();
  const entityInstance = r.u8() & 0x7f;
  const sensorType = r.u8();
  const eventReadingType = r.u8();
  r.skip(2 + 1 + 1);
  return {
    recordId: h.recordId, kind: 'event-only', ownerId, ownerLun, number, entityId, entityInstance, sensorType, eventReadingType,
    name: idString(r), units: '', baseUnit: 0, percentage: false, conversion: null, thresholds: null, readableThresholds: 0, nominal: null,
  };
}

/** Parses one whole record (header included). Unknown record types come back as 'other'. */
export function decodeSdrRecord(buf: Buffer): SdrRecord {
  const h = decodeSdrHeader(buf);
  check(buf.length >= SDR_HEADER_LEN + h.length, `SDR record ${h.recordId} is ${buf.length} bytes, header says ${SDR_HEADER_LEN + h.length}`);
  const r = new Reader(buf.subarray(0, SDR_HEADER_LEN + h.length), `SDR record 0x${h.recordId.toString(16)}`, SDR_HEADER_LEN);
  switch (h.type) {
    case SDR_TYPE.FULL:
      return decodeFull(r, h);
    case SDR_TYPE.COMPACT:
      return decodeCompact(r, h);
    case SDR_TYPE.EVENT_ONLY:
      return decodeEventOnly(r, h);
    case SDR_TYPE.FRU_LOCATOR:
    case SDR_TYPE.MC_LOCATOR: {
      const address = r.u8();
      const fruId = r.u8();
      r.skip(5);
      const entityId = r.u8();
      const entityInstance = r.u8();
      r.skip(1);
      const mc = h.type === SDR_TYPE.MC_LOCATOR;
      return { recordId: h.recordId, kind: mc ? 'mc-locator' : 'fru-locator', type: h.type, name: idString(r), address: mc ? address : fruId, entityId, entityInstance };
    }
    default:
      return { recordId: h.recordId, kind: 'other', type: h.type, name: '', address: null, entityId: null, entityInstance: null };
  }
}

export function isSensorRecord(r: SdrRecord): r is SensorRecord {
  return r.kind === 'full' || r.kind === 'compact' || r.kind === 'event-only';
}
