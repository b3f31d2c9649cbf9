// System Event Log entries (IPMI v2.0 section 32) and the words ipmitool uses for them.
import { GENERIC_EVENTS, SENSOR_SPECIFIC_EVENTS, THRESHOLD_EVENTS } from '../../../../../src-shared/ipmi-sel-words';
import { Reader } from './reader';
import { sensorTypeName } from './units';

export const SEL_ENTRY_LEN = 16;
/** Timestamps up to this are seconds since the BMC started, not a date (IPMI v2.0 section 37). */
export const PRE_INIT_MAX = 0x20000000;

export interface SelEntry {
  recordId: number;
  recordType: number;
  kind: 'system' | 'oem-timestamped' | 'oem';
  /** Epoch seconds; null for non-timestamped OEM records. */
  timestamp: number | null;
  /** The BMC's clock was not set yet (timestamp up to 0x20000000: seconds since BMC start). */
  preInit: boolean;
  generatorId: number;
  evmRev: number;
  sensorType: number;
  sensorTypeName: string;
  sensorNumber: number;
  /** false for a deassertion event. */
  asserted: boolean;
  eventType: number;
  eventData: [number, number, number];
  /** "Upper Critical going high", "Power off/down"... */
  description: string;
  raw: Buffer;
}

// The offset tables (IPMI v2.0 tables 42-2 and 42-3) live in src-shared/ipmi-sel-words.ts: the
// renderer words the same offsets from the codes a SelEntry carries, with the same English.
export { GENERIC_EVENTS, SENSOR_SPECIFIC_EVENTS, THRESHOLD_EVENTS } from '../../../../../src-shared/ipmi-sel-words';

/** The event offset: the low nibble of event data 1. */
export function eventOffset(data1: number): number {
  return data1 & 0x0f;
}

export function eventDescription(eventType: number, sensorType: number, data1: number): string {
  const offset = eventOffset(data1);
  let table: readonly string[] | undefined;
  if (eventType === 0x01) table = THRESHOLD_EVENTS;
  else if (eventType === 0x6f) table = SENSOR_SPECIFIC_EVENTS[sensorType];
  else table = GENERIC_EVENTS[eventType];
  return table?.[offset] ?? (eventType >= 0x70 && eventType <= 0x7f ? 'OEM' : `Event offset 0x${offset.toString(16).padStart(2, '0')}`);
}

export function decodeSelEntry(buf: Buffer): SelEntry {
  const r = new Reader(buf, 'SEL entry');
  const recordId = r.u16le();
  const recordType = r.u8();
  const raw = Buffer.from(buf.subarray(0, SEL_ENTRY_LEN));
  r.need(SEL_ENTRY_LEN - 3);
  if (recordType >= 0xe0) {
    return { recordId, recordType, kind: 'oem', timestamp: null, preInit: false, generatorId: 0, evmRev: 0, sensorType: 0, sensorTypeName: 'OEM', sensorNumber: 0, asserted: true, eventType: 0, eventData: [0, 0, 0], description: 'OEM record', raw };
  }
  const timestamp = r.u32le();
  if (recordType >= 0xc0) {
    return { recordId, recordType, kind: 'oem-timestamped', timestamp, preInit: timestamp <= PRE_INIT_MAX, generatorId: 0, evmRev: 0, sensorType: 0, sensorTypeName: 'OEM', sensorNumber: 0, asserted: true, eventType: 0, eventData: [0, 0, 0], description: 'OEM record', raw };
  }
  const generatorId = r.u16le();
  const evmRev = r.u8();
  const sensorType = r.u8();
  const sensorNumber = r.u8();
  const dir = r.u8();
  const eventData: [number, number, number] = [r.u8(), r.u8(), r.u8()];
  const eventType = dir & 0x7f;
  return {
    recordId, recordType, kind: 'system', timestamp, preInit: timestamp <= PRE_INIT_MAX, generatorId, evmRev, sensorType, sensorTypeName: sensorTypeName(sensorType), sensorNumber,
    asserted: (dir & 0x80) === 0, eventType, eventData, description: eventDescription(eventType, sensorType, eventData[0]), raw,
  };
}

export interface SelEventSpec {
  recordId: number;
  timestamp: number;
  generatorId?: number;
  sensorType: number;
  sensorNumber: number;
  asserted: boolean;
  eventType: number;
  eventData: [number, number, number];
}

export function encodeSelEntry(e: SelEventSpec): Buffer {
  const b = Buffer.alloc(SEL_ENTRY_LEN);
  b.writeUInt16LE(e.recordId & 0xffff, 0);
  b[2] = 0x02;
  b.writeUInt32LE(e.timestamp >>> 0, 3);
  b.writeUInt16LE(e.generatorId ?? 0x0020, 7);
  b[9] = 0x04;
  b[10] = e.sensorType;
  b[11] = e.sensorNumber;
  b[12] = (e.asserted ? 0 : 0x80) | (e.eventType & 0x7f);
  b[13] = e.eventData[0];
  b[14] = e.eventData[1];
  b[15] = e.eventData[2];
  return b;
}
