// Suppression by topology: which objects sit behind which (a load behind the PDUs its PSUs are
// plugged into, a server behind its row's ToR switch), and the grouping of firing alarms under
// the firing alarm of the object they sit behind. Pure; the alarms capability recomputes the
// relations on inventory changes and the grouping after each evaluation.
//
//   rootRelations(inventory) -> Map<objectId, upstream object ids>
//     power: cableCabinet (src-shared/power-feeds.ts) over each cabinet's devices in U order;
//     network: a server's ToR is its row's switch, the lowest id when there are several (the
//     probe topology's rule, src-shared/probe/topology.ts). A switch behind a PDU is chained.
//   groupUnderRoots(alarms, relations) -> alarms with rootId set
//     a firing alarm whose object has a firing alarm upstream (transitively) gets rootId = the
//     topmost such alarm (one level of grouping: a tripped PDU feeding a ToR groups the ToR's
//     servers under the PDU's alarm too). Of several upstream alarms: the most severe, then
//     the lowest id. The chain climbs through firing objects only: a ToR that is up does not
//     pass its PDU's trip on to its servers. Other alarms come back without rootId. Only
//     ungrouped alarms are notified; the grouped ones are shown under their root.
//   groupUnderRoots(alarms, relations, causes) with causes (alarm ids: the probe matrix's
//     suspect, a cause found rather than a symptom): a firing cause alarm stands for its object
//     before the object's other alarms, and the object's other firing alarms that have no root
//     upstream are grouped under it (a suspect host link's own probe alarms under the suspect).
//   The relations may be any lookup by id (the capability adds the suspect's pairs as edges).
//   groupUnderRoots(alarms, relations, causes, peers) with peers (powerPeers(inventory): each
//   PDU of a cabinet with several, keyed by its cabinet): the firing root alarms of one
//   cabinet's PDUs are one incident - a whole-cabinet trip darkens both feeds - so the best of
//   them (most severe, then lowest id) is the root and the others, with what was grouped under
//   them, are grouped under it. One PDU of a dual-fed cabinet tripping alone stays its own root.
import { ALARM_SEVERITIES, type Alarm } from '../../../src-shared/domain/alarm';
import type { Cabinet, Device, Row } from '../../../src-shared/domain/inventory';
import { cableCabinet } from '../../../src-shared/power-feeds';

export interface RootInventory {
  readonly rows: readonly Pick<Row, 'id'>[];
  readonly cabinets: readonly Pick<Cabinet, 'id' | 'rowId' | 'feedA' | 'feedB'>[];
  readonly devices: readonly Pick<Device, 'id' | 'cabinetId' | 'kind' | 'hostname' | 'uPosition'>[];
}

/** Each object's upstream objects (what it sits behind), by id. Objects with none are absent. */
export type RootRelations = ReadonlyMap<string, readonly string[]>;

export function rootRelations(inv: RootInventory): RootRelations {
  const out = new Map<string, string[]>();
  const add = (objectId: string, upstream: string): void => {
    if (objectId === upstream) return;
    const list = out.get(objectId) ?? [];
    if (!list.includes(upstream)) list.push(upstream);
    out.set(objectId, list);
  };
  const byCabinet = new Map<string, RootInventory['devices'][number][]>();
  for (const d of inv.devices) byCabinet.set(d.cabinetId, [...(byCabinet.get(d.cabinetId) ?? []), d]);
  const rowOf = new Map(inv.cabinets.map((c) => [c.id, c.rowId]));
  const torOfRow = new Map<string, string>();
  for (const d of inv.devices) {
    const row = rowOf.get(d.cabinetId);
    if (d.kind !== 'switch' || row === undefined) continue;
    const had = torOfRow.get(row);
    if (had === undefined || d.id < had) torOfRow.set(row, d.id);
  }
  for (const c of inv.cabinets) {
    const devices = [...(byCabinet.get(c.id) ?? [])].sort((a, b) => a.uPosition - b.uPosition || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const [load, sockets] of cableCabinet(c, devices).loads) for (const s of sockets) add(load, s.id);
  }
  for (const d of inv.devices) {
    const tor = torOfRow.get(rowOf.get(d.cabinetId) ?? '');
    if (d.kind === 'server' && tor !== undefined) add(d.id, tor);
  }
  return out;
}

