// Record walks for the client: the SDR repository and the SEL, read record by record with a
// reservation (renewed when the BMC cancels it), whole records where the BMC allows and in
// chunks where it does not; then sensor readings for the SDR's sensors.
import { CC } from './codec/completion-codes';
import { BMC_SLAVE_ADDRESS, CMD, NETFN } from './codec/constants';
import { SDR_HEADER_LEN, convertReading, decodeSdrHeader, decodeSdrRecord, type SdrRecord, type SensorRecord } from './codec/sdr';
import { SEL_ENTRY_LEN } from './codec/sel';
import { decodeRecordChunk, decodeSensorReading, encodeRecordRead } from './codec/storage-commands';
import { sensorTypeName } from './codec/units';
import { IpmiCompletionCodeError, IpmiProtocolError } from './errors';
import type { IpmiSession } from './session';

export type SensorStatus = 'ok' | 'lnc' | 'lcr' | 'lnr' | 'unc' | 'ucr' | 'unr' | 'ns';

export interface SensorValue {
  record: SensorRecord;
  name: string;
  number: number;
  sensorType: number;
  sensorTypeName: string;
  units: string;
  /** IPMI unit code of the base unit. */
  unitCode: number;
  /** Converted reading; null for discrete sensors and unreadable ones. */
  value: number | null;
  raw: number | null;
  /** Worst threshold crossed, as ipmitool's `sensor` command words it; 'ns' = no reading. */
  status: SensorStatus;
  /** Threshold comparison bits or discrete state bits. */
  states: number;
}

const LAST_RECORD = 0xffff;
const MAX_RECORDS = 4096;
const SHRINK = new Set<number>([CC.CANNOT_RETURN_BYTES, CC.DATA_LENGTH_INVALID, CC.DATA_LENGTH_EXCEEDED, CC.UNSPECIFIED, CC.PARAMETER_OUT_OF_RANGE]);

type Repo = 'sdr' | 'sel';
const CMDS = {
  sdr: { info: CMD.GET_SDR_REPOSITORY_INFO, reserve: CMD.RESERVE_SDR_REPOSITORY, get: CMD.GET_SDR, name: 'Get SDR' },
  sel: { info: CMD.GET_SEL_INFO, reserve: CMD.RESERVE_SEL, get: CMD.GET_SEL_ENTRY, name: 'Get SEL Entry' },
};

