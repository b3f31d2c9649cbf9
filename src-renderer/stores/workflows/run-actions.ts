// The open run: its detail, live through onDidProgressWorkflow (the changed tasks applied in
// place; the detail refetched when the run's state changes), pause / resume / revoke; and
// the selected task: its attempts and log lines (paged with afterId, newer lines fetched
// whenever the task moves), retry (optionally with edited inputs), skip, approve, reject.
// The runs list follows the same events (state and counters).
import type { CoreClient, Disposable } from '../../../src-shared/api';
import type { WfProgress, WfRunSummary, WfTask } from '../../../src-shared/domain/workflow';
import { getClient } from '../client';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { loadRuns } from './actions';
import { applyProgress, taskKey, withTask } from './run-matrix';
import type { RunActionKind, TaskActionKind, WfOpenRun, WfTaskState, WorkflowsState } from './slice';

export const LOG_PAGE = 500;

const wf = () => useAppStore.getState().workflows;
const patchWf = (p: Partial<WorkflowsState> | ((s: WorkflowsState) => Partial<WorkflowsState>)) => patch('workflows', p);
const patchRun = (runId: string, p: Partial<WfOpenRun> | ((r: WfOpenRun) => Partial<WfOpenRun>)) =>
  patchWf((s) => (s.run?.runId === runId ? { run: { ...s.run, ...(typeof p === 'function' ? p(s.run) : p) } } : {}));
const isTask = (t: WfTaskState | null, runId: string, stepId: string, host: string): t is WfTaskState =>
  t !== null && t.runId === runId && t.stepId === stepId && t.host === host;
const patchTask = (runId: string, stepId: string, host: string, p: Partial<WfTaskState> | ((t: WfTaskState) => Partial<WfTaskState>)) =>
  patchWf((s) => (isTask(s.task, runId, stepId, host) ? { task: { ...s.task, ...(typeof p === 'function' ? p(s.task) : p) } } : {}));

let detailSeq = 0;

/** Opens a run (a different one starts empty) and loads its detail. */
export async function openRun(runId: string): Promise<void> {
  if (wf().run?.runId !== runId) patchWf({ run: { runId, detail: null, error: null, busy: null, actionError: null }, task: null });
  await loadRunDetail(runId);
}

export function closeRun(): void {
  patchWf({ run: null, task: null });
}

export async function loadRunDetail(runId: string): Promise<void> {
  const mine = ++detailSeq;
  try {
    const detail = await getClient().call('workflows.run', { runId });
    if (mine !== detailSeq) return;
    patchRun(runId, { detail, error: null });
    summaryInList(detail);
  } catch (err) {
    if (mine === detailSeq) patchRun(runId, { error: toShownError(err) });
  }
}

type Counters = Pick<WfRunSummary, 'id' | 'state' | 'done' | 'total' | 'failed'> & { finishedAt?: number | null };

/** The runs list's row of this run takes its state and counters. */
function summaryInList(s: Counters): void {
  const put = (r: WfRunSummary): WfRunSummary => ({ ...r, state: s.state, done: s.done, total: s.total, failed: s.failed, finishedAt: s.finishedAt === undefined ? r.finishedAt : s.finishedAt });
  patchWf((w) => (w.runs?.some((r) => r.id === s.id) ? { runs: w.runs.map((r) => (r.id === s.id ? put(r) : r)) } : {}));
}

/** The runs list is read again (a run appeared or finished) at most this often. */
export const RUNS_RELOAD_MS = 1_000;
let runsReload: ReturnType<typeof setTimeout> | null = null;

function scheduleRunsReload(): void {
  if (runsReload) return;
  runsReload = setTimeout(() => {
    runsReload = null;
    if (wf().runs) void loadRuns();
  }, RUNS_RELOAD_MS);
}

export async function runAction(kind: RunActionKind): Promise<void> {
  const run = wf().run;
  if (!run || run.busy) return;
  const { runId } = run;
  patchRun(runId, { busy: kind, actionError: null });
  try {
    const method = kind === 'pause' ? 'workflows.pause' : kind === 'resume' ? 'workflows.resume' : 'workflows.revoke';
    const summary = await getClient().call(method, { runId });
    patchRun(runId, (r) => ({ busy: null, detail: r.detail ? { ...r.detail, state: summary.state, done: summary.done, total: summary.total, failed: summary.failed, finishedAt: summary.finishedAt } : r.detail }));
    summaryInList(summary);
    await loadRunDetail(runId);
  } catch (err) {
    patchRun(runId, { busy: null, actionError: toShownError(err) });
  }
}

// ---- the selected task ----

/** Selects a task of the open run (host '' for a run-scope task) and loads its attempts and log lines; null clears it. */
export async function selectTask(sel: { stepId: string; host: string } | null): Promise<void> {
  const run = wf().run;
  if (!run || !sel) {
    patchWf({ task: null });
    return;
  }
  const cur = wf().task;
  if (isTask(cur, run.runId, sel.stepId, sel.host)) return;
  patchWf({
    task: { runId: run.runId, stepId: sel.stepId, host: sel.host, attempts: null, attemptsError: null, logs: [], logsError: null, logsMore: false, busy: null, actionError: null },
  });
  await refreshTask();
}

