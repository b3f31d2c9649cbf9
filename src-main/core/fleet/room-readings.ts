// One room's live readings for the 3D view's colour modes (fleet.roomReadings): per cabinet
// its PDUs' summed power against its rating, its servers' hottest inlet, the worst status of
// its devices, its feed redundancy (feed-risk.ts), the devices blinking their identify LED and
// a flags hook; per device its status, inlet and power.
//
// Sources: power is the last stored `pdu.power_w` of each PDU (what the SNMP poller writes
// from the PDU's meter); a server's own power is its BMC's last `bmc.power_w` and its inlet its
// last `bmc.inlet_c` (the BMC sensor poller's series). Feed risk takes each server's PSU count
// from its last `bmc.psus` (the power supplies its BMC's SDR names), the kind's default where
// none was read. Each metric is read for the whole room at once (room-readings-series.ts).
// Status is the poller's health as the read model keeps it, or not-monitored. A room's structure
// (cabinets, devices: inventory facts) is kept per room until invalidate() (the fleet calls it
// on every inventory or credential change); its feed risk is worked out again on each read, with
// the PSU counts as read, and kept while they stay the same.
import type { CabinetReading, DeviceReading, RoomDeviceStatus, RoomReadings } from '../../../src-shared/domain';
import { NotFoundError } from '../../../src-shared/errors';
import type { InventoryRepository } from '../store/inventory-repository';
import type { CabinetWithRow } from '../store/inventory-repository';
import { feedRisk, type FeedDevice, type FeedResult } from './feed-risk';
import type { LastReading, LatestReader } from './room-readings-series';

/** The series names, as the fleet poller (PDU meter) and the BMC sensor poller write them. */
export const ROOM_METRICS = { pduPower: 'pdu.power_w', bmcPower: 'bmc.power_w', inlet: 'bmc.inlet_c', psus: 'bmc.psus' } as const;

export interface RoomReadingsDeps {
  inventory: Pick<InventoryRepository, 'rooms' | 'cabinetsInRoom' | 'devicesInCabinet'>;
  latest: LatestReader;
  /** A device's status as the room colours it. */
  status: (deviceId: string) => RoomDeviceStatus;
  /** Devices whose identify LED the console turned on and has not seen expire. */
  identifying?: () => ReadonlySet<string>;
  now?: () => number;
}

const RANK: Readonly<Record<RoomDeviceStatus, number>> = { 'not-monitored': 0, up: 1, unknown: 2, degraded: 3, unreachable: 4 };

/** unreachable > degraded > unknown > up; not-monitored only when every device is (or there are none). */
export function worstStatus(statuses: readonly RoomDeviceStatus[]): RoomDeviceStatus {
  let worst: RoomDeviceStatus = 'not-monitored';
  for (const s of statuses) if (RANK[s] > RANK[worst]) worst = s;
  return worst;
}

interface CabinetShape {
  readonly cabinet: CabinetWithRow;
  readonly devices: readonly FeedDevice[];
  /** The feed risk last worked out, and the PSU counts it was worked out with (by server, in devices order). */
  risk: { psus: string; result: FeedResult } | null;
}

interface RoomShape {
  readonly cabinets: readonly CabinetShape[];
  readonly pduIds: readonly string[];
  readonly otherIds: readonly string[];
  readonly serverIds: readonly string[];
}

/** A cabinet's feed risk with the servers' PSU counts as read; worked out again only when they changed. */
function riskOf(c: CabinetShape, psus: ReadonlyMap<string, LastReading>): FeedResult {
  const counts = c.devices.map((dev) => (dev.kind === 'server' ? psus.get(dev.id)?.value : undefined));
  const key = counts.join(',');
  if (c.risk?.psus !== key) {
    c.risk = { psus: key, result: feedRisk(c.cabinet, c.devices.map((dev, i) => (counts[i] === undefined ? dev : { ...dev, psus: counts[i] }))) };
  }
  return c.risk.result;
}

const newest = (a: number | null, r: LastReading | undefined): number | null => (r && (a === null || r.ts > a) ? r.ts : a);

export function createRoomReadings(d: RoomReadingsDeps): { readings(roomId: string): RoomReadings; invalidate(): void } {
  const now = d.now ?? Date.now;
  const shapes = new Map<string, RoomShape>();
  const shapeOf = (roomId: string): RoomShape => {
    const kept = shapes.get(roomId);
    if (kept) return kept;
    if (!d.inventory.rooms().some((r) => r.id === roomId)) throw new NotFoundError('room', roomId);
    const cabinets = d.inventory.cabinetsInRoom(roomId).map((cabinet): CabinetShape => {
      const devices = d.inventory.devicesInCabinet(cabinet.id).map((x) => ({ id: x.id, kind: x.kind, hostname: x.hostname }));
      return { cabinet, devices, risk: null };
    });
    const all = cabinets.flatMap((c) => c.devices);
    const ids = (keep: (x: FeedDevice) => boolean): string[] => all.filter(keep).map((x) => x.id);
    const shape = { cabinets, pduIds: ids((x) => x.kind === 'pdu'), otherIds: ids((x) => x.kind !== 'pdu'), serverIds: ids((x) => x.kind === 'server') };
    shapes.set(roomId, shape);
    return shape;
  };
  return {
    invalidate: () => {
      shapes.clear();
      d.latest.reset();
    },
    readings(roomId) {
      const { cabinets, pduIds, otherIds, serverIds } = shapeOf(roomId);
      const pduPower = d.latest.latest(ROOM_METRICS.pduPower, pduIds);
      const bmcPower = d.latest.latest(ROOM_METRICS.bmcPower, otherIds);
      const inlet = d.latest.latest(ROOM_METRICS.inlet, otherIds);
      const psus = d.latest.latest(ROOM_METRICS.psus, serverIds);
      const blinking = d.identifying?.() ?? new Set<string>();

      const devices: DeviceReading[] = [];
      const cabinetReadings: CabinetReading[] = cabinets.map((shape) => {
        const { cabinet, devices: devs } = shape;
        const risk = riskOf(shape, psus);
        let powerW: number | null = null;
        let inletC: number | null = null;
        let readAt: number | null = null;
        const statuses: RoomDeviceStatus[] = [];
        const identifying: string[] = [];
        for (const dev of devs) {
          const status = d.status(dev.id);
          statuses.push(status);
          if (blinking.has(dev.id)) identifying.push(dev.id);
          const own = dev.kind === 'pdu' ? pduPower.get(dev.id) : bmcPower.get(dev.id);
          const temp = dev.kind === 'pdu' ? undefined : inlet.get(dev.id);
          devices.push({ deviceId: dev.id, status, inletC: temp?.value ?? null, powerW: own?.value ?? null });
          if (dev.kind === 'pdu' && own) {
            powerW = (powerW ?? 0) + own.value;
            readAt = newest(readAt, own);
          }
          if (dev.kind === 'server' && temp) {
            inletC = inletC === null ? temp.value : Math.max(inletC, temp.value);
            readAt = newest(readAt, temp);
          }
        }
        const rated = cabinet.ratedPowerKw;
        return {
          cabinetId: cabinet.id,
          powerW,
          ratedKw: rated,
          utilisation: powerW === null || !(rated > 0) ? null : powerW / (rated * 1000),
          inletC,
          readAt,
          worst: worstStatus(statuses),
          feed: risk.feed,
          darkOnA: risk.darkOnA,
          darkOnB: risk.darkOnB,
          identifying,
          flags: [],
        };
      });
      return { roomId, generatedAt: now(), cabinets: cabinetReadings, devices };
    },
  };
}
