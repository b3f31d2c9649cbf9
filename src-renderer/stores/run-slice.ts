// The fleet-wide command run: which hosts can be targeted (and whether they speak SSH),
// and the run in progress with its per-host results as they stream in.
import type { StateCreator } from 'zustand';
import type { CabinetSummary, DeviceKind, RunFinished, RunHostResult, RunStarted } from '../../src-shared/domain';
import type { ShownError } from './shown-error';
import type { AppState } from './store';

export interface RunCandidate {
  deviceId: string;
  hostname: string;
  kind: DeviceKind;
  cabinetName: string;
  /** null while not checked yet, or when device.detail failed for it. */
  ssh: boolean | null;
}

export interface RunTargets {
  roomId: string | null;
  /** null: every cabinet of the room. */
  cabinetId: string | null;
  /** The chosen room's cabinets, for the cabinet choice. */
  cabinets: CabinetSummary[] | null;
  candidates: RunCandidate[] | null;
  /** Devices whose capabilities are being read. */
  checking: { done: number; total: number } | null;
  error: ShownError | null;
}

export type RunPhase = 'starting' | 'running' | 'finished' | 'failed';

export interface RunJob {
  command: string;
  deviceIds: string[];
  timeoutMs: number;
  startedAt: number;
  phase: RunPhase;
  started: RunStarted | null;
  /** In arrival order; only ever appended to. */
  results: RunHostResult[];
  succeeded: number;
  failed: number;
  finished: RunFinished | null;
  cancelling: boolean;
  cancelError: ShownError | null;
  error: ShownError | null;
}

export interface RunState {
  targets: RunTargets;
  job: RunJob | null;
}

export interface RunSlice {
  run: RunState;
}

export const initialTargets: RunTargets = { roomId: null, cabinetId: null, cabinets: null, candidates: null, checking: null, error: null };
export const initialRun: RunState = { targets: initialTargets, job: null };

export const createRunSlice: StateCreator<AppState, [], [], RunSlice> = () => ({ run: initialRun });
