// A run as the run view draws it: progress events applied to the loaded detail (the changed
// tasks replaced in place, counters and state taken), and the steps x hosts matrix (one row
// per host, a run-scope row on top for steps that run once), filtered by host text and by
// what needs attention, with each step's done / failed counts and a tone per task state
// (always shown with its text too, never colour alone); hosts are named by the run's
// hostLabels (the inventory's name now, else the one at launch), searched by name, SN or id. Pure.
import type { WfHostLabel, WfProgress, WfRunDetail, WfRunSummary, WfRunState, WfTask, WfTaskState, WfTemplateStep } from '../../../src-shared/domain/workflow';

export type Tone = 'good' | 'warn' | 'bad' | 'busy' | 'empty';

export const TASK_TONE: Readonly<Record<WfTaskState, Tone>> = {
  pending: 'empty',
  ready: 'busy',
  running: 'busy',
  waiting: 'warn',
  'awaiting-callback': 'warn',
  'awaiting-approval': 'warn',
  succeeded: 'good',
  failed: 'bad',
  skipped: 'empty',
  revoked: 'empty',
};

export const RUN_TONE: Readonly<Record<WfRunState, Tone>> = { running: 'busy', paused: 'warn', succeeded: 'good', failed: 'bad', revoked: 'empty' };

/** Run states an operator may still steer (pause / resume / revoke). */
export const OPEN_RUN_STATES: ReadonlySet<WfRunState> = new Set(['running', 'paused']);

export const taskKey = (stepId: string, host: string): string => `${stepId}\u0000${host}`;

/** The detail with the event's tasks and counters; `stateChanged` asks for a refetch. */
export function applyProgress(detail: WfRunDetail, p: WfProgress): { detail: WfRunDetail; stateChanged: boolean } {
  if (p.runId !== detail.id) return { detail, stateChanged: false };
  const changed = new Map(p.tasks.map((t) => [taskKey(t.stepId, t.host), t]));
  const tasks = detail.tasks.map((t) => {
    const key = taskKey(t.stepId, t.host);
    const next = changed.get(key);
    if (!next) return t;
    changed.delete(key);
    return next;
  });
  for (const t of changed.values()) tasks.push(t);
  return { detail: { ...detail, tasks, state: p.state, done: p.done, total: p.total, failed: p.failed }, stateChanged: p.state !== detail.state };
}

/** One task replaced (an operator action's answer). */
export function withTask(detail: WfRunDetail, task: WfTask): WfRunDetail {
  if (task.runId !== detail.id) return detail;
  const key = taskKey(task.stepId, task.host);
  let found = false;
  const tasks = detail.tasks.map((t) => {
    if (taskKey(t.stepId, t.host) !== key) return t;
    found = true;
    return task;
  });
  if (!found) tasks.push(task);
  return { ...detail, tasks };
}

/** A host of the run by its label: the hostname, else the device id (a run from before labels, or an unknown id). */
export function hostName(run: Pick<WfRunSummary, 'hostLabels'>, id: string): string {
  return labelOf(run, id)?.hostname ?? id;
}

export function labelOf(run: Pick<WfRunSummary, 'hostLabels'>, id: string): WfHostLabel | undefined {
  return run.hostLabels && Object.hasOwn(run.hostLabels, id) ? run.hostLabels[id] : undefined;
}

export type HostFilter = 'all' | 'attention' | 'failed';

export interface MatrixColumn {
  readonly step: WfTemplateStep;
  readonly done: number;
  readonly failed: number;
  readonly total: number;
}

export interface Matrix {
  readonly columns: readonly MatrixColumn[];
  readonly byKey: ReadonlyMap<string, WfTask>;
  /** Whether any step runs once for the run (the matrix then has a run-scope row). */
  readonly hasRunScope: boolean;
  /** The hosts shown (after the filters, at most `limit`). */
  readonly hosts: readonly string[];
  /** Hosts the filters let through, before the limit. */
  readonly matched: number;
}

const ATTENTION: ReadonlySet<WfTaskState> = new Set(['failed', 'awaiting-approval', 'awaiting-callback', 'waiting', 'running']);

export function buildMatrix(detail: WfRunDetail, opts: { text: string; filter: HostFilter; limit: number }): Matrix {
  const byKey = new Map(detail.tasks.map((t) => [taskKey(t.stepId, t.host), t]));
  const columns = detail.template.steps.map((step) => {
    const tasks = detail.tasks.filter((t) => t.stepId === step.id);
    return {
      step,
      total: tasks.length,
      done: tasks.filter((t) => t.state === 'succeeded' || t.state === 'skipped').length,
      failed: tasks.filter((t) => t.state === 'failed').length,
    };
  });
  const hostSteps = detail.template.steps.filter((s) => s.scope === 'host');
  const needle = opts.text.trim().toLowerCase();
  const keep = (host: string): boolean => {
    if (needle) {
      const l = labelOf(detail, host);
      if (![host, l?.hostname, l?.sn, l?.launchHostname].some((v) => v !== undefined && v.toLowerCase().includes(needle))) return false;
    }
    if (opts.filter === 'all') return true;
    const states = hostSteps.map((s) => byKey.get(taskKey(s.id, host))?.state);
    return opts.filter === 'failed' ? states.includes('failed') : states.some((s) => s !== undefined && ATTENTION.has(s));
  };
  const matchedHosts = detail.hosts.filter(keep);
  return {
    columns,
    byKey,
    hasRunScope: detail.template.steps.some((s) => s.scope === 'run'),
    hosts: matchedHosts.slice(0, opts.limit),
    matched: matchedHosts.length,
  };
}

/** Share done, 0..100, rounded down (a run is not 100 % until every task is done). */
export function progressPct(done: number, total: number): number {
  return total <= 0 ? 0 : Math.floor((done / total) * 100);
}
