// Storage and sensor commands: SDR repository (info, reserve, partial reads), SEL (info,
// reserve, entries, clear), sensor readings and thresholds.
import { Reader } from './reader';

export interface RepositoryInfo {
  version: number;
  entries: number;
  freeBytes: number;
  lastAddition: number;
  lastErase: number;
  /** Get SEL Info: bit 7 overflow, bit 3 delete, bit 1 reserve supported. Get SDR Repository Info likewise in its own bits. */
  operations: number;
}

export function decodeRepositoryInfo(data: Buffer, what = 'repository info'): RepositoryInfo {
  const r = new Reader(data, what);
  return { version: r.u8(), entries: r.u16le(), freeBytes: r.u16le(), lastAddition: r.u32le(), lastErase: r.u32le(), operations: r.u8() };
}

export function encodeRepositoryInfo(i: RepositoryInfo): Buffer {
  const b = Buffer.alloc(14);
  b[0] = i.version;
  b.writeUInt16LE(i.entries & 0xffff, 1);
  b.writeUInt16LE(i.freeBytes & 0xffff, 3);
  b.writeUInt32LE(i.lastAddition >>> 0, 5);
  b.writeUInt32LE(i.lastErase >>> 0, 9);
  b[13] = i.operations;
  return b;
}

export function decodeReservation(data: Buffer): number {
  return new Reader(data, 'reservation').u16le();
}

export function encodeReservation(id: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(id & 0xffff);
  return b;
}

export interface RecordRead {
  reservationId: number;
  recordId: number;
  offset: number;
  /** 0xFF = the whole record. */
  count: number;
}

/** Get SDR and Get SEL Entry share one request layout. */
export function encodeRecordRead(q: RecordRead): Buffer {
  const b = Buffer.alloc(6);
  b.writeUInt16LE(q.reservationId & 0xffff, 0);
  b.writeUInt16LE(q.recordId & 0xffff, 2);
  b[4] = q.offset;
  b[5] = q.count;
  return b;
}

export function decodeRecordRead(data: Buffer): RecordRead {
  const r = new Reader(data, 'record read request');
  return { reservationId: r.u16le(), recordId: r.u16le(), offset: r.u8(), count: r.u8() };
}

export function decodeRecordChunk(data: Buffer): { nextRecordId: number; data: Buffer } {
  const r = new Reader(data, 'record read response');
  return { nextRecordId: r.u16le(), data: Buffer.from(r.rest()) };
}

export function encodeRecordChunk(nextRecordId: number, data: Buffer): Buffer {
  const b = Buffer.alloc(2 + data.length);
  b.writeUInt16LE(nextRecordId & 0xffff, 0);
  data.copy(b, 2);
  return b;
}

export function encodeClearSel(reservationId: number, initiate: boolean): Buffer {
  const b = Buffer.from([0, 0, 0x43, 0x4c, 0x52, initiate ? 0xaa : 0x00]);
  b.writeUInt16LE(reservationId & 0xffff, 0);
  return b;
}

export function decodeClearSel(data: Buffer): { reservationId: number; initiate: boolean; valid: boolean } {
  const r = new Reader(data, 'Clear SEL request');
  const reservationId = r.u16le();
  const clr = r.bytes(3).toString('latin1');
  const action = r.u8();
  return { reservationId, initiate: action === 0xaa, valid: clr === 'CLR' && (action === 0xaa || action === 0) };
}

export interface SensorReading {
  raw: number;
  eventsEnabled: boolean;
  scanningEnabled: boolean;
  /** The BMC says the reading is unavailable (byte 2 bit 5). */
  unavailable: boolean;
  /** Threshold sensors: comparison bits (0 lnc, 1 lcr, 2 lnr, 3 unc, 4 ucr, 5 unr); discrete: state bits 14:0. */
  states: number;
}

export function decodeSensorReading(data: Buffer): SensorReading {
  const r = new Reader(data, 'Get Sensor Reading response');
  const raw = r.u8();
  const flags = r.u8();
  const s1 = r.remaining >= 1 ? r.u8() : 0;
  const s2 = r.remaining >= 1 ? r.u8() : 0;
  return { raw, eventsEnabled: (flags & 0x80) !== 0, scanningEnabled: (flags & 0x40) !== 0, unavailable: (flags & 0x20) !== 0, states: s1 | ((s2 & 0x7f) << 8) };
}

export function encodeSensorReading(s: SensorReading): Buffer {
  const flags = (s.eventsEnabled ? 0x80 : 0) | (s.scanningEnabled ? 0x40 : 0) | (s.unavailable ? 0x20 : 0);
  return Buffer.from([s.raw & 0xff, flags, s.states & 0xff, 0x80 | ((s.states >> 8) & 0x7f)]);
}

/** Get Sensor Thresholds response: readable mask then lnc, lcr, lnr, unc, ucr, unr raw bytes. */
export function encodeSensorThresholds(readable: number, raw: { lnc: number; lcr: number; lnr: number; unc: number; ucr: number; unr: number }): Buffer {
  return Buffer.from([readable & 0x3f, raw.lnc, raw.lcr, raw.lnr, raw.unc, raw.ucr, raw.unr]);
}
