// The fleet agents as the console knows them: each enrolled agent (its key's owner), whether
// it is connected, what it last said about itself, and the console's own identity that agents
// pin. Health is judged by the console from those facts (agents-capability.ts says how).
// An agent on an inventory device also carries its host's last rollout: how the newest
// agent-deploy / agent-rollback run that reached a decision for that device went
// (src-main/core/agents/last-rollout.ts derives it from the workflow journal).
import type { WfRunState } from './workflow';

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

export const AGENT_ROLLOUT_OUTCOMES = ['pending', 'ok', 'rolled-back', 'failed'] as const;
/**
 * pending: the run holds the host and its tasks are not all done (running, or waiting in a
 * paused run); ok: the agent.activate step succeeded (the host runs `version`); rolled-back:
 * `version` did not come healthy and the host runs `runsAgain` again; failed: a step failed
 * otherwise (`stepId`, `error`).
 */
export type AgentRolloutOutcome = (typeof AGENT_ROLLOUT_OUTCOMES)[number];

/** The last deploy, upgrade or rollback of an agent's host through the workflow engine. */
export interface AgentLastRollout {
  readonly runId: string;
  readonly templateId: string;
  /** deploy: agent-deploy (an install or an upgrade); rollback: agent-rollback (each host's previous version). */
  readonly kind: 'deploy' | 'rollback';
  readonly runState: WfRunState;
  /** The version the run takes the host to (null: not known yet; a deploy of the built-in release before its upload). */
  readonly version: string | null;
  readonly outcome: AgentRolloutOutcome;
  /** The step that failed (rolled-back, failed). */
  readonly stepId: string | null;
  /** rolled-back: why the version did not come healthy (the last meaningful line of the agent's log; null: it said nothing). */
  readonly reason: string | null;
  /** rolled-back: the version the host runs again. */
  readonly runsAgain: string | null;
  /** rolled-back, failed: the task's error as the run page shows it (the core's English). */
  readonly error: string | null;
  /** When the outcome was reached (the task's finish); pending: the run's launch. */
  readonly at: number;
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
  /** Its device's last rollout (absent: no device, or no agent run has reached a decision for it). */
  readonly lastRollout?: AgentLastRollout;
}

export interface AgentConsoleIdentity {
  /** SHA-256 of the console's certificate, as agents pin it. */
  readonly fingerprint256: string;
  readonly certPem: string;
  /** Where the console takes agent connections (null: it takes none). */
  readonly listen: { readonly host: string; readonly port: number } | null;
}
