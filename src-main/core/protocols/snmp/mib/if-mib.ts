// IF-MIB: the interface table (ifTable + ifXTable) read in a few GetBulk round trips, turned
// into per-interface rates and oper-status change events.
//
// Rates. 64-bit counters (ifHCInOctets/ifHCOutOctets) when the agent has them, else the
// 32-bit ifInOctets/ifOutOctets. One wrap per interval is allowed for (a 32-bit counter on a
// 10G link wraps in 3.4 s, so such rates are only as good as the poll interval is short).
// No rate is given across a discontinuity:
//  - the device restarted: sysUpTime went backwards, unless the step is what a TimeTicks
//    wrap at 2^32 (497 days) predicts from the wall-clock time elapsed;
//  - the interface's ifCounterDiscontinuityTime changed (a line card reset its counters);
//  - the interface is new, or switched between 32- and 64-bit counters;
//  - the delta is faster than the interface's speed allows (+10 %), or than 2 Tbit/s where
//    the speed is unknown or not believable: a reset we could not otherwise see.
// Believable speeds (speedBelievable): not softwareLoopback(24) interfaces (loopback reports
// 10 Mb/s on Linux), and not exactly 10 Mb/s on a virtual interface (ifType other(1),
// propVirtual(53), tunnel(131), l2vlan(135), l3ipvlan(136), bridge(209), or none; or a
// name like veth*, docker*, br-*, virbr*, tun*, tap*, vnet*, dummy*): net-snmp reports its
// nominal 10 Mb/s where the kernel gives no speed. Where the speed is not believable the
// rates keep only the 2 Tbit/s bound and no utilisation is given.
import { counter64, numberOf, octetText, type TypedVarbind } from '../codec';
import type { SnmpSession } from '../session/session';
import { readTable } from '../session/table';

export const IF_MIB = {
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  ifNumber: '1.3.6.1.2.1.2.1.0',
  ifEntry: '1.3.6.1.2.1.2.2.1',
  ifXEntry: '1.3.6.1.2.1.31.1.1.1',
  ifAdminStatus: '1.3.6.1.2.1.2.2.1.7',
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  ifHCInOctets: '1.3.6.1.2.1.31.1.1.1.6',
  ifHCOutOctets: '1.3.6.1.2.1.31.1.1.1.10',
} as const;

const IF_COLUMNS = { descr: 2, type: 3, speed: 5, admin: 7, oper: 8, inOctets: 10, outOctets: 16 } as const;
const IFX_COLUMNS = { name: 1, hcIn: 6, hcOut: 10, highSpeed: 15, alias: 18, discontinuity: 19 } as const;

export type IfStatus = 'up' | 'down' | 'testing' | 'unknown' | 'dormant' | 'notPresent' | 'lowerLayerDown';
const STATUS: readonly IfStatus[] = ['unknown', 'up', 'down', 'testing', 'unknown', 'dormant', 'notPresent', 'lowerLayerDown'];

/** ifAdminStatus / ifOperStatus integer to name (anything out of range is 'unknown'). */
export function ifStatus(value: number | null): IfStatus {
  return value !== null && value >= 1 && value <= 7 ? STATUS[value] : 'unknown';
}

export interface InterfaceRow {
  ifIndex: number;
  /** ifName, else ifDescr, else "if<index>". */
  name: string;
  descr: string;
  alias: string;
  type: number | null;
  adminStatus: IfStatus;
  operStatus: IfStatus;
  /** Bits/s: ifHighSpeed (Mbit/s) when ifSpeed is saturated or absent, else ifSpeed. */
  speedBps: number | null;
  inOctets: bigint | null;
  outOctets: bigint | null;
  counterBits: 32 | 64;
  /** ifCounterDiscontinuityTime (ticks), when the agent has it. */
  discontinuity: number | null;
}

export interface InterfaceSample {
  /** Local time of the read, ms. */
  at: number;
  /** sysUpTime.0 ticks, null when the agent did not give it. */
  uptimeTicks: number | null;
  interfaces: Map<number, InterfaceRow>;
}

