// The fleet read model: overview counts per site and room, cabinet summaries and cabinet
// elevations. The counts are kept incrementally: rebuilt from the inventory and the poller's
// state on reload (O(devices), once), then moved by each health change (O(1)), so an
// overview costs O(rooms) and a room's cabinets O(cabinets in the room), whatever the fleet.
import type { CabinetElevation, CabinetSummary, DeviceStatus, FleetOverview, Room, RoomOverview, Site, SiteOverview } from '../../../src-shared/domain';
import { NotFoundError } from '../../../src-shared/errors';
import type { CabinetWithRow, DeviceLocation, InventoryRepository } from '../store/inventory-repository';
import { monitoringOf, type MonitoringSource } from './monitoring';
import type { DevicePollState } from './snmp-poller';

export interface ReadModelDeps {
  inventory: InventoryRepository;
  state: (deviceId: string) => DevicePollState | undefined;
  fleetKind: 'lab' | 'configured';
}

export interface ReadModelSource {
  locations: ReadonlyMap<string, Pick<DeviceLocation, 'cabinetId' | 'roomId' | 'siteId'>>;
  /** Devices the console polls (a usable SNMP credential); the rest are not monitored. */
  monitored: ReadonlySet<string>;
  /** Why the others are not, and which addresses several devices share (elevations show both). */
  monitoring?: MonitoringSource;
}

export interface ReadModel {
  /** Rebuilds structure and counts from the inventory and the poller's current state. */
  reload(source: ReadModelSource): void;
  /** Moves the counts for health changes (devices not monitored are ignored). */
  apply(changes: readonly { deviceId: string; status: DeviceStatus }[]): void;
  overview(): FleetOverview;
  cabinets(roomId: string): CabinetSummary[];
  elevation(cabinetId: string): CabinetElevation;
}

/** The counts every level keeps. */
export interface Counts {
  devices: number;
  polled: number;
  answering: number;
  degraded: number;
  unreachable: number;
  notMonitored: number;
}

interface Slot {
  readonly cabinet: Counts;
  readonly room: Counts;
  status: DeviceStatus;
}

interface RoomNode {
  readonly room: Room;
  readonly cabinets: readonly CabinetWithRow[];
  readonly counts: Counts;
  readonly byCabinet: Map<string, Counts>;
}

const zero = (): Counts => ({ devices: 0, polled: 0, answering: 0, degraded: 0, unreachable: 0, notMonitored: 0 });
const answered = (s: DeviceStatus): boolean => s === 'up' || s === 'degraded';

/** Adds (+1) or removes (-1) one monitored device in a status to/from counts. */
function count(c: Counts, s: DeviceStatus, by: 1 | -1): void {
  if (s !== 'unknown') c.polled += by;
  if (answered(s)) c.answering += by;
  if (s === 'degraded') c.degraded += by;
  if (s === 'unreachable') c.unreachable += by;
}

