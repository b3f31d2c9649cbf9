// Runs in memory: built for a launch, or rebuilt from the journal (at start, or when an
// operator reopens a finished run), and the restart rules: waiting tasks keep waiting (timers
// rescheduled from next_at, deadlines from the attempt's start, callback tokens still valid);
// a task found running (its attempt has no finish) re-runs when its tool is idempotent or
// polls, else fails as 'interrupted' for an operator to decide; a task found ready starts its
// attempt (after an operator's retry, that retry's: its actor and edits are on the task row,
// the attempt it cut already closed as cancelled). Finished tasks never run again.
import type { WfTemplate } from '../../../src-shared/domain/workflow';
import type { EngineCore } from './engine-core';
import type { RunRow, TaskRow } from './journal-read';
import { compilePlan, type Plan } from './plan';
import { countIn, depsSatisfied, gateOpen, newTask, type RunRec, type TaskRec } from './run-model';
import type { ToolHost } from './tool';

export interface RunMeta {
  readonly id: string;
  readonly templateId: string;
  readonly templateVersion: number;
  readonly name: string;
  readonly state: RunRec['state'];
  readonly params: Readonly<Record<string, unknown>>;
  readonly hosts: readonly ToolHost[];
  readonly createdBy: string;
  readonly createdAt: number;
  readonly finishedAt: number | null;
}

const plans = new WeakMap<EngineCore, Map<string, Plan>>();

/** A template version's plan, compiled once per engine. */
export function planFor(core: EngineCore, id: string, version: number, template: WfTemplate): Plan {
  let cache = plans.get(core);
  if (!cache) plans.set(core, (cache = new Map()));
  const key = `${id}@${version}`;
  let plan = cache.get(key);
  if (!plan) cache.set(key, (plan = compilePlan(template, core.tools)));
  return plan;
}

/** A run record with one task per step and host, from journal rows or fresh (all pending). */
export function assembleRun(meta: RunMeta, plan: Plan, gates: Map<string, number>, rows?: readonly TaskRow[]): RunRec {
  const run: RunRec = {
    ...meta, plan, hostById: new Map(meta.hosts.map((h) => [h.id, h])),
    tasks: [], byKey: new Map(), byStep: new Map(), open: 0, active: 0, done: 0, failed: 0,
    stepActive: new Map(), gates, parked: [], slotWait: new Map(),
  };
  const hostIndex = new Map(meta.hosts.map((h, i) => [h.id, i]));
  const add = (t: TaskRec) => {
    run.tasks.push(t);
    run.byKey.set(`${t.step.id}\u0000${t.host}`, t);
    const list = run.byStep.get(t.step.id) ?? [];
    list.push(t);
    run.byStep.set(t.step.id, list);
    countIn(t);
  };
  if (!rows) {
    for (const step of plan.steps) {
      if (step.def.scope === 'run') add(newTask(run, step, '', -1));
      else meta.hosts.forEach((h, i) => add(newTask(run, step, h.id, i)));
    }
    return run;
  }
  const parse = (s: string | null) => (s === null ? null : JSON.parse(s));
  for (const r of rows) {
    const step = plan.byId.get(r.step_id);
    if (!step) continue;
    add(newTask(run, step, r.host, r.host === '' ? -1 : (hostIndex.get(r.host) ?? -1), {
      state: r.state, attempt: r.attempt, retries: r.retries, inputs: parse(r.inputs), outputs: parse(r.outputs), edits: parse(r.edits),
      failure: r.failure, error: r.error, passed: r.passed === 1, startedAt: r.started_at, finishedAt: r.finished_at, nextAt: r.next_at,
      pollState: parse(r.poll_state), checks: r.checks, token: r.callback_token, nextBy: r.next_by, nextEdited: parse(r.next_edited),
      attemptStartedAt: r.a_started, attemptOpen: r.a_open === 1,
    }));
  }
  return run;
}

export function metaOf(row: RunRow): RunMeta {
  return {
    id: row.id, templateId: row.template_id, templateVersion: row.template_version, name: row.name, state: row.state,
    params: JSON.parse(row.params) as Record<string, unknown>, hosts: JSON.parse(row.hosts) as ToolHost[],
    createdBy: row.created_by, createdAt: row.created_at, finishedAt: row.finished_at,
  };
}

/** Rebuilds a run from the journal (undefined when there is none). */
export function loadRun(core: EngineCore, id: string): RunRec | undefined {
  const row = core.reader.runRow(id);
  if (!row) return undefined;
  const plan = planFor(core, row.template_id, row.template_version, JSON.parse(row.body) as WfTemplate);
  return assembleRun(metaOf(row), plan, core.reader.gates(id), core.reader.taskRows(id));
}

const INTERRUPTED = 'the engine stopped during this attempt';

/** Applies the restart rules to one task of a reloaded open run (inside the resume transaction). */
function resumeTask(core: EngineCore, t: TaskRec): void {
  const tool = t.step.tool;
  const now = core.clock.now();
  switch (t.state) {
    case 'running': {
      if (tool && (tool.idempotent || tool.kind === 'poll')) {
        if (t.attemptOpen) core.journal.finishAttempt(t, 'failed', null, 'interrupted', `${INTERRUPTED}; it is run again (the tool ${tool.idempotent ? 'is idempotent' : 'polls'})`, now);
        t.attemptOpen = false;
        if (t.token) core.tokens.delete(t.token);
        core.logLine(t, 'warn', `attempt ${t.attempt} was interrupted by a restart; running it again`);
        core.makeReady(t);
      } else {
        core.fail(t, 'interrupted', `${INTERRUPTED}; the tool ${t.step.def.tool} is not idempotent, so it is not run again: an operator retries or skips it`, false);
      }
      return;
    }
    case 'ready':
      core.enqueue(t);
      return;
    case 'waiting':
    case 'awaiting-callback':
    case 'awaiting-approval':
      if (t.token && t.state === 'awaiting-callback') core.tokens.set(t.token, t);
      if (t.nextAt !== null) core.armTimer(t);
      if (t.attemptOpen) core.armDeadline(t);
      return;
    case 'pending':
      if (depsSatisfied(t) && gateOpen(t)) core.makeReady(t);
      return;
    default:
      return;
  }
}

/** Puts a reloaded open run back in memory and applies the restart rules to its tasks. */
export function resumeRun(core: EngineCore, run: RunRec): void {
  core.runs.set(run.id, run);
  for (const t of [...run.tasks]) resumeTask(core, t);
  for (const s of run.plan.steps) if (s.def.fanOut) core.judgeBatches(run, s.id);
  core.maybeFinish(run);
}

/** Loads every open run and resumes it, in one transaction; returns how many. */
export function resumeAll(core: EngineCore): number {
  const ids = core.reader.openRunIds();
  core.journal.atomic(() => {
    for (const id of ids) {
      const run = loadRun(core, id);
      if (run) resumeRun(core, run);
    }
  });
  return ids.length;
}