/** Reads sysUpTime and the interface table. `at` defaults to Date.now() when the answer is in. */
export async function readInterfaces(session: SnmpSession, opts: { maxRepetitions?: number; now?: () => number } = {}): Promise<InterfaceSample> {
  const [ifTable, ifXTable] = await Promise.all([
    readTable(session, IF_MIB.ifEntry, Object.values(IF_COLUMNS), { maxRepetitions: opts.maxRepetitions, nonRepeaters: ['1.3.6.1.2.1.1.3'] }),
    readTable(session, IF_MIB.ifXEntry, Object.values(IFX_COLUMNS), { maxRepetitions: opts.maxRepetitions }),
  ]);
  const at = (opts.now ?? Date.now)();
  const up = ifTable.scalars[0];
  const uptimeTicks = up && up.oid === IF_MIB.sysUpTime && up.type === 'timeticks' ? up.value : null;
  const interfaces = new Map<number, InterfaceRow>();
  for (const [index, cells] of ifTable.rows) {
    const ifIndex = Number(index);
    if (!Number.isInteger(ifIndex)) continue;
    const x = ifXTable.rows.get(index) ?? new Map<number, TypedVarbind>();
    interfaces.set(ifIndex, interfaceRow(ifIndex, cells, x));
  }
  return { at, uptimeTicks, interfaces };
}

const text = (vb: TypedVarbind | undefined): string => (vb && vb.type === 'octets' ? (octetText(vb.value) ?? vb.value.toString('hex')) : '');

function interfaceRow(ifIndex: number, c: Map<number, TypedVarbind>, x: Map<number, TypedVarbind>): InterfaceRow {
  const hcIn = x.get(IFX_COLUMNS.hcIn);
  const hcOut = x.get(IFX_COLUMNS.hcOut);
  const hc = hcIn?.type === 'counter64' && hcOut?.type === 'counter64';
  const in32 = c.get(IF_COLUMNS.inOctets);
  const out32 = c.get(IF_COLUMNS.outOctets);
  const speed = numberOf(c.get(IF_COLUMNS.speed));
  const highSpeed = numberOf(x.get(IFX_COLUMNS.highSpeed));
  const descr = text(c.get(IF_COLUMNS.descr));
  return {
    ifIndex,
    name: text(x.get(IFX_COLUMNS.name)) || descr || `if${ifIndex}`,
    descr,
    alias: text(x.get(IFX_COLUMNS.alias)),
    type: numberOf(c.get(IF_COLUMNS.type)),
    adminStatus: ifStatus(numberOf(c.get(IF_COLUMNS.admin))),
    operStatus: ifStatus(numberOf(c.get(IF_COLUMNS.oper))),
    speedBps: highSpeed !== null && highSpeed > 0 && (speed === null || speed >= 4_294_967_295 || highSpeed * 1e6 > speed) ? highSpeed * 1e6 : speed,
    inOctets: hc ? counter64(hcIn.value) : in32?.type === 'counter32' ? BigInt(in32.value) : null,
    outOctets: hc ? counter64(hcOut.value) : out32?.type === 'counter32' ? BigInt(out32.value) : null,
    counterBits: hc ? 64 : 32,
    discontinuity: numberOf(x.get(IFX_COLUMNS.discontinuity)),
  };
}

const SOFTWARE_LOOPBACK = 24;
/** ifTypes of interfaces with no physical link. */
const VIRTUAL_TYPES = new Set([1, 53, 131, 135, 136, 209]);
const VIRTUAL_NAME = /^(lo\b|veth|docker|br-|virbr|vnet|tun|tap|dummy|cni|flannel|cali|vxlan|kube-|wg)/i;
/** net-snmp's nominal speed for an interface whose driver reports none. */
const NOMINAL_SPEED = 10_000_000;

/** Whether the agent's speed for this interface can bound its rates (see the file header). */
export function speedBelievable(row: Pick<InterfaceRow, 'type' | 'speedBps' | 'name' | 'descr'>): boolean {
  if (!row.speedBps || row.speedBps <= 0) return false;
  if (row.type === SOFTWARE_LOOPBACK) return false;
  if (row.speedBps !== NOMINAL_SPEED) return true;
  return !(row.type === null || VIRTUAL_TYPES.has(row.type) || VIRTUAL_NAME.test(row.name) || VIRTUAL_NAME.test(row.descr));
}

const TICKS_WRAP = 2 ** 32;
/** Rates above this (bits/s) where the speed is unknown mean a reset we could not see. */
const MAX_PLAUSIBLE_BITS = 2e12;