/** Every record of the repository, raw bytes, in the BMC's order. */
export async function readRecordBytes(session: IpmiSession, repo: Repo): Promise<Buffer[]> {
  const c = CMDS[repo];
  const info = await session.request(NETFN.STORAGE, c.info);
  if (info.length >= 3 && info.readUInt16LE(1) === 0) return [];
  const reserve = async (): Promise<number> => {
    const res = await session.requestRaw(NETFN.STORAGE, c.reserve);
    return res.completionCode === 0 && res.data.length >= 2 ? res.data.readUInt16LE(0) : 0;
  };
  let reservation = await reserve();
  let chunk = 0xff; // whole records until the BMC says otherwise
  const read = async (recordId: number, offset: number, count: number): Promise<{ nextRecordId: number; data: Buffer } | number> => {
    const res = await session.requestRaw(NETFN.STORAGE, c.get, encodeRecordRead({ reservationId: reservation, recordId, offset, count }));
    return res.completionCode === 0 ? decodeRecordChunk(res.data) : res.completionCode;
  };

  const readOne = async (recordId: number): Promise<{ nextRecordId: number; data: Buffer }> => {
    for (let attempt = 0; attempt < 8; attempt++) {
      if (chunk === 0xff) {
        const whole = await read(recordId, 0, 0xff);
        if (typeof whole !== 'number') return whole;
        if (whole === CC.RESERVATION_CANCELLED) {
          reservation = await reserve();
          continue;
        }
        if (!SHRINK.has(whole)) throw new IpmiCompletionCodeError(session.host, c.name, whole);
        chunk = repo === 'sel' ? SEL_ENTRY_LEN : 32;
      }
      const head = await read(recordId, 0, repo === 'sel' ? Math.min(chunk, SEL_ENTRY_LEN) : SDR_HEADER_LEN);
      if (typeof head === 'number') {
        if (head === CC.RESERVATION_CANCELLED) {
          reservation = await reserve();
          continue;
        }
        throw new IpmiCompletionCodeError(session.host, c.name, head);
      }
      const total = repo === 'sel' ? SEL_ENTRY_LEN : SDR_HEADER_LEN + decodeSdrHeader(head.data).length;
      const parts = [head.data];
      let have = head.data.length;
      let cancelled = false;
      while (have < total) {
        const part = await read(recordId, have, Math.min(chunk, total - have));
        if (typeof part === 'number') {
          if (part === CC.RESERVATION_CANCELLED) {
            reservation = await reserve();
            cancelled = true;
            break;
          }
          if (SHRINK.has(part) && chunk > 8) {
            chunk = Math.max(8, chunk >> 1);
            continue;
          }
          throw new IpmiCompletionCodeError(session.host, c.name, part);
        }
        if (part.data.length === 0) throw new IpmiProtocolError(`${c.name} returned no bytes at offset ${have} of record ${recordId}`, session.host);
        parts.push(part.data);
        have += part.data.length;
      }
      if (!cancelled) return { nextRecordId: head.nextRecordId, data: Buffer.concat(parts).subarray(0, total) };
    }
    throw new IpmiProtocolError(`${c.name}: the reservation kept being cancelled while reading record ${recordId}`, session.host);
  };

  const out: Buffer[] = [];
  const seen = new Set<number>();
  let id = 0;
  while (id !== LAST_RECORD) {
    if (seen.has(id) || out.length >= MAX_RECORDS) throw new IpmiProtocolError(`${c.name}: the record chain loops back to 0x${id.toString(16)}`, session.host);
    seen.add(id);
    const r = await readOne(id);
    out.push(r.data);
    id = r.nextRecordId;
  }
  return out;
}

export async function readRecords(session: IpmiSession, repo: 'sdr'): Promise<SdrRecord[]>;
export async function readRecords(session: IpmiSession, repo: 'sel'): Promise<Buffer[]>;
export async function readRecords(session: IpmiSession, repo: Repo): Promise<SdrRecord[] | Buffer[]> {
  const raw = await readRecordBytes(session, repo);
  return repo === 'sdr' ? raw.map((b) => decodeSdrRecord(b)) : raw;
}

function thresholdStatus(states: number): SensorStatus {
  if (states & 0x04) return 'lnr';
  if (states & 0x20) return 'unr';
  if (states & 0x02) return 'lcr';
  if (states & 0x10) return 'ucr';
  if (states & 0x01) return 'lnc';
  if (states & 0x08) return 'unc';
  return 'ok';
}

export async function readSensors(session: IpmiSession, records: SensorRecord[]): Promise<SensorValue[]> {
  const out: SensorValue[] = [];
  for (const record of records) {
    const base = { record, name: record.name, number: record.number, sensorType: record.sensorType, sensorTypeName: sensorTypeName(record.sensorType), units: record.units, unitCode: record.baseUnit };
    const none: SensorValue = { ...base, value: null, raw: null, status: 'ns', states: 0 };
    // Event-only records have no reading; sensors behind another controller would need bridging.
    if (record.kind === 'event-only' || record.ownerId !== BMC_SLAVE_ADDRESS) {
      out.push(none);
      continue;
    }
    const res = await session.requestRaw(NETFN.SENSOR_EVENT, CMD.GET_SENSOR_READING, Buffer.from([record.number]), { lun: record.ownerLun });
    if (res.completionCode !== 0 || res.data.length < 2) {
      out.push(none);
      continue;
    }
    const r = decodeSensorReading(res.data);
    if (r.unavailable || !r.scanningEnabled) {
      out.push(none);
      continue;
    }
    const threshold = record.eventReadingType === 0x01;
    const value = record.conversion ? convertReading(r.raw, record.conversion) : null;
    out.push({ ...base, value, raw: r.raw, status: threshold ? thresholdStatus(r.states) : 'ok', states: r.states });
  }
  return out;
}
