// The probes capability (the Pingmesh-style matrix): derives the network topology from
// inventory (a host's ToR is its row's switch), builds every agent's pinglist from it
// (Pingmesh's three levels, DNS resolvers and public targets; src-shared/probe/pinglist.ts) and
// hands the plans to the agents capability, which sends each agent its own in its config. The
// agents' committed probe results go through probe-ingest.ts into the minute aggregator; a
// minute is stored (probe-repository.ts) once no result for it can still come (graceMs after it
// ends), announced (onDidProbeMinute), and the newest five minutes are localised: a new top
// suspect is a fleet event. It answers the matrix, pair, localisation, DNS catchment and
// public-network queries from the store, and keeps the colour thresholds (admin).
// Plans are rebuilt when inventory or the enrolled agents change (reload(), debounced), and
// kept by id for two generations so results of the plan an agent had just before still read.
import type { Capability, DnsCatchment } from '../../../src-shared/api';
import type { ProbePlan } from '../../../src-shared/agent-protocol';
import type { FleetEvent } from '../../../src-shared/domain/fleet-event';
import { DEFAULT_PROBE_THRESHOLDS, type ProbeHost, type ProbeLocalisation, type ProbeThresholds, type ProbeTopology } from '../../../src-shared/domain/probe';
import { createMinuteAggregator, type MinuteAggregator } from '../../../src-shared/probe/aggregate';
import { localise } from '../../../src-shared/probe/localise';
import { buildPinglists } from '../../../src-shared/probe/pinglist';
import { deriveTopology, indexTopology, type TopologyIndex } from '../../../src-shared/probe/topology';
import type { AgentsCapability } from '../agents/agents-capability';
import type { ProbesConfig } from '../config';
import type { EventHub } from '../events/event-hub';
import type { AgentRepository } from '../store/agent-repository';
import type { InventoryRepository } from '../store/inventory-repository';
import type { ProbeRepository } from '../store/probe-repository';
import { createProbeIngest, type PlanRef, type ProbeIngest } from './probe-ingest';
import { placesOf } from './localisation-places';
import { hostPairs, matrix, pair, publicQuality, windowOf, type QueryContext } from './probe-queries';

export type ProbeMethod = 'probes.matrix' | 'probes.pair' | 'probes.localise' | 'probes.dns' | 'probes.public' | 'probes.thresholds' | 'probes.setThresholds';

export interface ProbesCapability extends Capability<ProbeMethod> {
  /** Inventory or the enrolled agents changed: the plans are rebuilt (debounced). */
  reload(): void;
  /** Stores every complete minute now (tests; the timer does it every few seconds). */
  flush(before?: number): number;
  readonly ingest: ProbeIngest;
  /** A device's current plan (what its agent was sent). */
  planFor(deviceId: string): ProbePlan | undefined;
  /** The newest localisation of the last five minutes (what the room view highlights). */
  readonly lastLocalisation: ProbeLocalisation | null;
}

export interface ProbesDeps {
  store: { inventory: InventoryRepository; agents: AgentRepository; probes: ProbeRepository };
  agents: Pick<AgentsCapability, 'setProbePlans' | 'onDidCommit' | 'connectedIds'>;
  hub: EventHub;
  record(events: readonly Omit<FleetEvent, 'id'>[]): void;
  config?: ProbesConfig;
  log?: (line: string) => void;
  now?: () => number;
}

const MINUTE = 60_000;
export const DEFAULT_RESPONDER = { tcpPort: 16701, udpPort: 16702 } as const;

