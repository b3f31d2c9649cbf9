// What the deploy tools (agent.upload, agent.enrol, agent.activate) need from the rest of the
// core, as narrow interfaces: the device record, the host reached over SSH (one command, or an
// SFTP upload whose sha256 is checked on the host: sshDeployHost fills it from the console's
// pool after the credential binding check), the releases and runtime to ship, the agents
// capability (identity to pin, collect config, enrolment, each agent's summary), the address
// hosts dial, and the audit trail. Also the shared input fields (where on the host, which
// version) and the helpers every tool uses: run a command and fail naming it, the layout.
import { z } from 'zod';
import type { AgentConfig } from '../../../../src-shared/agent-protocol';
import type { Device, Role } from '../../../../src-shared/domain';
import type { AgentSummary } from '../../../../src-shared/domain/agent';
import { NotFoundError } from '../../../../src-shared/errors';
import type { CredentialResolver } from '../../credentials/credential-resolver';
import { sftpUpload, type SshPool } from '../../protocols/ssh';
import { runOnDevice, sshEndpoint } from '../../provisioning/ssh-access';
import type { ToolContext } from '../../workflows/tool';
import { HostCommandError } from './errors';
import { hostCommands, paths, type HostLayout } from './host-commands';
import type { ReleaseCatalogue } from './releases';

export interface HostExecResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fleet host as the tools reach it (sshDeployHost over the console's SSH pool; tests fake it). */
export interface DeployHost {
  exec(dev: Device, command: string, opts: { timeoutMs?: number; signal: AbortSignal }): Promise<HostExecResult>;
  /** Atomic upload (temp file, sha256 checked on the host, rename); the bytes sent. */
  upload(dev: Device, opts: { source: Uint8Array | { path: string }; remotePath: string; mode: number; sha256?: string; signal: AbortSignal }): Promise<{ bytes: number }>;
}

export interface DeployAuditEntry {
  readonly actor: string;
  readonly role?: Role;
  readonly action: string;
  readonly target: string;
  readonly outcome: 'succeeded' | 'failed' | 'refused';
  readonly detail: string;
}

export interface DeployAgents {
  /** The console certificate's SHA-256, as agents pin it. */
  readonly fingerprint256: string;
  /** What agents collect (the console's collect config), written into agent.json. */
  readonly collect: AgentConfig;
  enrol(agentId: string, publicKey: Buffer, deviceId: string | null, by: string): AgentSummary;
  summary(agentId: string): AgentSummary | null;
}

/** What systemdUnit (src-shared/agent-protocol/systemd-unit.ts) takes; only the fields the deploy sets. */
export interface UnitOptions {
  readonly execStart: readonly string[];
  readonly workingDirectory: string;
  readonly description?: string;
}

export interface DeployDeps {
  device(id: string): Device | null;
  host: DeployHost;
  releases: ReleaseCatalogue;
  agents: DeployAgents;
  /** Where hosts dial the console's agent listener; throws (naming the config) when it cannot say. */
  consoleAddress(): { host: string; port: number };
  audit(entry: DeployAuditEntry): void;
  /** The systemd unit text (src-shared/agent-protocol/systemd-unit.ts). Absent: systemd hosts run the agent under the supervisor too. */
  systemdUnit?: (o: UnitOptions) => string;
  now?: () => number;
}

/** sshDeployHost's needs: the console's pool and the binding check. */
export interface SshDeployDeps {
  readonly ssh: { readonly pool: SshPool };
  readonly credentials: Pick<CredentialResolver, 'requireBound'>;
}

export function sshDeployHost(d: SshDeployDeps): DeployHost {
  return {
    exec: (dev, command, o) => runOnDevice(d, dev, command, { timeoutMs: o.timeoutMs, signal: o.signal, maxStdoutBytes: 64 * 1024 }),
    async upload(dev, o) {
      const at = sshEndpoint(dev);
      d.credentials.requireBound({ deviceId: dev.id, role: 'ssh', credentialId: at.credentialId, host: at.host, port: at.port }, { hostname: dev.hostname });
      const r = await sftpUpload(d.ssh.pool, at, { source: o.source, remotePath: o.remotePath, mode: o.mode, sha256: o.sha256, verify: 'sha256sum', signal: o.signal, timeoutMs: 20 * 60_000 });
      return { bytes: r.bytes };
    },
  };
}

export const DEFAULT_INSTALL_DIR = '/opt/fleetdeck';

const dirText = z.string().min(1).max(512).regex(/^[^\0\n\r]+$/, 'one line, no NUL').refine((s) => !s.split('/').includes('..'), 'no .. segments');

/** Where on the host: installDir, or this host's entry in installDirs (by device id or SN). */
export const whereInputs = {
  deviceId: z.string().min(1),
  installDir: dirText.default(DEFAULT_INSTALL_DIR),
  /** Per host (device id or SN -> dir), for hosts that do not share installDir (wins over it). */
  installDirs: z.record(z.string(), dirText).optional(),
};

export function baseFor(a: { installDir: string; installDirs?: Record<string, string> }, dev: Pick<Device, 'id' | 'sn'>): string {
  return (a.installDirs?.[dev.id] ?? a.installDirs?.[dev.sn] ?? a.installDir).replace(/\/+$/, '') || '/';
}

/** A host's layout, commands and a runner that fails naming what failed. */
export function onHost(deps: DeployDeps, dev: Device, base: string, runtimeSha256: string, ctx: Pick<ToolContext, 'signal'>) {
  const layout: HostLayout = { base, runtimeSha256 };
  const cmd = hostCommands(layout);
  /** Runs it; a non-zero exit or a signal throws HostCommandError with its stderr. */
  const sh = async (what: string, command: string, timeoutMs = 30_000): Promise<string> => {
    const r = await deps.host.exec(dev, command, { timeoutMs, signal: ctx.signal });
    if (r.exitCode !== 0) {
      throw new HostCommandError(dev.hostname, what, r.exitCode === null ? `signal ${r.signal ?? '?'}` : `exit ${r.exitCode}`, (r.stderr.trim() || r.stdout.trim()).slice(-500));
    }
    return r.stdout;
  };
  return { dev, layout, paths: paths(layout), cmd, sh };
}

export function deviceOf(deps: Pick<DeployDeps, 'device'>, id: string): Device {
  const dev = deps.device(id);
  if (!dev) throw new NotFoundError('device', id);
  return dev;
}

/** The runtime's checksum a step names (bound from agent.upload's output), else the catalogue's runtime. */
export async function runtimeSum(deps: Pick<DeployDeps, 'releases'>, given: string | undefined): Promise<string> {
  return given ?? (await deps.releases.runtime()).sha256;
}

export const SHA256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex');
