// PDU power from a configurable OID profile: total and per-outlet watts, scaled, and the
// time-series samples they become (metric names below; the rack power report reads them).
//
// Two profile shapes:
//  - 'columns': a vendor MIB with fixed units. Total = the sum over a table column's rows
//    (one row per PDU in a daisy chain), outlets = a table with a name and a power column;
//    raw value * scale = watts; a raw value listed in `invalid` (APC answers -1 for
//    "not supported") is no reading.
//  - 'entity-sensor': ENTITY-SENSOR-MIB entPhySensorTable (RFC 3433), where each row says
//    its own unit, scale and precision. Rows of type watts(6) that are not failed are power
//    sensors; entPhysicalName decides which is the inlet total and which are outlets.
import { ValidationError } from '../../../../../src-shared/errors';
import { normalizeOid, numberOf, textOf, type TypedVarbind } from '../codec';
import type { SnmpSession } from '../session/session';
import { readTable } from '../session/table';

export interface ColumnsProfile {
  kind: 'columns';
  id: string;
  name: string;
  /** sysObjectID prefixes of the devices this profile is for. */
  sysObjectIds: readonly string[];
  total: { entryOid: string; column: number; scale: number; invalid?: readonly number[] } | null;
  outlets: { entryOid: string; nameColumn: number | null; powerColumn: number; scale: number; invalid?: readonly number[] } | null;
}

export interface EntitySensorProfile {
  kind: 'entity-sensor';
  id: string;
  name: string;
  sysObjectIds: readonly string[];
  /** entPhysicalName patterns (case-insensitive regex sources). */
  totalName: string;
  outletName: string;
}

export type PduProfile = ColumnsProfile | EntitySensorProfile;

export const ENTITY_SENSOR = {
  entPhySensorEntry: '1.3.6.1.2.1.99.1.1.1',
  entPhysicalEntry: '1.3.6.1.2.1.47.1.1.1.1',
  /** entPhySensorType watts(6). */
  watts: 6,
} as const;

/** ENTITY-SENSOR-MIB: any PDU that models its meters as entities (and the FleetDeck lab). */
export const ENTITY_SENSOR_PROFILE: EntitySensorProfile = {
  kind: 'entity-sensor',
  id: 'entity-sensor',
  name: 'ENTITY-SENSOR-MIB (RFC 3433) power sensors',
  sysObjectIds: [],
  totalName: 'inlet|input|total|mains|unit',
  outletName: 'outlet|receptacle|socket',
};

/**
 * APC / Schneider PowerNet-MIB rPDU2 (AP7xxx, AP8xxx metered and switched rack PDUs):
 * rPDU2DeviceStatusPower is hundredths of a kW (10 W per count); the metered-by-outlet models'
 * rPDU2OutletMeteredStatusPower is watts. Both answer -1 where the model lacks the meter.
 */
export const APC_RPDU2_PROFILE: ColumnsProfile = {
  kind: 'columns',
  id: 'apc-rpdu2',
  name: 'APC PowerNet-MIB rPDU2',
  sysObjectIds: ['1.3.6.1.4.1.318.1.3.4.5', '1.3.6.1.4.1.318.1.3.4.6'],
  total: { entryOid: '1.3.6.1.4.1.318.1.1.26.4.3.1', column: 5, scale: 10, invalid: [-1] },
  outlets: { entryOid: '1.3.6.1.4.1.318.1.1.26.9.4.3.1', nameColumn: 3, powerColumn: 7, scale: 1, invalid: [-1] },
};

export const PDU_PROFILES: readonly PduProfile[] = [APC_RPDU2_PROFILE, ENTITY_SENSOR_PROFILE];

/** The profile for a sysObjectID: the longest matching prefix, else ENTITY-SENSOR-MIB. */
export function profileFor(sysObjectId: string | null, profiles: readonly PduProfile[] = PDU_PROFILES): PduProfile {
  let best: PduProfile = ENTITY_SENSOR_PROFILE;
  let bestLength = -1;
  for (const p of profiles) {
    for (const prefix of p.sysObjectIds) {
      if ((sysObjectId === prefix || sysObjectId?.startsWith(`${prefix}.`)) && prefix.length > bestLength) {
        best = p;
        bestLength = prefix.length;
      }
    }
  }
  return best;
}

export interface OutletPower {
  /** The outlet's row index in the profile's table (e.g. "3", or "1.3" for unit.outlet). */
  index: string;
  name: string;
  watts: number;
}

