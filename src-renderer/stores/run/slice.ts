// The fleet-wide command run: which hosts can be targeted (those the console reaches over
// SSH), and the run in progress with its per-host results as they stream in.
import type { StateCreator } from 'zustand';
import type { CabinetSummary, RunFinished, RunHostResult, RunStarted } from '../../../src-shared/domain';
import type { RunCandidate } from './run-targets';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';

export interface RunTargets {
  roomId: string | null;
  /** null: every cabinet of the room. */
  cabinetId: string | null;
  /** The chosen room's cabinets, for the cabinet choice. */
  cabinets: CabinetSummary[] | null;
  /** The scope's SSH-capable hosts; null until its elevations are read. */
  candidates: RunCandidate[] | null;
  /** Devices of the scope without SSH (not offered); null until read. */
  noSsh: number | null;
  /** Cabinet elevations being read for the scope. */
  loading: { done: number; total: number } | null;
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

export const initialTargets: RunTargets = { roomId: null, cabinetId: null, cabinets: null, candidates: null, noSsh: null, loading: null, error: null };
export const initialRun: RunState = { targets: initialTargets, job: null };

export const createRunSlice: StateCreator<AppState, [], [], RunSlice> = () => ({ run: initialRun });

export type { RunCandidate };
