// Fleet agents: the list (version, health, last seen, buffer depth, resource use), the
// console's identity that agents pin, an agent's recent results, and the operator's actions
// on an agent (revoke: its next connection is refused and audited). Enrolment by hand (an
// admin pastes the public key `fleetdeck-agent keygen` printed) is for hosts the deploy
// workflow does not reach; the deploy workflow enrols the agents it installs itself.
// Upgrade and rollback launch the agent's deploy workflow (agent-deploy, agent-rollback) on the
// chosen agents' devices, in batches that pause the run past a failure share; the answer is the
// run's id (its progress is the workflow run's) and the agents skipped up front, with why; how
// it went per host comes back in each agent's summary as lastRollout (src-shared/domain/agent.ts).
import { z } from 'zod';
import { event, method, noArgs, optInt, result, text } from './contract';
import type { AgentConsoleIdentity, AgentSummary } from '../domain/agent';
import type { AgentResult } from '../agent-protocol/messages';

const agentId = text(128).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');
const RESULT_KINDS = ['metrics', 'process', 'inventory', 'status', 'probe', 'route'] as const;
const dir = text(512).regex(/^[^\0\n\r]+$/, 'one line').refine((s) => !s.split('/').includes('..'), 'no .. segments');

/** What a rollout answers: the workflow run, its template, the hosts in it, and the agents left out. */
export interface AgentRollout {
  readonly runId: string;
  readonly templateId: string;
  readonly hosts: number;
  readonly skipped: readonly { readonly agentId: string; readonly reason: string }[];
}

/** Where the agents live and how the rollout goes (each optional: the template's defaults). */
/** The health window a rollout may set (ms; agent.activate's bounds) and its default. */
export const HEALTH_WINDOW_MS = { min: 1000, max: 600_000, default: 45_000 } as const;

const rolloutShape = {
  agentIds: z.array(agentId).min(1, 'choose at least one agent').max(5000),
  /** Hosts per batch (default 10); the run pauses after a batch with more than maxFailPct failed. */
  batchSize: optInt(1, 1000),
  maxFailPct: z.number().min(0).max(100).optional(),
  installDir: dir.optional(),
  /** Per device id or SN, where hosts differ. */
  installDirs: z.record(z.string().min(1).max(200), dir).optional(),
  /** How long a started version has to report healthy before it is rolled back (ms). */
  healthWindowMs: optInt(HEALTH_WINDOW_MS.min, HEALTH_WINDOW_MS.max),
};
const upgradeArgs = z.strictObject({
  ...rolloutShape,
  /** The release; absent: the console's built-in bundle. */
  version: text(64).regex(/^[0-9A-Za-z][0-9A-Za-z.+_-]*$/, 'letters, digits and . + _ - (a release version)').optional(),
});
const rollbackArgs = z.strictObject(rolloutShape);
export type AgentUpgradeArgs = z.output<typeof upgradeArgs>;
export type AgentRollbackArgs = z.output<typeof rollbackArgs>;
const few = (ids: readonly string[]): string => (ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more`);

export const agentMethods = {
  /** Every enrolled or revoked agent, by id; one on a device carries that device's last rollout (lastRollout: the newest agent run that decided something for it). */
  'agents.list': method({ role: 'viewer', args: noArgs, result: result<AgentSummary[]>(), example: undefined }),
  'agents.identity': method({ role: 'viewer', args: noArgs, result: result<AgentConsoleIdentity>(), example: undefined }),
  /** An agent's newest results first (below `beforeSeq` when given), of one kind or all. */
  'agents.results': method({
    role: 'viewer',
    args: z.strictObject({ agentId, kind: z.enum(RESULT_KINDS).optional(), beforeSeq: optInt(1, Number.MAX_SAFE_INTEGER), limit: optInt(1, 1000) }),
    result: result<AgentResult[]>(),
    example: { agentId: 'srv-0001', kind: 'metrics', limit: 10 },
  }),
  /** Enrols (or re-enrols with a new key) an agent: its Ed25519 public key as SPKI DER in base64, or PEM. */
  'agents.enroll': method({
    role: 'admin',
    args: z.strictObject({ agentId, publicKey: text(4096), deviceId: text(200).nullish() }),
    result: result<AgentSummary>(),
    audit: (a) => `agent ${a.agentId}${a.deviceId ? ` on ${a.deviceId}` : ''}`,
    example: { agentId: 'srv-0001', publicKey: 'MCowBQYDK2VwAyEA7fuQpbVht7i7PNHyXEu/QrINQqGCs6QkFT6JMIq2UMQ=', deviceId: 'dev-1' },
  }),
  /** Revokes an agent: its session ends now and every later connection is refused and audited. */
  'agents.revoke': method({
    role: 'operator',
    confirm: 'always',
    args: z.strictObject({ agentId, reason: text(500).optional() }),
    result: result<AgentSummary>(),
    audit: (a) => `agent ${a.agentId}${a.reason ? `: ${a.reason}` : ''}`,
    example: { agentId: 'srv-0001', reason: 'host decommissioned' },
  }),
  /** Installs a release on the agents' devices (the agent-deploy workflow); a version that does not come healthy is rolled back. */
  'agents.upgrade': method({
    role: 'operator',
    confirm: 'always',
    args: upgradeArgs,
    result: result<AgentRollout>(),
    audit: (a) => `agents ${few(a.agentIds)} to ${a.version || 'the built-in version'}`,
    example: { agentIds: ['srv-0001', 'srv-0002'], version: '1.1.0', batchSize: 10, maxFailPct: 20 },
  }),
  /** Runs each agent's previous version again (the agent-rollback workflow). */
  'agents.rollback': method({
    role: 'operator',
    confirm: 'always',
    args: rollbackArgs,
    result: result<AgentRollout>(),
    audit: (a) => `agents ${few(a.agentIds)} to their previous version`,
    example: { agentIds: ['srv-0001'] },
  }),
};

export const agentEvents = {
  /** An agent connected, disconnected, reported its status, or was enrolled or revoked. */
  onDidChangeAgent: event({ role: 'viewer', payload: result<AgentSummary>() }),
};
