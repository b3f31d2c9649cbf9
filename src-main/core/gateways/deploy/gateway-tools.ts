// The gateway deploy's first two tools and what they need from the core.
//  gateway.check (run scope, before any host is touched): the cluster config against the
//  schema, the node -> device mapping (gateway-plan.ts), and that the run's hosts are exactly
//  the mapped devices. Its refusal fails the run with the schema's or the mapping's words.
//  gateway.upload (per host): the agent's upload, for the gateway. It probes the host (Linux
//  x86_64 only), makes the folders, ships the Node runtime only when the host's copy lacks its
//  sha256 (the agent's runtime folder), then mgw.js and agent-supervise.js into a folder named
//  by their checksums when the host does not hold them, and writes each of its nodes' run
//  config (self = that node, stateDir under the install dir) when it differs: every file by
//  SFTP to a temporary name, its sha256 checked on the host, renamed into place. Nothing that
//  runs is touched (gateway.activate restarts). Its output names, per node, the checksum of
//  what that node should run (runtime, bundle and run config), which activate compares with
//  what the host says the running node was started from.
// Idempotent: every effect is a set-to-value; a second run ships nothing that is there.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Device } from '../../../../src-shared/domain';
import { FleetDeckError } from '../../../../src-shared/errors';
import type { DeployHost } from '../../agents/deploy/deploy-deps';
import { baseFor, deviceOf, SHA256, whereInputs } from '../../agents/deploy/deploy-deps';
import type { ShippedFile } from '../../agents/deploy/releases';
import { parseProbe } from '../../agents/deploy/upload-tool';
import { tool } from '../../workflows/tool';
import { BUNDLE_FILES, type BundleFileName, gatewayCommands, gatewayPaths, hostShell, parseSums, type GatewayBundle } from './gateway-host';
import { checkRunHosts, devicesOf, nodesOn, planInputs, planOf, runConfigOf } from './gateway-plan';

export interface GatewayDeployDeps {
  device(id: string): Device | null;
  host: DeployHost;
  /** The Node runtime shipped to hosts (the agent's catalogue's). */
  runtime(): Promise<ShippedFile>;
  /** The console's mgw.js and agent-supervise.js. */
  bundle(): Promise<GatewayBundle>;
  /** A run's hosts (device ids); null until the engine is running. */
  runHosts(runId: string): readonly string[] | null;
  /** GET /health on a node's control address: resolves on 200, rejects with the node's answer otherwise. */
  health(at: { address: string; port: number }): Promise<void>;
  now?: () => number;
}

const checkOutput = z.object({
  cluster: z.string(),
  nodes: z.number(),
  /** The mapped devices, in node order. */
  devices: z.array(z.string()),
});

export function gatewayCheckTool(deps: GatewayDeployDeps) {
  return tool({
    name: 'gateway.check',
    title: 'Check the gateway cluster',
    kind: 'sync',
    idempotent: true,
    input: z.object(planInputs),
    output: checkOutput,
    async run(ctx, a) {
      const plan = planOf(deps.device, a);
      const hosts = deps.runHosts(ctx.runId);
      if (hosts) checkRunHosts(plan, hosts);
      const where = [...plan.placement].map(([id, d]) => `${id} on ${d.hostname}`).join(', ');
      ctx.log(`cluster ${plan.cluster.cluster}: ${plan.cluster.nodes.length} node(s) (${where}), R=${plan.cluster.r}, ${plan.cluster.vips.length} VIP(s), ${plan.cluster.backends.length} backend(s)`);
      return { status: 'done' as const, output: { cluster: plan.cluster.cluster, nodes: plan.cluster.nodes.length, devices: devicesOf(plan) } };
    },
  });
}

export const uploadInput = z.object({
  ...whereInputs,
  ...planInputs,
  /** The nodes bind the VIPs where the host has them (false: a router in front owns them). */
  bindVips: z.boolean().default(true),
});

const uploadOutput = z.object({
  /** This host's nodes. */
  nodes: z.array(z.string()),
  runtimeShipped: z.boolean(),
  /** Which of mgw.js and agent-supervise.js went over (the host lacked them). */
  bundleShipped: z.array(z.string()),
  /** The nodes whose run config was written (it was missing or differed). */
  configsWritten: z.array(z.string()),
  bytesShipped: z.number(),
  runtimeSha256: SHA256,
  /** Names the bundle's folder on the host. */
  bundleKey: z.string(),
  /** Per node: the checksum of what it should run (runtime, bundle, run config). */
  sums: z.record(z.string(), SHA256),
});

