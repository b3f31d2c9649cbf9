// System Event Log entries (IPMI v2.0 section 32) and the words ipmitool uses for them.
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

// The offset tables (IPMI v2.0 tables 42-2 and 42-3) in ipmitool's words. The renderer words
// the same offsets from the codes a SelEntry carries (src-renderer/i18n/sel-text.ts); its
// English tables must match these (a unit test compares them).
export const THRESHOLD_EVENTS: readonly string[] = [
  'Lower Non-critical going low', 'Lower Non-critical going high', 'Lower Critical going low', 'Lower Critical going high',
  'Lower Non-recoverable going low', 'Lower Non-recoverable going high', 'Upper Non-critical going low', 'Upper Non-critical going high',
  'Upper Critical going low', 'Upper Critical going high', 'Upper Non-recoverable going low', 'Upper Non-recoverable going high',
];

/** Generic discrete event/reading types 0x02-0x0c, by type. */
export const GENERIC_EVENTS: Readonly<Record<number, readonly string[]>> = {
  0x02: ['Transition to Idle', 'Transition to Active', 'Transition to Busy'],
  0x03: ['State Deasserted', 'State Asserted'],
  0x04: ['Predictive Failure Deasserted', 'Predictive Failure Asserted'],
  0x05: ['Limit Not Exceeded', 'Limit Exceeded'],
  0x06: ['Performance Met', 'Performance Lags'],
  0x07: [
    'Transition to OK', 'Transition to Non-critical from OK', 'Transition to Critical from less severe', 'Transition to Non-recoverable from less severe',
    'Transition to Non-critical from more severe', 'Transition to Critical from Non-recoverable', 'Transition to Non-recoverable', 'Monitor', 'Informational',
  ],
  0x08: ['Device Absent', 'Device Present'],
  0x09: ['Device Disabled', 'Device Enabled'],
  0x0a: [
    'Transition to Running', 'Transition to In Test', 'Transition to Power Off', 'Transition to On Line', 'Transition to Off Line',
    'Transition to Off Duty', 'Transition to Degraded', 'Transition to Power Save', 'Install Error',
  ],
  0x0b: [
    'Fully Redundant', 'Redundancy Lost', 'Redundancy Degraded', 'Non-Redundant: Sufficient from Redundant', 'Non-Redundant: Sufficient from Insufficient',
    'Non-Redundant: Insufficient Resources', 'Redundancy Degraded from Fully Redundant', 'Redundancy Degraded from Non-Redundant',
  ],
  0x0c: ['D0 Power State', 'D1 Power State', 'D2 Power State', 'D3 Power State'],
};

/** Sensor-specific offsets (event/reading type 0x6f), by sensor type. */
export const SENSOR_SPECIFIC_EVENTS: Readonly<Record<number, readonly string[]>> = {
  0x05: ['General Chassis intrusion', 'Drive Bay intrusion', 'I/O Card area intrusion', 'Processor area intrusion', 'System unplugged from LAN', 'Unauthorized dock', 'FAN area intrusion'],
  0x07: [
    'IERR', 'Thermal Trip', 'FRB1/BIST failure', 'FRB2/Hang in POST failure', 'FRB3/Processor startup/init failure', 'Configuration Error',
    'SM BIOS Uncorrectable CPU-complex Error', 'Presence detected', 'Disabled', 'Terminator presence detected', 'Throttled',
    'Uncorrectable machine check exception', 'Correctable machine check error',
  ],
  0x08: ['Presence detected', 'Failure detected', 'Predictive failure', 'Power Supply AC lost', 'AC lost or out-of-range', 'AC out-of-range, but present', 'Config Error'],
  0x09: ['Power off/down', 'Power cycle', '240VA power down', 'Interlock power down', 'AC lost', 'Soft-power control failure', 'Failure detected', 'Predictive failure'],
  0x0c: [
    'Correctable ECC', 'Uncorrectable ECC', 'Parity', 'Memory Scrub Error', 'Memory Device Disabled', 'Correctable ECC logging limit reached',
    'Presence Detected', 'Configuration Error', 'Spare', 'Throttled', 'Critical Overtemperature',
  ],
  0x10: ['Correctable memory error logging disabled', 'Event logging disabled', 'Log area reset/cleared', 'All event logging disabled', 'Log full', 'Log almost full'],
  0x12: ['System Reconfigured', 'OEM System boot event', 'Undetermined system hardware failure', 'Entry added to auxiliary log', 'PEF Action', 'Timestamp Clock Sync'],
  0x1d: ['Initiated by power up', 'Initiated by hard reset', 'Initiated by warm reset', 'User requested PXE boot', 'Automatic boot to diagnostic'],
};

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
