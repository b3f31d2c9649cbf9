// The fleet agents as the agents views show them: the list (kept live by onDidChangeAgent
// while a view watches it), the console's identity agents pin, the health filter, the
// operator's selection, the rollout in progress (upgrade or roll back: the agents it names,
// the core's answer or refusal), the revoke in progress, and the open agent's latest results.
import type { StateCreator } from 'zustand';
import type { AgentRollout } from '../../../src-shared/api/agents';
import type { AgentResult } from '../../../src-shared/agent-protocol/messages';
import type { AgentConsoleIdentity, AgentHealth, AgentSummary } from '../../../src-shared/domain/agent';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';

export type RolloutKind = 'upgrade' | 'rollback';

/** The rollout dialog: what it launches on which agents, and how it went. */
export interface AgentRolloutState {
  kind: RolloutKind;
  agentIds: string[];
  busy: boolean;
  result: AgentRollout | null;
  error: ShownError | null;
}

/** The revoke dialog of one agent. */
export interface AgentRevokeState {
  agentId: string;
  busy: boolean;
  error: ShownError | null;
}

/** The open agent's newest result of each kind (processes: the newest per process name). */
export interface AgentLatest {
  metrics: AgentResult | null;
  processes: AgentResult[];
  inventory: AgentResult | null;
  status: AgentResult | null;
}

export interface AgentDetailState {
  agentId: string;
  latest: AgentLatest | null;
  error: ShownError | null;
  /** The lastSeq the results were read at (a change with a higher one reads them again). */
  readAtSeq: number;
}

export interface AgentsState {
  /** By id; null before the first answer. */
  list: AgentSummary[] | null;
  listError: ShownError | null;
  identity: AgentConsoleIdentity | null;
  identityError: ShownError | null;
  filter: AgentHealth | '';
  selected: string[];
  rollout: AgentRolloutState | null;
  revoke: AgentRevokeState | null;
  detail: AgentDetailState | null;
}

export interface AgentsSlice {
  agents: AgentsState;
}

export const initialAgents: AgentsState = {
  list: null,
  listError: null,
  identity: null,
  identityError: null,
  filter: '',
  selected: [],
  rollout: null,
  revoke: null,
  detail: null,
};

export const createAgentsSlice: StateCreator<AppState, [], [], AgentsSlice> = () => ({ agents: initialAgents });
