// The fleet-wide event stream: the recent events loaded once, then kept up to date from
// onDidReceiveFleetEvent (each event id once, newest first, at most EVENTS_KEPT).
import type { CoreClient, Disposable } from '../../../src-shared/api';
import type { FleetEvent } from '../../../src-shared/domain';
import { getClient } from '../client';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { mergeEvents } from './merge-events';
import { EVENTS_KEPT } from './slice';

export async function loadRecentEvents(): Promise<void> {
  try {
    const events = await getClient().call('events.recent', { limit: EVENTS_KEPT });
    patch('events', { recent: mergeEvents(useAppStore.getState().events.recent ?? [], events, EVENTS_KEPT), error: null });
  } catch (err) {
    patch('events', { error: toShownError(err) });
  }
}

function applyFleetEvents(events: readonly FleetEvent[]): void {
  if (events.length === 0) return;
  const recent = useAppStore.getState().events.recent;
  // Before the first load answers there is nothing to merge into: the load brings them.
  if (recent) patch('events', { recent: mergeEvents(recent, events, EVENTS_KEPT) });
}

/** Follows the stream while signed in, and loads what happened before. */
export function attachEventsLive(client: CoreClient): Disposable {
  const sub = client.on('onDidReceiveFleetEvent', applyFleetEvents);
  void loadRecentEvents();
  return sub;
}
