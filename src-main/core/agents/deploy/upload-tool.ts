// agent.upload: puts a release on a host. It probes the host first (Linux x86_64 only for now;
// anything else is refused naming what uname said), makes the layout's folders, ships the Node
// runtime only when the host's copy does not have the runtime's sha256 (runtime/node-<sha12>,
// so a second deploy ships only the bundle), then the release's agent.js and
// agent-supervise.js into agent/<version>/. Every file goes by SFTP to a temporary name, its
// sha256 checked on the host against the console's, then renamed into place: a host never
// holds half a file under the real name. Nothing runs yet and nothing that runs is touched
// (agent.activate switches versions).
// Idempotent: every effect is a set-to-value (mkdir -p, a file replaced atomically by the same
// bytes), so an attempt cut off by a restart is simply run again.
import { z } from 'zod';
import { tool } from '../../workflows/tool';
import { baseFor, deviceOf, onHost, SHA256, whereInputs, type DeployDeps } from './deploy-deps';
import { UnsupportedHostError } from './errors';
import { RELEASE_FILES } from './releases';

const input = z.object({
  ...whereInputs,
  /** The release to ship; '' is the console's built-in bundle. */
  version: z.string().max(64).default(''),
});

const output = z.object({
  /** The version shipped (the built-in bundle's own when '' was asked). */
  version: z.string(),
  /** The runtime went over the wire (it was not on the host with this checksum). */
  runtimeShipped: z.boolean(),
  /** Bytes sent by SFTP: runtime (when shipped) and bundle. */
  bytesShipped: z.number(),
  /** PID 1 is systemd and it runs the host. */
  systemd: z.boolean(),
  /** The login is root (the systemd unit needs it). */
  root: z.boolean(),
  /** The runtime's sha256, for the steps after (its folder on the host is named by it). */
  runtimeSha256: SHA256,
});

export interface HostProbe {
  readonly system: string;
  readonly pid1: string;
  readonly root: boolean;
  readonly systemd: boolean;
}

/** The probe command's four lines; null fields read as unknown. */
export function parseProbe(stdout: string): HostProbe {
  const [system = '', pid1 = 'unknown', uid = '', booted = ''] = stdout.split('\n').map((l) => l.trim());
  return { system, pid1, root: uid === '0', systemd: pid1 === 'systemd' && booted === 'booted' };
}

const kib = (n: number): string => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(0)} KiB`);

export function agentUploadTool(deps: DeployDeps) {
  return tool({
    name: 'agent.upload',
    title: 'Upload the agent',
    kind: 'sync',
    idempotent: true,
    input,
    output,
    async run(ctx, a) {
      const dev = deviceOf(deps, a.deviceId);
      const base = baseFor(a, dev);
      const [release, runtime] = await Promise.all([deps.releases.release(a.version), deps.releases.runtime()]);
      const h = onHost(deps, dev, base, runtime.sha256, ctx);

      const probe = parseProbe(await h.sh('probing the host', h.cmd.probe()));
      if (probe.system !== 'Linux x86_64') throw new UnsupportedHostError(dev.hostname, probe.system);
      ctx.log(`${dev.hostname}: ${probe.system}, PID 1 is ${probe.pid1}${probe.systemd ? ' (systemd runs this host)' : ''}, login ${probe.root ? 'root' : 'not root'}; installing under ${base}`);
      await h.sh('making the folders', h.cmd.mkdirs(release.version));

      let bytes = 0;
      const kept = /^([0-9a-f]{64})\s/.exec(await h.sh('reading the runtime checksum', h.cmd.runtimeSum()))?.[1];
      const runtimeShipped = kept !== runtime.sha256;
      if (runtimeShipped) {
        const r = await deps.host.upload(dev, { source: { path: runtime.path }, remotePath: h.paths.node, mode: 0o755, sha256: runtime.sha256, signal: ctx.signal });
        bytes += r.bytes;
        ctx.log(`shipped the Node runtime (${kib(r.bytes)}, sha256 ${runtime.sha256.slice(0, 12)}) to ${h.paths.node}`);
      } else {
        ctx.log(`the Node runtime ${h.paths.runtimeDir} is on the host with this checksum: not shipped`);
      }
      for (const name of RELEASE_FILES) {
        const f = release.files[name];
        const r = await deps.host.upload(dev, { source: { path: f.path }, remotePath: `${h.paths.versionDir(release.version)}/${name}`, mode: 0o644, sha256: f.sha256, signal: ctx.signal });
        bytes += r.bytes;
      }
      ctx.log(`shipped agent ${release.version}${release.builtIn ? ' (built-in)' : ''}: ${RELEASE_FILES.map((n) => `${n} ${kib(release.files[n].bytes)}`).join(', ')}; ${kib(bytes)} in all, checksums verified on the host`);
      return { status: 'done' as const, output: { version: release.version, runtimeShipped, bytesShipped: bytes, systemd: probe.systemd, root: probe.root, runtimeSha256: runtime.sha256 } };
    },
  });
}
