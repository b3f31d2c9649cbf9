// Fleet agents: the list (version, health, last seen, buffer depth, resource use), the
// console's identity that agents pin, an agent's recent results, and the operator's actions
// on an agent (revoke: its next connection is refused and audited). Enrolment by hand (an
// admin pastes the public key `fleetdeck-agent keygen` printed) is for hosts the deploy
// workflow does not reach; the deploy workflow enrols the agents it installs itself.
import { z } from 'zod';
import { event, method, noArgs, optInt, result, text } from './contract';
import type { AgentConsoleIdentity, AgentSummary } from '../domain/agent';
import type { AgentResult } from '../agent-protocol/messages';

const agentId = text(128).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');
const RESULT_KINDS = ['metrics', 'process', 'inventory', 'status'] as const;

export const agentMethods = {
  /** Every enrolled or revoked agent, by id. */
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
};

export const agentEvents = {
  /** An agent connected, disconnected, reported its status, or was enrolled or revoked. */
  onDidChangeAgent: event({ role: 'viewer', payload: result<AgentSummary>() }),
};