/** True when sysUpTime between the samples says the device restarted (see the file header). */
export function restartedBetween(prev: InterfaceSample, cur: InterfaceSample): boolean {
  if (prev.uptimeTicks === null || cur.uptimeTicks === null) return false;
  if (cur.uptimeTicks >= prev.uptimeTicks) return false;
  const expected = prev.uptimeTicks + ((cur.at - prev.at) / 1000) * 100;
  if (expected < TICKS_WRAP) return true;
  const tolerance = Math.max(500, ((cur.at - prev.at) / 1000) * 100 * 0.1);
  return Math.abs(cur.uptimeTicks - (expected - TICKS_WRAP)) > tolerance;
}

/** cur - prev for a counter of `bits` bits, allowing one wrap. */
export function counterDelta(prev: bigint, cur: bigint, bits: 32 | 64 = 64): bigint {
  return cur >= prev ? cur - prev : cur + (1n << BigInt(bits)) - prev;
}

export interface InterfaceRate {
  ifIndex: number;
  name: string;
  /** Bits per second; null across a discontinuity (see the file header). */
  inBps: number | null;
  outBps: number | null;
  /** inBps / speed, 0..1; null when either is unknown. */
  inUtilisation: number | null;
  outUtilisation: number | null;
}

/** Per-interface rates between two samples of the same device. */
export function interfaceRates(prev: InterfaceSample, cur: InterfaceSample): InterfaceRate[] {
  const seconds = (cur.at - prev.at) / 1000;
  const usable = seconds > 0 && !restartedBetween(prev, cur);
  const out: InterfaceRate[] = [];
  for (const row of cur.interfaces.values()) {
    const before = prev.interfaces.get(row.ifIndex);
    const comparable = usable && before !== undefined && before.counterBits === row.counterBits && before.discontinuity === row.discontinuity;
    const speed = speedBelievable(row) ? row.speedBps : null;
    const limit = speed ? speed * 1.1 : MAX_PLAUSIBLE_BITS;
    const rate = (a: bigint | null | undefined, b: bigint | null): number | null => {
      if (!comparable || a == null || b === null) return null;
      const bps = (Number(counterDelta(a, b, row.counterBits)) * 8) / seconds;
      return bps <= limit ? bps : null;
    };
    const inBps = rate(before?.inOctets, row.inOctets);
    const outBps = rate(before?.outOctets, row.outOctets);
    const util = (bps: number | null): number | null => (bps !== null && speed ? Math.min(1, bps / speed) : null);
    out.push({ ifIndex: row.ifIndex, name: row.name, inBps, outBps, inUtilisation: util(inBps), outUtilisation: util(outBps) });
  }
  return out;
}

export interface InterfaceStatusChange {
  ifIndex: number;
  name: string;
  status: IfStatus;
  previous: IfStatus;
  adminStatus: IfStatus;
  at: number;
}

/** Oper-status changes between two samples; interfaces that appear or vanish are not changes. */
export function interfaceChanges(prev: InterfaceSample, cur: InterfaceSample): InterfaceStatusChange[] {
  const out: InterfaceStatusChange[] = [];
  for (const row of cur.interfaces.values()) {
    const before = prev.interfaces.get(row.ifIndex);
    if (before && before.operStatus !== row.operStatus) {
      out.push({ ifIndex: row.ifIndex, name: row.name, status: row.operStatus, previous: before.operStatus, adminStatus: row.adminStatus, at: cur.at });
    }
  }
  return out;
}

export interface InterfaceTracker {
  /** Takes the next sample of the device: rates and status changes since the previous one. */
  update(sample: InterfaceSample): { rates: InterfaceRate[]; changes: InterfaceStatusChange[]; restarted: boolean };
  readonly last: InterfaceSample | null;
}

/** Keeps the previous sample of one device so each read yields rates and change events. */
export function createInterfaceTracker(): InterfaceTracker {
  let last: InterfaceSample | null = null;
  return {
    get last() {
      return last;
    },
    update(sample) {
      const prev = last;
      last = sample;
      if (!prev) return { rates: interfaceRates(sample, sample), changes: [], restarted: false };
      return { rates: interfaceRates(prev, sample), changes: interfaceChanges(prev, sample), restarted: restartedBetween(prev, sample) };
    },
  };
}
