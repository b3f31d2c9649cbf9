// SSH for the provisioning tools: one command on a device's OS through the console's pool,
// after the credential binding check (nothing is dialled for an unbound credential), with the
// fingerprint of the host key the connection matched; and the explicit acceptance of a host
// key that changed after a reinstall: the pool refuses the new key (SshHostKeyMismatchError
// names both), so the new one is pinned in its place, the pool's connections to the host
// closed, and the change audited and logged with both fingerprints. Never silent: nothing
// else here re-pins a key.
import type { Device, Role } from '../../../src-shared/domain';
import { FleetDeckError } from '../../../src-shared/errors';
import { execOn, leavesChannelOpen, SshHostKeyMismatchError, toCommand, type ExecResult } from '../protocols/ssh';
import type { ProvisioningDeps } from './deps';
import { named } from './deps';

export interface SshEndpoint {
  readonly host: string;
  readonly port: number;
  readonly credentialId: string;
}

export type Say = (line: string, level?: 'info' | 'warn' | 'error') => void;

/** The device's SSH endpoint, or UNAVAILABLE when it has no SSH credential. */
export function sshEndpoint(dev: Device): SshEndpoint {
  if (!dev.sshCredential) {
    throw new FleetDeckError('UNAVAILABLE', `${named(dev)} has no SSH credential: the console cannot log in to its OS`, { deviceId: dev.id, reason: 'no-ssh-credential' });
  }
  return { host: dev.mgmtIp, port: dev.sshPort, credentialId: dev.sshCredential };
}

export interface RunResult extends ExecResult {
  /** "SHA256:..." of the host key this connection matched. */
  readonly fingerprint: string;
}

/** Runs one command line on the device's OS (the binding checked first); a non-zero exit is returned, not thrown. */
export async function runOnDevice(
  deps: Pick<ProvisioningDeps, 'ssh' | 'credentials'>,
  dev: Device,
  command: string,
  opts: { timeoutMs?: number; signal: AbortSignal; maxStdoutBytes?: number },
): Promise<RunResult> {
  const at = sshEndpoint(dev);
  deps.credentials.requireBound({ deviceId: dev.id, role: 'ssh', credentialId: at.credentialId, host: at.host, port: at.port }, { hostname: dev.hostname });
  const cmd = toCommand(command);
  return deps.ssh.pool.use(at, async (conn) => {
    const r = await execOn(conn, cmd, { timeoutMs: opts.timeoutMs ?? 15_000, signal: opts.signal, maxStdoutBytes: opts.maxStdoutBytes ?? 256 * 1024 });
    return { ...r, fingerprint: conn.hostKeyFingerprint };
  }, { signal: opts.signal, brokenOn: leavesChannelOpen });
}

export interface HostKeyOutcome {
  /** The key changed (or was pinned for the first time) in this call. */
  readonly changed: boolean;
  /** What was pinned before; null: nothing (first use). */
  readonly oldFingerprint: string | null;
  readonly newFingerprint: string;
}

export interface AcceptContext {
  readonly actor: string;
  /** The run's launcher's role (ToolContext.role), audited with the actor. */
  readonly role?: Role;
  readonly runId: string;
  readonly stepId: string;
  readonly signal: AbortSignal;
  readonly log: Say;
}

/**
 * Connects once to learn the key the host presents. The pinned key: nothing changes. A
 * different key: it is pinned instead of the old one (audited and logged with both). No
 * pin yet: the pool pins it on first use (audited as a first pin).
 */
export async function acceptHostKey(deps: Pick<ProvisioningDeps, 'ssh' | 'credentials' | 'hostKeys' | 'audit'>, dev: Device, ctx: AcceptContext): Promise<HostKeyOutcome> {
  const at = sshEndpoint(dev);
  const before = deps.hostKeys.get(at.host, at.port);
  const where = `${named(dev)} at ${at.host}:${at.port}`;
  const audit = (detail: string): void => deps.audit({
    actor: ctx.actor, role: ctx.role, action: 'ssh.acceptNewHostKey', target: `${dev.hostname} (${dev.id}) ${at.host}:${at.port}`, outcome: 'succeeded',
    detail: `${detail} (workflow run ${ctx.runId}, step ${ctx.stepId})`,
  });
  try {
    const probe = await runOnDevice(deps, dev, 'true', { timeoutMs: 10_000, signal: ctx.signal });
    if (before === null) {
      audit(`first SSH host key pinned: ${probe.fingerprint}`);
      ctx.log(`no SSH host key was pinned for ${where}; pinned the one it presents: ${probe.fingerprint}`, 'warn');
      return { changed: true, oldFingerprint: null, newFingerprint: probe.fingerprint };
    }
    ctx.log(`the SSH host key of ${where} is the one pinned (${probe.fingerprint}): nothing to accept`);
    return { changed: false, oldFingerprint: before, newFingerprint: probe.fingerprint };
  } catch (err) {
    if (!(err instanceof SshHostKeyMismatchError)) throw err;
    // Pin exactly the key this host just presented (not "whatever comes next"): a different one later is refused again.
    deps.hostKeys.pin(at.host, at.port, err.actual);
    await deps.ssh.pool.closeHost(at.host, at.port);
    audit(`SSH host key replaced after a reinstall: old ${err.expected}, new ${err.actual}`);
    ctx.log(`the SSH host key of ${where} changed (a reinstall): pinned ${err.actual} in place of ${err.expected} (audited)`, 'warn');
    return { changed: true, oldFingerprint: err.expected, newFingerprint: err.actual };
  }
}

/** Puts the key pinned before an acceptance back (the host failed the check after it), audited as refused. */
export async function restoreHostKey(
  deps: Pick<ProvisioningDeps, 'ssh' | 'hostKeys' | 'audit'>, dev: Device, k: HostKeyOutcome, ctx: AcceptContext, reason: string,
): Promise<void> {
  const at = sshEndpoint(dev);
  if (k.oldFingerprint === null) deps.hostKeys.forget(at.host, at.port);
  else deps.hostKeys.pin(at.host, at.port, k.oldFingerprint);
  await deps.ssh.pool.closeHost(at.host, at.port);
  deps.audit({
    actor: ctx.actor, role: ctx.role, action: 'ssh.acceptNewHostKey', target: `${dev.hostname} (${dev.id}) ${at.host}:${at.port}`, outcome: 'refused',
    detail: `new SSH host key ${k.newFingerprint} not kept, ${k.oldFingerprint ?? 'no key'} pinned again: ${reason} (workflow run ${ctx.runId}, step ${ctx.stepId})`,
  });
  ctx.log(`${named(dev)}: the new SSH host key ${k.newFingerprint} is not kept (${reason}); ${k.oldFingerprint ?? 'no key'} is pinned again`, 'error');
}
