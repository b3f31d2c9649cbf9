// The agents views' pure model: counts per health, the filter, a changed agent folded into
// the list (kept by id), the newest result of each kind, the rollout form checked before it
// is sent (the contract's own bounds, so a refusal can be named per field in the user's
// language), the core's reasons for skipping an agent read back into kinds the views word, and
// which message an agent's last rollout is worded with.
import type { AgentResult } from '../../../src-shared/agent-protocol/messages';
import type { ArgsOf } from '../../../src-shared/api';
import { HEALTH_WINDOW_MS } from '../../../src-shared/api/agents';
import { AGENT_HEALTH, type AgentHealth, type AgentLastRollout, type AgentSummary } from '../../../src-shared/domain/agent';
import type { AgentLatest, RolloutKind } from './slice';

export type HealthCounts = Readonly<Record<AgentHealth, number>>;

export function healthCounts(list: readonly AgentSummary[]): HealthCounts {
  const counts = Object.fromEntries(AGENT_HEALTH.map((h) => [h, 0])) as Record<AgentHealth, number>;
  for (const a of list) counts[a.health] += 1;
  return counts;
}

export function filterAgents(list: readonly AgentSummary[], filter: AgentHealth | ''): readonly AgentSummary[] {
  return filter === '' ? list : list.filter((a) => a.health === filter);
}

const byId = (a: AgentSummary, b: AgentSummary): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The list with this agent's newer summary in its place (or added, in id order). */
export function upsertAgent(list: readonly AgentSummary[], a: AgentSummary): AgentSummary[] {
  const i = list.findIndex((x) => x.id === a.id);
  if (i >= 0) return list.map((x, k) => (k === i ? a : x));
  return [...list, a].sort(byId);
}

/** A list answer with the summaries that arrived as events while it was asked for put over it. */
export function mergeNewer(list: readonly AgentSummary[], newer: ReadonlyMap<string, AgentSummary>): AgentSummary[] {
  let out = [...list].sort(byId);
  for (const a of newer.values()) out = upsertAgent(out, a);
  return out;
}

/** Which cap an over-cap agent said it is over; null when it is not over one. */
export function overCap(a: Pick<AgentSummary, 'status'>): 'cpu' | 'memory' | null {
  const s = a.status?.state;
  return s === 'over-cpu-cap' ? 'cpu' : s === 'over-memory-cap' ? 'memory' : null;
}

/** Newest first, as agents.results answers: the first of each kind, and of each process name. */
export function latestResults(results: {
  metrics: readonly AgentResult[];
  process: readonly AgentResult[];
  inventory: readonly AgentResult[];
  status: readonly AgentResult[];
}): AgentLatest {
  const newest = (rs: readonly AgentResult[]): AgentResult | null => rs.reduce<AgentResult | null>((best, r) => (!best || r.seq > best.seq ? r : best), null);
  const perName = new Map<string, AgentResult>();
  for (const r of results.process) {
    if (r.data.kind !== 'process') continue;
    const had = perName.get(r.data.name);
    if (!had || r.seq > had.seq) perName.set(r.data.name, r);
  }
  const processes = [...perName.values()].sort((a, b) => ((a.data as { name: string }).name < (b.data as { name: string }).name ? -1 : 1));
  return { metrics: newest(results.metrics), processes, inventory: newest(results.inventory), status: newest(results.status) };
}

/** The rollout form as typed (healthWindowS: seconds; absent or empty: the template's default). */
export interface RolloutForm {
  version: string;
  batchSize: string;
  maxFailPct: string;
  healthWindowS?: string;
}

export const EMPTY_ROLLOUT_FORM: RolloutForm = { version: '', batchSize: '', maxFailPct: '', healthWindowS: '' };

/** The contract's release version (agents.upgrade's version). */
export const VERSION_RE = /^[0-9A-Za-z][0-9A-Za-z.+_-]*$/;
export const VERSION_MAX = 64;
export const BATCH_MAX = 1000;
/** The contract's healthWindowMs bounds and default, in seconds. */
export const HEALTH_WINDOW_S = { min: HEALTH_WINDOW_MS.min / 1000, max: HEALTH_WINDOW_MS.max / 1000, default: HEALTH_WINDOW_MS.default / 1000 } as const;

export type RolloutField = keyof RolloutForm;
export type RolloutProblem = 'version' | 'batch' | 'fail' | 'health';

