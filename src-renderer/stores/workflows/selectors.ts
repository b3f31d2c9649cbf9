// Workflows selectors at module scope.
import type { AppState } from '../store';

export const selectWfTemplates = (s: AppState) => s.workflows.templates;
export const selectWfTemplatesError = (s: AppState) => s.workflows.templatesError;
export const selectWfRuns = (s: AppState) => s.workflows.runs;
export const selectWfRunsError = (s: AppState) => s.workflows.runsError;
export const selectWfRunsFilter = (s: AppState) => s.workflows.runsFilter;
export const selectWfPeriod = (s: AppState) => s.workflows.period;
export const selectWfStats = (s: AppState) => s.workflows.stats;
export const selectWfStatsError = (s: AppState) => s.workflows.statsError;
export const selectWfStatsLoading = (s: AppState) => s.workflows.statsLoading;
export const selectWfLaunch = (s: AppState) => s.workflows.launch;
export const selectWfRun = (s: AppState) => s.workflows.run;
export const selectWfTask = (s: AppState) => s.workflows.task;
