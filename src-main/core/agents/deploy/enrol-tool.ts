// agent.enrol: gives the host's agent its identity with the console. The key is made ON the
// host (`agent keygen`: Ed25519, mode 0600 in the state folder; the private key never leaves
// it) and only the public key comes back, which the agents capability enrols under the device
// id (by the run's launcher, audited). Then agent.json (the run config the agent reads:
// src-shared/agent-protocol/run-config.ts) goes to the host by SFTP with mode 0600: the
// console's address as the host should dial it, its certificate's pinned SHA-256, the state
// folder and what to collect.
// keygen runs with the build `current` points at when there is one (the running, known-good
// build: any build prints the same key, and a broken new build must not stop the enrolment;
// agent.activate is what judges the new build), else with the version just uploaded.
// An agent an operator revoked is not re-enrolled by a deploy (that would undo the revoke):
// the step refuses, naming who revoked it; an admin enrols it again with agents.enroll.
// Idempotent: keygen keeps the key it made, enrolling the same key again changes nothing, and
// agent.json is replaced atomically with the same content.
import { createHash, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { agentRunConfig } from '../../../../src-shared/agent-protocol/run-config';
import { FleetDeckError } from '../../../../src-shared/errors';
import { tool } from '../../workflows/tool';
import { baseFor, deviceOf, onHost, runtimeSum, SHA256, whereInputs, type DeployDeps } from './deploy-deps';
import { HostCommandError } from './errors';
import { VERSION_PATTERN } from './host-commands';

const AGENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const input = z.object({
  ...whereInputs,
  /** The version agent.upload shipped (its keygen is the fallback). */
  version: z.string().regex(VERSION_PATTERN),
  /** agent.upload's runtimeSha256; absent: the console's runtime. */
  runtimeSha256: SHA256.optional(),
});

const output = z.object({
  agentId: z.string(),
  /** SHA-256 of the agent's public key (SPKI DER), hex: which key the console enrolled. */
  keySha256: z.string(),
  /** host:port the agent dials. */
  console: z.string(),
});

/** The keygen output: an Ed25519 public key (SPKI DER, base64) on its last line. */
export function parsePublicKey(stdout: string, hostname: string): Buffer {
  const line = stdout.trim().split('\n').pop()?.trim() ?? '';
  try {
    const key = createPublicKey({ key: Buffer.from(line, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType === 'ed25519') return key.export({ format: 'der', type: 'spki' });
  } catch {
    // named below
  }
  throw new FleetDeckError('UNAVAILABLE', `${hostname}: agent keygen printed no Ed25519 public key (${JSON.stringify(line.slice(0, 80))})`, { hostname });
}

export function agentEnrolTool(deps: DeployDeps) {
  return tool({
    name: 'agent.enrol',
    title: 'Enrol the agent',
    kind: 'sync',
    idempotent: true,
    input,
    output,
    async run(ctx, a) {
      const dev = deviceOf(deps, a.deviceId);
      if (!AGENT_ID.test(dev.id)) throw new FleetDeckError('VALIDATION', `The device id "${dev.id}" cannot name an agent (letters, digits and . _ : - only, at most 128)`, { field: 'deviceId' });
      const before = deps.agents.summary(dev.id);
      if (before?.state === 'revoked') {
        throw new FleetDeckError('CONFLICT', `The agent ${dev.id} was revoked by ${before.revokedBy ?? '?'}: a deploy does not enrol it again; an admin does (agents.enroll)`, { agentId: dev.id, revokedBy: before.revokedBy });
      }
      const h = onHost(deps, dev, baseFor(a, dev), await runtimeSum(deps, a.runtimeSha256), ctx);
      const current = (await h.sh('reading the current version', h.cmd.currentVersion())).trim();
      const builds = [...new Set([current, a.version].filter((v) => VERSION_PATTERN.test(v)))];
      let stdout: string | null = null;
      for (const [i, v] of builds.entries()) {
        try {
          stdout = await h.sh(`agent ${v} keygen`, h.cmd.keygen(v));
          break;
        } catch (err) {
          if (!(err instanceof HostCommandError) || i === builds.length - 1) throw err;
          ctx.log(`${err.message}; trying the build just uploaded (${a.version})`, 'warn');
        }
      }
      const der = parsePublicKey(stdout ?? '', dev.hostname);
      const keySha256 = createHash('sha256').update(der).digest('hex');
      const same = before !== null && before.state === 'enrolled';
      deps.agents.enrol(dev.id, der, dev.id, ctx.actor);
      deps.audit({
        actor: ctx.actor, role: ctx.role, action: 'agent.enrol', target: `${dev.hostname} (${dev.id})`, outcome: 'succeeded',
        detail: `Ed25519 key sha256 ${keySha256} made on the host${same ? ' (enrolled again)' : ''} (workflow run ${ctx.runId}, step ${ctx.stepId})`,
      });

      const at = deps.consoleAddress();
      const config = agentRunConfig.parse({
        agentId: dev.id, console: { host: at.host, port: at.port, fingerprint256: deps.agents.fingerprint256 }, stateDir: h.paths.stateDir, hostname: dev.hostname, config: deps.agents.collect,
      });
      await deps.host.upload(dev, { source: Buffer.from(`${JSON.stringify(config, null, 2)}\n`), remotePath: h.paths.runConfig, mode: 0o600, signal: ctx.signal });
      ctx.log(`enrolled agent ${dev.id} (key sha256 ${keySha256.slice(0, 16)}…, made on the host); ${h.paths.runConfig} written (0600): dials ${at.host}:${at.port}, pins ${deps.agents.fingerprint256.slice(0, 23)}…`);
      return { status: 'done' as const, output: { agentId: dev.id, keySha256, console: `${at.host}:${at.port}` } };
    },
  });
}
