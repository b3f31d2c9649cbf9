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

/**
 * A failover drill (src-main/core/gateways/gateway-drill.ts): kill -9 one node, or two (R >= 3),
 * or put loss on every node's sync link (lossPercent for lossMs; 100 cuts it) while new
 * sessions come in and then kill one, all under test traffic through the VIP.
 */
export const GATEWAY_DRILL_KINDS = ['kill-one', 'kill-two', 'sync-loss'] as const;
export type GatewayDrillKind = (typeof GATEWAY_DRILL_KINDS)[number];

export type GatewayDrillPhase = 'sessions' | 'replicating' | 'fault' | 'measuring' | 'failback' | 'done' | 'failed';

export interface GatewayDrill {
  readonly id: string;
  readonly cluster: string;
  readonly kind: GatewayDrillKind;
  readonly actor: string;
  readonly phase: GatewayDrillPhase;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  /** Test sessions through the VIP (sync-loss: half of them made during the loss). */
  readonly sessions: number;
  readonly lossPercent: number | null;
  readonly lossMs: number | null;
  /** Nodes killed with kill -9. */
  readonly killed: readonly string[];
  /** From the kill until every session was answered in one round; null: not measured (or never). */
  readonly windowMs: number | null;
  /** Sessions answered by another backend than their own after the kill. */
  readonly switched: number | null;
  /** Sessions not answered after the window. */
  readonly lost: number | null;
  /** switched + lost: the drill's figure (0: no session noticed). */
  readonly misses: number | null;
  /** From the kill until every killed node was back and ready (resynced); null: not back. */
  readonly failbackMs: number | null;
  /** Sessions that switched backend or went silent once the killed nodes took traffic again. */
  readonly failbackMisses: number | null;
  /** What went wrong, or what the drill could not do (a node that never came back). */
  readonly note: string | null;
}