export interface PduPowerReading {
  profile: string;
  /** Total input power; the sum of the outlets when the PDU has no total meter; null if neither. */
  totalWatts: number | null;
  /** True when totalWatts is the outlets' sum rather than a meter reading. */
  totalFromOutlets: boolean;
  outlets: OutletPower[];
}

/** ENTITY-SENSOR-MIB value to base units: value * 10^(3 * (scale - 9)) / 10^precision.
 * (The scale enum runs yocto(1) .. units(9) .. yotta(17) in steps of 10^3.) */
export function entitySensorValue(value: number, scale: number | null, precision: number | null): number {
  const s = scale !== null && scale >= 1 && scale <= 17 ? scale : 9;
  const p = precision !== null && precision >= -8 && precision <= 9 ? precision : 0;
  return value * 10 ** (3 * (s - 9) - p);
}

const round = (w: number): number => Math.round(w * 1000) / 1000;

/** Reads total and per-outlet power with `profile`. */
export async function readPduPower(session: SnmpSession, profile: PduProfile, opts: { maxRepetitions?: number } = {}): Promise<PduPowerReading> {
  return profile.kind === 'columns' ? readColumns(session, profile, opts) : readEntitySensors(session, profile, opts);
}

async function readColumns(session: SnmpSession, p: ColumnsProfile, opts: { maxRepetitions?: number }): Promise<PduPowerReading> {
  const scaled = (vb: TypedVarbind | undefined, scale: number, invalid: readonly number[] = []): number | null => {
    const n = numberOf(vb);
    return n === null || invalid.includes(n) ? null : n * scale;
  };
  const [totalTable, outletTable] = await Promise.all([
    p.total ? readTable(session, p.total.entryOid, [p.total.column], opts) : null,
    p.outlets ? readTable(session, p.outlets.entryOid, [p.outlets.powerColumn, ...(p.outlets.nameColumn ? [p.outlets.nameColumn] : [])], opts) : null,
  ]);
  let meter: number | null = null;
  if (p.total && totalTable) {
    for (const cells of totalTable.rows.values()) {
      const w = scaled(cells.get(p.total.column), p.total.scale, p.total.invalid);
      if (w !== null) meter = (meter ?? 0) + w;
    }
  }
  const outlets: OutletPower[] = [];
  if (p.outlets && outletTable) {
    for (const [index, cells] of outletTable.rows) {
      const w = scaled(cells.get(p.outlets.powerColumn), p.outlets.scale, p.outlets.invalid);
      if (w === null) continue;
      const name = p.outlets.nameColumn ? textOf(cells.get(p.outlets.nameColumn)) : null;
      outlets.push({ index, name: name || `outlet ${index}`, watts: round(w) });
    }
  }
  return finish(p.id, meter, outlets);
}

async function readEntitySensors(session: SnmpSession, p: EntitySensorProfile, opts: { maxRepetitions?: number }): Promise<PduPowerReading> {
  const [sensors, names] = await Promise.all([
    readTable(session, ENTITY_SENSOR.entPhySensorEntry, [1, 2, 3, 4, 5], opts),
    readTable(session, ENTITY_SENSOR.entPhysicalEntry, [7], opts),
  ]);
  const totalRe = new RegExp(p.totalName, 'i');
  const outletRe = new RegExp(p.outletName, 'i');
  let meter: number | null = null;
  const outlets: OutletPower[] = [];
  const unnamed: OutletPower[] = [];
  for (const [index, cells] of sensors.rows) {
    if (numberOf(cells.get(1)) !== ENTITY_SENSOR.watts) continue;
    const status = numberOf(cells.get(5));
    if (status !== null && status !== 1) continue; // unavailable(2), nonoperational(3)
    const raw = numberOf(cells.get(4));
    if (raw === null) continue;
    const watts = round(entitySensorValue(raw, numberOf(cells.get(2)), numberOf(cells.get(3))));
    const name = textOf(names.rows.get(index)?.get(7)) ?? '';
    if (totalRe.test(name)) meter = (meter ?? 0) + watts;
    else if (outletRe.test(name)) outlets.push({ index, name, watts });
    else unnamed.push({ index, name: name || `sensor ${index}`, watts });
  }
  // A PDU with one unnamed power sensor: that sensor is its total.
  if (meter === null && outlets.length === 0 && unnamed.length === 1) meter = unnamed[0].watts;
  return finish(p.id, meter, outlets);
}

