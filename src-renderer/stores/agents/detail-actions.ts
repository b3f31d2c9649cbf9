// The open agent (#/agents/<id>): its newest result of each kind from agents.results, read
// when it opens and again when its summary says newer results are stored (one read at a time;
// a change meanwhile asks once more when it lands). Its summary is the list's row.
import type { AgentResult } from '../../../src-shared/agent-protocol/messages';
import type { AgentSummary } from '../../../src-shared/domain/agent';
import { getClient } from '../client';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { latestResults } from './agent-model';
import type { AgentDetailState } from './slice';

/** Process results asked for: enough to hold the newest of each named process (the agent's config names at most 64). */
export const PROCESS_RESULTS = 128;

const detail = () => useAppStore.getState().agents.detail;
const patchDetail = (agentId: string, p: Partial<AgentDetailState>) =>
  patch('agents', (s) => (s.detail?.agentId === agentId ? { detail: { ...s.detail, ...p } } : {}));

export function openAgent(agentId: string): void {
  if (detail()?.agentId !== agentId) patch('agents', { detail: { agentId, latest: null, error: null, readAtSeq: 0 } });
  void loadAgentResults(agentId);
}

export function closeAgent(agentId: string): void {
  if (detail()?.agentId === agentId) patch('agents', { detail: null });
}

let inFlight: string | null = null;
let again = false;

export async function loadAgentResults(agentId: string): Promise<void> {
  if (inFlight === agentId) {
    again = true;
    return;
  }
  inFlight = agentId;
  try {
    do {
      again = false;
      if (detail()?.agentId !== agentId) return;
      const seqAtAsk = useAppStore.getState().agents.list?.find((a) => a.id === agentId)?.lastSeq ?? 0;
      try {
        const c = getClient();
        const ask = (kind: AgentResult['data']['kind'], limit: number) => c.call('agents.results', { agentId, kind, limit });
        const [metrics, process, inventory, status] = await Promise.all([ask('metrics', 1), ask('process', PROCESS_RESULTS), ask('inventory', 1), ask('status', 1)]);
        const latest = latestResults({ metrics, process, inventory, status });
        const top = Math.max(seqAtAsk, ...[metrics, process, inventory, status].flat().map((r) => r.seq));
        patchDetail(agentId, { latest, error: null, readAtSeq: top });
      } catch (err) {
        patchDetail(agentId, { error: toShownError(err) });
        return;
      }
    } while (again);
  } finally {
    if (inFlight === agentId) inFlight = null;
    again = false;
  }
}

/** A changed summary: the open agent's results are read again when it has stored newer ones. */
export function agentChanged(a: AgentSummary): void {
  const d = detail();
  if (d?.agentId === a.id && a.lastSeq > d.readAtSeq) void loadAgentResults(a.id);
}
