// Running a task: a new attempt (bindings resolved from params, host and upstream outputs,
// then parsed by the tool's input schema: a refusal fails the task naming the field), or the
// next poll check of the open attempt; the tool call with its context (AbortSignal, log,
// one-time callback URL, poll state); and what its result does: done (output parsed by the
// output schema, outbox kept), pending (waiting, awaiting-callback or awaiting-approval) or a
// failure (an error, or a result that does not fit).
import { randomBytes } from 'node:crypto';
import { FleetDeckError, type ErrorCode } from '../../../src-shared/errors';
import { BindingError, resolveInputs, type BindingScope } from './bindings';
import type { EngineCore } from './engine-core';
import { setState, task, type TaskRec } from './run-model';
import { zodText } from './template';
import type { ToolContext, ToolHost, ToolResult } from './tool';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const toJson = (v: unknown) => JSON.parse(JSON.stringify(v ?? {})) as Record<string, unknown>;

export function hostOf(t: TaskRec): ToolHost | null {
  return t.host ? (t.run.hostById.get(t.host) ?? { id: t.host, hostname: t.host, sn: '' }) : null;
}

export function scopeOf(t: TaskRec): BindingScope {
  return {
    params: t.run.params,
    host: hostOf(t),
    outputs: (stepId) => {
      const p = t.run.plan.byId.get(stepId);
      if (!p) return null;
      return task(t.run, stepId, p.def.scope === 'run' ? '' : t.host)?.outputs ?? null;
    },
  };
}

/** The inputs an attempt would get: the template's, an operator's edits over them, bindings resolved. */
export function attemptInputs(t: TaskRec, edits: Record<string, unknown> | null = t.edits): Record<string, unknown> {
  return resolveInputs({ ...t.step.def.inputs, ...(edits ?? {}) }, scopeOf(t));
}

/** Starts a due task: a new attempt (ready, or a retry's backoff over) or the open attempt's next check. */
export function begin(core: EngineCore, t: TaskRec): void {
  if (t.state === 'ready' || (t.state === 'waiting' && !t.attemptOpen)) startAttempt(core, t);
  else if (t.attemptOpen && (t.state === 'waiting' || t.state === 'awaiting-callback')) {
    const tool = t.step.tool!;
    if (t.input === undefined) {
      const r = tool.input.safeParse(t.inputs ?? {});
      if (!r.success) return core.fail(t, 'error', `the stored inputs no longer fit the tool: ${zodText(r.error)}`, false);
      t.input = r.data;
    }
    void invoke(core, t);
  }
}

function startAttempt(core: EngineCore, t: TaskRec): void {
  const now = core.clock.now();
  const tool = t.step.tool;
  const by = t.nextBy ?? 'engine';
  const edited = t.nextEdited;
  let raw: Record<string, unknown> = {};
  let refusal: string | null = tool ? null : `no tool is registered as ${t.step.def.tool}`;
  if (tool) {
    try {
      raw = attemptInputs(t);
      const r = tool.input.safeParse(raw);
      if (r.success) t.input = r.data;
      else refusal = `the inputs do not fit the tool ${tool.name}: ${zodText(r.error)}`;
    } catch (err) {
      if (!(err instanceof BindingError)) throw err;
      refusal = err.message;
    }
  }
  core.journal.atomic(() => {
    t.attempt++;
    t.inputs = refusal ? raw : toJson(t.input);
    t.attemptStartedAt = now;
    t.attemptOpen = true;
    t.startedAt ??= now;
    t.checks = 0;
    t.pollState = null;
    t.nextAt = null;
    t.failure = null;
    t.error = null;
    t.nextBy = null;
    t.nextEdited = null;
    if (tool?.kind === 'callback') {
      if (t.token) core.tokens.delete(t.token);
      t.token = randomBytes(24).toString('base64url');
      core.tokens.set(t.token, t);
    }
    setState(t, 'running');
    core.save(t);
    core.journal.insertAttempt(t, t.inputs, by, edited, now);
    // A refusal is not retried automatically: the same inputs would be refused again.
    if (refusal) core.fail(t, 'error', refusal, false);
  });
  if (refusal) return;
  core.armDeadline(t);
  void invoke(core, t);
}

