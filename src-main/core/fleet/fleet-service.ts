import type {
  CabinetElevation,
  CabinetSummary,
  DeviceStatus,
  DeviceStatusChange,
  FleetEvent,
  FleetOverview,
  PollerStats,
  RoomOverview,
  SiteOverview,
} from '../../../src-shared/domain';
import type { Mutable } from '../../../src-shared/types';
import { NotFoundError } from '../../../src-shared/errors';
import type { EventHub } from '../events/event-hub';
import type { PollerConfig } from '../config';
import type { CredentialRepository } from '../store/credential-repository';
import type { InventoryRepository } from '../store/inventory-repository';
import type { MetricsRepository, Sample } from '../store/metrics-repository';
import { ENTITY_SENSOR_PROFILE, POWER_METRICS, type SnmpCredentials } from '../protocols/snmp';
import { snmpCredentialsFor } from './device-detail';
import { createSnmpPoller, type DeviceHealthChange, type InterfaceChange, type PollResult, type PollTarget, type SnmpPoller } from './snmp-poller';

export interface FleetService {
  overview(): FleetOverview;
  pollerStats(): PollerStats;
  cabinets(roomId: string): CabinetSummary[];
  elevation(cabinetId: string): CabinetElevation;
  /** Re-reads the inventory after an import; new devices are polled from the next sweep. */
  reload(): void;
  readonly poller: SnmpPoller;
  dispose(): Promise<void>;
}

export interface FleetServiceDeps {
  inventory: InventoryRepository;
  credentials: CredentialRepository;
  metrics: MetricsRepository;
  hub: EventHub;
  /** Stores fleet events and publishes them. */
  recordEvents: (events: Omit<FleetEvent, 'id'>[]) => void;
  /** Drops events past their retention; run with the time-series rollup. */
  expireEvents?: (before: number) => void;
  fleet: 'lab' | 'configured';
  poller?: PollerConfig;
  log?: (line: string) => void;
}

interface Location {
  cabinetId: string;
  roomId: string;
  siteId: string;
}

const OVERVIEW_THROTTLE_MS = 1000;
const ROLLUP_EVERY_MS = 60_000;
const EVENT_RETENTION_MS = 90 * 86_400_000;

