// Operator actions on runs and tasks, each journaled as a run event in the transaction that
// applies it (the caller audits who asked): retry a failed or waiting task (optionally with
// edited inputs, checked like a template's and parsed by the tool's schema; the old attempt
// stays), skip, approve or reject an approval step, pause, resume and revoke a run (in-flight
// attempts are aborted through their AbortSignal; everything left is marked revoked).
// Retrying or skipping a task of a failed run reopens it. Retrying a waiting task (a poll or
// callback wait, an approval, a retry's backoff) cuts its open attempt: in one transaction the
// attempt is closed as cancelled (by whom, when), its call aborted, its callback URL spent (the
// retry event keeps the token's hash, so a late call is answered CONFLICT), and the task made
// ready for the new attempt, which starts in a transaction of its own. A kill -9 between the
// two leaves a ready task with its operator and edits journaled (next_by, next_edited): the
// restart starts that attempt (resume.ts), or nothing happened at all. Skip cuts the same way.
import { ValidationError } from '../../../src-shared/errors';
import { attemptInputs } from './attempts';
import { BindingError } from './bindings';
import type { EngineCore } from './engine-core';
import { rememberSpent, spentMark } from './callback';
import { runNotFound, taskNotFound, WorkflowStateError } from './errors';
import { loadRun, resumeRun } from './resume';
import { depsSatisfied, gateOpen, setState, task, TERMINAL, type RunRec, type TaskRec } from './run-model';
import { checkStepInputs, issuesError, stepAncestors, zodText, type TemplateIssue } from './template';

const where = (t: TaskRec) => `step ${t.step.id}${t.host ? ` on host ${t.host}` : ''} of run ${t.run.id}`;

/** Task states an operator's retry may cut short: a poll or callback wait, an approval, an automatic retry's backoff. */
export const RETRY_WAITING: ReadonlySet<string> = new Set(['waiting', 'awaiting-callback', 'awaiting-approval']);

/** An open run, or (reopen) a failed one loaded back; anything else is refused by state. */
export function openRun(core: EngineCore, runId: string, reopen = false): RunRec {
  const live = core.runs.get(runId);
  if (live) return live;
  const run = loadRun(core, runId);
  if (!run) throw runNotFound(runId);
  if (reopen && run.state === 'failed') return run;
  if (run.state === 'running' || run.state === 'paused') {
    // Open in the journal but not in memory: a refused write stopped it (engine-core guard); it goes on from the journal.
    core.journal.atomic(() => resumeRun(core, run));
    const live = core.runs.get(runId);
    if (live) return live;
    throw new WorkflowStateError(`Run ${runId} has just finished`, { runId, state: core.reader.summary(runId)?.state });
  }
  throw new WorkflowStateError(`Run ${runId} is ${run.state}${reopen ? '; only a failed run can be reopened' : ''}`, { runId, state: run.state });
}

export function openTask(core: EngineCore, runId: string, stepId: string, host: string, reopen = false): TaskRec {
  const run = openRun(core, runId, reopen);
  const t = task(run, stepId, host ?? '');
  if (!t) throw taskNotFound(runId, stepId, host ?? '');
  return t;
}

function reopenIfFinished(core: EngineCore, run: RunRec, actor: string): void {
  if (run.state !== 'failed') return;
  run.state = 'running';
  run.finishedAt = null;
  core.runs.set(run.id, run);
  core.saveRun(run);
  core.event(run, actor, 'reopen');
}

function checkEdits(t: TaskRec, edited: unknown): Record<string, unknown> {
  if (typeof edited !== 'object' || edited === null || Array.isArray(edited)) throw new ValidationError(`The edited inputs of ${where(t)} must be an object of field: value`, { field: 'edited' });
  const merged = { ...t.step.def.inputs, ...(t.edits ?? {}), ...(edited as Record<string, unknown>) };
  const issues: TemplateIssue[] = [];
  const plan = t.run.plan;
  checkStepInputs({ template: plan.template, plan, ancestors: stepAncestors(plan, t.step.id) }, t.step, merged, issues);
  const params = { runId: t.run.id, stepId: t.step.id, host: t.host };
  if (issues.length) throw issuesError(`The edited inputs of ${where(t)}`, issues, params);
  const edits = { ...(t.edits ?? {}), ...(edited as Record<string, unknown>) };
  try {
    const r = t.step.tool!.input.safeParse(attemptInputs(t, edits));
    if (!r.success) throw new ValidationError(`The edited inputs of ${where(t)} do not fit the tool ${t.step.tool!.name}: ${zodText(r.error)}`, { ...params, field: r.error.issues[0]?.path.join('.'), issues: r.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) });
  } catch (err) {
    if (err instanceof BindingError) throw new ValidationError(`The edited inputs of ${where(t)}: ${err.message}`, params);
    throw err;
  }
  return edits;
}