export type RolloutCheck =
  | { ok: true; args: ArgsOf<'agents.upgrade'> }
  | { ok: false; problems: Partial<Record<RolloutField, RolloutProblem>> };

/** The call's arguments from the form (empty fields: the template's defaults), or each field's problem. */
export function rolloutArgs(kind: RolloutKind, form: RolloutForm, agentIds: readonly string[]): RolloutCheck {
  const problems: Partial<Record<RolloutField, RolloutProblem>> = {};
  const version = form.version.trim();
  if (kind === 'upgrade' && version !== '' && (version.length > VERSION_MAX || !VERSION_RE.test(version))) problems.version = 'version';
  const batch = form.batchSize.trim();
  const batchN = Number(batch);
  if (batch !== '' && (!Number.isInteger(batchN) || batchN < 1 || batchN > BATCH_MAX)) problems.batchSize = 'batch';
  const fail = form.maxFailPct.trim();
  const failN = Number(fail);
  if (fail !== '' && (!Number.isFinite(failN) || failN < 0 || failN > 100)) problems.maxFailPct = 'fail';
  const health = (form.healthWindowS ?? '').trim();
  const healthN = Number(health);
  if (health !== '' && (!Number.isInteger(healthN) || healthN < HEALTH_WINDOW_S.min || healthN > HEALTH_WINDOW_S.max)) problems.healthWindowS = 'health';
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const args: ArgsOf<'agents.upgrade'> = {
    agentIds: [...agentIds],
    ...(batch !== '' ? { batchSize: batchN } : {}),
    ...(fail !== '' ? { maxFailPct: failN } : {}),
    ...(health !== '' ? { healthWindowMs: healthN * 1000 } : {}),
    ...(kind === 'upgrade' && version !== '' ? { version } : {}),
  };
  return { ok: true, args };
}

/** Why the core left an agent out of a rollout, as a kind the views word (its English otherwise). */
export type SkipReason =
  | { kind: 'no-agent' }
  | { kind: 'revoked'; by: string }
  | { kind: 'by-hand' }
  | { kind: 'device-gone'; deviceId: string }
  | { kind: 'no-ssh' }
  | { kind: 'other'; text: string };

export function skipReason(reason: string): SkipReason {
  if (reason === 'no such agent') return { kind: 'no-agent' };
  const revoked = /^revoked by (.+)$/.exec(reason);
  if (revoked) return { kind: 'revoked', by: revoked[1] };
  if (reason.startsWith('enrolled by hand')) return { kind: 'by-hand' };
  const gone = /^its device (.+) is not in the inventory$/.exec(reason);
  if (gone) return { kind: 'device-gone', deviceId: gone[1] };
  if (reason === 'its device has no SSH credential') return { kind: 'no-ssh' };
  return { kind: 'other', text: reason };
}

/** The agents a refused rollout names as skipped (the core's VALIDATION when none can be reached). */
export function refusedSkips(params: unknown): { agentId: string; reason: string }[] | null {
  if (typeof params !== 'object' || params === null) return null;
  const s = (params as { skipped?: unknown }).skipped;
  if (!Array.isArray(s)) return null;
  return s.filter((x): x is { agentId: string; reason: string } => typeof x?.agentId === 'string' && typeof x?.reason === 'string');
}

/** The message an agent's last rollout is worded with (agents.lr.<kind>.<what>), its step's word when the step is a shipped one. */
export type LastRolloutWhat = 'ok' | 'running' | 'paused' | 'rolledBack' | 'rolledBackSilent' | 'failed';

export function lastRolloutWhat(r: Pick<AgentLastRollout, 'outcome' | 'runState' | 'reason'>): LastRolloutWhat {
  if (r.outcome === 'pending') return r.runState === 'paused' ? 'paused' : 'running';
  if (r.outcome === 'rolled-back') return r.reason === null ? 'rolledBackSilent' : 'rolledBack';
  return r.outcome;
}

/** The shipped agent templates' steps, which the views word; another template's step shows its id. */
export const ROLLOUT_STEPS = ['upload', 'enrol', 'activate'] as const;

/** The table says only what needs an eye (ok is on the agent's page). */
export const rolloutNeedsEye = (r: AgentLastRollout | undefined): r is AgentLastRollout => r !== undefined && r.outcome !== 'ok';
