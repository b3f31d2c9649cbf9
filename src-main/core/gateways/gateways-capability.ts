// The gateways capability: the MGW clusters the console is configured with (config gateways:
// each cluster's config, src-shared/mgw/config.ts, and its control token), scraped every
// intervalMs (default 2 s): each node's /metrics (Prometheus text) and its control API's
// /api/state (bearer token), at most one scrape of a cluster in flight, each request bounded
// by a timeout. A node that does not answer is 'unreachable' with the reason; rates (new
// sessions, packets, misses, redirects per second) come from the counters' change between two
// scrapes of the same node process (a counter that went down: the node restarted, no rate).
// Each scrape's result goes out as onDidChangeGateways; gateways.clusters and gateways.cluster
// answer from the last one.
import type { Capability } from '../../../src-shared/api';
import type { GatewayClusterStatus, GatewayNodeState, GatewayNodeStatus } from '../../../src-shared/domain/gateway';
import { FleetDeckError, NotFoundError } from '../../../src-shared/errors';
import type { MgwCluster } from '../../../src-shared/mgw/config';
import { parseMetrics } from '../../../src-shared/mgw/prometheus';
import type { EventHub } from '../events/event-hub';
import type { CoreStore } from '../store/core-store';
import { nodeHttp } from './gateway-http';
import { startDrills, type DrillsDeps } from './gateway-drills';

export type GatewayMethod = 'gateways.clusters' | 'gateways.cluster' | 'gateways.drill' | 'gateways.drills';

export interface GatewayClusterConfig {
  readonly cluster: MgwCluster;
  /** The control API's bearer token (its SHA-256 is the cluster's controlTokenSha256). */
  readonly token: string;
}

export interface GatewaysDeps {
  readonly hub: EventHub;
  readonly clusters: readonly GatewayClusterConfig[];
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly clock?: () => number;
  /** The drills' rows and their audit (gateway-drills.ts); without it, no drills (a scrape-only test). */
  readonly store?: Pick<CoreStore, 'drills' | 'audit'>;
  /** Drills: where the test clients bind, how long a killed node has to come back. */
  readonly drills?: Pick<DrillsDeps, 'bindAddress' | 'failbackTimeoutMs'>;
}

export interface GatewaysCapability extends Capability<GatewayMethod> {
  /** One scrape of every cluster now (the timer's step). */
  scrapeNow(): Promise<GatewayClusterStatus[]>;
  /** Resolves when every drill under way has ended. */
  drillsIdle(): Promise<void>;
}

interface Counters {
  readonly at: number;
  readonly created: number;
  readonly packets: number;
  readonly misses: number;
  readonly redirects: number;
}

const STATES: readonly GatewayNodeState[] = ['ready', 'resyncing', 'joining', 'draining'];

