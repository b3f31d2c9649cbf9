// The lab fault panel: the fault in flight, the lab's answer, or the core's refusal; and
// whether the lab runs at all (with the lab off no lab control is offered), with the lab's
// active network faults (lab.status.netFaults) and what the panel's Network section offers to
// put one on (the open room's ToRs, the rooms and the sites), kept apart from the panel's
// state, which a device click resets.
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

/** One object a network fault can be put on: its id (the component's suffix) and what the picker shows. */
export interface NetTarget {
  readonly id: string;
  readonly label: string;
}

/**
 * What the Network section picks from, for the open cabinet's room: the room's ToRs (per row, the
 * row's lowest-id switch, else the row itself: the probe topology's rule), every room (spines)
 * and every site (WAN edges). Host links are the open cabinet's servers (the elevation has them).
 */
export interface NetTargets {
  readonly roomId: string;
  readonly tors: readonly (NetTarget & { readonly rowId: string })[];
  readonly rooms: readonly NetTarget[];
  readonly sites: readonly NetTarget[];
}

/** Whether the lab fleet runs (lab.status), kept apart from the panel's state, which a route change resets. */
export interface LabStatusState {
  status: LabStatus | null;
  error: ShownError | null;
  netTargets: NetTargets | null;
  netTargetsError: ShownError | null;
}

export interface LabStatusSlice {
  labStatus: LabStatusState;
}

export const createLabSlice: StateCreator<AppState, [], [], LabSlice> = () => ({ lab: initialLab });
export const createLabStatusSlice: StateCreator<AppState, [], [], LabStatusSlice> = () => ({ labStatus: { status: null, error: null, netTargets: null, netTargetsError: null } });