export function createReadModel(d: ReadModelDeps): ReadModel {
  const { inventory } = d;
  let sites: Site[] = [];
  let rooms: RoomNode[] = [];
  let roomsById = new Map<string, RoomNode>();
  let slots = new Map<string, Slot>();
  let devices = 0;
  let pollable = 0;
  let monitored: ReadonlySet<string> = new Set();
  let monitoring: MonitoringSource = { notMonitored: new Map(), sharedAddresses: new Set() };

  function reload(src: ReadModelSource): void {
    sites = inventory.sites();
    rooms = inventory.rooms().map((room) => ({ room, cabinets: inventory.cabinetsInRoom(room.id), counts: zero(), byCabinet: new Map<string, Counts>() }));
    roomsById = new Map(rooms.map((r) => [r.room.id, r]));
    slots = new Map();
    devices = src.locations.size;
    pollable = src.monitored.size;
    monitored = src.monitored;
    monitoring = src.monitoring ?? { notMonitored: new Map(), sharedAddresses: new Set() };
    for (const [deviceId, loc] of src.locations) {
      const node = roomsById.get(loc.roomId);
      if (!node) continue;
      let cab = node.byCabinet.get(loc.cabinetId);
      if (!cab) node.byCabinet.set(loc.cabinetId, (cab = zero()));
      cab.devices++;
      node.counts.devices++;
      if (!src.monitored.has(deviceId)) {
        cab.notMonitored++;
        node.counts.notMonitored++;
        continue;
      }
      const status = d.state(deviceId)?.health ?? 'unknown';
      count(cab, status, 1);
      count(node.counts, status, 1);
      slots.set(deviceId, { cabinet: cab, room: node.counts, status });
    }
  }

  function apply(changes: readonly { deviceId: string; status: DeviceStatus }[]): void {
    for (const c of changes) {
      const slot = slots.get(c.deviceId);
      if (!slot || slot.status === c.status) continue;
      count(slot.cabinet, slot.status, -1);
      count(slot.room, slot.status, -1);
      count(slot.cabinet, c.status, 1);
      count(slot.room, c.status, 1);
      slot.status = c.status;
    }
  }

  function overview(): FleetOverview {
    const roomViews = new Map<string, RoomOverview[]>();
    const totals = { ...zero(), cabinets: 0 };
    for (const { room, cabinets, counts } of rooms) {
      const view: RoomOverview = { id: room.id, siteId: room.siteId, name: room.name, cabinets: cabinets.length, ...counts };
      const list = roomViews.get(room.siteId) ?? [];
      list.push(view);
      roomViews.set(room.siteId, list);
      totals.cabinets += cabinets.length;
      totals.answering += counts.answering;
      totals.polled += counts.polled;
      totals.unreachable += counts.unreachable;
      totals.notMonitored += counts.notMonitored;
    }
    const siteViews: SiteOverview[] = sites.map((s) => {
      const rs = roomViews.get(s.id) ?? [];
      const sum = (k: keyof Counts): number => rs.reduce((n, r) => n + r[k], 0);
      return {
        id: s.id, name: s.name, city: s.city,
        devices: sum('devices'), answering: sum('answering'), polled: sum('polled'), unreachable: sum('unreachable'), notMonitored: sum('notMonitored'),
        rooms: rs,
      };
    });
    return {
      generatedAt: Date.now(),
      fleet: d.fleetKind,
      totals: {
        sites: siteViews.length, rooms: rooms.length, cabinets: totals.cabinets, devices,
        answering: totals.answering, polled: totals.polled, pollable, unreachable: totals.unreachable, notMonitored: totals.notMonitored,
      },
      sites: siteViews,
    };
  }

  function cabinets(roomId: string): CabinetSummary[] {
    const node = roomsById.get(roomId);
    if (!node) throw new NotFoundError('room', roomId);
    return node.cabinets.map((c) => ({
      id: c.id, rowId: c.rowId, rowName: c.rowName, name: c.name, position: c.position,
      ...(node.byCabinet.get(c.id) ?? zero()),
    }));
  }

  function elevation(cabinetId: string): CabinetElevation {
    const cabinet = inventory.cabinet(cabinetId);
    if (!cabinet) throw new NotFoundError('cabinet', cabinetId);
    const row = inventory.rows().find((r) => r.id === cabinet.rowId)!;
    const room = inventory.rooms().find((r) => r.id === row.roomId)!;
    const site = inventory.sites().find((s) => s.id === room.siteId)!;
    const devs = inventory.devicesInCabinet(cabinetId).map((dev) => {
      const st = d.state(dev.id);
      const up = answered(st?.health ?? 'unknown');
      return {
        id: dev.id,
        kind: dev.kind,
        hostname: dev.hostname,
        sn: dev.sn,
        uPosition: dev.uPosition,
        uHeight: dev.uHeight,
        mgmtIp: dev.mgmtIp,
        snmpPort: dev.snmpPort,
        status: st?.health ?? 'unknown',
        sysName: up ? (st?.sysName ?? null) : null,
        uptimeSeconds: up ? (st?.uptimeSeconds ?? null) : null,
        powerWatts: st?.powerWatts ?? null,
        capabilities: { bmc: Boolean(dev.bmcAddress && dev.ipmiCredential), ssh: Boolean(dev.sshCredential) },
        sharedAddress: monitoring.sharedAddresses.has(dev.mgmtIp),
        monitoring: monitoringOf(monitored.has(dev.id) ? undefined : (monitoring.notMonitored.get(dev.id) ?? 'no-credential'), st),
      };
    });
    return { cabinet, site, room, row, devices: devs };
  }

  return { reload, apply, overview, cabinets, elevation };
}
