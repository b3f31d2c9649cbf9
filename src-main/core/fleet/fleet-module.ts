// The fleet capability: polls every pollable device, stores what it reads as time series,
// turns changes into status events, keeps the overview read model, and serves the fleet's
// reads (overview, poller figures, cabinets, elevations, device detail, a room's readings). repoll() polls a
// device early when something says its status moved (a control action, a trap, a lab fault).
import type { Capability } from '../../../src-shared/api';
import type { DeviceStatusChange, FleetEvent } from '../../../src-shared/domain';
import { DisposableStore, toDisposable } from '../../../src-shared/lifecycle';
import type { PollerConfig } from '../config';
import type { CredentialResolver } from '../credentials/credential-resolver';
import type { EventHub } from '../events/event-hub';
import { POWER_METRICS } from '../protocols/snmp';
import type { CoreStore } from '../store/core-store';
import type { Sample } from '../store/metrics-repository';
import { createDeviceDetail } from './device-detail';
import { interfaceEvents, statusEvents } from './poll-events';
import type { MonitoringSource } from './monitoring';
import { loadPollTargetSet, type CredentialKindLookup } from './poll-targets';
import { createReadModel } from './read-model';
import { createRoomReadings } from './room-readings';
import { createLatestReader } from './room-readings-series';
import { createSnmpPoller, type PollResult, type PollTarget, type SnmpPoller } from './snmp-poller';

export type FleetMethods = 'fleet.overview' | 'fleet.pollerStats' | 'inventory.cabinets' | 'inventory.elevation' | 'device.detail' | 'fleet.roomReadings';

export interface FleetModule extends Capability<FleetMethods> {
  /** Re-reads the inventory and credentials (after an import); new devices are polled from the next sweep. */
  reload(): void;
  /**
   * Polls the device again at once and a few times with back-off until its status changes
   * (debounced). `cause` says why ('power off', 'trap linkDown', 'lab kill-device'): when
   * the device is expected to fall silent, the tries go without retransmissions.
   */
  repoll(deviceId: string, cause?: string): void;
  readonly poller: SnmpPoller;
}

export interface FleetDeps {
  /** credentials (optional): the store's kinds, to tell an unknown credential id from one of a non-SNMP kind. */
  store: Pick<CoreStore, 'inventory' | 'metrics' | 'db'> & Partial<Pick<CoreStore, 'credentials'>>;
  credentials: Pick<CredentialResolver, 'snmp' | 'isBound' | 'snmpFor'>;
  hub: EventHub;
  /** Stores fleet events and publishes them. */
  record: (events: Omit<FleetEvent, 'id'>[]) => void;
  fleetKind: 'lab' | 'configured';
  poller?: PollerConfig;
  log?: (line: string) => void;
  /** Devices blinking their identify LED (device control keeps them); the room's readings show them. */
  identifying?: () => ReadonlySet<string>;
}

const OVERVIEW_THROTTLE_MS = 1000;
/** Causes after which a device is expected to stop answering: one unanswered try says enough. */
const SILENCING = /\b(off|soft|cycle|reset)\b|kill-device|trip-pdu/;
const ROLLUP_EVERY_MS = 60_000;

/** A poll result's figures as time-series samples. */
function samplesOf(results: readonly PollResult[]): Sample[] {
  const samples: Sample[] = [];
  for (const r of results) {
    if (!r.ok) continue;
    if (r.rttMs !== undefined) samples.push({ deviceId: r.deviceId, metric: 'snmp.rtt_ms', ts: r.at, value: r.rttMs });
    if (r.inBps != null) samples.push({ deviceId: r.deviceId, metric: 'if.in_bps', ts: r.at, value: r.inBps });
    if (r.outBps != null) samples.push({ deviceId: r.deviceId, metric: 'if.out_bps', ts: r.at, value: r.outBps });
    if (r.powerWatts != null) samples.push({ deviceId: r.deviceId, metric: POWER_METRICS.total, ts: r.at, value: r.powerWatts });
    for (const o of r.outlets ?? []) samples.push({ deviceId: r.deviceId, metric: `${POWER_METRICS.outletPrefix}.${o.index}`, ts: r.at, value: o.watts });
  }
  return samples;
}

