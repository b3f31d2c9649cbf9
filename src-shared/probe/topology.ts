// The probe matrix's network topology, derived from inventory: which servers probe (every
// 'server' device in a cabinet), the ToR each hangs off (the 'switch' device of its cabinet
// row; the row itself when inventory holds no switch there), the room whose spine layer joins
// the ToRs, the site whose core / WAN edge joins rooms and sites. Pure; the console derives it
// on every inventory change, the lab and the tests from the generated fleet.
//
//   deriveTopology(inv, agentByDevice): ProbeTopology
//     hosts grouped site -> room -> ToR -> host, each level ordered by id: also the matrix's
//     axis order. Only sites, rooms and ToRs that hold a host are listed. A cabinet, row or room
//     that points at a parent inventory does not hold is an error naming both.
//   indexTopology(t): TopologyIndex
//     lookups by id (host, ToR, room, site indexes; per-host ToR / room / site as typed arrays)
//     and the numbered network components (host links 0..H-1, then ToRs, ToR uplinks, spines,
//     WAN edges) the localiser and the network model work on.
//   pathComponents(idx, srcDeviceId, dstDeviceId): NetComponent[]
//     the components a probe from src to dst crosses, in order: host-link(src), tor(src),
//     [tor-uplink(src), spine(src room), [wan(src site), [wan(dst site)], spine(dst room)],
//     tor-uplink(dst)], tor(dst), host-link(dst). Same ToR: one ToR; same room: one spine;
//     another room of the site: both spines and the site's core (wan:<site>, once); another
//     site: both WAN edges. Unknown hosts are an error.
//   pathComponentNumbers(idx, srcHost, dstHost, out): number  - the same by host index into
//     out (length >= MAX_PATH), returning the count: the allocation-free form for hot loops.
import type { ComponentKind, NetComponent, ProbeHost, ProbeTopology, ProbeTor } from '../domain/probe';

/** The inventory slice the topology needs (an InventoryDocument fits). */
export interface TopologyInventory {
  readonly sites: readonly { readonly id: string; readonly name: string }[];
  readonly rooms: readonly { readonly id: string; readonly siteId: string; readonly name: string }[];
  readonly rows: readonly { readonly id: string; readonly roomId: string; readonly name: string }[];
  readonly cabinets: readonly { readonly id: string; readonly rowId: string }[];
  readonly devices: readonly { readonly id: string; readonly kind: string; readonly hostname: string; readonly cabinetId: string; readonly mgmtIp: string }[];
}

/** The longest path: host link, ToR, uplink, spine, WAN, WAN, spine, uplink, ToR, host link. */
export const MAX_PATH = 10;

