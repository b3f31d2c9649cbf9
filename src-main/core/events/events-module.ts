// The events capability: one hub that fans the contract's streams out, fleet events stored
// then published, the recent history served, and events past their retention expired.
import type { Capability } from '../../../src-shared/api';
import type { FleetEvent } from '../../../src-shared/domain';
import type { EventRepository } from '../store/event-repository';
import { EventHub } from './event-hub';

export interface EventsModule extends Capability<'events.recent'> {
  readonly hub: EventHub;
  /** Stores fleet events and publishes them to every subscriber. */
  record(events: readonly Omit<FleetEvent, 'id'>[]): void;
}

const EXPIRE_EVERY_MS = 60_000;
const EVENT_RETENTION_MS = 90 * 86_400_000;

export function startEvents(d: { store: { events: EventRepository }; log?: (line: string) => void }): EventsModule {
  const hub = new EventHub();
  const repo = d.store.events;
  const timer = setInterval(() => {
    try {
      repo.expire(Date.now() - EVENT_RETENTION_MS);
    } catch (err) {
      d.log?.(`event expiry failed: ${(err as Error).message}`);
    }
  }, EXPIRE_EVERY_MS);
  timer.unref();
  return {
    hub,
    record(list) {
      if (list.length) hub.emit('onDidReceiveFleetEvent', repo.record(list));
    },
    api: {
      'events.recent': (a) => repo.recent(a.limit ?? 100, a.deviceId),
    },
    async dispose() {
      clearInterval(timer);
      hub.clear();
    },
  };
}