export function startGateways(d: GatewaysDeps): GatewaysCapability {
  const clock = d.clock ?? Date.now;
  const timeoutMs = d.timeoutMs ?? 1500;
  const last = new Map<string, GatewayClusterStatus>();
  const previous = new Map<string, Counters>();
  const inFlight = new Map<string, Promise<GatewayClusterStatus>>();

  async function node(c: GatewayClusterConfig, i: number): Promise<GatewayNodeStatus> {
    const n = c.cluster.nodes[i];
    const key = `${c.cluster.cluster}/${n.id}`;
    const at = clock();
    const down = (error: string): GatewayNodeStatus => ({
      id: n.id, address: n.control.address, state: 'unreachable', error, sessions: 0, capacity: 0, newPerS: null, pps: null, missesPerS: null, redirectsPerS: null,
      syncLagP99Ms: 0, replicationDebt: 0, backends: [], peersLive: [], scrapedAt: at,
    });
    let text: string;
    let state: { state?: unknown };
    try {
      [text, state] = await Promise.all([
        nodeHttp(n.control, '/metrics', { timeoutMs }),
        nodeHttp(n.control, '/api/state', { timeoutMs, token: c.token }).then((b) => JSON.parse(b) as { state?: unknown }),
      ]);
    } catch (err) {
      previous.delete(key);
      return down((err as Error).message);
    }
    const m = parseMetrics(text);
    const one = (name: string): number => m.get(name)?.[0]?.value ?? 0;
    const by = (name: string, label: string): Map<string, number> => new Map((m.get(name) ?? []).map((x) => [x.labels[label] ?? '', x.value]));
    const now: Counters = { at, created: one('mgw_new_sessions_total'), packets: one('mgw_packets_total'), misses: one('mgw_misses_total'), redirects: one('mgw_redirects_out_total') };
    const before = previous.get(key);
    previous.set(key, now);
    const rate = (f: keyof Omit<Counters, 'at'>): number | null =>
      before && now.at > before.at && now[f] >= before[f] ? Math.round(((now[f] - before[f]) * 1000) / (now.at - before.at)) : null;
    const up = by('mgw_backend_up', 'backend');
    const share = by('mgw_backend_share', 'backend');
    const live = by('mgw_peer_live', 'node');
    const s = STATES.find((x) => x === state.state) ?? 'joining';
    return {
      id: n.id, address: n.control.address, state: s, error: null,
      sessions: one('mgw_sessions'), capacity: one('mgw_session_capacity'),
      newPerS: rate('created'), pps: rate('packets'), missesPerS: rate('misses'), redirectsPerS: rate('redirects'),
      syncLagP99Ms: one('mgw_sync_lag_p99_ms'), replicationDebt: one('mgw_replication_debt'),
      backends: c.cluster.backends.map((b) => ({ name: b.name, up: up.get(b.name) === 1, share: share.get(b.name) ?? 0 })),
      peersLive: [...live].filter(([id, v]) => v === 1 && id !== n.id).map(([id]) => id),
      scrapedAt: at,
    };
  }

  const scrape = (c: GatewayClusterConfig): Promise<GatewayClusterStatus> => {
    const id = c.cluster.cluster;
    const running = inFlight.get(id);
    if (running) return running;
    const p = Promise.all(c.cluster.nodes.map((_, i) => node(c, i))).then((nodes) => {
      const status: GatewayClusterStatus = {
        id, r: c.cluster.r, vips: c.cluster.vips.map((v) => `${v.address}:${v.port}`), nodes,
        ready: nodes.filter((n) => n.state === 'ready').length,
        sessions: nodes.reduce((a, n) => a + n.sessions, 0),
        scrapedAt: clock(),
      };
      last.set(id, status);
      d.hub.emit('onDidChangeGateways', status);
      return status;
    }).finally(() => inFlight.delete(id));
    inFlight.set(id, p);
    return p;
  };

  const scrapeNow = (): Promise<GatewayClusterStatus[]> => Promise.all(d.clusters.map(scrape));
  const intervalMs = d.intervalMs ?? 2000;
  const timer = d.clusters.length && intervalMs > 0 ? setInterval(() => void scrapeNow(), intervalMs) : null;
  timer?.unref();
  if (d.clusters.length) void scrapeNow();

  const store = d.store;
  const drills = store ? startDrills({ hub: d.hub, store, clusters: () => d.clusters, clock, ...d.drills }) : null;
  const noDrills = (): never => {
    throw new FleetDeckError('UNAVAILABLE', 'this core has no store for drills');
  };

  return {
    scrapeNow,
    drillsIdle: async () => drills?.idle(),
    api: {
      'gateways.drill': (a, ctx) => (drills ? drills.start(a, ctx) : noDrills()),
      'gateways.drills': (a) => (drills ? drills.recent(a?.limit) : noDrills()),
      'gateways.clusters': () => d.clusters.flatMap((c) => last.get(c.cluster.cluster) ?? []),
      'gateways.cluster': (a) => {
        const s = last.get(a.id);
        if (!s) throw new NotFoundError('Gateway cluster', a.id);
        return s;
      },
    },
    async dispose() {
      if (timer) clearInterval(timer);
      await drills?.idle();
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
