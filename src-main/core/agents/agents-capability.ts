// The agents capability: the console's TLS identity (made at the first start, kept sealed in
// the store, never replaced: agents pin it), the agent server on the configured address, the
// directory it checks hellos against (enrolled keys, revocations), group-committed ingest of
// results (acknowledged after commit), the audit of every refused connection, and its slice
// of the contract. Health, as the agents list shows it: revoked; never-reported (no session
// yet); over-cap (its last status says it stopped collecting over its CPU or memory cap);
// healthy (connected, with a status newer than three of its intervals); stale otherwise.
// It also gives the workflows capability the deploy tools and templates (deploy/: upload,
// enrol, activate; agent-deploy, agent-rollback) and answers agents.upgrade / agents.rollback
// by launching them, once create-core has connected the workflows capability (useWorkflows),
// which starts after this one because it needs the tools. From then on each summary of an agent
// on a device carries that device's last rollout (rollout-index.ts: the newest agent run that
// decided something for it, kept current from the engine's progress), and a change of it sends
// the agent's summary again.
import { createPublicKey } from 'node:crypto';
import type { Capability } from '../../../src-shared/api';
import type { WfTemplate } from '../../../src-shared/domain/workflow';
import type { Disposable } from '../../../src-shared/lifecycle';
import { systemdUnit, type AgentConfig, type ProbePlan } from '../../../src-shared/agent-protocol';
import type { AgentConsoleIdentity, AgentHealth, AgentSummary } from '../../../src-shared/domain/agent';
import { FleetDeckError, ValidationError } from '../../../src-shared/errors';
import type { AgentsConfig } from '../config';
import type { EventHub } from '../events/event-hub';
import { startAgentServer, type AgentServer, type AgentServerEvent } from '../protocols/agent/agent-server';
import { createConsoleIdentity } from '../protocols/agent/tls-identity';
import type { AgentRepository, AgentRow, ResultBatch, StoredIdentity } from '../store/agent-repository';
import { SecretDecryptError } from '../security/secret-box';
import type { AuditRepository } from '../store/audit-repository';
import type { Tool } from '../workflows/tool';
import { AGENT_TEMPLATES, createRollouts, deployTools, releaseCatalogue, sshDeployHost, type DeployAuditEntry, type DeployDeps, type RolloutWorkflows } from './deploy';
import type { SshDeployDeps } from './deploy/deploy-deps';
import { createIngestQueue, type IngestQueue } from './ingest-queue';
import { createRolloutIndex } from './rollout-index';

export type AgentMethod = 'agents.list' | 'agents.identity' | 'agents.results' | 'agents.enroll' | 'agents.revoke' | 'agents.upgrade' | 'agents.rollback';

/** What the deploy tools need from outside the agents capability (create-core fills it in). */
export interface AgentDeployWiring extends SshDeployDeps {
  device: DeployDeps['device'];
  audit(entry: DeployAuditEntry): void;
  systemdUnit?: DeployDeps['systemdUnit'];
}

export const DEFAULT_AGENT_CONFIG: AgentConfig = {
  intervalMs: 10_000,
  inventoryIntervalMs: 3_600_000,
  processes: ['sshd'],
  files: ['/etc/hosts', '/etc/resolv.conf'],
  maxCpuPct: 5,
  maxRssBytes: 128 * 1024 * 1024,
};

export interface AgentsCapability extends Capability<AgentMethod> {
  readonly identity: AgentConsoleIdentity;
  readonly ingest: IngestQueue;
  /** Enrols an agent's public key (the deploy workflow's enrol step). */
  enrol(agentId: string, publicKey: Buffer, deviceId: string | null, by: string): AgentSummary;
  summary(agentId: string): AgentSummary | null;
  /** agent.upload, agent.enrol, agent.activate, for the workflows capability. */
  deployTools(w: AgentDeployWiring): Tool[];
  /** agent-deploy and agent-rollback, shipped. */
  readonly templates: readonly WfTemplate[];
  /** agents.upgrade / agents.rollback launch on this workflows capability from now on. */
  useWorkflows(w: RolloutWorkflows): Disposable;
  /** Sets every agent's probe plan (by agent id); connected agents whose plan changed get their new config now. */
  setProbePlans(plans: ReadonlyMap<string, ProbePlan>): void;
  /** Called with every committed group of batches (after the commit, in the ingest turn). */
  onDidCommit(listener: (batches: readonly ResultBatch[]) => void): Disposable;
  /** The agents with a session now. */
  connectedIds(): ReadonlySet<string>;
}

export interface AgentsDeps {
  store: { agents: AgentRepository; audit: AuditRepository };
  hub: EventHub;
  config?: AgentsConfig;
  log?: (line: string) => void;
  now?: () => number;
}

const HOUR_MS = 3_600_000;

