// What a poller remembers about one device between polls (the last octet sample, the
// interface table tracker, the last uptime, which links it has seen up) and the pure step
// that turns one poll's reading (or failure) into rates, interface events and a health
// verdict. No sockets, no clocks: the poller feeds it.
import type { DeviceKind, DeviceStatus } from '../../../../src-shared/domain';
import {
  createInterfaceTracker, MAX_POLLED_INTERFACES, octetRates,
  type DeviceReading, type IfStatus, type InterfaceRate, type InterfaceState, type InterfaceStatusChange, type InterfaceTracker, type OctetSample, type OutletPower,
} from '../../protocols/snmp';
import { judgeHealth, unanswered } from './health';
import type { PolledCounters } from './types';

/** Interfaces polled before a device has told us its ifNumber. */
export const DEFAULT_INTERFACES: Record<DeviceKind, number> = { server: 2, switch: 6, pdu: 1, gateway: 2 };

export interface DeviceMemory {
  /** ifIndex 1..interfaces go in the main GET. */
  interfaces: number;
  sample: OctetSample | null;
  tracker: InterfaceTracker;
  lastUptime: number | null;
  ifOper: Map<number, IfStatus>;
  /** Interfaces seen oper-up: one of them going down while admin-up is a fault. */
  seenUp: Set<number>;
}

export function newDeviceMemory(kind: DeviceKind): DeviceMemory {
  return { interfaces: DEFAULT_INTERFACES[kind] ?? 1, sample: null, tracker: createInterfaceTracker(), lastUptime: null, ifOper: new Map(), seenUp: new Set() };
}

export interface Assessment {
  answered: boolean;
  health: DeviceStatus;
  reasons: string[];
  sysName: string | null;
  uptimeSeconds: number | null;
  /** Bytes/s summed over the interfaces; null on a first sample or across a discontinuity. */
  inBps: number | null;
  outBps: number | null;
  powerWatts: number | null;
  outlets: OutletPower[] | null;
  interfaceRates: InterfaceRate[] | null;
  interfaces: InterfaceState[];
  restarted: boolean;
  ifChanges: InterfaceStatusChange[];
}

export interface AssessInput {
  reading: DeviceReading | null;
  error: unknown;
  rttMs: number | null;
  slowMs: number;
  walkInterfaces: boolean;
  /** Time of the answer (or of the failure). */
  at: number;
}

/** Applies one poll to the device's memory and judges it (see ./health judgeHealth). */
export function assessPoll(memory: DeviceMemory, input: AssessInput): Assessment {
  const { reading, error, at } = input;
  const answered = !error || !unanswered(error);
  const out: Assessment = {
    answered, health: 'unknown', reasons: [], sysName: null, uptimeSeconds: null, inBps: null, outBps: null, powerWatts: null,
    outlets: null, interfaceRates: null, interfaces: [], restarted: false, ifChanges: [],
  };
  const linksDown: string[] = [];
  if (reading) {
    const ticks = reading.uptimeTicks;
    out.restarted = ticks !== null && memory.lastUptime !== null && ticks < memory.lastUptime;
    if (ticks !== null) memory.lastUptime = ticks;
    out.sysName = reading.sysName;
    out.uptimeSeconds = ticks !== null ? ticks / 100 : null;
    out.powerWatts = reading.powerWatts;
    out.outlets = reading.outlets;
    out.interfaces = reading.interfaces;
    if (reading.octets) {
      const rates = memory.sample ? octetRates(memory.sample, reading.octets) : null;
      out.inBps = rates?.inBps ?? null;
      out.outBps = rates?.outBps ?? null;
      memory.sample = reading.octets;
    }
    if (reading.table) {
      const { rates } = memory.tracker.update(reading.table);
      out.interfaceRates = rates;
      const sum = (k: 'inBps' | 'outBps'): number | null => (rates.some((r) => r[k] !== null) ? rates.reduce((a, r) => a + (r[k] ?? 0), 0) / 8 : null);
      out.inBps = sum('inBps');
      out.outBps = sum('outBps');
    }
    for (const itf of reading.interfaces) {
      const before = memory.ifOper.get(itf.ifIndex);
      if (before !== undefined && before !== itf.oper) {
        out.ifChanges.push({ ifIndex: itf.ifIndex, name: itf.name, status: itf.oper, previous: before, adminStatus: itf.admin, at });
      }
      memory.ifOper.set(itf.ifIndex, itf.oper);
      if (itf.oper === 'up') memory.seenUp.add(itf.ifIndex);
      else if (itf.admin !== 'up') memory.seenUp.delete(itf.ifIndex); // shut by an operator: not a fault
      else if (memory.seenUp.has(itf.ifIndex)) linksDown.push(itf.name);
    }
    if (reading.ifNumber !== null && reading.ifNumber > 0 && !input.walkInterfaces) {
      const next = Math.min(reading.ifNumber, MAX_POLLED_INTERFACES);
      if (next !== memory.interfaces) {
        memory.interfaces = next;
        memory.sample = null; // a different interface set: start the rates afresh
      }
    }
  }
  const health = judgeHealth({ error, rttMs: answered ? input.rttMs : null, slowMs: input.slowMs, partial: reading?.partial ?? [], linksDown });
  out.health = health.status;
  out.reasons = health.reasons;
  return out;
}

/** The counters of the last answered poll: the interface table (walk path) or ifIndex 1..n of the GET. */
export function lastCounters(memory: DeviceMemory): PolledCounters | null {
  const table = memory.tracker.last;
  const octets = memory.sample;
  if (table && (!octets || table.at >= octets.at)) {
    const counters: PolledCounters['counters'] = new Map();
    for (const r of table.interfaces.values()) counters.set(r.ifIndex, { inOctets: r.inOctets, outOctets: r.outOctets, counterBits: r.counterBits, discontinuity: r.discontinuity });
    return { at: table.at, uptimeTicks: table.uptimeTicks, counters };
  }
  if (!octets) return null;
  const counters: PolledCounters['counters'] = new Map();
  octets.inOctets.forEach((v, i) => counters.set(i + 1, { inOctets: v, outOctets: octets.outOctets[i] ?? null, counterBits: 64 }));
  return { at: octets.at, uptimeTicks: octets.ticks, counters };
}
