// The MGW gateway clusters as the console sees them (src-main/core/gateways scrapes each node's
// /metrics and control API): per node whether it answers, its state, sessions, rates computed
// between two scrapes, replication lag and debt, and its view of the backends and peers.

export type GatewayNodeState = 'ready' | 'resyncing' | 'joining' | 'draining' | 'unreachable';

export interface GatewayBackendView {
  readonly name: string;
  readonly up: boolean;
  /** Its share of this node's Maglev table (0..1). */
  readonly share: number;
}

export interface GatewayNodeStatus {
  readonly id: string;
  readonly address: string;
  readonly state: GatewayNodeState;
  /** Why it is unreachable (null when it answered). */
  readonly error: string | null;
  readonly sessions: number;
  readonly capacity: number;
  /** Between the last two scrapes; null after the first. */
  readonly newPerS: number | null;
  readonly pps: number | null;
  readonly missesPerS: number | null;
  readonly redirectsPerS: number | null;
  readonly syncLagP99Ms: number;
  readonly replicationDebt: number;
  readonly backends: readonly GatewayBackendView[];
  /** Peers this node sees live (alive and ready). */
  readonly peersLive: readonly string[];
  readonly scrapedAt: number;
}

export interface GatewayClusterStatus {
  readonly id: string;
  readonly r: number;
  readonly vips: readonly string[];
  readonly nodes: readonly GatewayNodeStatus[];
  /** Nodes ready of all nodes. */
  readonly ready: number;
  readonly sessions: number;
  readonly scrapedAt: number;
}
