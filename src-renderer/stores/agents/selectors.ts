// Agents selectors at module scope (each returns a value already in the state).
import type { AppState } from '../store';

export const selectAgentList = (s: AppState) => s.agents.list;
export const selectAgentListError = (s: AppState) => s.agents.listError;
export const selectAgentIdentity = (s: AppState) => s.agents.identity;
export const selectAgentIdentityError = (s: AppState) => s.agents.identityError;
export const selectAgentFilter = (s: AppState) => s.agents.filter;
export const selectAgentSelection = (s: AppState) => s.agents.selected;
export const selectAgentRollout = (s: AppState) => s.agents.rollout;
export const selectAgentRevoke = (s: AppState) => s.agents.revoke;
export const selectAgentDetail = (s: AppState) => s.agents.detail;

/** One agent's row of the list (undefined while the list is not loaded or holds no such agent). */
export const selectAgentOf = (agentId: string) => (s: AppState) => s.agents.list?.find((a) => a.id === agentId);
