// Merging event lists (a load, then the live stream): pure, so it is unit tested alone.
import type { FleetEvent } from '../../../src-shared/domain';

/** Newest first (by time, then id), each event id once (the incoming copy wins), at most `keep`. */
export function mergeEvents(have: readonly FleetEvent[], incoming: readonly FleetEvent[], keep: number): FleetEvent[] {
  const byId = new Map<number, FleetEvent>();
  for (const e of have) byId.set(e.id, e);
  for (const e of incoming) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => b.at - a.at || b.id - a.id).slice(0, Math.max(0, keep));
}
