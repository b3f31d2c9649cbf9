// What a lab BMC measures: inlet and CPU temperature, a fan, the input power of each PSU
// ("PSU1 Power", "PSU2 Power", ...: one power-supply sensor per PSU, entity instance = PSU
// number; threshold sensors with full SDRs) and a Power Unit (discrete, for power events).
// The server's draw is shared evenly by the PSUs that have input (a PSU whose feed is down
// reads 0 W), so the PSU sensors sum to the draw. Readings are computed from the BMC's seed
// and the wall clock at the moment they are asked for, so a BMC costs no timers: slow daily
// and hourly curves, a little deterministic noise, and on a few "hot" servers a CPU that
// spikes over its warning threshold now and then.
import { encodeFullSensorRecord, encodeMcLocatorRecord } from '../../core/protocols/ipmi/codec/sdr-build';
import type { Conversion, Thresholds } from '../../core/protocols/ipmi/codec/sdr';
import { SENSOR_TYPE, UNIT } from '../../core/protocols/ipmi/codec/units';

export interface SensorDef {
  number: number;
  name: string;
  sensorType: number;
  entityId: number;
  /** Default 1; a PSU's sensor carries the PSU's number. */
  entityInstance?: number;
  unit: number;
  unitName: string;
  conversion: Conversion;
  thresholds: Thresholds;
  nominal?: number;
}

export const POWER_UNIT_SENSOR = 0x05;
const LINEAR = { analogFormat: 'unsigned', linearization: 0, b: 0, bExp: 0, rExp: 0 } as const;
const none = { lnr: null, lcr: null, lnc: null, unc: null, ucr: null, unr: null };

/** PSUs a lab BMC can have: sensor numbers 0x04, then 0x06 onwards (0x05 is the Power Unit). */
export const MAX_PSUS = 8;

/** The sensor number of PSU n (1-based). */
const psuSensorNumber = (n: number): number => (n === 1 ? 0x04 : 0x05 + n - 1);

/** The threshold sensors, in SDR order: one power sensor per PSU. PSU power resolution follows the PSU's size. */
export function sensorDefs(psuRatedWatts: number, psus = 1): SensorDef[] {
  if (!Number.isInteger(psus) || psus < 1 || psus > MAX_PSUS) throw new RangeError(`lab BMC: psus must be a whole number from 1 to ${MAX_PSUS}, got ${psus}`);
  const wattsPerCount = psuRatedWatts > 1000 ? 8 : 4;
  const psu = (n: number): SensorDef => ({
    number: psuSensorNumber(n), name: `PSU${n} Power`, sensorType: SENSOR_TYPE.POWER_SUPPLY, entityId: 0x0a, entityInstance: n, unit: UNIT.WATTS, unitName: 'Watts', conversion: { ...LINEAR, m: wattsPerCount },
    thresholds: { ...none, unc: Math.round(psuRatedWatts * 0.9 / wattsPerCount) * wattsPerCount, ucr: Math.round(psuRatedWatts / wattsPerCount) * wattsPerCount },
  });
  return [
    { number: 0x01, name: 'Inlet Temp', sensorType: SENSOR_TYPE.TEMPERATURE, entityId: 0x37, unit: UNIT.DEGREES_C, unitName: 'degrees C', conversion: { ...LINEAR, m: 1 }, thresholds: { ...none, lnc: 5, lcr: 2, unc: 38, ucr: 42, unr: 45 }, nominal: 23 },
    { number: 0x02, name: 'CPU Temp', sensorType: SENSOR_TYPE.TEMPERATURE, entityId: 0x03, unit: UNIT.DEGREES_C, unitName: 'degrees C', conversion: { ...LINEAR, m: 1 }, thresholds: { ...none, unc: 85, ucr: 95, unr: 100 } },
    { number: 0x03, name: 'Fan1', sensorType: SENSOR_TYPE.FAN, entityId: 0x1d, unit: UNIT.RPM, unitName: 'RPM', conversion: { ...LINEAR, m: 60 }, thresholds: { ...none, lnr: 300, lcr: 600, lnc: 1200 } },
    ...Array.from({ length: psus }, (_, i) => psu(i + 1)),
  ];
}

function compactPowerUnit(recordId: number): Buffer {
  const name = Buffer.from('Power Unit', 'latin1');
  const body = Buffer.from([
    0x20, 0x00, POWER_UNIT_SENSOR, 0x13, 0x01, 0x67, 0x40, SENSOR_TYPE.POWER_UNIT, 0x6f,
    0x03, 0x00, 0x03, 0x00, 0x03, 0x00, // power off/down and power cycle: assert, deassert, readable
    0xc0, 0x00, 0x00, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0xc0 | name.length,
  ]);
  const full = Buffer.concat([body, name]);
  const head = Buffer.from([recordId & 0xff, recordId >> 8, 0x51, 0x02, full.length]);
  return Buffer.concat([head, full]);
}

