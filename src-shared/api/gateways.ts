// The MGW gateway clusters' health (src-main/core/gateways): the clusters the console is
// configured with, each node's state and figures as of the last scrape (every 2 s), and a
// stream that says when a cluster's status changed. And the failover drills (operator,
// audited, confirmed on the desktop): one at a time per cluster, run in the background, each
// phase's figures stored as the drill's row and sent as onDidChangeGatewayDrill.
import { z } from 'zod';
import { event, method, noArgs, optInt, result, text } from './contract';
import { GATEWAY_DRILL_KINDS, type GatewayClusterStatus, type GatewayDrill } from '../domain/gateway';

export const DRILL_SESSIONS_MAX = 2000;

export const gatewayMethods = {
  /** Every configured cluster as of its last scrape. */
  'gateways.clusters': method({ role: 'viewer', args: noArgs, result: result<GatewayClusterStatus[]>(), example: undefined }),
  /** One cluster (NOT_FOUND when none has that id). */
  'gateways.cluster': method({ role: 'viewer', args: z.strictObject({ id: text(64) }), result: result<GatewayClusterStatus>(), example: { id: 'lab' } }),
  /** Starts a failover drill on a cluster (kill -9 of nodes under test traffic); answers with its row at once. */
  'gateways.drill': method({
    role: 'operator',
    confirm: 'always',
    args: z.strictObject({
      cluster: text(64),
      kind: z.enum(GATEWAY_DRILL_KINDS),
      sessions: z.number().int().min(10).max(DRILL_SESSIONS_MAX).default(500),
      /** sync-loss: the share of sync datagrams dropped, percent (100 cuts the link). */
      lossPercent: z.number().int().min(1).max(100).default(5),
      /** sync-loss: for how long, ms. */
      lossMs: z.number().int().min(100).max(60_000).default(5000),
    }),
    result: result<GatewayDrill>(),
    audit: (a) => `${a.kind} on ${a.cluster} (${a.sessions} sessions${a.kind === 'sync-loss' ? `, ${a.lossPercent}% sync loss for ${a.lossMs} ms` : ''})`,
    example: { cluster: 'lab', kind: 'kill-one', sessions: 500 },
  }),
  /** The latest drills (newest first), every cluster's. */
  'gateways.drills': method({ role: 'viewer', args: z.strictObject({ limit: optInt(1, 500) }), result: result<GatewayDrill[]>(), example: { limit: 20 } }),
};

export const gatewayEvents = {
  /** A cluster was scraped: its new status. */
  onDidChangeGateways: event({ role: 'viewer', payload: result<GatewayClusterStatus>() }),
  /** A drill started, moved to its next phase, or ended: its row as it is now. */
  onDidChangeGatewayDrill: event({ role: 'viewer', payload: result<GatewayDrill>() }),
};