const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const kib = (n: number): string => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(0)} KiB`);

export function gatewayUploadTool(deps: GatewayDeployDeps) {
  return tool({
    name: 'gateway.upload',
    title: 'Upload the gateway',
    kind: 'sync',
    idempotent: true,
    input: uploadInput,
    output: uploadOutput,
    async run(ctx, a) {
      const plan = planOf(deps.device, a);
      const dev = deviceOf(deps, a.deviceId);
      const mine = nodesOn(plan, dev);
      const base = baseFor(a, dev);
      const [runtime, bundle] = await Promise.all([deps.runtime(), deps.bundle()]);
      const layout = { base, runtimeSha256: runtime.sha256, bundleKey: bundle.key, cluster: plan.cluster.cluster };
      const p = gatewayPaths(layout);
      const cmd = gatewayCommands(layout);
      const sh = hostShell(deps.host, dev, ctx);

      const probe = parseProbe(await sh('probing the host', cmd.probe()));
      if (probe.system !== 'Linux x86_64') {
        throw new FleetDeckError('BAD_REQUEST', `${dev.hostname} runs ${probe.system || 'an unknown system'}: the gateway node runs on Linux x86_64 only for now`, { hostname: dev.hostname, found: probe.system });
      }
      ctx.log(`${dev.hostname}: ${probe.system}, PID 1 is ${probe.pid1}; node(s) ${mine.join(', ')} of cluster ${plan.cluster.cluster} under ${base}/mgw`);
      await sh('making the folders', cmd.mkdirs(mine));

      let bytes = 0;
      const kept = /^([0-9a-f]{64})\s/.exec(await sh('reading the runtime checksum', cmd.runtimeSum()))?.[1];
      const runtimeShipped = kept !== runtime.sha256;
      if (runtimeShipped) {
        bytes += (await deps.host.upload(dev, { source: { path: runtime.path }, remotePath: p.node, mode: 0o755, sha256: runtime.sha256, signal: ctx.signal })).bytes;
        ctx.log(`shipped the Node runtime (sha256 ${runtime.sha256.slice(0, 12)}) to ${p.node}`);
      } else {
        ctx.log(`the Node runtime ${p.runtimeDir} is on the host with this checksum: not shipped`);
      }

      const configs = mine.map((id) => {
        const text = `${JSON.stringify(runConfigOf(plan.cluster, id, p.stateDir(id), a.bindVips), null, 2)}\n`;
        return { id, remote: p.runConfig(id), bytes: Buffer.from(text), sha256: sha(text) };
      });
      const onHost = parseSums(await sh('reading the bundle and config checksums', cmd.sums([...BUNDLE_FILES.map(p.file), ...configs.map((c) => c.remote)])));

      const bundleShipped: BundleFileName[] = [];
      for (const name of BUNDLE_FILES) {
        const f = bundle.files[name];
        if (onHost.get(p.file(name)) === f.sha256) continue;
        bytes += (await deps.host.upload(dev, { source: { path: f.path }, remotePath: p.file(name), mode: 0o644, sha256: f.sha256, signal: ctx.signal })).bytes;
        bundleShipped.push(name);
      }
      ctx.log(bundleShipped.length ? `shipped ${bundleShipped.map((n) => `${n} (${kib(bundle.files[n].bytes)})`).join(', ')} to ${p.bundleDir}` : `${p.bundleDir} holds this bundle: not shipped`);

      const configsWritten: string[] = [];
      for (const c of configs) {
        if (onHost.get(c.remote) === c.sha256) continue;
        bytes += (await deps.host.upload(dev, { source: c.bytes, remotePath: c.remote, mode: 0o600, sha256: c.sha256, signal: ctx.signal })).bytes;
        configsWritten.push(c.id);
      }
      ctx.log(configsWritten.length ? `wrote the run config of ${configsWritten.join(', ')}` : 'every run config is as it should be: not written');

      const sums = Object.fromEntries(configs.map((c) => [c.id, sha(`${runtime.sha256} ${BUNDLE_FILES.map((f) => bundle.files[f].sha256).join(' ')} ${c.sha256}`)]));
      ctx.log(`${kib(bytes)} shipped in all, checksums verified on the host`);
      return {
        status: 'done' as const,
        output: { nodes: mine, runtimeShipped, bundleShipped, configsWritten, bytesShipped: bytes, runtimeSha256: runtime.sha256, bundleKey: bundle.key, sums },
      };
    },
  });
}
