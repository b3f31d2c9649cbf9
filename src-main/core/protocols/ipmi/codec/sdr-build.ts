// Builders for the SDR records a BMC serves (the lab's BMC simulator uses them): full
// threshold sensor records and the BMC's own management controller locator.
import { IpmiArgumentError } from './errors';
import { rawFromValue, SDR_TYPE, type Conversion, type Thresholds } from './sdr';

export interface FullSensorSpec {
  recordId: number;
  ownerId?: number;
  ownerLun?: number;
  number: number;
  entityId: number;
  entityInstance: number;
  sensorType: number;
  /** Base unit code (table 43-15). */
  unit: number;
  conversion: Omit<Conversion, 'linearization'> & { linearization?: number };
  /** In units; null leaves the threshold unreadable. */
  thresholds: Thresholds;
  nominal?: number;
  name: string;
}

const ANALOG_BITS = { unsigned: 0, 'ones-complement': 1, 'twos-complement': 2, none: 3 } as const;

function idBytes(name: string): Buffer {
  const b = Buffer.from(name, 'latin1');
  if (b.length > 16) throw new IpmiArgumentError('sensor name', `"${name}" is longer than 16 bytes`);
  return Buffer.concat([Buffer.from([0xc0 | b.length]), b]);
}

function header(recordId: number, type: number, bodyLength: number): Buffer {
  const h = Buffer.alloc(5);
  h.writeUInt16LE(recordId & 0xffff, 0);
  h[2] = 0x51;
  h[3] = type;
  h[4] = bodyLength;
  return h;
}

export function encodeFullSensorRecord(s: FullSensorSpec): Buffer {
  const c: Conversion = { linearization: 0, ...s.conversion };
  const t = s.thresholds;
  const order: (keyof Thresholds)[] = ['lnc', 'lcr', 'lnr', 'unc', 'ucr', 'unr'];
  let readable = 0;
  order.forEach((k, i) => {
    if (t[k] !== null) readable |= 1 << i;
  });
  const raw = (v: number | null | undefined): number => (v === null || v === undefined ? 0 : rawFromValue(v, c));
  const body = Buffer.alloc(43);
  body[0] = s.ownerId ?? 0x20;
  body[1] = (s.ownerLun ?? 0) & 3;
  body[2] = s.number;
  body[3] = s.entityId;
  body[4] = s.entityInstance & 0x7f;
  body[5] = 0x67; // init: scanning, events, thresholds, hysteresis, type
  body[6] = 0x44; // capabilities: auto re-arm, thresholds readable
  body[7] = s.sensorType;
  body[8] = 0x01; // threshold-based
  body.writeUInt16LE(0x7a95, 9); // assertions: lower going low, upper going high; lower comparisons returned
  body.writeUInt16LE(0x7a95, 11); // deassertions likewise; upper comparisons returned
  body[13] = readable; // readable threshold mask
  body[14] = 0; // settable threshold mask
  body[15] = ANALOG_BITS[c.analogFormat] << 6;
  body[16] = s.unit;
  body[17] = 0;
  body[18] = c.linearization;
  body[19] = c.m & 0xff;
  body[20] = ((c.m >> 8) & 3) << 6;
  body[21] = c.b & 0xff;
  body[22] = ((c.b >> 8) & 3) << 6;
  body[23] = 0;
  body[24] = ((c.rExp & 0x0f) << 4) | (c.bExp & 0x0f);
  body[25] = s.nominal === undefined ? 0 : 1;
  body[26] = raw(s.nominal);
  body[27] = 0xff; // normal max (not flagged)
  body[28] = 0; // normal min
  body[29] = c.analogFormat === 'twos-complement' ? 0x7f : 0xff; // sensor max
  body[30] = c.analogFormat === 'twos-complement' ? 0x80 : 0x00; // sensor min
  body[31] = raw(t.unr);
  body[32] = raw(t.ucr);
  body[33] = raw(t.unc);
  body[34] = raw(t.lnr);
  body[35] = raw(t.lcr);
  body[36] = raw(t.lnc);
  // 37-38 hysteresis, 39-40 reserved, 41 OEM: zero. 42 is where the ID string starts.
  const id = idBytes(s.name);
  const full = Buffer.concat([body.subarray(0, 42), id]);
  return Buffer.concat([header(s.recordId, SDR_TYPE.FULL, full.length), full]);
}

export function encodeMcLocatorRecord(recordId: number, name: string, slaveAddress = 0x20): Buffer {
  const body = Buffer.alloc(10);
  body[0] = slaveAddress;
  body[1] = 0; // channel 0
  body[2] = 0; // no ACPI notifications
  body[3] = 0x2f; // chassis, SEL, SDR repository, sensor device
  body[7] = 0x06; // entity: system management module
  body[8] = 0x01;
  const full = Buffer.concat([body, idBytes(name)]);
  return Buffer.concat([header(recordId, SDR_TYPE.MC_LOCATOR, full.length), full]);
}