/** Asks again for the selected task's attempts and for log lines after the last one shown. */
export async function refreshTask(): Promise<void> {
  await Promise.all([loadAttempts(), moreLogs()]);
}

async function loadAttempts(): Promise<void> {
  const t = wf().task;
  if (!t) return;
  const { runId, stepId, host } = t;
  try {
    const attempts = await getClient().call('workflows.attempts', { runId, stepId, ...(host ? { host } : {}) });
    patchTask(runId, stepId, host, { attempts, attemptsError: null });
  } catch (err) {
    patchTask(runId, stepId, host, { attemptsError: toShownError(err) });
  }
}

const logsInFlight = new Set<string>();
const logsAgain = new Set<string>();

/** The next page of the selected task's log lines (after the last one held). */
export async function moreLogs(): Promise<void> {
  const t = wf().task;
  if (!t) return;
  const { runId, stepId, host } = t;
  const key = `${runId}\u0000${taskKey(stepId, host)}`;
  // One request at a time per task; a call meanwhile asks once more when it lands.
  if (logsInFlight.has(key)) {
    logsAgain.add(key);
    return;
  }
  logsInFlight.add(key);
  try {
    for (;;) {
      logsAgain.delete(key);
      const cur = wf().task;
      if (!isTask(cur, runId, stepId, host)) return;
      const afterId = cur.logs.length ? cur.logs[cur.logs.length - 1].id : 0;
      try {
        const lines = await getClient().call('workflows.logs', { runId, stepId, ...(host ? { host } : {}), afterId, limit: LOG_PAGE });
        patchTask(runId, stepId, host, (x) => {
          const last = x.logs.length ? x.logs[x.logs.length - 1].id : 0;
          return { logs: [...x.logs, ...lines.filter((l) => l.id > last)], logsMore: lines.length >= LOG_PAGE, logsError: null };
        });
      } catch (err) {
        patchTask(runId, stepId, host, { logsError: toShownError(err) });
        return;
      }
      if (!logsAgain.has(key)) return;
    }
  } finally {
    logsInFlight.delete(key);
    logsAgain.delete(key);
  }
}

/**
 * An operator action on the selected task. retry: `inputs` are the edits over the step's
 * inputs (absent: retry as it was); approve: `text` is the note; reject: the reason.
 */
export async function taskAction(kind: TaskActionKind, opts: { inputs?: Record<string, unknown>; text?: string } = {}): Promise<boolean> {
  const t = wf().task;
  if (!t || t.busy) return false;
  const { runId, stepId, host } = t;
  const ref = { runId, stepId, ...(host ? { host } : {}) };
  const text = opts.text?.trim() || undefined;
  patchTask(runId, stepId, host, { busy: kind, actionError: null });
  try {
    const c = getClient();
    let task: WfTask;
    if (kind === 'retry') task = await c.call('workflows.retry', { ...ref, ...(opts.inputs ? { inputs: opts.inputs } : {}) });
    else if (kind === 'skip') task = await c.call('workflows.skip', ref);
    else if (kind === 'approve') task = await c.call('workflows.approve', { ...ref, ...(text ? { note: text } : {}) });
    else task = await c.call('workflows.reject', { ...ref, ...(text ? { reason: text } : {}) });
    patchTask(runId, stepId, host, { busy: null });
    patchRun(runId, (r) => ({ detail: r.detail ? withTask(r.detail, task) : r.detail }));
    await refreshTask();
    return true;
  } catch (err) {
    patchTask(runId, stepId, host, { busy: null, actionError: toShownError(err) });
    return false;
  }
}

// ---- live ----

/** A progress event: the runs list's row, the open run's tasks and, when it moved, the selected task. */
export function receiveProgress(p: WfProgress): void {
  const listed = wf().runs;
  if (listed) {
    const row = listed.find((r) => r.id === p.runId);
    // A run new to the list, or one that changed state (its finish time is not in the event): read the list again.
    if (!row || row.state !== p.state) scheduleRunsReload();
    summaryInList({ id: p.runId, state: p.state, done: p.done, total: p.total, failed: p.failed });
  }
  const run = wf().run;
  if (run?.runId !== p.runId || !run.detail) return;
  const { detail, stateChanged } = applyProgress(run.detail, p);
  patchRun(p.runId, { detail });
  if (stateChanged) void loadRunDetail(p.runId);
  const t = wf().task;
  if (t?.runId === p.runId && p.tasks.some((x) => x.stepId === t.stepId && x.host === t.host)) void refreshTask();
}

export function attachWorkflowsLive(client: CoreClient): Disposable {
  return client.on('onDidProgressWorkflow', receiveProgress);
}
