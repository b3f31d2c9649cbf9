// Workflows as the views show them: the templates, the runs list, the statistics over a
// chosen period, the launch form's template and chosen hosts, and the open run with its
// selected task (attempts and log lines, paged by afterId) and the operator actions in flight,
// and the template editor (template-slice.ts).
import type { StateCreator } from 'zustand';
import type { DeviceSearchHit } from '../../../src-shared/domain/search';
import type { WfAttempt, WfLogLine, WfRunDetail, WfRunState, WfRunSummary, WfTemplateInfo, WfTemplateStats } from '../../../src-shared/domain/workflow';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';
import { initialEditor, type WfEditorState } from './template-slice';

export const STATS_PERIODS = ['24h', '7d', '30d'] as const;
export type StatsPeriod = (typeof STATS_PERIODS)[number];
export const PERIOD_MS: Readonly<Record<StatsPeriod, number>> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

export interface HostPick {
  readonly id: string;
  readonly hostname: string;
  readonly sn: string;
}

export interface WfLaunchState {
  templateId: string | null;
  info: WfTemplateInfo | null;
  loadError: ShownError | null;
  hosts: HostPick[];
  query: string;
  /** The core's hits for `query`; null before an answer. */
  hits: readonly DeviceSearchHit[] | null;
  searchError: ShownError | null;
  /** Pasted names being looked up. */
  resolving: { done: number; total: number } | null;
  /** Pasted names no device has as hostname or SN. */
  unresolved: string[];
  submitting: boolean;
  error: ShownError | null;
}

export type TaskActionKind = 'retry' | 'skip' | 'approve' | 'reject';
export type RunActionKind = 'pause' | 'resume' | 'revoke';

export interface WfTaskState {
  runId: string;
  stepId: string;
  /** '' for a run-scope task. */
  host: string;
  attempts: WfAttempt[] | null;
  attemptsError: ShownError | null;
  logs: WfLogLine[];
  logsError: ShownError | null;
  /** The last page was full: there may be more after the last line. */
  logsMore: boolean;
  busy: TaskActionKind | null;
  actionError: ShownError | null;
}

export interface WfOpenRun {
  runId: string;
  detail: WfRunDetail | null;
  error: ShownError | null;
  busy: RunActionKind | null;
  actionError: ShownError | null;
}

export interface WorkflowsState {
  templates: WfTemplateInfo[] | null;
  templatesError: ShownError | null;
  runs: WfRunSummary[] | null;
  runsError: ShownError | null;
  runsFilter: { templateId: string; state: WfRunState | '' };
  period: StatsPeriod;
  stats: WfTemplateStats[] | null;
  statsError: ShownError | null;
  statsLoading: boolean;
  launch: WfLaunchState;
  run: WfOpenRun | null;
  task: WfTaskState | null;
  /** The template editor (template-slice.ts). */
  editor: WfEditorState;
}

export interface WorkflowsSlice {
  workflows: WorkflowsState;
}

export const initialLaunch: WfLaunchState = {
  templateId: null, info: null, loadError: null, hosts: [], query: '', hits: null, searchError: null, resolving: null, unresolved: [], submitting: false, error: null,
};

export const initialWorkflows: WorkflowsState = {
  templates: null,
  templatesError: null,
  runs: null,
  runsError: null,
  runsFilter: { templateId: '', state: '' },
  period: '7d',
  stats: null,
  statsError: null,
  statsLoading: false,
  launch: initialLaunch,
  run: null,
  task: null,
  editor: initialEditor,
};

export const createWorkflowsSlice: StateCreator<AppState, [], [], WorkflowsSlice> = () => ({ workflows: initialWorkflows });
