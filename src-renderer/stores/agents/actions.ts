// Agents actions: the list and the console's identity, kept live while an agents view
// watches them (onDidChangeAgent folds each changed agent into the list in place; the list is
// read again after a reconnect), the health filter, the operator's selection, upgrade and
// roll back (the rollout dialog: the core's answer is the launched run and the agents it
// skipped), and revoke. The core checks every role; refusals stay in the dialog that asked.
import type { Disposable } from '../../../src-shared/api';
import type { AgentHealth, AgentSummary } from '../../../src-shared/domain/agent';
import { getClient } from '../client';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { mergeNewer, rolloutArgs, upsertAgent, type RolloutCheck, type RolloutForm } from './agent-model';
import { agentChanged } from './detail-actions';
import { initialAgents, type AgentRevokeState, type AgentRolloutState, type AgentsState, type RolloutKind } from './slice';

const ag = () => useAppStore.getState().agents;
const patchAgents = (p: Partial<AgentsState> | ((s: AgentsState) => Partial<AgentsState>)) => patch('agents', p);
const patchRollout = (p: Partial<AgentRolloutState>) => patchAgents((s) => (s.rollout ? { rollout: { ...s.rollout, ...p } } : {}));
const patchRevoke = (agentId: string, p: Partial<AgentRevokeState>) => patchAgents((s) => (s.revoke?.agentId === agentId ? { revoke: { ...s.revoke, ...p } } : {}));

let listSeq = 0;
/** Summaries that arrived as events while the list was being asked for (they are newer than its answer). */
let arrivedMeanwhile: Map<string, AgentSummary> | null = null;

export async function loadAgents(): Promise<void> {
  const mine = ++listSeq;
  const newer = new Map<string, AgentSummary>();
  arrivedMeanwhile = newer;
  try {
    const list = await getClient().call('agents.list', undefined);
    if (mine === listSeq) patchAgents({ list: mergeNewer(list, newer), listError: null });
  } catch (err) {
    if (mine === listSeq) patchAgents({ listError: toShownError(err) });
  } finally {
    if (arrivedMeanwhile === newer) arrivedMeanwhile = null;
  }
}

export async function loadIdentity(): Promise<void> {
  try {
    const identity = await getClient().call('agents.identity', undefined);
    patchAgents({ identity, identityError: null });
  } catch (err) {
    patchAgents({ identityError: toShownError(err) });
  }
}

/** An agent connected, disconnected, reported, or was enrolled or revoked: its row changes in place. */
export function receiveAgent(a: AgentSummary): void {
  arrivedMeanwhile?.set(a.id, a);
  const list = ag().list;
  if (list) patchAgents({ list: upsertAgent(list, a) });
  agentChanged(a);
}

let watchers = 0;
let live: Disposable | null = null;

/**
 * Loads the list and the identity and follows the agents until disposed (an agents view's
 * lifetime). Moving from one agents view to the other keeps the subscription; leaving them
 * forgets the list (nothing keeps it current then).
 */
export function watchAgents(): Disposable {
  watchers += 1;
  if (!live) {
    const client = getClient();
    const sub = client.on('onDidChangeAgent', receiveAgent);
    // After a reconnect events may have been missed: read the list again.
    const unsubscribe = useAppStore.subscribe((s, prev) => {
      if (prev.session.phase === 'reconnecting' && s.session.phase === 'ready') void loadAgents();
    });
    live = { dispose: () => (sub.dispose(), unsubscribe()) };
  }
  void loadAgents();
  void loadIdentity();
  let disposed = false;
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      watchers -= 1;
      queueMicrotask(() => {
        if (watchers > 0 || !live) return;
        live.dispose();
        live = null;
        listSeq += 1;
        useAppStore.setState({ agents: initialAgents });
      });
    },
  };
}

export function setHealthFilter(filter: AgentHealth | ''): void {
  patchAgents({ filter });
}

export function toggleAgent(agentId: string, on: boolean): void {
  patchAgents((s) => ({ selected: on ? (s.selected.includes(agentId) ? s.selected : [...s.selected, agentId]) : s.selected.filter((x) => x !== agentId) }));
}

/** Selects these agents, or takes them out of the selection. */
export function selectAgents(agentIds: readonly string[], on: boolean): void {
  patchAgents((s) => {
    if (!on) return { selected: s.selected.filter((x) => !agentIds.includes(x)) };
    const have = new Set(s.selected);
    return { selected: [...s.selected, ...agentIds.filter((x) => !have.has(x))] };
  });
}

export function clearSelection(): void {
  patchAgents({ selected: [] });
}

// ---- upgrade and roll back ----

/** Opens the rollout dialog for the selected agents. */
export function openRollout(kind: RolloutKind): void {
  const agentIds = [...ag().selected];
  if (agentIds.length === 0) return;
  patchAgents({ rollout: { kind, agentIds, busy: false, result: null, error: null } });
}

export function closeRollout(): void {
  patchAgents({ rollout: null });
}

/** Checks the form; the view confirms the outcome's args before startRollout sends them. */
export function checkRollout(form: RolloutForm): RolloutCheck | null {
  const r = ag().rollout;
  return r ? rolloutArgs(r.kind, form, r.agentIds) : null;
}

/** Launches the confirmed rollout; the answer (run and skipped agents) stays in the dialog. */
export async function startRollout(form: RolloutForm): Promise<boolean> {
  const r = ag().rollout;
  if (!r || r.busy) return false;
  const checked = rolloutArgs(r.kind, form, r.agentIds);
  if (!checked.ok) return false;
  patchRollout({ busy: true, error: null, result: null });
  try {
    const result = await getClient().call(r.kind === 'upgrade' ? 'agents.upgrade' : 'agents.rollback', checked.args);
    patchRollout({ busy: false, result });
    patchAgents({ selected: [] });
    return true;
  } catch (err) {
    patchRollout({ busy: false, error: toShownError(err) });
    return false;
  }
}

// ---- revoke ----

export function openRevoke(agentId: string): void {
  patchAgents({ revoke: { agentId, busy: false, error: null } });
}

export function closeRevoke(): void {
  patchAgents({ revoke: null });
}

/** Revokes the dialog's agent (the view has had its id typed); the row shows it revoked. */
export async function revokeAgent(reason: string): Promise<boolean> {
  const r = ag().revoke;
  if (!r || r.busy) return false;
  const { agentId } = r;
  const why = reason.trim();
  patchRevoke(agentId, { busy: true, error: null });
  try {
    const summary = await getClient().call('agents.revoke', { agentId, ...(why ? { reason: why } : {}) });
    receiveAgent(summary);
    patchAgents((s) => ({ revoke: s.revoke?.agentId === agentId ? null : s.revoke, selected: s.selected.filter((x) => x !== agentId) }));
    return true;
  } catch (err) {
    patchRevoke(agentId, { busy: false, error: toShownError(err) });
    return false;
  }
}
