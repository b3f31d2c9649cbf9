// What one poll of one device reads: the system and interface OIDs of the main GET and the
// side reads beside it. The schedule, the caps, the health verdict and the events live in
// core/fleet (snmp-poller.ts, poller/); this is the protocol half they call.
//
// The main request is one GET: sysName, sysUpTime, ifNumber and, for ifIndex 1..n (n from
// the device's last ifNumber, at most MAX_POLLED_INTERFACES), ifHCInOctets, ifHCOutOctets,
// ifOperStatus and ifAdminStatus; a PDU without a profile adds ENTITY-SENSOR row 1. A device
// whose ifIndexes are not 1..n (most real switches) is polled with `walkInterfaces`: the
// interface table is read by GetBulk instead (if-mib.ts). A PDU with a profile reads its
// total and outlets by that profile (pdu-profiles.ts). Those extra reads run beside the GET
// and their failure only makes the answer partial.
import type { DeviceKind } from '../../../../../src-shared/domain';
import { counter64, isException, numberOf, octetText, type TypedVarbind } from '../codec';
import type { SnmpSession } from '../session/session';
import { counterDelta, ifStatus, readInterfaces, type IfStatus, type InterfaceSample } from './if-mib';
import { readPduPower, type OutletPower, type PduProfile } from './pdu-profiles';

export const POLL_OIDS = {
  sysName: '1.3.6.1.2.1.1.5.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  ifNumber: '1.3.6.1.2.1.2.1.0',
  ifHCInOctets: '1.3.6.1.2.1.31.1.1.1.6',
  ifHCOutOctets: '1.3.6.1.2.1.31.1.1.1.10',
  ifAdminStatus: '1.3.6.1.2.1.2.2.1.7',
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  /** ENTITY-SENSOR-MIB entPhySensorValue.1: PDU input power, watts. */
  pduPowerWatts: '1.3.6.1.2.1.99.1.1.1.4.1',
} as const;

/** Most interfaces read in the one GET (ifIndex 1..n). */
export const MAX_POLLED_INTERFACES = 16;
/** Rates above this (bytes/s, 2 Tbit/s) mean a counter reset we could not see: dropped. */
const MAX_PLAUSIBLE_BPS = 2.5e11;

/** One octet sample: local time, sysUpTime ticks and per-ifIndex Counter64 values. */
export interface OctetSample {
  at: number;
  ticks: number;
  inOctets: readonly (bigint | null)[];
  outOctets: readonly (bigint | null)[];
}

/**
 * Bytes/s between two samples, summed over the interfaces present in both. Null when there
 * is no usable interval: no time passed, sysUpTime went backwards (the device restarted and
 * its counters with it), or a delta is implausible (a reset we could not otherwise see).
 */
export function octetRates(prev: OctetSample, cur: OctetSample): { inBps: number; outBps: number } | null {
  const seconds = (cur.at - prev.at) / 1000;
  if (!(seconds > 0) || cur.ticks < prev.ticks) return null;
  const sum = (a: readonly (bigint | null)[], b: readonly (bigint | null)[]): number | null => {
    let total = 0n;
    let seen = false;
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const p = a[i];
      const c = b[i];
      if (p === null || c === null) continue;
      total += counterDelta(p, c);
      seen = true;
    }
    if (!seen) return null;
    const bps = Number(total) / seconds;
    return bps <= MAX_PLAUSIBLE_BPS ? bps : null;
  };
  const inBps = sum(prev.inOctets, cur.inOctets);
  const outBps = sum(prev.outOctets, cur.outOctets);
  return inBps === null || outBps === null ? null : { inBps, outBps };
}

export interface DevicePlan {
  kind: DeviceKind;
  /** ifIndex 1..interfaces in the GET (ignored with walkInterfaces). */
  interfaces: number;
  walkInterfaces: boolean;
  pduProfile: PduProfile | null;
  maxRepetitions?: number;
}

export interface InterfaceState {
  ifIndex: number;
  name: string;
  admin: IfStatus;
  oper: IfStatus;
}

export interface DeviceReading {
  /** When the main GET's answer was in (the `now` clock). */
  at: number;
  /** The main GET's round trip, retransmissions included (side reads not). */
  rttMs: number;
  sysName: string | null;
  uptimeTicks: number | null;
  ifNumber: number | null;
  /** GET path: the octet counters of ifIndex 1..n. */
  octets: OctetSample | null;
  /** walkInterfaces path: the whole interface table. */
  table: InterfaceSample | null;
  interfaces: InterfaceState[];
  powerWatts: number | null;
  outlets: OutletPower[] | null;
  /** Why the answer is incomplete: core objects missing, side reads that failed. */
  partial: string[];
}

