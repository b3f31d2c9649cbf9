// Lab fault panel selectors at module scope.
import type { AppState } from '../store';

export const selectLabPending = (s: AppState) => s.lab.pending;
export const selectLabResult = (s: AppState) => s.lab.result;
export const selectLabError = (s: AppState) => s.lab.error;
