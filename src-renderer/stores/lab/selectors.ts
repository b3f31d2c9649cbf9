// Lab fault panel selectors at module scope.
import type { AppState } from '../store';

export const selectLabPending = (s: AppState) => s.lab.pending;
export const selectLabResult = (s: AppState) => s.lab.result;
export const selectLabError = (s: AppState) => s.lab.error;
/**
 * true: the lab runs; false: it does not (no lab controls); null: not known yet. A core that
 * cannot say counts as running (the panel then shows its own errors, as before).
 */
export const selectLabRunning = (s: AppState): boolean | null => (s.labStatus.status ? s.labStatus.status.running : s.labStatus.error ? true : null);
