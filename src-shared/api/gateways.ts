// The MGW gateway clusters' health (src-main/core/gateways): the clusters the console is
// configured with, each node's state and figures as of the last scrape (every 2 s), and a
// stream that says when a cluster's status changed.
import { z } from 'zod';
import { event, method, noArgs, result, text } from './contract';
import type { GatewayClusterStatus } from '../domain/gateway';

export const gatewayMethods = {
  /** Every configured cluster as of its last scrape. */
  'gateways.clusters': method({ role: 'viewer', args: noArgs, result: result<GatewayClusterStatus[]>(), example: undefined }),
  /** One cluster (NOT_FOUND when none has that id). */
  'gateways.cluster': method({ role: 'viewer', args: z.strictObject({ id: text(64) }), result: result<GatewayClusterStatus>(), example: { id: 'lab' } }),
};

export const gatewayEvents = {
  /** A cluster was scraped: its new status. */
  onDidChangeGateways: event({ role: 'viewer', payload: result<GatewayClusterStatus>() }),
};
