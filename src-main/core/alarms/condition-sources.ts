// The derived readings of the alarm conditions (alarm-conditions.ts lists them): each a
// function from object ids to their newest { ts, value }, built over what the core already
// holds. create-core hands the capability the ones over other capabilities (interfaces from
// the poller, probe figures from the probe store); the capability builds the cabinet's power
// share itself over the inventory and the stored PDU meters.
//
//   interfacesDown(state)          'if.down_count': the links the poller judges down (seen up, now down, admin up)
//   probeReadings(probes, 'p99')   'probe.p99_ms', ('drops') 'probe.drop_rate': the newest server-level minute
//   cabinetPowerShare(inv, latest) 'cabinet.power_share': its PDUs' meters summed over its rated power
//   agentHealth(list, now)         'agent.health' of a device: its agent's, as the agents list shows it
//   probeSuspect(loc, now, stale)  'probe.suspect' of a device, and the hosts behind the top suspect
import type { DeviceStatus } from '../../../src-shared/domain/fleet';
import type { Cabinet, Device } from '../../../src-shared/domain/inventory';
import type { ProbeRepository } from '../store/probe-repository';
import type { Reading } from './alarm-conditions';

export type Readings = (objectIds: readonly string[]) => ReadonlyMap<string, Reading>;

/** What interfacesDown reads of the poller's state of a device. */
export interface PolledInterfaces {
  readonly status: DeviceStatus;
  readonly lastPollAt: number | null;
  /** The poller's health reasons: 'link down: <ifName>' for each link it saw up that is now oper down while admin up. */
  readonly reasons?: readonly string[];
}

const LINK_DOWN = 'link down: ';

/**
 * 'if.down_count' of each answering device (an unreachable or unpolled one is no data), at its
 * last poll: the links the poller counts as down (seen up, now oper down, admin up: the same
 * judgement that makes it degraded). A port that never came up (an unused NIC) and one shut
 * by an operator are not down.
 */
export function interfacesDown(state: (deviceId: string) => PolledInterfaces | undefined): Readings {
  return (ids) => {
    const out = new Map<string, Reading>();
    for (const id of ids) {
      const s = state(id);
      if (s === undefined || s.status !== 'up' || s.lastPollAt === null) continue;
      out.set(id, { ts: s.lastPollAt, value: (s.reasons ?? []).filter((r) => r.startsWith(LINK_DOWN)).length });
    }
    return out;
  };
}

const MINUTE = 60_000;

/**
 * 'probe.p99_ms' ('p99': the worst P99 of the device's destinations, ms) or 'probe.drop_rate'
 * ('drops': drops / (drops + answered), a source with neither is no data) of each device as a
 * probe source, in the newest server-level minute stored; its time is the minute's end.
 */
export function probeReadings(probes: Pick<ProbeRepository, 'range' | 'window'>, what: 'p99' | 'drops'): Readings {
  return (ids) => {
    const out = new Map<string, Reading>();
    const newest = probes.range('server')?.to;
    if (newest === undefined || ids.length === 0) return out;
    const wanted = new Set(ids);
    for (const row of probes.window('server', newest, newest + MINUTE)) {
      if (!wanted.has(row.src)) continue;
      let p99Us = 0;
      let ok = 0;
      let drops = 0;
      for (let i = 0; i < row.dst.length; i++) {
        p99Us = Math.max(p99Us, row.p99Us[i]);
        ok += row.ok[i];
        drops += row.drops[i];
      }
      const ts = newest + MINUTE;
      if (what === 'p99' && ok > 0) out.set(row.src, { ts, value: p99Us / 1000 });
      else if (what === 'drops' && ok + drops > 0) out.set(row.src, { ts, value: drops / (ok + drops) });
    }
    return out;
  };
}

export interface ShareInventory {
  readonly cabinets: readonly Pick<Cabinet, 'id' | 'ratedPowerKw'>[];
  readonly devices: readonly Pick<Device, 'id' | 'cabinetId' | 'kind'>[];
}

/**
 * 'cabinet.power_share' of each cabinet: the newest 'pdu.power_w' of each of its PDUs summed,
 * over ratedPowerKw * 1000, at the oldest of those samples (so one stale PDU makes it stale).
 * A cabinet without PDUs, without a sample of each, or rated 0 is no data.
 */
