// An agent's last rollout, derived from the workflow journal: what one agent run (a run whose
// template has an agent.activate step: agent-deploy, agent-rollback, their batch variants, or
// an admin's template that activates the agent) says about one host, and which run counts.
//  A run's tasks for the host decide it: a failed task (or one skipped after it failed) is the
//  outcome, rolled-back when it is agent.activate's AgentRolledBackError (its message read
//  back into the version, why and the version the host runs again: the journal keeps a
//  task's error as text), failed otherwise; the activate task succeeded: ok; tasks not all done
//  while the run is open (running, or paused: later batches waiting): pending. A run that ended
//  with the host's tasks revoked or skipped decided nothing for it (the host runs what it ran).
//  The host's last rollout is the newest run (by launch) that decided something for it.
// Plain functions over the journal's shapes; rollout-index.ts keeps them current.
import type { AgentLastRollout } from '../../../src-shared/domain/agent';
import type { WfRunDetail, WfRunState, WfTask, WfTaskState, WfTemplate } from '../../../src-shared/domain/workflow';

export const ACTIVATE_TOOL = 'agent.activate';

/** What a run holds for the index: its template's shape and, per host, its tasks. */
export interface AgentRunFacts {
  readonly id: string;
  readonly templateId: string;
  readonly createdAt: number;
  state: WfRunState;
  readonly kind: 'deploy' | 'rollback';
  /** Its per-host steps in template order, and which is agent.activate. */
  readonly steps: readonly string[];
  readonly activate: string;
  /** The launch's version ('' or absent: the built-in release). */
  readonly paramVersion: string | null;
  /** host -> step -> task */
  readonly hosts: Map<string, Map<string, TaskFacts>>;
}

/** The part of a task the outcome needs. */
export interface TaskFacts {
  readonly state: WfTaskState;
  readonly error: string | null;
  readonly finishedAt: number | null;
  /** inputs.version (activate: the version to run, once bound) and outputs.version (upload: the release shipped; activate: what runs now). */
  readonly inputVersion: string | null;
  readonly outputVersion: string | null;
}

const DONE: ReadonlySet<WfTaskState> = new Set(['succeeded', 'failed', 'skipped', 'revoked']);
const OPEN_RUN: ReadonlySet<WfRunState> = new Set(['running', 'paused']);

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The activate step of an agent template (null: not an agent template). */
export function activateStep(t: WfTemplate): { id: string; rollback: boolean } | null {
  const s = t.steps.find((x) => x.tool === ACTIVATE_TOOL && x.scope === 'host');
  return s ? { id: s.id, rollback: s.inputs.rollback === true } : null;
}

export function taskFacts(t: WfTask): TaskFacts {
  return {
    state: t.state, error: t.error, finishedAt: t.finishedAt,
    inputVersion: str(t.inputs?.version), outputVersion: str(t.outputs?.version),
  };
}

/** A run's facts, or null when it is not an agent run. */
export function runFacts(d: WfRunDetail): AgentRunFacts | null {
  const act = activateStep(d.template);
  if (!act) return null;
  const hosts = new Map<string, Map<string, TaskFacts>>();
  for (const t of d.tasks) {
    if (t.host === '') continue;
    let m = hosts.get(t.host);
    if (!m) hosts.set(t.host, (m = new Map()));
    m.set(t.stepId, taskFacts(t));
  }
  return {
    id: d.id, templateId: d.templateId, createdAt: d.createdAt, state: d.state, kind: act.rollback ? 'rollback' : 'deploy',
    steps: d.template.steps.filter((s) => s.scope === 'host').map((s) => s.id), activate: act.id,
    paramVersion: str(d.params.version), hosts,
  };
}

export interface RolledBack {
  readonly version: string;
  readonly hostname: string;
  readonly reason: string | null;
  readonly previous: string;
}

// AgentRolledBackError (deploy/errors.ts): "agent <version> did not come healthy on <hostname>
// within <n> s: <reason>; rolled back: <hostname> runs <previous> again". The unit test builds
// its messages with the error class itself, so the two cannot drift apart unnoticed.
const ROLLED_BACK = /^agent (\S+) did not come healthy on (\S+) within \d+ s: ([\s\S]*); rolled back: \2 runs (\S+) again$/;
const SILENT = 'its log says nothing';

/** agent.activate's rolled-back error read back; null for any other error. */
export function parseRolledBack(error: string): RolledBack | null {
  const m = ROLLED_BACK.exec(error);
  if (!m) return null;
  return { version: m[1], hostname: m[2], reason: m[3] === SILENT ? null : m[3], previous: m[4] };
}

/** What this run decided for the host (null: nothing: not in the run, or its tasks ended revoked or skipped). */
export function hostOutcome(run: AgentRunFacts, host: string): AgentLastRollout | null {
  const tasks = run.hosts.get(host);
  if (!tasks) return null;
  const act = tasks.get(run.activate);
  const upload = [...tasks.values()].find((t) => t.outputVersion !== null && t !== act);
  const version = act?.inputVersion ?? upload?.outputVersion ?? run.paramVersion;
  const base = { runId: run.id, templateId: run.templateId, kind: run.kind, runState: run.state, stepId: null, reason: null, runsAgain: null, error: null };
  for (const stepId of run.steps) {
    const t = tasks.get(stepId);
    if (!t || !t.error || !(t.state === 'failed' || t.state === 'skipped')) continue;
    const at = t.finishedAt ?? run.createdAt;
    const back = stepId === run.activate ? parseRolledBack(t.error) : null;
    if (back) return { ...base, version: back.version, outcome: 'rolled-back', stepId, reason: back.reason, runsAgain: back.previous, error: t.error, at };
    return { ...base, version, outcome: 'failed', stepId, error: t.error, at };
  }
  if (act?.state === 'succeeded') return { ...base, version: act.outputVersion ?? version, outcome: 'ok', at: act.finishedAt ?? run.createdAt };
  const waiting = [...tasks.values()].some((t) => !DONE.has(t.state));
  if (waiting && OPEN_RUN.has(run.state)) return { ...base, version, outcome: 'pending', at: run.createdAt };
  return null;
}

/** Newest launch first (ties by id, as the journal lists runs). */
export function newestFirst(a: AgentRunFacts, b: AgentRunFacts): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The host's last rollout: the newest of its runs that decided something for it. */
export function lastRollout(runs: readonly AgentRunFacts[], host: string): AgentLastRollout | null {
  for (const r of [...runs].sort(newestFirst)) {
    const o = hostOutcome(r, host);
    if (o) return o;
  }
  return null;
}
