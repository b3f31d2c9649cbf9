// The gateway health view's state and actions (#/gateways, views/gateways), in a store of its own
// (the view is its only reader): the MGW clusters read with gateways.clusters when the view opens
// (or the connection comes back), each replaced in place (or appended) by onDidChangeGateways
// while the view is open, the last read's error (the data it had kept), and per node its last
// 60 statuses for the sparklines (stores/gateways-figures.ts). Every role may read it.
import { create } from 'zustand';
import type { Disposable } from '../../src-shared/api';
import type { GatewayClusterStatus } from '../../src-shared/domain/gateway';
import { getClient, hasClient } from './client';
import { mergeCluster, mergeRead, recordHistory, type GatewayHistory } from './gateways-figures';
import { toShownError, type ShownError } from './shown-error';

export interface GatewaysState {
  /** null: not read yet. */
  clusters: GatewayClusterStatus[] | null;
  error: ShownError | null;
  history: GatewayHistory;
}

const initial: GatewaysState = { clusters: null, error: null, history: {} };

export const useGatewaysStore = create<GatewaysState>()(() => initial);
const set = (p: Partial<GatewaysState> | ((s: GatewaysState) => Partial<GatewaysState>)) => useGatewaysStore.setState(p);

/** Reads every cluster; refused or failed: the error, with the clusters and history kept. */
export async function loadGateways(): Promise<void> {
  try {
    const read = await getClient().call('gateways.clusters', undefined);
    set((s) => {
      const clusters = mergeRead(s.clusters, read);
      return { clusters, error: null, history: clusters.reduce((h, c) => recordHistory(h, c), s.history) };
    });
  } catch (err) {
    set({ error: toShownError(err) });
  }
}

/** One cluster's new status (an onDidChangeGateways event). */
export function applyGatewayStatus(c: GatewayClusterStatus): void {
  set((s) => ({ clusters: mergeCluster(s.clusters, c), history: recordHistory(s.history, c) }));
}

/** Follows onDidChangeGateways while the view is open. */
export function attachGatewaysLive(): Disposable {
  if (!hasClient()) return { dispose: () => undefined };
  return getClient().on('onDidChangeGateways', applyGatewayStatus);
}

/** Leaving the view: nothing is kept (no events arrive while it is closed, so a history would have a hole). */
export function closeGateways(): void {
  set(initial);
}