export function createFleetService(deps: FleetServiceDeps): FleetService {
  const { inventory, credentials, metrics, hub } = deps;
  let locations = new Map<string, Location>();
  let targets: PollTarget[] = [];

  function load(): void {
    locations = new Map(inventory.deviceLocations().map((l) => [l.deviceId, l]));
    const resolved = new Map<string, SnmpCredentials | null>();
    const creds = (id: string): SnmpCredentials | null => {
      if (!resolved.has(id)) {
        try {
          resolved.set(id, snmpCredentialsFor(credentials, id));
        } catch (err) {
          deps.log?.(`credential ${id} unusable: ${(err as Error).message}`);
          resolved.set(id, null);
        }
      }
      return resolved.get(id) ?? null;
    };
    targets = [];
    for (const t of inventory.pollTargets()) {
      const c = t.snmpCredential ? creds(t.snmpCredential) : null;
      if (!c) continue;
      targets.push({
        deviceId: t.deviceId,
        kind: t.kind,
        host: t.mgmtIp,
        port: t.snmpPort,
        community: c.version === '2c' ? c.community : '',
        credentials: c,
        // PDUs: total and per-outlet power from ENTITY-SENSOR-MIB (the lab's, and many vendors')
        ...(t.kind === 'pdu' ? { pduProfile: ENTITY_SENSOR_PROFILE } : {}),
      });
    }
  }
  load();

  let overviewTimer: NodeJS.Timeout | null = null;
  const scheduleOverview = (): void => {
    if (overviewTimer) return;
    overviewTimer = setTimeout(() => {
      overviewTimer = null;
      hub.emit('onDidChangeOverview', overview());
    }, OVERVIEW_THROTTLE_MS);
  };

  const onResults = (results: PollResult[]): void => {
    const samples: Sample[] = [];
    for (const r of results) {
      if (!r.ok) continue;
      if (r.rttMs !== undefined) samples.push({ deviceId: r.deviceId, metric: 'snmp.rtt_ms', ts: r.at, value: r.rttMs });
      if (r.inBps != null) samples.push({ deviceId: r.deviceId, metric: 'if.in_bps', ts: r.at, value: r.inBps });
      if (r.outBps != null) samples.push({ deviceId: r.deviceId, metric: 'if.out_bps', ts: r.at, value: r.outBps });
      if (r.powerWatts != null) samples.push({ deviceId: r.deviceId, metric: POWER_METRICS.total, ts: r.at, value: r.powerWatts });
      for (const o of r.outlets ?? []) samples.push({ deviceId: r.deviceId, metric: `${POWER_METRICS.outletPrefix}.${o.index}`, ts: r.at, value: o.watts });
    }
    if (samples.length) metrics.append(samples);
  };

  const hostname = (deviceId: string): string => inventory.device(deviceId)?.hostname ?? deviceId;

  // The console's status of a device is the poller's health: up, degraded (answered, but
  // slowly, partly or with links down), unreachable.
  const onHealthChange = (health: DeviceHealthChange[]): void => {
    const changes: DeviceStatusChange[] = health.map((h) => ({ deviceId: h.deviceId, status: h.status, previous: h.previous, at: h.at }));
    hub.emit('onDidChangeDeviceStatus', changes);
    // A device's first answer is not news; every change after it is.
    deps.recordEvents(
      health
        .filter((h) => h.previous !== 'unknown')
        .map((h) => ({
          at: h.at,
          deviceId: h.deviceId,
          kind: 'status' as const,
          severity: h.status === 'unreachable' ? ('critical' as const) : h.status === 'degraded' ? ('warning' as const) : ('info' as const),
          message: `${hostname(h.deviceId)}: ${h.previous} -> ${h.status}`,
          ...(h.reasons.length ? { details: { reasons: h.reasons } } : {}),
        })),
    );
    scheduleOverview();
  };

  const poller = createSnmpPoller({
    targets: () => targets,
    intervalMs: deps.poller?.intervalMs,
    concurrency: deps.poller?.concurrency,
    timeoutMs: deps.poller?.timeoutMs,
    retries: deps.poller?.retries,
    onResults,
    onHealthChange,
    onInterfaceChange: (changes: InterfaceChange[]) =>
      deps.recordEvents(
        changes.map((c) => ({
          at: c.at,
          deviceId: c.deviceId,
          kind: 'interface' as const,
          severity: c.status === 'down' && c.adminStatus === 'up' ? ('warning' as const) : ('info' as const),
          message: `${hostname(c.deviceId)} ${c.name}: ${c.previous} -> ${c.status}`,
        })),
      ),
  });

  const rollupTimer = setInterval(() => {
    try {
      metrics.rollup();
      deps.expireEvents?.(Date.now() - EVENT_RETENTION_MS);
    } catch (err) {
      deps.log?.(`rollup failed: ${(err as Error).message}`);
    }
  }, ROLLUP_EVERY_MS);
  rollupTimer.unref();

  const statusOf = (deviceId: string): DeviceStatus => poller.state(deviceId)?.health ?? 'unknown';
  const answered = (s: DeviceStatus): boolean => s === 'up' || s === 'degraded';

  function overview(): FleetOverview {
    const rooms = new Map<string, Mutable<RoomOverview>>();
    for (const r of inventory.rooms()) {
      rooms.set(r.id, { id: r.id, siteId: r.siteId, name: r.name, cabinets: inventory.cabinetsInRoom(r.id).length, devices: 0, answering: 0, polled: 0, degraded: 0 });
    }
    let answering = 0;
    let polled = 0;
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
      fleet: deps.fleet,
      totals: {
        sites: sites.length,
        rooms: rooms.size,
        cabinets: [...rooms.values()].reduce((n, r) => n + r.cabinets, 0),
        devices: locations.size,
        answering,
        polled,
        pollable: targets.length,
      },
      sites,
    };
  }

  function cabinets(roomId: string): CabinetSummary[] {
    if (!inventory.rooms().some((r) => r.id === roomId)) throw new NotFoundError('room', roomId);
    const perCabinet = new Map<string, { devices: number; answering: number; polled: number; degraded: number }>();
    for (const [deviceId, loc] of locations) {
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
    const devices = inventory.devicesInCabinet(cabinetId).map((d) => {
      const st = poller.state(d.id);
      const up = answered(st?.health ?? 'unknown');
      return {
        id: d.id,
        kind: d.kind,
        hostname: d.hostname,
        sn: d.sn,
        uPosition: d.uPosition,
        uHeight: d.uHeight,
        mgmtIp: d.mgmtIp,
        status: st?.health ?? 'unknown',
        sysName: up ? (st?.sysName ?? null) : null,
        uptimeSeconds: up ? (st?.uptimeSeconds ?? null) : null,
        powerWatts: st?.powerWatts ?? null,
        capabilities: { bmc: Boolean(d.bmcAddress && d.ipmiCredential), ssh: Boolean(d.sshCredential) },
      };
    });
    return { cabinet, site, room, row, devices };
  }

  return {
    overview,
    pollerStats: () => {
      const s = poller.stats();
      return { startedAt: s.startedAt, pollsCompleted: s.pollsCompleted, pollsFailed: s.pollsFailed, targets: targets.length, intervalMs: deps.poller?.intervalMs ?? 30_000 };
    },
    cabinets,
    elevation,
    reload: () => {
      load();
      scheduleOverview();
    },
    poller,
    async dispose() {
      if (overviewTimer) clearTimeout(overviewTimer);
      overviewTimer = null;
      clearInterval(rollupTimer);
      await poller.dispose();
    },
  };
}
