// The result shapes the agent's collectors produce, narrowed from the agent protocol's
// AgentResultData union (src-shared/agent-protocol/messages.ts). Type-only: nothing of zod
// reaches the agent bundle through these modules.
import type { AgentResultData } from '../../../src-shared/agent-protocol/messages';

export type MetricsData = Extract<AgentResultData, { kind: 'metrics' }>;
export type ProcessData = Extract<AgentResultData, { kind: 'process' }>;
export type InventoryData = Extract<AgentResultData, { kind: 'inventory' }>;
export type StatusData = Extract<AgentResultData, { kind: 'status' }>;

/** The protocol's bounds on lists and names (messages.ts), mirrored so collectors never send what the schema refuses. */
export const LIMITS = {
  disks: 256,
  nets: 256,
  name: 256,
  packages: 20_000,
  files: 1024,
  text: 256,
} as const;