export function retry(core: EngineCore, runId: string, stepId: string, host: string, actor: string, edited?: Record<string, unknown>): TaskRec {
  const t = openTask(core, runId, stepId, host, true);
  const waiting = RETRY_WAITING.has(t.state);
  if (t.state !== 'failed' && !waiting) throw new WorkflowStateError(`${where(t)} is ${t.state}; only a failed or waiting task can be retried`, { runId, stepId, host, state: t.state });
  if (t.step.def.retryable === false) throw new WorkflowStateError(`Step ${stepId} is not retryable (its template says retryable: false)`, { runId, stepId, host });
  if (!t.step.tool) throw new WorkflowStateError(`Step ${stepId}'s tool ${t.step.def.tool} is no longer registered`, { runId, stepId, host });
  const edits = edited === undefined ? t.edits : checkEdits(t, edited);
  const now = core.clock.now();
  core.journal.atomic(() => {
    reopenIfFinished(core, t.run, actor);
    const from = t.state;
    const cut = waiting && t.attemptOpen ? t.attempt : null;
    const spent = cut !== null && t.token ? spentMark(t.token) : null;
    core.event(t.run, actor, 'retry', t, {
      attempt: t.attempt + 1,
      ...(waiting ? { from } : {}),
      ...(cut === null ? {} : { cancelled: cut }),
      ...(spent ? { spent } : {}),
      ...(edited === undefined ? {} : { edited }),
    });
    if (waiting) {
      const reason = `cancelled by ${actor}: retried while ${from}`;
      core.cutAttempt(t, reason, now);
      t.token = null;
      if (cut !== null) core.logLine(t, 'warn', `attempt ${cut} ${reason}${spent ? '; its callback URL is spent' : ''}`);
      if (spent) rememberSpent(core, { mark: spent, runId, stepId, host: t.host, actor, at: now, attempt: cut });
    }
    t.edits = edits;
    t.nextBy = actor;
    t.nextEdited = edited ?? null;
    t.retries = 0;
    t.finishedAt = null;
    t.nextAt = null;
    setState(t, 'ready', false);
    core.save(t);
    core.enqueue(t);
  });
  return t;
}

export function skip(core: EngineCore, runId: string, stepId: string, host: string, actor: string): TaskRec {
  const t = openTask(core, runId, stepId, host, true);
  if (t.state === 'succeeded' || t.state === 'skipped' || t.state === 'revoked') throw new WorkflowStateError(`${where(t)} is ${t.state}; there is nothing to skip`, { runId, stepId, host, state: t.state });
  if (t.step.def.skippable === false) throw new WorkflowStateError(`Step ${stepId} may not be skipped (its template says skippable: false)`, { runId, stepId, host });
  const now = core.clock.now();
  core.journal.atomic(() => {
    reopenIfFinished(core, t.run, actor);
    core.event(t.run, actor, 'skip', t, { from: t.state, ...(t.attemptOpen ? { cancelled: t.attempt } : {}) });
    // The callback token stays on the skipped task: a late call is answered CONFLICT naming the state.
    core.cutAttempt(t, `skipped by ${actor}`, now);
    t.finishedAt = now;
    t.nextAt = null;
    setState(t, 'skipped', false);
    core.save(t);
    core.logLine(t, 'warn', `skipped by ${actor}`);
    core.afterEnd(t);
  });
  core.schedulePump();
  return t;
}

function awaitingApproval(core: EngineCore, runId: string, stepId: string, host: string): TaskRec {
  const t = openTask(core, runId, stepId, host);
  if (t.state !== 'awaiting-approval') throw new WorkflowStateError(`${where(t)} is ${t.state}, not awaiting approval`, { runId, stepId, host, state: t.state });
  return t;
}

export function approve(core: EngineCore, runId: string, stepId: string, host: string, actor: string, note?: string): TaskRec {
  const t = awaitingApproval(core, runId, stepId, host);
  const out = t.step.tool!.output.safeParse({ approvedBy: actor, approvedAt: core.clock.now(), ...(note ? { note } : {}) });
  if (!out.success) throw new ValidationError(`The approval of ${where(t)} does not fit the tool's output: ${zodText(out.error)}`, { runId, stepId, host });
  core.journal.atomic(() => {
    core.event(t.run, actor, 'approve', t, note ? { note } : undefined);
    core.logLine(t, 'info', `approved by ${actor}${note ? `: ${note}` : ''}`);
    core.complete(t, out.data as Record<string, unknown>, null);
  });
  return t;
}

export function reject(core: EngineCore, runId: string, stepId: string, host: string, actor: string, reason?: string): TaskRec {
  const t = awaitingApproval(core, runId, stepId, host);
  core.journal.atomic(() => {
    core.event(t.run, actor, 'reject', t, reason ? { reason } : undefined);
    core.fail(t, 'rejected', `rejected by ${actor}${reason ? `: ${reason}` : ''}`, false);
  });
  return t;
}

export function pause(core: EngineCore, runId: string, actor: string): RunRec {
  const run = openRun(core, runId);
  if (run.state !== 'running') throw new WorkflowStateError(`Run ${runId} is ${run.state}; only a running run can be paused`, { runId, state: run.state });
  core.journal.atomic(() => {
    run.state = 'paused';
    core.saveRun(run);
    core.event(run, actor, 'pause');
  });
  return run;
}

export function resume(core: EngineCore, runId: string, actor: string): RunRec {
  const run = openRun(core, runId);
  if (run.state !== 'paused') throw new WorkflowStateError(`Run ${runId} is ${run.state}; only a paused run can be resumed`, { runId, state: run.state });
  core.journal.atomic(() => {
    run.state = 'running';
    core.saveRun(run);
    core.event(run, actor, 'resume');
    core.unpark(run);
    for (const t of run.tasks) if (t.state === 'pending' && depsSatisfied(t) && gateOpen(t)) core.makeReady(t);
    for (const s of run.plan.steps) if (s.def.fanOut) core.judgeBatches(run, s.id);
    core.maybeFinish(run);
  });
  return run;
}

export function revoke(core: EngineCore, runId: string, actor: string): RunRec {
  const run = openRun(core, runId);
  const now = core.clock.now();
  core.journal.atomic(() => {
    core.event(run, actor, 'revoke');
    for (const t of run.tasks) {
      if (TERMINAL.has(t.state)) continue;
      core.cutAttempt(t, `revoked by ${actor}`, now);
      t.finishedAt = now;
      t.nextAt = null;
      setState(t, 'revoked');
      core.save(t);
    }
    core.finishRun(run, 'revoked', actor);
  });
  return run;
}
