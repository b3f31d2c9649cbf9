// A lab-like inventory and two days of raw `pdu.power_w` samples (one per PDU every 5 min) for
// the rack power report tests: three sites, rooms including one with no cabinets and one whose
// name looks like a formula, and cabinets covering every category (valid, readings missing,
// negative, above 150% of rated per sample and on average, one of two PDUs never read, empty, empty but for a retired
// server, not opened by rating and by lifecycle, no PDU, a PDU never read, overload, no draw,
// a PDU silent for the day but read the day before, 22 of 24 hours covered). Also the raw
// samples per PDU and day, for the tests' own computation.
import type { Device, DeviceLifecycle, InventoryDocument } from '../../../../src-shared/domain';
import type { Sample } from '../../../../src-main/core/store/metrics-repository';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** The report's day, [FROM, TO) (UTC midnight, so hour buckets line up). */
export const FROM = Date.UTC(2026, 10, 20);
export const TO = FROM + DAY;
export const PREV_FROM = FROM - DAY;
const STEP = 5 * 60_000;

type Kind = 'server' | 'pdu' | 'switch';
const dev = (id: string, cabinetId: string, kind: Kind, lifecycle: DeviceLifecycle = 'online'): Device => ({
  id, cabinetId, kind, hostname: id, sn: `SN-${id}`, uPosition: kind === 'pdu' ? 0 : 3, uHeight: kind === 'pdu' ? 0 : 1, mgmtIp: '127.16.0.1', snmpPort: 161,
  bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null, lifecycle,
});

/** One PDU's readings on one day: a level with a small wave, and what to spoil. */
interface PduPlan {
  level: number;
  /** Hours of the day (0-23) with no sample. */
  skipHours?: readonly number[];
  /** [sample index, value] overrides. */
  spikes?: readonly (readonly [number, number])[];
  /** No sample at all that day. */
  silent?: boolean;
}

interface CabinetPlan {
  id: string;
  row: string;
  rated: number;
  servers?: readonly DeviceLifecycle[];
  switches?: number;
  /** PDU plans for the day and the day before; a PDU with `never` has no series at all. */
  pdus?: readonly { day: PduPlan; prev: PduPlan; never?: boolean }[];
  expected: { day: string; prev: string };
}

const ok = (level: number, prevLevel = level * 0.9): { day: PduPlan; prev: PduPlan } => ({ day: { level }, prev: { level: prevLevel } });

export const PLAN: readonly CabinetPlan[] = [
  { id: 'c01', row: 'r1', rated: 8, servers: ['online', 'online'], pdus: [ok(1500), ok(1500)], expected: { day: 'valid', prev: 'valid' } },
  { id: 'c02', row: 'r1', rated: 8, servers: ['online'], pdus: [{ day: { level: 2000, skipHours: [5, 6] }, prev: { level: 2100 } }, ok(2000)], expected: { day: 'valid', prev: 'valid' } },
  { id: 'c03', row: 'r1', rated: 8, servers: ['online'], pdus: [ok(1200), { day: { level: 1200, skipHours: [20, 21, 22, 23] }, prev: { level: 1000 } }], expected: { day: 'dirty', prev: 'valid' } },
  { id: 'c04', row: 'r1', rated: 8, servers: ['online'], pdus: [{ day: { level: 1000, spikes: [[40, -5]] }, prev: { level: 1000 } }], expected: { day: 'dirty', prev: 'valid' } },
  { id: 'c05', row: 'r1', rated: 8, servers: ['online'], pdus: [{ day: { level: 3000, spikes: [[100, 13_000]] }, prev: { level: 3000 } }], expected: { day: 'dirty', prev: 'valid' } },
  { id: 'c06', row: 'r1', rated: 8, pdus: [ok(30)], expected: { day: 'empty', prev: 'empty' } },
  { id: 'c07', row: 'r1', rated: 0, servers: ['online'], pdus: [ok(500)], expected: { day: 'notOpened', prev: 'notOpened' } },
  { id: 'c08', row: 'r2', rated: 10, servers: ['racked', 'provisioning'], pdus: [ok(400)], expected: { day: 'notOpened', prev: 'notOpened' } },
  { id: 'c09', row: 'r2', rated: 10, servers: ['online'], switches: 1, expected: { day: 'invalid', prev: 'invalid' } },
  { id: 'c10', row: 'r2', rated: 10, servers: ['online'], pdus: [{ ...ok(0), never: true }], expected: { day: 'invalid', prev: 'invalid' } },
  { id: 'c11', row: 'r2', rated: 8, servers: ['online'], pdus: [ok(4500, 3500), ok(4500, 3500)], expected: { day: 'abnormal', prev: 'valid' } },
  { id: 'c12', row: 'r2', rated: 8, servers: ['online'], pdus: [ok(20), ok(20)], expected: { day: 'abnormal', prev: 'abnormal' } },
  { id: 'c13', row: 'r2', rated: 6, servers: ['online', 'retired', 'maintenance'], pdus: [ok(3300, 3000)], expected: { day: 'valid', prev: 'valid' } },
  { id: 'c14', row: 'r2', rated: 6, servers: ['online'], pdus: [{ day: { level: 0, silent: true }, prev: { level: 2400 } }], expected: { day: 'dirty', prev: 'valid' } },
  { id: 'c15', row: 'r2', rated: 6, servers: ['retired'], pdus: [ok(10)], expected: { day: 'empty', prev: 'empty' } },
  { id: 'c16', row: 'r3', rated: 12, servers: ['online'], switches: 2, pdus: [ok(3000, 3300), ok(2800, 3000)], expected: { day: 'valid', prev: 'valid' } },
  { id: 'c17', row: 'r3', rated: 8, servers: ['online'], pdus: [ok(6500, 3000), ok(6500, 3000)], expected: { day: 'dirty', prev: 'valid' } },
  { id: 'c18', row: 'r3', rated: 12, servers: ['offline'], pdus: [ok(6000, 7000)], expected: { day: 'valid', prev: 'valid' } },
  { id: 'c19', row: 'r5', rated: 8, servers: ['online'], pdus: [ok(2000, 2500)], expected: { day: 'valid', prev: 'valid' } },
  { id: 'c20', row: 'r5', rated: 8, servers: ['online'], pdus: [ok(2000), { ...ok(0), never: true }], expected: { day: 'dirty', prev: 'dirty' } },
];

