// The engine's in-memory picture of an open run: its tasks (one per step and host, '' for a
// run-scope step) with their attempt's runtime handles, counters kept as states change (open,
// active, done, failed, per-step active for fan-out), and the DAG questions the scheduler asks:
// which tasks a task waits for, which wait for it, are they satisfied, is it blocked for good
// (something before it failed), which batch it is in. The journal holds the same states.
import type { WfFailure, WfRunState, WfTask, WfTaskState } from '../../../src-shared/domain/workflow';
import type { TimerHandle } from './clock';
import type { Plan, StepPlan } from './plan';
import type { ToolHost } from './tool';

export interface TaskRec {
  readonly run: RunRec;
  readonly step: StepPlan;
  readonly host: string;
  /** The host's place in the run's list (batches); -1 for a run-scope task. */
  readonly hostIndex: number;
  state: WfTaskState;
  attempt: number;
  /** Automatic retries used since the last operator retry. */
  retries: number;
  inputs: Record<string, unknown> | null;
  outputs: Record<string, unknown> | null;
  /** Inputs an operator changed (merged over the template's) for this and later attempts. */
  edits: Record<string, unknown> | null;
  failure: WfFailure | null;
  error: string | null;
  /** A failure that counts as done (ignoreError, or a fail-and-skip timeout). */
  passed: boolean;
  startedAt: number | null;
  finishedAt: number | null;
  nextAt: number | null;
  pollState: unknown;
  checks: number;
  token: string | null;
  /** Who starts the next attempt and what they edited (an operator's retry); null: the engine. */
  nextBy: string | null;
  nextEdited: Record<string, unknown> | null;
  /** The current attempt: when it started and whether it is still open (no finish journaled). */
  attemptStartedAt: number | null;
  attemptOpen: boolean;
  // Runtime only.
  timer: TimerHandle | null;
  deadline: TimerHandle | null;
  abort: AbortController | null;
  /** A tool call is in flight (its result is applied only if the attempt is still this one). */
  executing: boolean;
  /** Queued for the scheduler (a start, a retry or a check is due). */
  queued: boolean;
  due: boolean;
  /** The current attempt's parsed input (re-parsed from `inputs` after a restart). */
  input: unknown;
}

export interface RunRec {
  readonly id: string;
  readonly templateId: string;
  readonly templateVersion: number;
  readonly name: string;
  readonly plan: Plan;
  state: WfRunState;
  readonly params: Readonly<Record<string, unknown>>;
  readonly hosts: readonly ToolHost[];
  readonly hostById: ReadonlyMap<string, ToolHost>;
  readonly createdBy: string;
  readonly createdAt: number;
  finishedAt: number | null;
  readonly tasks: TaskRec[];
  readonly byKey: Map<string, TaskRec>;
  readonly byStep: Map<string, TaskRec[]>;
  /** Not yet terminal. */
  open: number;
  /** ready, running, waiting, awaiting-*: something will still happen to them. */
  active: number;
  done: number;
  failed: number;
  /** Per step: tasks running, waiting or awaiting (the fan-out concurrency bound counts them). */
  readonly stepActive: Map<string, number>;
  /** Per fan-out step: batches finished and judged by the stop rule (batch n may start when n <= this). */
  readonly gates: Map<string, number>;
  /** Due tasks held back while the run is paused. */
  readonly parked: TaskRec[];
  /** Per fan-out step: ready tasks waiting for a free place under its concurrency bound. */
  readonly slotWait: Map<string, TaskRec[]>;
}

export const TERMINAL: ReadonlySet<WfTaskState> = new Set(['succeeded', 'failed', 'skipped', 'revoked']);
const ACTIVE: ReadonlySet<WfTaskState> = new Set(['ready', 'running', 'waiting', 'awaiting-callback', 'awaiting-approval']);
const ON_STEP: ReadonlySet<WfTaskState> = new Set(['running', 'waiting', 'awaiting-callback', 'awaiting-approval']);

export const taskKey = (stepId: string, host: string) => `${stepId}\u0000${host}`;

export const isOk = (t: TaskRec) => t.state === 'succeeded' || t.state === 'skipped' || (t.state === 'failed' && t.passed);
const isStop = (t: TaskRec) => (t.state === 'failed' && !t.passed) || t.state === 'revoked';

