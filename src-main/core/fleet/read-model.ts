// The fleet read model: overview counts per site and room, cabinet summaries and cabinet
// elevations, from the inventory and the poller's latest state of each device.
import type { CabinetElevation, CabinetSummary, DeviceStatus, FleetOverview, RoomOverview, SiteOverview } from '../../../src-shared/domain';
import { NotFoundError } from '../../../src-shared/errors';
import type { Mutable } from '../../../src-shared/types';
import type { DeviceLocation, InventoryRepository } from '../store/inventory-repository';
import type { DevicePollState } from './snmp-poller';

export interface ReadModelDeps {
  inventory: InventoryRepository;
  /** Device locations, reloaded with the inventory. */
  locations: () => ReadonlyMap<string, Pick<DeviceLocation, 'cabinetId' | 'roomId' | 'siteId'>>;
  state: (deviceId: string) => DevicePollState | undefined;
  fleetKind: 'lab' | 'configured';
  /** Devices the console can poll (those with a usable SNMP credential). */
  pollable: () => number;
}

export interface ReadModel {
  overview(): FleetOverview;
  cabinets(roomId: string): CabinetSummary[];
  elevation(cabinetId: string): CabinetElevation;
}

const answered = (s: DeviceStatus): boolean => s === 'up' || s === 'degraded';

export function createReadModel(d: ReadModelDeps): ReadModel {
  const { inventory } = d;
  const statusOf = (deviceId: string): DeviceStatus => d.state(deviceId)?.health ?? 'unknown';

  function overview(): FleetOverview {
    const rooms = new Map<string, Mutable<RoomOverview>>();
    for (const r of inventory.rooms()) {
      rooms.set(r.id, { id: r.id, siteId: r.siteId, name: r.name, cabinets: inventory.cabinetsInRoom(r.id).length, devices: 0, answering: 0, polled: 0, degraded: 0 });
    }
    let answering = 0;
    let polled = 0;
    const locations = d.locations();
    for (const [deviceId, loc] of locations) {
      const room = rooms.get(loc.roomId);
      if (!room) continue;
      room.devices++;
      const s = statusOf(deviceId);
      if (s !== 'unknown') {
        polled++;
        room.polled++;
      }
      if (s === 'degraded') room.degraded++;
      if (answered(s)) {
        room.answering++;
        answering++;
      }
    }
    const sites: SiteOverview[] = inventory.sites().map((s) => {
      const rs = [...rooms.values()].filter((r) => r.siteId === s.id);
      return {
        id: s.id,
        name: s.name,
        city: s.city,
        devices: rs.reduce((n, r) => n + r.devices, 0),
        answering: rs.reduce((n, r) => n + r.answering, 0),
        polled: rs.reduce((n, r) => n + r.polled, 0),
        rooms: rs,
      };
    });
    return {
      generatedAt: Date.now(),
      fleet: d.fleetKind,
      totals: {
        sites: sites.length,
        rooms: rooms.size,
        cabinets: [...rooms.values()].reduce((n, r) => n + r.cabinets, 0),
        devices: locations.size,
        answering,
        polled,
        pollable: d.pollable(),
      },
      sites,
    };
  }

  function cabinets(roomId: string): CabinetSummary[] {
    if (!inventory.rooms().some((r) => r.id === roomId)) throw new NotFoundError('room', roomId);
    const perCabinet = new Map<string, { devices: number; answering: number; polled: number; degraded: number }>();
    for (const [deviceId, loc] of d.locations()) {
      if (loc.roomId !== roomId) continue;
      const c = perCabinet.get(loc.cabinetId) ?? { devices: 0, answering: 0, polled: 0, degraded: 0 };
      c.devices++;
      const s = statusOf(deviceId);
      if (s !== 'unknown') c.polled++;
      if (answered(s)) c.answering++;
      if (s === 'degraded') c.degraded++;
      perCabinet.set(loc.cabinetId, c);
    }
    return inventory.cabinetsInRoom(roomId).map((c) => ({
      id: c.id,
      rowId: c.rowId,
      rowName: c.rowName,
      name: c.name,
      position: c.position,
      devices: perCabinet.get(c.id)?.devices ?? 0,
      answering: perCabinet.get(c.id)?.answering ?? 0,
      polled: perCabinet.get(c.id)?.polled ?? 0,
      degraded: perCabinet.get(c.id)?.degraded ?? 0,
    }));
  }

  function elevation(cabinetId: string): CabinetElevation {
    const cabinet = inventory.cabinet(cabinetId);
    if (!cabinet) throw new NotFoundError('cabinet', cabinetId);
    const row = inventory.rows().find((r) => r.id === cabinet.rowId)!;
    const room = inventory.rooms().find((r) => r.id === row.roomId)!;
    const site = inventory.sites().find((s) => s.id === room.siteId)!;
    const devices = inventory.devicesInCabinet(cabinetId).map((dev) => {
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
        status: st?.health ?? 'unknown',
        sysName: up ? (st?.sysName ?? null) : null,
        uptimeSeconds: up ? (st?.uptimeSeconds ?? null) : null,
        powerWatts: st?.powerWatts ?? null,
        capabilities: { bmc: Boolean(dev.bmcAddress && dev.ipmiCredential), ssh: Boolean(dev.sshCredential) },
      };
    });
    return { cabinet, site, room, row, devices };
  }

  return { overview, cabinets, elevation };
}