export function startProbes(d: ProbesDeps): ProbesCapability {
  const log = d.log ?? (() => {});
  const now = d.now ?? Date.now;
  const cfg = d.config ?? {};
  const graceMs = cfg.graceMs ?? 25_000;
  let topology: ProbeTopology = { hosts: [], tors: [], rooms: [], sites: [] };
  let topoKey = '';
  let idx: TopologyIndex = indexTopology(topology);
  let aggregator: MinuteAggregator = createMinuteAggregator(idx);
  let generations: Map<string, PlanRef>[] = [];
  let thresholds: ProbeThresholds = d.store.probes.thresholds() ?? DEFAULT_PROBE_THRESHOLDS;
  let last: ProbeLocalisation | null = null;
  let lastTop = '';
  /** Each agent in the pinglists, by the device it stands for. */
  const placed = new Map<string, string>();

  const ingest = createProbeIngest({
    plan: (id) => {
      for (const g of generations) {
        const ref = g.get(id);
        if (ref) return ref;
      }
      return undefined;
    },
    sink: { add: (src, t, at, rtt, err) => aggregator.add(src, t, at, rtt, err) },
    record: d.record,
    log,
  });

  const rebuild = (): void => {
    const agentByDevice = new Map<string, string>();
    placed.clear();
    for (const r of d.store.agents.list()) {
      if (!r.deviceId || r.state === 'revoked') continue;
      agentByDevice.set(r.deviceId, r.id);
      placed.set(r.id, r.deviceId);
    }
    // The hosts of the matrix are the servers with an agent: the others can neither probe nor be probed.
    const doc = d.store.inventory.document();
    const next = deriveTopology({ ...doc, devices: doc.devices.filter((x) => x.kind !== 'server' || agentByDevice.has(x.id)) }, agentByDevice);
    const key = JSON.stringify(next);
    if (key !== topoKey) {
      // The old aggregator's samples are stored as they are (a partial minute merges with the rest of it when that comes).
      const rows = aggregator.flush(Number.MAX_SAFE_INTEGER);
      if (rows.length) d.store.probes.putMinutes(rows);
      topology = next;
      topoKey = key;
      idx = indexTopology(topology);
      aggregator = createMinuteAggregator(idx);
    }
    const plans = cfg.enabled === false ? new Map<string, ProbePlan>() : buildPinglists(topology, {
      responder: cfg.responder ?? DEFAULT_RESPONDER,
      intervalsMs: cfg.intervalsMs,
      kinds: cfg.kinds,
      dns: cfg.resolvers,
      public: cfg.publicTargets,
      traceroute: cfg.traceroute === false ? undefined : cfg.traceroute ?? { perHost: 2, intervalMs: 300_000, maxHops: 16 },
    });
    const byAgent = new Map<string, ProbePlan>();
    const refs = new Map<string, PlanRef>();
    const hostname = new Map(topology.hosts.map((h) => [h.deviceId, h.hostname]));
    for (const [deviceId, plan] of plans) {
      const agentId = agentByDevice.get(deviceId);
      if (!agentId) continue;
      byAgent.set(agentId, plan);
      refs.set(plan.id, { deviceId, hostname: hostname.get(deviceId) ?? deviceId, plan });
    }
    generations = [refs, ...generations.filter((g) => g !== refs)].slice(0, 3);
    d.agents.setProbePlans(byAgent);
  };

  let reloadTimer: NodeJS.Timeout | null = null;
  const reload = (): void => {
    if (reloadTimer) return;
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      try {
        rebuild();
      } catch (err) {
        log(`probes: building the pinglists failed: ${(err as Error).message}`);
      }
    }, 1000);
    reloadTimer.unref?.();
  };

  const ctx = (): QueryContext => {
    const live = d.agents.connectedIds();
    return { store: d.store.probes, topology: () => topology, live: (h: ProbeHost) => h.agentId !== null && live.has(h.agentId), now };
  };

  const localiseWindow = (at?: number, minutes?: number): ProbeLocalisation => {
    const c = ctx();
    const w = windowOf(c, at, minutes ?? 5);
    // A host whose agent is down is missing data, not a fault: its pairs are left out (its link is not blamed for them).
    const down = new Set(topology.hosts.filter((h) => !c.live(h)).map((h) => h.deviceId));
    // The hosts' pairs to the resolvers are paths too (through their ToR's uplink and spine): they tell an uplink from the spine.
    const externals = new Set((cfg.resolvers ?? []).map((r) => r.id));
    const loc = localise(idx, hostPairs(c, w, externals), thresholds, { down, externals });
    return { ...loc, from: w.from, to: w.to, places: placesOf(topology, loc) };
  };

  const flush = (before = now() - graceMs): number => {
    const rows = aggregator.flush(before);
    if (!rows.length) return 0;
    d.store.probes.putMinutes(rows);
    const minutes = [...new Set(rows.map((r) => r.minute))].sort((a, b) => a - b);
    for (const minute of minutes) d.hub.emit('onDidProbeMinute', { minute });
    try {
      last = localiseWindow();
      const top = last.suspects[0];
      const topId = top?.component.id ?? '';
      if (topId !== lastTop && top) {
        d.record([{
          at: now(), deviceId: top.component.kind === 'host-link' ? top.component.objectId : null, kind: 'probe', severity: 'critical', code: 'probe.suspect',
          // Worded by its name (a hostname, a switch, a room); the ids are in details.
          params: { component: last.places?.[top.component.objectId]?.name ?? top.component.objectId, componentKind: top.component.kind, badPairs: top.badPairs },
          message: `Probe matrix: ${top.component.kind} ${last.places?.[top.component.objectId]?.name ?? top.component.objectId} is the top suspect (${top.badPairs} bad pairs through it, votes ${top.votes.toFixed(2)}, fitted success ${top.fittedSuccess.toFixed(3)})`,
          details: { componentId: top.component.id, suspects: last.suspects.slice(0, 5) },
        }]);
      }
      lastTop = topId;
    } catch (err) {
      log(`probes: localisation failed: ${(err as Error).message}`);
    }
    return rows.length;
  };

  const commits = d.agents.onDidCommit((batches) => ingest.onBatches(batches));
  rebuild();
  const flusher = setInterval(() => {
    try {
      flush();
    } catch (err) {
      log(`probes: storing the minute aggregates failed: ${(err as Error).message}`);
    }
  }, 5000);
  flusher.unref?.();
  const pruner = setInterval(() => {
    try {
      d.store.probes.prune(now());
    } catch (err) {
      log(`probes: pruning failed: ${(err as Error).message}`);
    }
  }, 3_600_000);
  pruner.unref?.();
  // An agent enrolled, revoked or moved to another device changes the pinglists (inventory changes come through reload()).
  const agentChanges = d.hub.on('onDidChangeAgent', (a) => {
    const device = a.state === 'revoked' ? undefined : a.deviceId ?? undefined;
    if (placed.get(a.id) !== device) reload();
  });

  return {
    reload,
    flush,
    ingest,
    planFor: (deviceId) => {
      for (const ref of generations[0]?.values() ?? []) if (ref.deviceId === deviceId) return ref.plan;
      return undefined;
    },
    get lastLocalisation() {
      return last;
    },
    api: {
      'probes.matrix': (a) => matrix(ctx(), a),
      'probes.pair': (a) => pair(ctx(), a),
      'probes.localise': (a) => localiseWindow(a.at, a.minutes),
      'probes.dns': () => {
        const byResolver = new Map<string, DnsCatchment['vantages'][number][]>();
        const addr = new Map<string, string>();
        for (const c of ingest.catchments.values()) {
          addr.set(c.resolver, c.addr);
          const list = byResolver.get(c.resolver) ?? [];
          list.push({ deviceId: c.deviceId, hostname: c.hostname, instance: c.instance, since: c.since, p50Us: c.lastUs });
          byResolver.set(c.resolver, list);
        }
        return [...byResolver].map(([resolver, vantages]) => ({ resolver, addr: addr.get(resolver) ?? '', vantages: vantages.sort((x, y) => (x.hostname < y.hostname ? -1 : 1)) }));
      },
      'probes.public': (a) => publicQuality(ctx(), windowOf(ctx(), a.at, a.minutes ?? 10)),
      'probes.thresholds': () => thresholds,
      'probes.setThresholds': (t) => {
        d.store.probes.setThresholds(t);
        thresholds = t;
        return t;
      },
    },
    dispose: async () => {
      commits.dispose();
      clearInterval(flusher);
      clearInterval(pruner);
      agentChanges.dispose();
      if (reloadTimer) clearTimeout(reloadTimer);
      try {
        flush(Number.MAX_SAFE_INTEGER);
      } catch (err) {
        log(`probes: storing the last aggregates failed: ${(err as Error).message}`);
      }
    },
  };
}

export { MINUTE as PROBE_MINUTE_MS };