function tally(t: TaskRec, sign: 1 | -1): void {
  const r = t.run;
  if (!TERMINAL.has(t.state)) r.open += sign;
  if (ACTIVE.has(t.state)) r.active += sign;
  if (isOk(t)) r.done += sign;
  if (t.state === 'failed') r.failed += sign;
  if (ON_STEP.has(t.state)) r.stepActive.set(t.step.id, (r.stepActive.get(t.step.id) ?? 0) + sign);
}

/** Counts a task into its run's counters (once, when the run is built). */
export function countIn(t: TaskRec): void {
  tally(t, 1);
}

/** Changes a task's state (and passed flag) keeping the run's counters right. */
export function setState(t: TaskRec, state: WfTaskState, passed = t.passed): void {
  tally(t, -1);
  t.state = state;
  t.passed = passed;
  tally(t, 1);
}

export function task(run: RunRec, stepId: string, host: string): TaskRec | undefined {
  return run.byKey.get(taskKey(stepId, host));
}

/** The tasks a task waits for: the same host's, the run-scope one, or (run-scope after per-host) every host's. */
export function depsOf(t: TaskRec): TaskRec[] {
  const out: TaskRec[] = [];
  for (const d of t.step.deps) {
    const p = t.run.plan.byId.get(d);
    if (!p) continue;
    if (p.def.scope === 'run') out.push(task(t.run, d, '')!);
    else if (t.step.def.scope === 'host') out.push(task(t.run, d, t.host)!);
    else out.push(...(t.run.byStep.get(d) ?? []));
  }
  return out;
}

/** The tasks that wait for this one. */
export function dependentsOf(t: TaskRec): TaskRec[] {
  const out: TaskRec[] = [];
  for (const c of t.step.children) {
    const p = t.run.plan.byId.get(c)!;
    if (p.def.scope === 'run') out.push(task(t.run, c, '')!);
    else if (t.step.def.scope === 'host') out.push(task(t.run, c, t.host)!);
    else out.push(...(t.run.byStep.get(c) ?? []));
  }
  return out;
}

export const depsSatisfied = (t: TaskRec) => depsOf(t).every(isOk);

/** A pending task that can never start: something it waits for (transitively) failed or was revoked. */
export function isBlocked(t: TaskRec): boolean {
  for (const d of depsOf(t)) {
    if (isStop(d)) return true;
    if (d.state === 'pending' && isBlocked(d)) return true;
  }
  return false;
}

export function batchOf(t: TaskRec): number {
  const size = t.step.def.fanOut?.batchSize;
  return size && t.hostIndex >= 0 ? Math.floor(t.hostIndex / size) : 0;
}

export function gateOpen(t: TaskRec): boolean {
  if (!t.step.def.fanOut || t.hostIndex < 0) return true;
  return batchOf(t) <= (t.run.gates.get(t.step.id) ?? 0);
}

/** Whether the step has room for one more host (its fan-out concurrency bound). */
export function stepHasRoom(t: TaskRec): boolean {
  const bound = t.step.def.fanOut?.concurrency;
  return !bound || (t.run.stepActive.get(t.step.id) ?? 0) < bound;
}

export function snapshot(t: TaskRec): WfTask {
  return {
    runId: t.run.id,
    stepId: t.step.id,
    host: t.host,
    state: t.state,
    attempt: t.attempt,
    inputs: t.inputs,
    outputs: t.outputs,
    failure: t.failure,
    error: t.error,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
  };
}

/** A fresh task record (state and journal fields as given, runtime handles empty). */
export function newTask(run: RunRec, step: StepPlan, host: string, hostIndex: number, init: Partial<TaskRec> = {}): TaskRec {
  return {
    run, step, host, hostIndex,
    state: 'pending', attempt: 0, retries: 0, inputs: null, outputs: null, edits: null, failure: null, error: null, passed: false,
    startedAt: null, finishedAt: null, nextAt: null, pollState: null, checks: 0, token: null, nextBy: null, nextEdited: null,
    attemptStartedAt: null, attemptOpen: false,
    ...init,
    timer: null, deadline: null, abort: null, executing: false, queued: false, due: false, input: undefined,
  };
}