function finish(profile: string, meter: number | null, outlets: OutletPower[]): PduPowerReading {
  outlets.sort((a, b) => a.index.localeCompare(b.index, 'en', { numeric: true }));
  const sum = outlets.length ? round(outlets.reduce((s, o) => s + o.watts, 0)) : null;
  return { profile, totalWatts: meter !== null ? round(meter) : sum, totalFromOutlets: meter === null && sum !== null, outlets };
}

/**
 * A profile from configuration (JSON), checked field by field: a ValidationError names the
 * first bad field. OIDs come back normalised (no leading dot).
 */
export function parsePduProfile(input: unknown): PduProfile {
  const bad = (field: string, why: string): never => {
    throw new ValidationError(`PDU profile: ${field} ${why}`, { field });
  };
  const obj = (v: unknown, field: string): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : bad(field, 'must be an object'));
  const str = (v: unknown, field: string): string => (typeof v === 'string' && v.trim() ? v : bad(field, 'must be a non-empty string'));
  const oid = (v: unknown, field: string): string => {
    try {
      return normalizeOid(str(v, field));
    } catch {
      return bad(field, 'must be a dotted numeric OID');
    }
  };
  const column = (v: unknown, field: string): number => (Number.isInteger(v) && (v as number) > 0 ? (v as number) : bad(field, 'must be a positive integer'));
  const scale = (v: unknown, field: string): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : bad(field, 'must be a positive number'));
  const ints = (v: unknown, field: string): number[] => (v === undefined ? [] : Array.isArray(v) && v.every(Number.isInteger) ? (v as number[]) : bad(field, 'must be a list of integers'));
  const p = obj(input, 'profile');
  const base = { id: str(p.id, 'id'), name: str(p.name, 'name'), sysObjectIds: (Array.isArray(p.sysObjectIds) ? p.sysObjectIds : p.sysObjectIds === undefined ? [] : bad('sysObjectIds', 'must be a list')).map((o, i) => oid(o, `sysObjectIds[${i}]`)) };
  if (p.kind === 'entity-sensor') {
    const re = (v: unknown, field: string): string => {
      const src = str(v, field);
      try {
        new RegExp(src, 'i');
      } catch {
        bad(field, 'must be a valid regular expression');
      }
      return src;
    };
    return { kind: 'entity-sensor', ...base, totalName: re(p.totalName ?? ENTITY_SENSOR_PROFILE.totalName, 'totalName'), outletName: re(p.outletName ?? ENTITY_SENSOR_PROFILE.outletName, 'outletName') };
  }
  if (p.kind !== 'columns') return bad('kind', "must be 'columns' or 'entity-sensor'");
  const t = p.total === null || p.total === undefined ? null : obj(p.total, 'total');
  const o = p.outlets === null || p.outlets === undefined ? null : obj(p.outlets, 'outlets');
  if (!t && !o) bad('total', 'or outlets must be given');
  return {
    kind: 'columns', ...base,
    total: t && { entryOid: oid(t.entryOid, 'total.entryOid'), column: column(t.column, 'total.column'), scale: scale(t.scale ?? 1, 'total.scale'), invalid: ints(t.invalid, 'total.invalid') },
    outlets: o && {
      entryOid: oid(o.entryOid, 'outlets.entryOid'), nameColumn: o.nameColumn === undefined || o.nameColumn === null ? null : column(o.nameColumn, 'outlets.nameColumn'),
      powerColumn: column(o.powerColumn, 'outlets.powerColumn'), scale: scale(o.scale ?? 1, 'outlets.scale'), invalid: ints(o.invalid, 'outlets.invalid'),
    },
  };
}

/** Metric names of the power time series. */
export const POWER_METRICS = {
  total: 'pdu.power_w',
  /** Followed by ".<outlet index>". */
  outletPrefix: 'pdu.outlet_power_w',
} as const;

export interface PowerSample {
  deviceId: string;
  metric: string;
  ts: number;
  value: number;
}

/** A reading as time-series samples (the metrics repository's Sample shape). */
export function powerSamples(deviceId: string, at: number, reading: PduPowerReading): PowerSample[] {
  const out: PowerSample[] = [];
  if (reading.totalWatts !== null) out.push({ deviceId, metric: POWER_METRICS.total, ts: at, value: reading.totalWatts });
  for (const o of reading.outlets) out.push({ deviceId, metric: `${POWER_METRICS.outletPrefix}.${o.index}`, ts: at, value: o.watts });
  return out;
}
