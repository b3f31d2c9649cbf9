// The fleet agents as the console knows them: each enrolled agent (its key's owner), whether
// it is connected, what it last said about itself, and the console's own identity that agents
// pin. Health is judged by the console from those facts (agents-capability.ts says how).
export const AGENT_STATES = ['enrolled', 'revoked'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export const AGENT_HEALTH = ['healthy', 'over-cap', 'stale', 'never-reported', 'revoked'] as const;
export type AgentHealth = (typeof AGENT_HEALTH)[number];

/** What the agent last reported about itself (its status result). */
export interface AgentSelfStatus {
  readonly at: number;
  readonly state: 'ok' | 'over-cpu-cap' | 'over-memory-cap';
  readonly cpuPct: number;
  readonly rssBytes: number;
  readonly bufferDepth: number;
  readonly bufferBytes: number;
  readonly dropped: number;
}

export interface AgentSummary {
  readonly id: string;
  /** The inventory device it runs on (null: enrolled by hand, or the device was deleted). */
  readonly deviceId: string | null;
  readonly hostname: string | null;
  readonly state: AgentState;
  readonly health: AgentHealth;
  readonly connected: boolean;
  /** The agent build it last said hello with. */
  readonly version: string | null;
  readonly remote: string | null;
  readonly lastSeenAt: number | null;
  /** The highest result sequence number stored. */
  readonly lastSeq: number;
  readonly status: AgentSelfStatus | null;
  readonly enrolledAt: number;
  readonly enrolledBy: string;
  readonly revokedAt: number | null;
  readonly revokedBy: string | null;
}

export interface AgentConsoleIdentity {
  /** SHA-256 of the console's certificate, as agents pin it. */
  readonly fingerprint256: string;
  readonly certPem: string;
  /** Where the console takes agent connections (null: it takes none). */
  readonly listen: { readonly host: string; readonly port: number } | null;
}