export function startFleet(d: FleetDeps): FleetModule {
  const { inventory, metrics } = d.store;
  const owned = new DisposableStore();
  let locations = new Map<string, { cabinetId: string; roomId: string; siteId: string }>();
  let targets: PollTarget[] = [];
  let monitored: ReadonlySet<string> = new Set();
  let monitoring: MonitoringSource = { notMonitored: new Map(), sharedAddresses: new Set() };
  const repo = d.store.credentials;
  const kindOf: CredentialKindLookup | undefined = repo && ((id) => (repo.has(id) ? repo.info(id).kind : null));
  const loadTargets = (): void => {
    locations = new Map(inventory.deviceLocations().map((l) => [l.deviceId, l]));
    const set = loadPollTargetSet(inventory, d.credentials, kindOf, d.log);
    targets = set.targets;
    monitored = new Set(targets.map((t) => t.deviceId));
    monitoring = { notMonitored: set.notMonitored, sharedAddresses: set.sharedAddresses };
  };
  // The poller's first sweep starts as it is created: its targets are read before it.
  loadTargets();
  const model = createReadModel({ inventory, state: (id) => poller.state(id), fleetKind: d.fleetKind });
  const reloadModel = (): void => model.reload({ locations, monitored, monitoring });
  const load = (): void => {
    loadTargets();
    reloadModel();
    room.invalidate();
  };

  const hostname = (deviceId: string): string => inventory.device(deviceId)?.hostname ?? deviceId;
  let overviewTimer: NodeJS.Timeout | null = null;
  owned.add(toDisposable(() => overviewTimer && clearTimeout(overviewTimer)));
  const scheduleOverview = (): void => {
    if (overviewTimer) return;
    overviewTimer = setTimeout(() => {
      overviewTimer = null;
      d.hub.emit('onDidChangeOverview', model.overview());
    }, OVERVIEW_THROTTLE_MS);
  };

  const poller = createSnmpPoller({
    targets: () => targets,
    intervalMs: d.poller?.intervalMs,
    concurrency: d.poller?.concurrency,
    timeoutMs: d.poller?.timeoutMs,
    retries: d.poller?.retries,
    onResults: (results) => {
      const samples = samplesOf(results);
      if (samples.length) metrics.append(samples);
    },
    // The console's status of a device is the poller's health: up, degraded (answered, but
    // slowly, partly or with links down), unreachable.
    onHealthChange: (health) => {
      model.apply(health);
      const changes: DeviceStatusChange[] = health.map((h) => ({ deviceId: h.deviceId, status: h.status, previous: h.previous, at: h.at }));
      d.hub.emit('onDidChangeDeviceStatus', changes);
      d.record(statusEvents(health, hostname));
      scheduleOverview();
    },
    onInterfaceChange: (changes) => d.record(interfaceEvents(changes, hostname)),
  });
  owned.add(poller);
  reloadModel();

  const rollupTimer = setInterval(() => {
    try {
      metrics.rollup();
    } catch (err) {
      d.log?.(`rollup failed: ${(err as Error).message}`);
    }
  }, ROLLUP_EVERY_MS);
  rollupTimer.unref();
  owned.add(toDisposable(() => clearInterval(rollupTimer)));

  const detail = createDeviceDetail({
    inventory,
    credentials: d.credentials,
    metrics,
    pollState: (id) => {
      const st = poller.state(id);
      return st && { ...st, status: st.health };
    },
    polledCounters: (id) => poller.counters(id),
    monitoring: () => monitoring,
  });

  const room = createRoomReadings({
    inventory,
    latest: createLatestReader(d.store.metrics),
    status: (id) => (monitored.has(id) ? (poller.state(id)?.health ?? 'unknown') : 'not-monitored'),
    identifying: d.identifying,
  });

  return {
    api: {
      'fleet.overview': () => model.overview(),
      'fleet.pollerStats': () => {
        const s = poller.stats();
        return { startedAt: s.startedAt, pollsCompleted: s.pollsCompleted, pollsFailed: s.pollsFailed, targets: targets.length, intervalMs: d.poller?.intervalMs ?? 30_000 };
      },
      'inventory.cabinets': (a) => model.cabinets(a.roomId),
      'inventory.elevation': (a) => model.elevation(a.cabinetId),
      'device.detail': (a) => detail.detail(a.deviceId),
      'fleet.roomReadings': (a) => room.readings(a.roomId),
    },
    reload: () => {
      load();
      // New devices and changed targets (a corrected credential) are polled at once, not at their next turn.
      const changedIds = poller.refresh();
      for (const id of changedIds) poller.repoll(id);
      scheduleOverview();
    },
    repoll: (deviceId, cause) => poller.repoll(deviceId, cause && SILENCING.test(cause) ? { retries: 0 } : {}),
    poller,
    dispose: () => owned.dispose(),
  };
}