export function labInventory(): InventoryDocument {
  const devices: Device[] = [];
  for (const c of PLAN) {
    (c.servers ?? []).forEach((l, i) => devices.push(dev(`${c.id}-s${i + 1}`, c.id, 'server', l)));
    for (let i = 0; i < (c.switches ?? 0); i++) devices.push(dev(`${c.id}-sw${i + 1}`, c.id, 'switch'));
    (c.pdus ?? []).forEach((_, i) => devices.push(dev(`${c.id}-p${i + 1}`, c.id, 'pdu')));
  }
  const row = (id: string, roomId: string) => ({ id, roomId, name: id.toUpperCase(), xM: 1, yM: 1, facing: 'north' as const, coldAisle: 'front' as const });
  return {
    format: 'fleetdeck-inventory', version: 1,
    sites: [{ id: 's1', name: 'Beijing CQ', city: 'Beijing' }, { id: 's2', name: '@Langfang', city: 'Langfang' }, { id: 's3', name: 'Shanghai', city: 'Shanghai' }],
    rooms: [
      { id: 'm1', siteId: 's1', name: 'CQ-2C', widthM: 20, depthM: 10 },
      { id: 'm2', siteId: 's1', name: 'CQ-5D', widthM: 20, depthM: 10 },
      { id: 'm3', siteId: 's2', name: '=1+2', widthM: 20, depthM: 10 },
      { id: 'm4', siteId: 's2', name: 'GH-302', widthM: 20, depthM: 10 },
      { id: 'm5', siteId: 's3', name: 'SH-101', widthM: 20, depthM: 10 },
    ],
    rows: [row('r1', 'm1'), row('r2', 'm2'), row('r3', 'm3'), row('r5', 'm5')],
    cabinets: PLAN.map((c, i) => ({ id: c.id, rowId: c.row, name: `Cab ${c.id}`, position: i + 1, uHeight: 42, ratedPowerKw: c.rated, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 })),
    devices,
  };
}

/** pduId -> the day's raw samples, as written. */
export type RawDay = Map<string, { ts: number; value: number }[]>;

function samplesOf(plan: PduPlan, from: number, seed: number): { ts: number; value: number }[] {
  if (plan.silent) return [];
  const out: { ts: number; value: number }[] = [];
  const skip = new Set(plan.skipHours ?? []);
  const spikes = new Map(plan.spikes ?? []);
  for (let k = 0, ts = from; ts < from + DAY; k++, ts += STEP) {
    if (skip.has(Math.floor((ts - from) / HOUR))) continue;
    out.push({ ts, value: spikes.get(k) ?? plan.level + Math.round(plan.level * 0.05 * Math.sin(k / 7 + seed)) });
  }
  return out;
}

/** Both days' raw samples per PDU; PDUs planned `never` get none (no series). */
export function labSamples(): { day: RawDay; prev: RawDay; all: Sample[] } {
  const day: RawDay = new Map();
  const prev: RawDay = new Map();
  const all: Sample[] = [];
  PLAN.forEach((c, ci) =>
    (c.pdus ?? []).forEach((p, i) => {
      if (p.never) return;
      const id = `${c.id}-p${i + 1}`;
      day.set(id, samplesOf(p.day, FROM, ci + i));
      prev.set(id, samplesOf(p.prev, PREV_FROM, ci + i + 3));
      for (const s of [...prev.get(id)!, ...day.get(id)!]) all.push({ deviceId: id, metric: 'pdu.power_w', ts: s.ts, value: s.value });
    }),
  );
  // Readings outside both days must not count.
  for (const id of day.keys()) all.push({ deviceId: id, metric: 'pdu.power_w', ts: TO + 60_000, value: 99_999 }, { deviceId: id, metric: 'pdu.power_w', ts: PREV_FROM - 60_000, value: -1 });
  return { day, prev, all };
}
