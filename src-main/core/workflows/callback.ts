// The one-time callback URL was called: the awaiting task of its token is found (unknown
// tokens NOT_FOUND, spent ones CONFLICT naming the task's state, or the operator whose retry
// cut the attempt that URL belonged to: the retry's run event keeps the token's hash,
// spentMark, and the engine holds those hashes in memory, read from the journal once at the
// first token no task holds, so an unknown token costs a map lookup) and the body judged. A tool
// with onCallback gives a verdict: done (its output parsed by the output schema), pending (the
// report taken, the attempt waits on) or a throw (the attempt fails with the tool's error);
// without onCallback the body is the output. A body whose output does not fit is refused
// (VALIDATION naming the field) and nothing is journaled; otherwise the call, the tool's log
// lines and the verdict's transition are one transaction, so a failure the installer
// reported survives a restart as the task's failure.
import { createHash } from 'node:crypto';
import { ValidationError } from '../../../src-shared/errors';
import type { EngineCore } from './engine-core';
import { tokenNotFound, WorkflowStateError } from './errors';
import { hostOf } from './attempts';
import type { SpentToken } from './journal-read';
import type { TaskRec } from './run-model';
import { zodText } from './template';
import type { CallbackVerdict, OutboxMessage, ToolContext } from './tool';

const AWAITING = new Set(['running', 'waiting', 'awaiting-callback']);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const toJson = (v: unknown) => JSON.parse(JSON.stringify(v ?? {})) as Record<string, unknown>;

/** What the journal keeps of a callback token an operator's retry spent: its SHA-256 (the token itself is a bearer secret). */
export function spentMark(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The operator's retry that spent this token's URL, if one did. */
function spentBy(core: EngineCore, token: string): SpentToken | undefined {
  core.spent ??= new Map(core.reader.spentTokens().map((s) => [s.mark, s]));
  return core.spent.get(spentMark(token));
}

/** Notes a URL an operator's retry spends (inside the retry's transaction). */
export function rememberSpent(core: EngineCore, s: SpentToken): void {
  core.spent?.set(s.mark, s);
}

/** The task the token's URL finishes; NOT_FOUND or CONFLICT when no open attempt awaits it. */
function awaitingTask(core: EngineCore, token: unknown): TaskRec {
  if (typeof token !== 'string' || !token) throw new ValidationError('A callback token is required', { field: 'token' });
  const live = core.tokens.get(token);
  if (live && live.token === token && live.attemptOpen && AWAITING.has(live.state)) return live;
  const row = core.reader.taskByToken(token);
  if (!row) {
    const spent = spentBy(core, token);
    if (!spent) throw tokenNotFound(token);
    const task = `step ${spent.stepId}${spent.host ? ` on host ${spent.host}` : ''} of run ${spent.runId}`;
    throw new WorkflowStateError(`This callback URL was spent: ${spent.actor} retried ${task}, which cancelled ${spent.attempt === null ? 'the attempt' : `attempt ${spent.attempt}`} it belonged to`, {
      runId: spent.runId, stepId: spent.stepId, host: spent.host, state: 'cancelled', attempt: spent.attempt, by: spent.actor, at: spent.at,
    });
  }
  throw new WorkflowStateError(`This callback URL was already used or is no longer awaited: step ${row.step_id}${row.host ? ` on host ${row.host}` : ''} of run ${row.run_id} is ${row.state}`, { runId: row.run_id, stepId: row.step_id, host: row.host, state: row.state });
}

type Judged =
  | { readonly kind: 'done'; readonly outputs: Record<string, unknown>; readonly outbox: OutboxMessage | null }
  | { readonly kind: 'pending' }
  | { readonly kind: 'failed'; readonly error: string; readonly retryable: boolean };

/** Asks the tool's onCallback (log lines kept in `lines` for the transaction); a throw is a 'failed' verdict. */
function ask(t: TaskRec, body: unknown, lines: ['info' | 'warn' | 'error', string][]): CallbackVerdict<Record<string, unknown>> | { status: 'failed'; error: string; retryable: boolean } {
  const tool = t.step.tool!;
  if (!tool.onCallback) return { status: 'done', output: (body ?? {}) as Record<string, unknown> };
  if (t.input === undefined) {
    // After a restart the parsed input is gone; the journal has what the attempt was given.
    const r = tool.input.safeParse(t.inputs ?? {});
    if (!r.success) return { status: 'failed', error: `the stored inputs no longer fit the tool: ${zodText(r.error)}`, retryable: false };
    t.input = r.data;
  }
  const ctx: ToolContext = {
    runId: t.run.id, stepId: t.step.id, host: hostOf(t), attempt: t.attempt, signal: new AbortController().signal,
    log: (line, level = 'info') => void lines.push([level, line]),
    callbackUrl: null, pollState: t.pollState, check: t.checks, actor: t.run.createdBy,
  };
  let verdict: unknown;
  try {
    verdict = tool.onCallback(ctx, body, t.input as never);
  } catch (err) {
    return { status: 'failed', error: message(err ?? new Error(`the tool ${tool.name} refused the callback`)), retryable: true };
  }
  const status = (verdict as { status?: unknown } | null | undefined)?.status;
  if (status === 'done' || status === 'pending') return verdict as CallbackVerdict<Record<string, unknown>>;
  const what = verdict instanceof Promise ? 'a promise (onCallback must answer synchronously)' : 'no verdict (status done or pending)';
  return { status: 'failed', error: `the tool ${tool.name}'s onCallback returned ${what}`, retryable: true };
}

function judge(t: TaskRec, body: unknown, lines: ['info' | 'warn' | 'error', string][]): Judged {
  const v = ask(t, body, lines);
  if (v.status === 'failed') return { kind: 'failed', error: v.error, retryable: v.retryable };
  if (v.status === 'pending') return { kind: 'pending' };
  const out = t.step.tool!.output.safeParse(v.output ?? {});
  if (!out.success) {
    throw new ValidationError(`The callback for step ${t.step.id}${t.host ? ` on host ${t.host}` : ''} does not fit the tool's output: ${zodText(out.error)}`, {
      runId: t.run.id, stepId: t.step.id, host: t.host, field: out.error.issues[0]?.path.join('.'), issues: out.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    });
  }
  return { kind: 'done', outputs: toJson(out.data), outbox: v.outbox ?? null };
}

/** Finds the token's task and applies the callback; returns the task as it is after it. */
export function acceptCallback(core: EngineCore, token: unknown, body: unknown): TaskRec {
  const t = awaitingTask(core, token);
  const lines: ['info' | 'warn' | 'error', string][] = [];
  const j = judge(t, body, lines);
  core.journal.atomic(() => {
    core.event(t.run, 'callback', 'callback', t, t.step.tool!.onCallback ? { verdict: j.kind } : undefined);
    core.logLine(t, 'info', 'the callback URL was called');
    for (const [level, line] of lines) core.logLine(t, level, line);
    if (j.kind === 'done') core.complete(t, j.outputs, j.outbox);
    else if (j.kind === 'failed') core.fail(t, 'error', j.error, j.retryable);
    else core.logLine(t, 'info', 'the tool took the report and waits on');
  });
  return t;
}