const sdrCache = new Map<string, { defs: SensorDef[]; records: Buffer[] }>();

/** SDR repository for a PSU size and count: shared by every BMC with those PSUs (records are read-only). */
export function sdrRepository(psuRatedWatts: number, psus = 1): { defs: SensorDef[]; records: Buffer[] } {
  const key = `${psuRatedWatts}x${psus}`;
  let repo = sdrCache.get(key);
  if (repo) return repo;
  const defs = sensorDefs(psuRatedWatts, psus);
  const records = defs.map((d, i) => encodeFullSensorRecord({
    recordId: i + 1, number: d.number, entityId: d.entityId, entityInstance: d.entityInstance ?? 1, sensorType: d.sensorType, unit: d.unit,
    conversion: d.conversion, thresholds: d.thresholds, nominal: d.nominal, name: d.name,
  }));
  records.push(compactPowerUnit(defs.length + 1));
  records.push(encodeMcLocatorRecord(defs.length + 2, 'Lab BMC'));
  repo = { defs, records };
  sdrCache.set(key, repo);
  return repo;
}

/** A stable 32-bit hash (FNV-1a) of numbers, for per-BMC deterministic noise. */
export function hash32(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    let v = p | 0;
    for (let i = 0; i < 4; i++) {
      h = Math.imul(h ^ (v & 0xff), 0x01000193);
      v >>>= 8;
    }
  }
  return h >>> 0;
}

/** Uniform in [-1, 1), fixed for (seed, key, time slot). */
export function noise(seed: number, key: number, slot: number): number {
  return hash32(seed, key, slot) / 2 ** 31 - 1;
}

export interface SensorProfile {
  seed: number;
  inletBase: number;
  cpuRise: number;
  fanBase: number;
  idleWatts: number;
  loadWatts: number;
  phase: number;
  hot: boolean;
}

export function sensorProfile(seed: number, nominalWatts: number): SensorProfile {
  const r = (k: number): number => hash32(seed, k) / 2 ** 32;
  return {
    seed,
    inletBase: 20 + r(1) * 6,
    cpuRise: 25 + r(2) * 20,
    fanBase: 3600 + r(3) * 3000,
    idleWatts: nominalWatts * 0.55,
    loadWatts: nominalWatts * 0.45,
    phase: r(4) * 2 * Math.PI,
    hot: r(5) < 0.03,
  };
}

const TWO_PI = 2 * Math.PI;

/** The draw shared evenly by the PSUs with input (all of them unless `inputs` says otherwise); 0 W on the others. */
function perPsu(watts: number, psus: number, inputs?: readonly boolean[]): number[] {
  const live = Array.from({ length: psus }, (_, i) => inputs?.[i] !== false);
  const n = live.filter(Boolean).length;
  return live.map((on) => (on ? watts / n : 0));
}

/**
 * Readings in units at epoch ms `now`, in sensorDefs order (inlet, CPU, fan, then each PSU's
 * input power); null = unavailable (a fan on a powered-off server). `inputs`: which PSUs have
 * input power, PSU 1 first (default: all).
 */
export function sensorValues(p: SensorProfile, poweredOn: boolean, now: number, psus = 1, inputs?: readonly boolean[]): (number | null)[] {
  const t = now / 1000;
  const inlet = p.inletBase + 1.5 * Math.sin(TWO_PI * t / 86_400 + p.phase) + 0.4 * noise(p.seed, 1, Math.floor(t / 10));
  if (!poweredOn) return [inlet, inlet + 3, null, ...perPsu(6 + noise(p.seed, 4, Math.floor(t / 10)), psus, inputs)];
  const load = Math.min(1, Math.max(0, 0.55 + 0.3 * Math.sin(TWO_PI * t / 3_600 + p.phase) + 0.1 * noise(p.seed, 2, Math.floor(t / 5))));
  // A hot server's CPU spikes about 10% of the time, past its 85 C warning.
  const spike = p.hot && Math.sin(TWO_PI * t / 1_800 + p.phase) > 0.95 ? 30 : 0;
  const cpu = inlet + p.cpuRise * (0.6 + 0.4 * load) + spike;
  const fan = p.fanBase * (0.8 + 0.4 * load) + 60 * noise(p.seed, 3, Math.floor(t / 5));
  const watts = p.idleWatts + p.loadWatts * load + 4 * noise(p.seed, 4, Math.floor(t / 5));
  return [inlet, cpu, fan, ...perPsu(watts, psus, inputs)];
}
