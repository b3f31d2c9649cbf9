// The fleet's recent events (status changes, traps, SEL, control actions), newest first.
import type { StateCreator } from 'zustand';
import type { FleetEvent } from '../../../src-shared/domain';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';

export interface EventsState {
  /** Newest first, at most EVENTS_KEPT. null until the first load answers. */
  recent: readonly FleetEvent[] | null;
  error: ShownError | null;
}

export interface EventsSlice {
  events: EventsState;
}

export const EVENTS_KEPT = 200;

export const initialEvents: EventsState = { recent: null, error: null };

export const createEventsSlice: StateCreator<AppState, [], [], EventsSlice> = () => ({ events: initialEvents });