export async function startAgents(d: AgentsDeps): Promise<AgentsCapability> {
  const repo = d.store.agents;
  const now = d.now ?? Date.now;
  const log = d.log ?? (() => {});
  const collect: AgentConfig = { ...DEFAULT_AGENT_CONFIG, ...d.config?.collect };
  // The identity's key is sealed under the console's secret key. Opened with another key (the
  // key file lost or replaced), it cannot serve TLS: agents pinned that certificate, so no new
  // one is made behind their backs; the console runs without an agent server and says why.
  let stored: StoredIdentity | null = null;
  let sealedAway: string | null = null;
  try {
    stored = repo.identity();
  } catch (err) {
    if (!(err instanceof SecretDecryptError)) throw err;
    sealedAway = `the console's agent identity cannot be opened with this secret key (the key it was sealed with is not this one): no agent can connect until that key is back`;
    log(`agents: ${sealedAway}`);
  }
  if (!stored && !sealedAway) {
    const made = await createConsoleIdentity();
    repo.putIdentity(made);
    stored = repo.identity()!;
    log(`agents: made the console's agent identity ${stored.fingerprint256}`);
  }
  const tls = stored ?? { ...repo.identityCertificate()!, keyPem: '' };
  const committed = new Set<(batches: readonly ResultBatch[]) => void>();
  const ingest = createIngestQueue((b) => repo.storeResults(b, now()), {
    onCommit: (batches) => {
      for (const b of batches) if (b.results.some((r) => r.data.kind === 'status')) changed(b.agentId);
      for (const l of committed) {
        try {
          l(batches);
        } catch (err) {
          log(`agents: a results listener failed: ${(err as Error).message}`);
        }
      }
    },
  });
  // Each agent's probe plan (the probes capability builds them): part of the config it is welcomed with.
  let plans: ReadonlyMap<string, ProbePlan> = new Map();
  const configOf = (agentId: string): AgentConfig => {
    const plan = plans.get(agentId);
    return plan ? { ...collect, probes: plan } : collect;
  };

  let server: AgentServer | null = null;
  const connected = (): Set<string> => new Set(server?.sessions().map((s) => s.agentId) ?? []);
  const health = (r: AgentRow, live: boolean): AgentHealth => {
    if (r.state === 'revoked') return 'revoked';
    if (r.lastSeenAt === null && !live) return 'never-reported';
    if (r.status && r.status.state !== 'ok') return 'over-cap';
    if (live && r.status && now() - r.status.at <= 3 * collect.intervalMs) return 'healthy';
    return 'stale';
  };
  const lastRollouts = createRolloutIndex({
    onChange: (deviceIds) => {
      for (const dev of deviceIds) for (const id of repo.idsOnDevice(dev)) changed(id);
    },
    log,
  });
  const withRollout = (s: AgentSummary): AgentSummary => {
    const last = s.deviceId ? lastRollouts.of(s.deviceId) : undefined;
    return last ? { ...s, lastRollout: last } : s;
  };
  const toSummary = (r: AgentRow, live: Set<string>): AgentSummary => withRollout({
    id: r.id, deviceId: r.deviceId, hostname: r.hostname ?? (r.deviceId ? device(r.deviceId)?.hostname ?? null : null), state: r.state, health: health(r, live.has(r.id)), connected: live.has(r.id),
    version: r.version, remote: r.remote, lastSeenAt: r.lastSeenAt, lastSeq: r.lastSeq, status: r.status,
    enrolledAt: r.enrolledAt, enrolledBy: r.enrolledBy, revokedAt: r.revokedAt, revokedBy: r.revokedBy,
  });
  const summary = (id: string): AgentSummary | null => {
    const r = repo.get(id);
    return r ? toSummary(r, connected()) : null;
  };
  function changed(id: string): void {
    const s = summary(id);
    if (s) d.hub.emit('onDidChangeAgent', s);
  }

  const onEvent = (e: AgentServerEvent): void => {
    if (e.kind === 'refused') {
      d.store.audit.record({
        actor: `agent:${e.agentId ?? 'unknown'}`, role: 'viewer', action: 'agent.connect', target: e.agentId ?? e.remote,
        outcome: 'refused', detail: `${e.reason}: ${e.message} (from ${e.remote})`,
      }, now());
      log(`agents: refused ${e.agentId ?? e.remote}: ${e.reason}: ${e.message}`);
    } else if (e.kind === 'connected') {
      repo.connected(e.session.agentId, e.session.agentVersion, e.session.hostname, e.session.remote, now());
      changed(e.session.agentId);
    } else {
      changed(e.agentId);
    }
  };

  const listen = d.config?.listen === undefined ? { host: '127.0.0.1', port: 0 } : d.config.listen;
  if (listen && !sealedAway) {
    server = await startAgentServer({
      host: listen.host, port: listen.port, identity: tls,
      directory: {
        lookup: (id) => {
          const r = repo.get(id);
          return r ? { publicKey: r.publicKey, revoked: r.state === 'revoked' } : null;
        },
        lastSeq: (id) => repo.get(id)?.lastSeq ?? 0,
        config: configOf,
      },
      ingest: (id, results) => ingest.submit(id, results),
      onEvent,
      log,
    });
    log(`agents: taking agent connections on ${server.host}:${server.port} (TLS 1.3, certificate ${tls.fingerprint256})`);
  }
  const identity: AgentConsoleIdentity = { fingerprint256: tls.fingerprint256, certPem: tls.certPem, listen: server ? { host: server.host, port: server.port } : null };

  const retention = d.config?.resultRetentionMs ?? 7 * 24 * HOUR_MS;
  // Raw probe samples are many (200 k/s at 1,000 agents x 2,000 peers): their minute aggregates
  // are what is kept (probe-repository.ts); the raw rounds only for probeRetentionMs.
  const probeRetention = Math.min(retention, d.config?.probeResultRetentionMs ?? 6 * HOUR_MS);
  const prune = (): void => {
    try {
      let n = 0;
      for (const [olderThan, kinds] of [[now() - retention, undefined], [now() - probeRetention, ['probe', 'route']]] as const) {
        for (let k = 0; k < 100; k++) {
          const gone = repo.pruneResults(olderThan, 10_000, kinds);
          n += gone;
          if (gone < 10_000) break;
        }
      }
      if (n) log(`agents: pruned ${n} results older than ${Math.round(retention / HOUR_MS)} h (probe rounds: ${Math.round(probeRetention / HOUR_MS)} h)`);
    } catch (err) {
      log(`agents: pruning results failed: ${(err as Error).message}`);
    }
  };
  const pruner = setInterval(prune, HOUR_MS);
  pruner.unref();

  const enrol = (agentId: string, publicKey: Buffer, deviceId: string | null, by: string): AgentSummary => {
    repo.enrol(agentId, publicKey, deviceId, by, now());
    changed(agentId);
    return summary(agentId)!;
  };

  let device: DeployDeps['device'] = () => null;
  const rollouts = createRollouts({ summary, device: (id) => device(id) });
  const releases = releaseCatalogue({ bundleDir: d.config?.bundleDir, releasesDir: d.config?.releasesDir, runtimePath: d.config?.runtimePath });
  const consoleAddress = (): { host: string; port: number } => {
    if (d.config?.advertise) return d.config.advertise;
    const at = identity.listen;
    if (!at) throw new FleetDeckError('UNAVAILABLE', 'The console takes no agent connections (agents.listen is false): a deployed agent would have nothing to dial', { field: 'agents.listen' });
    if (at.host === '0.0.0.0' || at.host === '::') {
      throw new FleetDeckError('UNAVAILABLE', `The agent listener is on every address (${at.host}); set agents.advertise to the address hosts dial`, { field: 'agents.advertise' });
    }
    return at;
  };

  return {
    identity,
    ingest,
    enrol,
    summary,
    templates: AGENT_TEMPLATES,
    deployTools: (w) => {
      device = w.device;
      return deployTools({
        device: w.device, host: sshDeployHost(w), releases, audit: w.audit, systemdUnit: w.systemdUnit ?? systemdUnit, consoleAddress, now,
        agents: { fingerprint256: identity.fingerprint256, collect, enrol, summary },
      });
    },
    useWorkflows: (w) => {
      const uses = [rollouts.use(w), lastRollouts.use(w.engine)];
      return { dispose: () => uses.forEach((u) => u.dispose()) };
    },
    setProbePlans: (next) => {
      const before = plans;
      plans = next;
      for (const id of connected()) if (before.get(id)?.id !== next.get(id)?.id) server?.pushConfig(id, configOf(id));
    },
    onDidCommit: (listener) => {
      committed.add(listener);
      return { dispose: () => committed.delete(listener) };
    },
    connectedIds: () => connected(),
    api: {
      'agents.list': () => {
        const live = connected();
        return repo.list().map((r) => toSummary(r, live));
      },
      'agents.identity': () => identity,
      'agents.results': (a) => {
        if (!repo.get(a.agentId)) throw new ValidationError(`No agent "${a.agentId}" is enrolled`, { field: 'agentId' });
        return repo.results(a.agentId, { kind: a.kind, beforeSeq: a.beforeSeq, limit: a.limit ?? 100 });
      },
      'agents.enroll': (a, ctx) => enrol(a.agentId, parseAgentKey(a.publicKey), a.deviceId ?? null, ctx.actor),
      'agents.revoke': (a, ctx) => {
        const row = repo.revoke(a.agentId, ctx.actor, now());
        server?.disconnect(a.agentId, `revoked by ${ctx.actor}${a.reason ? `: ${a.reason}` : ''}`);
        changed(row.id);
        return summary(row.id)!;
      },
      'agents.upgrade': (a, ctx) => rollouts.upgrade(a, ctx),
      'agents.rollback': (a, ctx) => rollouts.rollback(a, ctx),
    },
    dispose: async () => {
      clearInterval(pruner);
      await server?.close();
      ingest.close();
    },
  };
}

/** An Ed25519 public key as SPKI DER (base64) or PEM; anything else is refused naming why. */
export function parseAgentKey(text: string): Buffer {
  const t = text.trim();
  try {
    const key = t.startsWith('-----BEGIN') ? createPublicKey(t) : createPublicKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') throw new ValidationError(`The agent key is ${key.asymmetricKeyType}, not Ed25519`, { field: 'publicKey' });
    return key.export({ format: 'der', type: 'spki' });
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw new ValidationError('The agent key is not an Ed25519 public key (SPKI DER in base64, or PEM)', { field: 'publicKey' });
  }
}
