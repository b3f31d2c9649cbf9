// Lab fault panel selectors at module scope.
import type { LabStatus } from '../../../src-shared/domain';
import type { AppState } from '../store';

export const selectLabPending = (s: AppState) => s.lab.pending;
export const selectLabResult = (s: AppState) => s.lab.result;
export const selectLabError = (s: AppState) => s.lab.error;
/**
 * true: the lab runs; false: it does not (no lab controls); null: not known yet. A core that
 * cannot say counts as running (the panel then shows its own errors, as before).
 */
export const selectLabRunning = (s: AppState): boolean | null => (s.labStatus.status ? s.labStatus.status.running : s.labStatus.error ? true : null);

const NO_NET_FAULTS: NonNullable<LabStatus['netFaults']> = [];
/** The lab's active network faults, as its last status said (lab.status, or a fault's answer). */
export const selectNetFaults = (s: AppState) => s.labStatus.status?.netFaults ?? NO_NET_FAULTS;
export const selectNetTargets = (s: AppState) => s.labStatus.netTargets;
export const selectNetTargetsError = (s: AppState) => s.labStatus.netTargetsError;
