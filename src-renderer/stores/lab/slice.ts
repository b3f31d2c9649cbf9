// The lab fault panel: the fault in flight, the lab's answer, or the core's refusal.
import type { StateCreator } from 'zustand';
import type { LabFault, LabStatus } from '../../../src-shared/domain';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';

export interface LabState {
  pending: LabFault['kind'] | null;
  result: LabStatus | null;
  error: ShownError | null;
}

export interface LabSlice {
  lab: LabState;
}

export const initialLab: LabState = { pending: null, result: null, error: null };

export const createLabSlice: StateCreator<AppState, [], [], LabSlice> = () => ({ lab: initialLab });