async function invoke(core: EngineCore, t: TaskRec): Promise<void> {
  const tool = t.step.tool!;
  const ac = new AbortController();
  t.abort = ac;
  t.executing = true;
  core.inflight++;
  const attempt = t.attempt;
  const check = t.checks;
  const base = t.token ? core.callbackBase() : null;
  const ctx: ToolContext = {
    runId: t.run.id,
    stepId: t.step.id,
    host: hostOf(t),
    attempt,
    signal: ac.signal,
    log: (line, level = 'info') => {
      // A call cut short (its attempt failed, cut or revoked: the signal aborted) says nothing after the task's last line.
      if (!core.stopping && t.attempt === attempt && !ac.signal.aborted) core.logLine(t, level, line);
    },
    callbackUrl: t.token && base ? `${base}/wf/callback/${t.token}` : null,
    pollState: t.pollState,
    check,
    actor: t.run.createdBy,
  };
  let result: ToolResult<Record<string, unknown>> | undefined;
  let error: unknown = null;
  try {
    result = (await tool.run(ctx, t.input as never)) as ToolResult<Record<string, unknown>>;
  } catch (err) {
    error = err ?? new Error('the tool failed');
  }
  if (t.abort === ac) {
    t.abort = null;
    t.executing = false;
    core.inflight--;
    core.schedulePump();
  }
  if (core.stopping || ac.signal.aborted || t.attempt !== attempt || t.checks !== check || !t.attemptOpen || core.runs.get(t.run.id) !== t.run) return;
  core.guard(t.run, () => apply(core, t, result, error));
}

/**
 * Refusals that waiting does not change (a role, bad input, no such thing, a credential not
 * bound to the endpoint, a state someone else moved): the step's automatic retries are not
 * spent on them; the task fails at once for an operator (after the fix) to retry.
 */
const LASTING: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['UNAUTHENTICATED', 'FORBIDDEN', 'VALIDATION', 'NOT_FOUND', 'CONFLICT', 'BAD_REQUEST']);

function apply(core: EngineCore, t: TaskRec, result: ToolResult<Record<string, unknown>> | undefined, error: unknown): void {
  const tool = t.step.tool!;
  if (error !== null) {
    const lasting = error instanceof FleetDeckError && LASTING.has(error.code);
    if (lasting && t.step.def.retry && t.retries < t.step.def.retry.max) core.logLine(t, 'warn', `no automatic retry: ${error.code} does not change by waiting`);
    return core.fail(t, 'error', message(error), !lasting);
  }
  if (result?.status === 'done') {
    const out = tool.output.safeParse(result.output);
    if (!out.success) return core.fail(t, 'error', `the tool's output does not fit its schema: ${zodText(out.error)}`, true);
    return core.complete(t, toJson(out.data), result.outbox ?? null);
  }
  if (result?.status !== 'pending') return core.fail(t, 'error', `the tool ${tool.name} returned no result (status done or pending)`, true);
  if (tool.kind === 'sync') return core.fail(t, 'error', `the tool ${tool.name} returned pending; a sync step must finish in one call`, true);
  const now = core.clock.now();
  const limit = core.limitOf(t);
  if (limit && t.attemptStartedAt !== null && now >= t.attemptStartedAt + limit.ms) return core.fail(t, 'timeout', limit.message, true);
  const interval = tool.kind === 'approval' ? undefined : t.step.def.poll?.intervalMs;
  core.journal.atomic(() => {
    t.pollState = result.state ?? null;
    t.checks++;
    t.nextAt = interval === undefined ? null : now + interval;
    setState(t, tool.kind === 'poll' ? 'waiting' : tool.kind === 'callback' ? 'awaiting-callback' : 'awaiting-approval');
    core.save(t);
  });
  core.armTimer(t);
}
