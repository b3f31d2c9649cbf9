// The lab fault panel: the fault in flight, the lab's answer, or the core's refusal; and
// whether the lab runs at all (with the lab off no lab control is offered).
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

/** Whether the lab fleet runs (lab.status), kept apart from the panel's state, which a route change resets. */
export interface LabStatusState {
  status: LabStatus | null;
  error: ShownError | null;
}

export interface LabStatusSlice {
  labStatus: LabStatusState;
}

export const createLabSlice: StateCreator<AppState, [], [], LabSlice> = () => ({ lab: initialLab });
export const createLabStatusSlice: StateCreator<AppState, [], [], LabStatusSlice> = () => ({ labStatus: { status: null, error: null } });