/** The main GET's OIDs for a plan. */
export function pollOids(plan: DevicePlan): string[] {
  const oids: string[] = [POLL_OIDS.sysName, POLL_OIDS.sysUpTime, POLL_OIDS.ifNumber];
  if (!plan.walkInterfaces) {
    for (const col of [POLL_OIDS.ifHCInOctets, POLL_OIDS.ifHCOutOctets, POLL_OIDS.ifOperStatus, POLL_OIDS.ifAdminStatus]) {
      for (let i = 1; i <= plan.interfaces; i++) oids.push(`${col}.${i}`);
    }
  }
  if (plan.kind === 'pdu' && !plan.pduProfile) oids.push(POLL_OIDS.pduPowerWatts);
  return oids;
}

const why = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Reads one device. Rejects (with a named SnmpError) only when the main GET fails. */
export async function readDevice(session: SnmpSession, plan: DevicePlan, now: () => number): Promise<DeviceReading> {
  const oids = pollOids(plan);
  const side = <T>(p: Promise<T> | null): Promise<{ ok: T } | { err: unknown } | null> => (p ? p.then((ok) => ({ ok }), (err: unknown) => ({ err })) : Promise.resolve(null));
  const tableP = side(plan.walkInterfaces ? readInterfaces(session, { maxRepetitions: plan.maxRepetitions, now }) : null);
  const powerP = side(plan.kind === 'pdu' && plan.pduProfile ? readPduPower(session, plan.pduProfile, { maxRepetitions: plan.maxRepetitions }) : null);
  let vbs: TypedVarbind[];
  const sent = performance.now();
  try {
    vbs = await session.get(oids);
  } catch (err) {
    await Promise.all([tableP, powerP]); // settle the side reads before the session closes
    throw err;
  }
  const rttMs = performance.now() - sent;
  const at = now();
  const byOid = new Map<string, TypedVarbind>();
  for (const vb of vbs) if (!isException(vb)) byOid.set(vb.oid, vb);
  const partial: string[] = [];

  const name = byOid.get(POLL_OIDS.sysName);
  const ticks = byOid.get(POLL_OIDS.sysUpTime);
  if (!ticks) partial.push('no sysUpTime');
  const reading: DeviceReading = {
    at,
    rttMs,
    sysName: name?.type === 'octets' ? (octetText(name.value) ?? name.value.toString('hex')) : null,
    uptimeTicks: ticks?.type === 'timeticks' ? ticks.value : null,
    ifNumber: numberOf(byOid.get(POLL_OIDS.ifNumber)),
    octets: null,
    table: null,
    interfaces: [],
    powerWatts: null,
    outlets: null,
    partial,
  };

  if (!plan.walkInterfaces && reading.uptimeTicks !== null) {
    const n = plan.interfaces;
    const col = (base: string, i: number): TypedVarbind | undefined => byOid.get(`${base}.${i}`);
    reading.octets = {
      at,
      ticks: reading.uptimeTicks,
      inOctets: Array.from({ length: n }, (_, i) => counter64(col(POLL_OIDS.ifHCInOctets, i + 1)?.value)),
      outOctets: Array.from({ length: n }, (_, i) => counter64(col(POLL_OIDS.ifHCOutOctets, i + 1)?.value)),
    };
    for (let i = 1; i <= n; i++) {
      const oper = numberOf(col(POLL_OIDS.ifOperStatus, i));
      if (oper === null) continue;
      reading.interfaces.push({ ifIndex: i, name: `if${i}`, admin: ifStatus(numberOf(col(POLL_OIDS.ifAdminStatus, i))), oper: ifStatus(oper) });
    }
  }
  if (plan.kind === 'pdu' && !plan.pduProfile) reading.powerWatts = numberOf(byOid.get(POLL_OIDS.pduPowerWatts));

  const [table, power] = await Promise.all([tableP, powerP]);
  if (table && 'ok' in table) {
    reading.table = table.ok;
    for (const row of table.ok.interfaces.values()) reading.interfaces.push({ ifIndex: row.ifIndex, name: row.name, admin: row.adminStatus, oper: row.operStatus });
  } else if (table) partial.push(`interface table: ${why(table.err)}`);
  if (power && 'ok' in power) {
    reading.powerWatts = power.ok.totalWatts;
    reading.outlets = power.ok.outlets;
  } else if (power) partial.push(`power profile ${plan.pduProfile?.id}: ${why(power.err)}`);
  return reading;
}
