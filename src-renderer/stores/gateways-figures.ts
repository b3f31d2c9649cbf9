// Pure figures of the gateway health view (stores/gateways.ts, views/gateways): a cluster's new
// status merged into the list, each node's short history for its sparklines (the last 60
// statuses), and the backends as the reachable nodes see them. Imports only shared types, so the
// unit tests load it on its own.
import type { GatewayClusterStatus, GatewayNodeStatus } from '../../src-shared/domain/gateway';

/** Statuses kept per node: 60 scrapes, two minutes at the core's 2 s. */
export const HISTORY_POINTS = 60;

/** One node's figures at one scrape; null where the node did not answer (or a rate had no previous scrape). */
export interface NodePoint {
  readonly at: number;
  readonly sessions: number | null;
  readonly pps: number | null;
  readonly newPerS: number | null;
  readonly lag: number | null;
}

/** By cluster id, then node id. */
export type GatewayHistory = Readonly<Record<string, Readonly<Record<string, readonly NodePoint[]>>>>;

/** The list with this cluster's status in place of the one with its id, or appended when new. */
export function mergeCluster(list: readonly GatewayClusterStatus[] | null, c: GatewayClusterStatus): GatewayClusterStatus[] {
  const all = list ?? [];
  return all.some((x) => x.id === c.id) ? all.map((x) => (x.id === c.id ? c : x)) : [...all, c];
}

/** A read of every cluster, keeping a status an event already brought that is newer than the read's. */
export function mergeRead(list: readonly GatewayClusterStatus[] | null, read: readonly GatewayClusterStatus[]): GatewayClusterStatus[] {
  return read.map((c) => {
    const held = list?.find((x) => x.id === c.id);
    return held && held.scrapedAt > c.scrapedAt ? held : c;
  });
}

function pointOf(n: GatewayNodeStatus): NodePoint {
  if (n.state === 'unreachable') return { at: n.scrapedAt, sessions: null, pps: null, newPerS: null, lag: null };
  return { at: n.scrapedAt, sessions: n.sessions, pps: n.pps, newPerS: n.newPerS, lag: n.syncLagP99Ms };
}

/**
 * The history with this cluster's status added: a point per node (none when that node's scrape
 * is already the last point), at most `max` per node; nodes no longer in the cluster are dropped.
 */
export function recordHistory(history: GatewayHistory, c: GatewayClusterStatus, max = HISTORY_POINTS): GatewayHistory {
  const before = history[c.id] ?? {};
  const nodes: Record<string, readonly NodePoint[]> = {};
  for (const n of c.nodes) {
    const old = before[n.id] ?? [];
    const last = old[old.length - 1];
    nodes[n.id] = last && last.at === n.scrapedAt ? old : [...old, pointOf(n)].slice(-max);
  }
  return { ...history, [c.id]: nodes };
}

export interface BackendRow {
  readonly name: string;
  /** Reachable nodes that see it up. */
  readonly up: number;
  /** Reachable nodes (the ones that said anything). */
  readonly of: number;
  /** Its mean share of the reachable nodes' Maglev tables (0..1; a node that does not list it counts 0). */
  readonly share: number;
}

/** Each backend any reachable node lists, in the order they list them; unreachable nodes are left out. */
export function backendRows(c: GatewayClusterStatus): BackendRow[] {
  const reachable = c.nodes.filter((n) => n.state !== 'unreachable');
  const names = [...new Set(reachable.flatMap((n) => n.backends.map((b) => b.name)))];
  return names.map((name) => {
    const views = reachable.map((n) => n.backends.find((b) => b.name === name));
    const share = views.reduce((sum, v) => sum + (v?.share ?? 0), 0) / reachable.length;
    return { name, up: views.filter((v) => v?.up === true).length, of: reachable.length, share };
  });
}
