// Fleet-wide event selectors at module scope.
import type { AppState } from '../store';

export const selectRecentEvents = (s: AppState) => s.events.recent;
export const selectEventsError = (s: AppState) => s.events.error;