const byId = <T extends { readonly id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function deriveTopology(inv: TopologyInventory, agentByDevice: ReadonlyMap<string, string>): ProbeTopology {
  const sites = new Map(inv.sites.map((s) => [s.id, s]));
  const rooms = new Map(inv.rooms.map((r) => [r.id, r]));
  const rows = new Map(inv.rows.map((r) => [r.id, r]));
  const cabinets = new Map(inv.cabinets.map((c) => [c.id, c]));
  const rowOf = (cabinetId: string, deviceId: string) => {
    const cab = cabinets.get(cabinetId);
    if (cab === undefined) throw new RangeError(`probe topology: device ${deviceId} is in cabinet ${cabinetId}, which inventory does not hold`);
    const row = rows.get(cab.rowId);
    if (row === undefined) throw new RangeError(`probe topology: cabinet ${cab.id} is in row ${cab.rowId}, which inventory does not hold`);
    const room = rooms.get(row.roomId);
    if (room === undefined) throw new RangeError(`probe topology: row ${row.id} is in room ${row.roomId}, which inventory does not hold`);
    if (!sites.has(room.siteId)) throw new RangeError(`probe topology: room ${room.id} is in site ${room.siteId}, which inventory does not hold`);
    return { row, room };
  };

  // A row's ToR: its switch (the lowest id when it has several).
  const switchOfRow = new Map<string, { id: string; hostname: string }>();
  for (const d of inv.devices) {
    if (d.kind !== 'switch' || d.cabinetId === '') continue;
    const { row } = rowOf(d.cabinetId, d.id);
    const had = switchOfRow.get(row.id);
    if (had === undefined || d.id < had.id) switchOfRow.set(row.id, d);
  }

  const hosts: ProbeHost[] = [];
  const tors = new Map<string, ProbeTor>();
  for (const d of inv.devices) {
    if (d.kind !== 'server' || d.cabinetId === '') continue;
    const { row, room } = rowOf(d.cabinetId, d.id);
    const sw = switchOfRow.get(row.id);
    const torId = sw?.id ?? row.id;
    if (!tors.has(torId)) tors.set(torId, { id: torId, name: sw?.hostname ?? row.name, rowId: row.id, roomId: room.id, siteId: room.siteId });
    hosts.push({ deviceId: d.id, hostname: d.hostname, agentId: agentByDevice.get(d.id) ?? null, addr: d.mgmtIp, siteId: room.siteId, roomId: room.id, rowId: row.id, torId });
  }

  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  hosts.sort((a, b) => cmp(a.siteId, b.siteId) || cmp(a.roomId, b.roomId) || cmp(a.torId, b.torId) || cmp(a.deviceId, b.deviceId));
  const usedRooms = new Set(hosts.map((h) => h.roomId));
  const usedSites = new Set(hosts.map((h) => h.siteId));
  return {
    hosts,
    tors: [...tors.values()].sort((a, b) => cmp(a.siteId, b.siteId) || cmp(a.roomId, b.roomId) || cmp(a.id, b.id)),
    rooms: inv.rooms.filter((r) => usedRooms.has(r.id)).map((r) => ({ id: r.id, name: r.name, siteId: r.siteId })).sort((a, b) => cmp(a.siteId, b.siteId) || cmp(a.id, b.id)),
    sites: inv.sites.filter((s) => usedSites.has(s.id)).map((s) => ({ id: s.id, name: s.name })).sort(byId),
  };
}

/** Fast lookups over a topology, and its numbered network components. */
export interface TopologyIndex {
  readonly topology: ProbeTopology;
  /** Device id -> index into topology.hosts. */
  readonly hostIndex: ReadonlyMap<string, number>;
  /** ToR id -> index into topology.tors; likewise rooms and sites. */
  readonly torIndex: ReadonlyMap<string, number>;
  readonly roomIndex: ReadonlyMap<string, number>;
  readonly siteIndex: ReadonlyMap<string, number>;
  /** Per host index: its ToR, room and site index. */
  readonly hostTor: Int32Array;
  readonly hostRoom: Int32Array;
  readonly hostSite: Int32Array;
  /** Per ToR index: its room and site index; per room index: its site index. */
  readonly torRoom: Int32Array;
  readonly torSite: Int32Array;
  readonly roomSite: Int32Array;
  /** Components numbered 0..componentCount-1: host links (by host index), ToRs, uplinks, spines, WAN edges. */
  readonly componentCount: number;
  component(n: number): NetComponent;
  /** A component's number by its id ('tor:dev-x'); -1 when the topology has no such component. */
  componentNumber(id: string): number;
}

export function indexTopology(t: ProbeTopology): TopologyIndex {
  const map = <T>(xs: readonly T[], key: (x: T) => string) => {
    const m = new Map<string, number>();
    xs.forEach((x, i) => {
      const k = key(x);
      if (m.has(k)) throw new RangeError(`probe topology: ${k} is listed twice`);
      m.set(k, i);
    });
    return m;
  };
  const hostIndex = map(t.hosts, (h) => h.deviceId);
  const torIndex = map(t.tors, (x) => x.id);
  const roomIndex = map(t.rooms, (x) => x.id);
  const siteIndex = map(t.sites, (x) => x.id);
  const need = (m: Map<string, number>, id: string, what: string, of: string): number => {
    const i = m.get(id);
    if (i === undefined) throw new RangeError(`probe topology: ${of} names ${what} ${id}, which the topology does not list`);
    return i;
  };
  const hostTor = Int32Array.from(t.hosts, (h) => need(torIndex, h.torId, 'ToR', `host ${h.deviceId}`));
  const hostRoom = Int32Array.from(t.hosts, (h) => need(roomIndex, h.roomId, 'room', `host ${h.deviceId}`));
  const hostSite = Int32Array.from(t.hosts, (h) => need(siteIndex, h.siteId, 'site', `host ${h.deviceId}`));
  const torRoom = Int32Array.from(t.tors, (x) => need(roomIndex, x.roomId, 'room', `ToR ${x.id}`));
  const torSite = Int32Array.from(t.tors, (x) => need(siteIndex, x.siteId, 'site', `ToR ${x.id}`));
  const roomSite = Int32Array.from(t.rooms, (x) => need(siteIndex, x.siteId, 'site', `room ${x.id}`));

  // Numbering (pathComponentNumbers relies on it): host link h -> h; ToR t -> H + t;
  // uplink t -> H + T + t; spine r -> H + 2T + r; WAN s -> H + 2T + R + s.
  const components: NetComponent[] = [];
  const add = (kind: ComponentKind, objectId: string) => components.push({ id: `${kind}:${objectId}`, kind, objectId });
  for (const h of t.hosts) add('host-link', h.deviceId);
  for (const x of t.tors) add('tor', x.id);
  for (const x of t.tors) add('tor-uplink', x.id);
  for (const x of t.rooms) add('spine', x.id);
  for (const x of t.sites) add('wan', x.id);
  const byComponentId = new Map(components.map((c, i) => [c.id, i]));
  return {
    topology: t, hostIndex, torIndex, roomIndex, siteIndex, hostTor, hostRoom, hostSite, torRoom, torSite, roomSite,
    componentCount: components.length,
    component(n) {
      const c = components[n];
      if (c === undefined) throw new RangeError(`probe topology: no component number ${n} (it has ${components.length})`);
      return c;
    },
    componentNumber: (id) => byComponentId.get(id) ?? -1,
  };
}

/** The components from host index src to host index dst, written to out (length >= MAX_PATH); returns how many. */
export function pathComponentNumbers(idx: TopologyIndex, src: number, dst: number, out: Int32Array): number {
  const H = idx.hostTor.length, T = idx.torRoom.length, R = idx.roomSite.length;
  const ts = idx.hostTor[src], td = idx.hostTor[dst];
  let n = 0;
  out[n++] = src;
  if (src === dst) return n;
  out[n++] = H + ts;
  if (ts !== td) {
    const rs = idx.torRoom[ts], rd = idx.torRoom[td];
    out[n++] = H + T + ts;
    out[n++] = H + 2 * T + rs;
    if (rs !== rd) {
      const ss = idx.roomSite[rs], sd = idx.roomSite[rd];
      out[n++] = H + 2 * T + R + ss;
      if (ss !== sd) out[n++] = H + 2 * T + R + sd;
      out[n++] = H + 2 * T + rd;
    }
    out[n++] = H + T + td;
    out[n++] = H + td;
  }
  out[n++] = dst;
  return n;
}

/**
 * The components from host index src out to a target outside the topology (an anycast
 * resolver, a public target), written to out: its host link, ToR, ToR uplink and room spine,
 * through which such targets are reached; returns how many (4).
 */
export function edgePathComponentNumbers(idx: TopologyIndex, src: number, out: Int32Array): number {
  const H = idx.hostTor.length, T = idx.torRoom.length;
  const t = idx.hostTor[src];
  out[0] = src;
  out[1] = H + t;
  out[2] = H + T + t;
  out[3] = H + 2 * T + idx.torRoom[t];
  return 4;
}

export function pathComponents(idx: TopologyIndex, srcDeviceId: string, dstDeviceId: string): NetComponent[] {
  const s = idx.hostIndex.get(srcDeviceId);
  if (s === undefined) throw new RangeError(`pathComponents: ${srcDeviceId} is not a host of the probe topology`);
  const d = idx.hostIndex.get(dstDeviceId);
  if (d === undefined) throw new RangeError(`pathComponents: ${dstDeviceId} is not a host of the probe topology`);
  const out = new Int32Array(MAX_PATH);
  const n = pathComponentNumbers(idx, s, d, out);
  return Array.from(out.subarray(0, n), (c) => idx.component(c));
}
