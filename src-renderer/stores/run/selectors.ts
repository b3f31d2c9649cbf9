// Fleet-wide run selectors at module scope: the targets being chosen, the run in progress.
import type { AppState } from '../store';

export const selectRunTargets = (s: AppState) => s.run.targets;
export const selectRunJob = (s: AppState) => s.run.job;
export const selectRunResults = (s: AppState) => s.run.job?.results;