export function cabinetPowerShare(inv: () => ShareInventory, latest: (metric: string, ids: readonly string[]) => ReadonlyMap<string, Reading>): Readings {
  return (ids) => {
    const out = new Map<string, Reading>();
    const doc = inv();
    const pdus = new Map<string, string[]>();
    for (const d of doc.devices) if (d.kind === 'pdu') pdus.set(d.cabinetId, [...(pdus.get(d.cabinetId) ?? []), d.id]);
    const rated = new Map(doc.cabinets.map((c) => [c.id, c.ratedPowerKw]));
    const wanted = ids.filter((id) => (rated.get(id) ?? 0) > 0 && pdus.has(id));
    const meters = latest('pdu.power_w', wanted.flatMap((id) => pdus.get(id)!));
    for (const id of wanted) {
      const read = pdus.get(id)!.map((p) => meters.get(p));
      if (read.some((r) => r === undefined)) continue;
      const rs = read as Reading[];
      out.set(id, { ts: Math.min(...rs.map((r) => r.ts)), value: rs.reduce((a, r) => a + r.value, 0) / (rated.get(id)! * 1000) });
    }
    return out;
  };
}

/** What agentHealth reads of each agent (AgentSummary). */
export interface AgentHealthRow {
  readonly deviceId: string | null;
  readonly health: string;
  readonly lastSeenAt: number | null;
}

/**
 * 'agent.health' of a device: its agent's health; of several on one device, the most recently
 * seen one that is not revoked (all revoked: 'revoked'). Read afresh at most once per maxAgeMs.
 */
export function agentHealth(list: () => readonly AgentHealthRow[], now: () => number, maxAgeMs = 1000): (deviceId: string) => string | undefined {
  let at = -Infinity;
  let byDevice = new Map<string, AgentHealthRow>();
  const better = (a: AgentHealthRow, b: AgentHealthRow): boolean =>
    (a.health === 'revoked') !== (b.health === 'revoked') ? b.health === 'revoked' : (a.lastSeenAt ?? -1) > (b.lastSeenAt ?? -1);
  return (deviceId) => {
    if (now() - at >= maxAgeMs) {
      at = now();
      byDevice = new Map();
      for (const r of list()) {
        if (r.deviceId === null) continue;
        const had = byDevice.get(r.deviceId);
        if (had === undefined || better(r, had)) byDevice.set(r.deviceId, r);
      }
    }
    return byDevice.get(deviceId)?.health;
  };
}

/** What probeSuspect reads of the probe matrix's newest localisation (ProbeLocalisation). */
export interface SuspectLocalisation {
  readonly to: number;
  readonly suspects: readonly { readonly component: { readonly kind: string; readonly objectId: string }; readonly pairs: readonly { readonly src: string; readonly dst: string }[] }[];
}

/** The suspect kinds that stand for a device (a host's link, a ToR switch, its uplink); spine and WAN suspects name rooms and sites. */
const DEVICE_SUSPECTS = new Set(['host-link', 'tor', 'tor-uplink']);

/**
 * 'probe.suspect' of a device: 'suspect' when it is the object of the newest localisation's
 * top suspect (a host link, a ToR or its uplink: the one the probe.suspect fleet event names),
 * else 'clear'; no data without a localisation ending within staleMs. behind(): the hosts of
 * the top suspect's bad pairs, each behind the suspect's device (the capability groups their
 * alarms under the suspect's).
 */
export function probeSuspect(localisation: () => SuspectLocalisation | null, now: () => number, staleMs: number): {
  state(deviceId: string): 'suspect' | 'clear' | undefined;
  behind(): ReadonlyMap<string, readonly string[]>;
} {
  const top = (): { objectId: string; pairs: readonly { src: string; dst: string }[] } | null | undefined => {
    const loc = localisation();
    if (loc === null || now() - loc.to > staleMs) return undefined;
    const s = loc.suspects[0];
    return s !== undefined && DEVICE_SUSPECTS.has(s.component.kind) ? { objectId: s.component.objectId, pairs: s.pairs } : null;
  };
  return {
    state: (deviceId) => {
      const t = top();
      return t === undefined ? undefined : t?.objectId === deviceId ? 'suspect' : 'clear';
    },
    behind: () => {
      const t = top();
      const out = new Map<string, readonly string[]>();
      if (!t) return out;
      for (const p of t.pairs) for (const host of [p.src, p.dst]) if (host !== t.objectId) out.set(host, [t.objectId]);
      return out;
    },
  };
}
