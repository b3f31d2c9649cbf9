// The gateway view's failover drills (views/gateways/drill-panel.tsx): the latest drills read
// with gateways.drills when the view opens, each replaced in place (or put first) by
// onDidChangeGatewayDrill as it moves through its phases; starting one (gateways.drill: operator,
// audited; the core refuses a drill the cluster cannot survive and says why) and its error.
import { create } from 'zustand';
import type { ArgsOf, Disposable } from '../../src-shared/api';
import type { GatewayDrill } from '../../src-shared/domain/gateway';
import { getClient, hasClient } from './client';
import { toShownError, type ShownError } from './shown-error';

export interface DrillsState {
  /** Newest first; null: not read yet. */
  drills: GatewayDrill[] | null;
  loadError: ShownError | null;
  /** The cluster whose drill is being asked for (the button waits). */
  starting: string | null;
  /** Per cluster: why the last start was refused. */
  startError: Record<string, ShownError>;
}

const initial: DrillsState = { drills: null, loadError: null, starting: null, startError: {} };
const LIMIT = 20;

export const useDrillsStore = create<DrillsState>()(() => initial);
const set = (p: Partial<DrillsState> | ((s: DrillsState) => Partial<DrillsState>)) => useDrillsStore.setState(p);

/** A drill's new row: replaces the one with its id, or goes first; at most LIMIT kept. */
export function mergeDrill(list: readonly GatewayDrill[] | null, d: GatewayDrill): GatewayDrill[] {
  const rest = (list ?? []).filter((x) => x.id !== d.id);
  const at = (list ?? []).findIndex((x) => x.id === d.id);
  const out = at < 0 ? [d, ...rest] : [...rest.slice(0, at), d, ...rest.slice(at)];
  return out.slice(0, LIMIT);
}

export async function loadDrills(): Promise<void> {
  try {
    const read = await getClient().call('gateways.drills', { limit: LIMIT });
    // An event that arrived while the read was out is newer than the read's copy of its drill.
    set((s) => ({ drills: (s.drills ?? []).reduceRight((list, d) => mergeDrill(list, d), read), loadError: null }));
  } catch (err) {
    set({ loadError: toShownError(err) });
  }
}

export async function startDrill(a: ArgsOf<'gateways.drill'>): Promise<void> {
  set((s) => ({ starting: a.cluster, startError: Object.fromEntries(Object.entries(s.startError).filter(([k]) => k !== a.cluster)) }));
  try {
    const d = await getClient().call('gateways.drill', a);
    set((s) => ({ drills: mergeDrill(s.drills, s.drills?.find((x) => x.id === d.id) ?? d), starting: null }));
  } catch (err) {
    set((s) => ({ starting: null, startError: { ...s.startError, [a.cluster]: toShownError(err) } }));
  }
}

/** Follows onDidChangeGatewayDrill while the view is open. */
export function attachDrillsLive(): Disposable {
  if (!hasClient()) return { dispose: () => undefined };
  return getClient().on('onDidChangeGatewayDrill', (d) => set((s) => ({ drills: mergeDrill(s.drills, d) })));
}

export function closeDrills(): void {
  set(initial);
}