/** Each PDU of a cabinet with more than one, mapped to its cabinet (groupUnderRoots' peers). */
export function powerPeers(inv: Pick<RootInventory, 'devices'>): ReadonlyMap<string, string> {
  const pdus = new Map<string, string[]>();
  for (const d of inv.devices) if (d.kind === 'pdu') pdus.set(d.cabinetId, [...(pdus.get(d.cabinetId) ?? []), d.id]);
  const out = new Map<string, string>();
  for (const [cabinetId, ids] of pdus) if (ids.length > 1) for (const id of ids) out.set(id, cabinetId);
  return out;
}

/** Folds the roots of one peer group (a cabinet's PDUs) into the best of them. */
function foldPeers(alarms: Alarm[], peers: ReadonlyMap<string, string>): Alarm[] {
  const best = new Map<string, Alarm>();
  for (const a of alarms) {
    const key = peers.get(a.objectId);
    if (key === undefined || a.state !== 'firing' || a.rootId !== undefined) continue;
    const had = best.get(key);
    if (had === undefined || better(a, had)) best.set(key, a);
  }
  if (!best.size) return alarms;
  const to = new Map<string, string>();
  for (const a of alarms) {
    const key = peers.get(a.objectId);
    const rep = key === undefined ? undefined : best.get(key);
    if (rep !== undefined && a.state === 'firing' && a.rootId === undefined && a.id !== rep.id) to.set(a.id, rep.id);
  }
  return alarms.map((a) => {
    if (to.has(a.id)) return { ...a, rootId: to.get(a.id)! };
    const moved = a.rootId === undefined ? undefined : to.get(a.rootId);
    return moved === undefined ? a : { ...a, rootId: moved };
  });
}

const rank = (a: Alarm): number => ALARM_SEVERITIES.indexOf(a.severity);
const better = (a: Alarm, b: Alarm): boolean => rank(a) < rank(b) || (rank(a) === rank(b) && a.id < b.id);

export function groupUnderRoots(
  alarms: readonly Alarm[], relations: Pick<RootRelations, 'get'>, causes: ReadonlySet<string> = new Set(), peers: ReadonlyMap<string, string> = new Map(),
): Alarm[] {
  // The firing alarm that stands for each object: a cause first, then its most severe, then lowest id.
  const firingOf = new Map<string, Alarm>();
  const stands = (a: Alarm, b: Alarm): boolean => (causes.has(a.id) !== causes.has(b.id) ? causes.has(a.id) : better(a, b));
  for (const a of alarms) {
    if (a.state !== 'firing') continue;
    const had = firingOf.get(a.objectId);
    if (had === undefined || stands(a, had)) firingOf.set(a.objectId, a);
  }
  // The topmost firing alarms upstream of an object, climbing through firing objects only (cycles cut by the visited set).
  const topmost = (objectId: string, seen: Set<string>): Alarm[] => {
    const found: Alarm[] = [];
    for (const up of relations.get(objectId) ?? []) {
      const a = firingOf.get(up);
      if (a === undefined || seen.has(up)) continue;
      seen.add(up);
      const above = topmost(up, seen);
      found.push(...(above.length ? above : [a]));
    }
    return found;
  };
  const grouped = alarms.map((a): Alarm => {
    const { rootId: _old, ...rest } = a;
    if (a.state !== 'firing') return rest;
    const roots = topmost(a.objectId, new Set([a.objectId]));
    if (!roots.length) {
      const cause = firingOf.get(a.objectId);
      return cause !== undefined && cause.id !== a.id && causes.has(cause.id) ? { ...rest, rootId: cause.id } : rest;
    }
    const root = roots.reduce((best, r) => (better(r, best) ? r : best));
    return { ...rest, rootId: root.id };
  });
  return peers.size ? foldPeers(grouped, peers) : grouped;
}
