// Lab SSH hosts answer the agent deploy and run real agents (issue 13, "The lab"): through the
// core's own SSH client (pool, sshExec, sftpUpload) and the deploy's host-command builders,
// three in-process lab hosts are probed, take a 3 MiB "runtime" (kept as its checksum only)
// and the agent bundle built by scripts/build-daemons.mjs, make their keys, get agent.json and
// start the agent under the (lab's) supervisor; each agent dials a console agent server over
// TLS 1.3, says hello as 9.9.9 and uploads the lab host's simulated figures (MemTotal of the
// host, not of this machine). Stop, power off, a reinstall and a bundle without a banner behave
// as on a host.
// Addresses 127.67.x.y, port 19026.
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentConfig, AgentResult } from '../../../src-shared/agent-protocol';
import { agentRunConfig } from '../../../src-shared/agent-protocol/run-config';
import type { Device } from '../../../src-shared/domain';
import { hostCommands, paths, type HostLayout } from '../../../src-main/core/agents/deploy/host-commands';
import { startAgentServer, type AgentServer, type AgentServerEvent, type EnrolledAgent } from '../../../src-main/core/protocols/agent/agent-server';
import { createConsoleIdentity, type ConsoleTlsIdentity } from '../../../src-main/core/protocols/agent/tls-identity';
import { createSshPool, MemoryHostKeyStore, sftpUpload, sshExec, type SshPool, type SshTarget } from '../../../src-main/core/protocols/ssh';
import { createLabAgents, type LabAgents } from '../../../src-main/lab/agents/lab-agents';
import { generateLab } from '../../../src-main/lab/generator';
import { internedBlobs } from '../../../src-main/lab/ssh/ssh-files';
import { factsFor } from '../../../src-main/lab/ssh/ssh-host-facts';
import { sshHostSpecFor, startLabSshHosts, type LabSshHosts } from '../../../src-main/lab/ssh/ssh-host';
import { leftOver, resources, until } from '../../support/handles';

const PORT = 19026;
const SEED = 23;
const PASSWORD = 'lab-agents-secret';
const VERSION = '9.9.9';
const CONFIG: AgentConfig = { intervalMs: 1000, inventoryIntervalMs: 10_000, processes: ['nginx'], files: [], maxCpuPct: 400, maxRssBytes: 4 * 1024 * 1024 * 1024 };

let before: string[];
let tmp: string;
let lab: LabSshHosts;
let agents: LabAgents;
let servers: Device[];
let pool: SshPool;
let identity: ConsoleTlsIdentity;
let server: AgentServer;
let bundle: Record<'agent.js' | 'agent-supervise.js', { file: string; bytes: number }>;
let runtime: { file: string; sha256: string };
let layout: HostLayout;
const enrolled = new Map<string, EnrolledAgent>();
const stored = new Map<string, AgentResult[]>();
const events: AgentServerEvent[] = [];

const target = (d: Device): SshTarget => ({ host: d.mgmtIp, port: PORT, credentialId: 'lab-ssh' });
const sh = (d: Device, cmd: string) => sshExec(pool, target(d), cmd, { timeoutMs: 20_000 });
const cmd = () => hostCommands(layout);
const p = () => paths(layout);
const results = (id: string, kind: string) => (stored.get(id) ?? []).filter((r) => r.data.kind === kind);

beforeAll(async () => {
  before = resources();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'lab-agents-test-'));
  const build = (await import(pathToFileURL(path.resolve('scripts/build-daemons.mjs')).href)) as {
    buildDaemons(o: { outDir: string; version: string; quiet: boolean }): Promise<typeof bundle>;
  };
  bundle = await build.buildDaemons({ outDir: path.join(tmp, 'release'), version: VERSION, quiet: true });
  // The runtime's stand-in: 3 MiB, over the lab's 2 MiB keep limit.
  const bytes = Buffer.alloc(3 << 20);
  for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE((i * 2654435761) >>> 0, i);
  runtime = { file: path.join(tmp, 'node'), sha256: createHash('sha256').update(bytes).digest('hex') };
  writeFileSync(runtime.file, bytes);
  layout = { base: '/opt/fleetdeck', runtimeSha256: runtime.sha256 };

  identity = await createConsoleIdentity();
  server = await startAgentServer({
    host: '127.0.0.1', port: 0, identity,
    directory: { lookup: (id) => enrolled.get(id) ?? null, lastSeq: (id) => Math.max(0, ...(stored.get(id) ?? []).map((r) => r.seq)), config: () => CONFIG },
    ingest: async (id, batch) => void stored.set(id, [...(stored.get(id) ?? []), ...batch]),
    onEvent: (e) => events.push(e),
  });

  const inventory = generateLab(SEED, { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 2, devices: 30 }, { addressPrefix: '127.67' });
  servers = inventory.devices.filter((d) => d.kind === 'server').slice(0, 4);
  agents = createLabAgents({ linkBackoffMs: { min: 100, max: 1000, refused: 1000 } });
  lab = await startLabSshHosts(servers.map((d) => ({ ...sshHostSpecFor(d, SEED, { username: 'fleetdeck', password: PASSWORD }), port: PORT })), { agents });
  pool = createSshPool({ hostKeys: new MemoryHostKeyStore(), credentials: () => ({ username: 'fleetdeck', password: PASSWORD }), idleTimeoutMs: 5000, connectTimeoutMs: 5000 });
}, 60_000);

afterAll(async () => {
  await pool?.dispose();
  await lab?.close();
  const dir = agents?.rootDir;
  await agents?.dispose();
  if (dir) expect(existsSync(dir)).toBe(false);
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
  await until('every socket closed', () => leftOver(before, resources()).length === 0 || undefined, 5000).catch(() => {
    throw new Error(`handles left open: ${leftOver(before, resources()).join(', ')}`);
  });
});

/** What agent.upload and agent.enrol do on a host, step by step, with the deploy's own command lines. */
async function deploy(d: Device): Promise<string> {
  expect(await sh(d, cmd().probe())).toMatchObject({ exitCode: 0, stdout: 'Linux x86_64\ninit\n1000\nnot-booted\n' });
  expect(await sh(d, cmd().mkdirs(VERSION))).toMatchObject({ exitCode: 0 });
  expect(await sh(d, cmd().runtimeSum())).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
  const up = await sftpUpload(pool, target(d), { source: { path: runtime.file }, remotePath: p().node, mode: 0o755, sha256: runtime.sha256, verify: 'sha256sum' });
  expect(up).toMatchObject({ bytes: 3 << 20, verifiedBy: 'sha256sum' });
  expect((await sh(d, cmd().runtimeSum())).stdout).toBe(`${runtime.sha256}  ${p().node}\n`);
  for (const name of ['agent.js', 'agent-supervise.js'] as const) {
    const sha256 = createHash('sha256').update(readFileSync(bundle[name].file)).digest('hex');
    await sftpUpload(pool, target(d), { source: { path: bundle[name].file }, remotePath: `${p().versionDir(VERSION)}/${name}`, mode: 0o644, sha256, verify: 'sha256sum' });
  }
  const keygen = await sh(d, cmd().keygen(VERSION));
  expect(keygen).toMatchObject({ exitCode: 0 });
  const der = Buffer.from(keygen.stdout.trim(), 'base64');
  expect(createPublicKey({ key: der, format: 'der', type: 'spki' }).asymmetricKeyType).toBe('ed25519');
  expect((await sh(d, cmd().keygen(VERSION))).stdout).toBe(keygen.stdout); // the key is kept
  enrolled.set(d.id, { publicKey: der, revoked: false });
  const config = agentRunConfig.parse({
    agentId: d.id, console: { host: '127.0.0.1', port: server.port, fingerprint256: identity.fingerprint256 }, stateDir: p().stateDir, hostname: d.hostname,
    config: { ...CONFIG, files: [p().node, '/etc/os-release', 'relative', '/no/such'] },
  });
  await sftpUpload(pool, target(d), { source: Buffer.from(`${JSON.stringify(config, null, 2)}\n`), remotePath: p().runConfig, mode: 0o600 });
  return keygen.stdout.trim();
}

describe('lab SSH hosts under the agent deploy', () => {
  it('take the runtime by checksum and the bundle, make a key, and run the real agent, which reports the lab host', async () => {
    const hosts = servers.slice(0, 3);
    await Promise.all(hosts.map(deploy));
    for (const d of hosts) {
      // The 3 MiB file is not kept whole: only the bundles and small files are.
      const kept = lab.hosts.get(d.id)!.keptBytes;
      expect(kept).toBeLessThan(bundle['agent.js'].bytes + bundle['agent-supervise.js'].bytes + 64 * 1024);
      expect(kept).toBeGreaterThan(bundle['agent.js'].bytes);
      const back = await sh(d, `cat ${p().node}`);
      expect(back.exitCode).toBe(1);
      expect(back.stderr).toContain(`the lab keeps only this file's checksum (sha256 ${runtime.sha256}, ${3 << 20} bytes)`);
    }
    // Three hosts hold one agent.js between them.
    expect(internedBlobs()).toMatchObject({ count: 1, bytes: bundle['agent.js'].bytes });

    for (const d of hosts) {
      expect(await sh(d, cmd().currentVersion())).toMatchObject({ exitCode: 0, stdout: '' });
      expect(await sh(d, cmd().switchTo(VERSION, null))).toMatchObject({ exitCode: 0 });
      expect((await sh(d, cmd().currentVersion())).stdout).toBe(`${VERSION}\n`);
      expect(await sh(d, cmd().stop())).toMatchObject({ exitCode: 0, stdout: 'nothing running\n' });
      const started = await sh(d, cmd().start());
      expect(started).toMatchObject({ exitCode: 0, stderr: '' });
      expect(started.stdout).toMatch(/^supervisor \d+ started\n$/);
      expect(await sh(d, cmd().start())).toMatchObject({ exitCode: 3 }); // one supervisor per pid file
    }

    for (const d of hosts) {
      const f = factsFor(d.id);
      const metrics = await until(`${d.hostname}'s metrics`, () => results(d.id, 'metrics')[0], 20_000);
      if (metrics.data.kind !== 'metrics') throw new Error('not metrics');
      expect(metrics.data.memTotalBytes).toBe(f.memKb * 1024);
      expect(metrics.data.memTotalBytes).not.toBe(os.totalmem());
      expect(metrics.data.disks.map((x) => x.mount)).toEqual(['/', '/boot/efi']);
      expect(metrics.data.nets.map((n) => n.iface)).toEqual(['lo', 'eno1', 'eno2']);
      expect(metrics.data.cpuIdlePct).toBeLessThan(100);
      const inv = await until(`${d.hostname}'s inventory`, () => results(d.id, 'inventory')[0], 20_000);
      if (inv.data.kind !== 'inventory') throw new Error('not inventory');
      expect(inv.data).toMatchObject({ osRelease: f.prettyName, kernel: f.kernel });
      expect(inv.data.files).toEqual([
        { path: p().node, sha256: runtime.sha256, error: null },
        { path: '/etc/os-release', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), error: null },
        { path: 'relative', sha256: null, error: 'not-absolute' },
        { path: '/no/such', sha256: null, error: 'ENOENT' },
      ]);
      if (f.distro !== 'rocky') expect(inv.data.packages.map((x) => x.name)).toContain('openssh-server');
      const proc = results(d.id, 'process')[0];
      expect(proc?.data).toMatchObject({ kind: 'process', name: 'nginx', pid: null });
      const hello = events.find((e) => e.kind === 'connected' && e.session.agentId === d.id);
      expect(hello).toMatchObject({ session: { agentVersion: VERSION, hostname: d.hostname } });
      expect(await sh(d, `${p().node} ${p().current}/agent.js version`)).toMatchObject({ exitCode: 0, stdout: `${VERSION}\n` });
      const log = (await sh(d, cmd().logTail(40))).stdout;
      expect(log).toContain(`agent ${d.id} ${VERSION} started (pid `);
      expect(log).toMatch(/supervisor\[\d+\]: started child \d+: /);
      expect(log).toContain('link: live');
    }
    expect(agents.running().map((a) => a.agentId).sort()).toEqual(hosts.map((d) => d.id).sort());

    // stop: that agent says bye and is gone; the others run on.
    const [first, second] = hosts;
    expect((await sh(first, cmd().stop())).stdout).toMatch(/^supervisor \d+ stopped\n$/);
    await until('the console saw it leave', () => events.some((e) => e.kind === 'disconnected' && e.agentId === first.id) || undefined, 10_000);
    expect(agents.running().map((a) => a.agentId)).not.toContain(first.id);
    expect(await sh(first, cmd().stop())).toMatchObject({ exitCode: 0, stdout: 'nothing running\n' });

    // Powering a host off stops its agent too (its state dir stays for the next start).
    const stateDir = path.join(agents.rootDir!, second.id, 'fs', p().stateDir);
    expect(existsSync(path.join(stateDir, 'buffer'))).toBe(true);
    await lab.hosts.get(second.id)!.setPower(false);
    expect(agents.running().map((a) => a.agentId)).not.toContain(second.id);
    await lab.hosts.get(second.id)!.setPower(true);
    expect(existsSync(path.join(stateDir, 'buffer'))).toBe(true);
    expect(await sh(second, cmd().stop())).toMatchObject({ exitCode: 0, stdout: 'nothing running\n' });

    // A reinstall (PXE) stops the third host's agent and takes its state dir with it.
    const third = hosts[2];
    const thirdState = path.join(agents.rootDir!, third.id, 'fs', p().stateDir);
    expect(existsSync(thirdState)).toBe(true);
    const h3 = lab.hosts.get(third.id)!;
    await h3.setPower(false);
    h3.reinstall({ hostname: `${third.hostname}-new`, facts: factsFor(third.id), hostKeySeed: 'reinstalled' });
    await h3.setPower(true);
    expect(existsSync(thirdState)).toBe(false);
    expect(agents.running()).toEqual([]);
  }, 120_000);

  it('refuse what a real host would: a runtime not uploaded, a bundle with no banner (logged, restarted), no agent.json', async () => {
    const d = servers[3];
    expect(await sh(d, cmd().keygen(VERSION))).toMatchObject({ exitCode: 127, stderr: `bash: ${p().node}: No such file or directory\n` });
    expect(await sh(d, cmd().mkdirs('bad'))).toMatchObject({ exitCode: 0 });
    expect(await sh(d, cmd().mkdirs(VERSION))).toMatchObject({ exitCode: 0 });
    await sftpUpload(pool, target(d), { source: { path: runtime.file }, remotePath: p().node, mode: 0o755 });
    await sftpUpload(pool, target(d), { source: Buffer.from('console.log("no banner");\n'), remotePath: `${p().versionDir('bad')}/agent.js`, mode: 0o644 });
    await sftpUpload(pool, target(d), { source: { path: bundle['agent-supervise.js'].file }, remotePath: `${p().versionDir('bad')}/agent-supervise.js`, mode: 0o644 });
    const v = await sh(d, `${p().node} ${p().versionDir('bad')}/agent.js version`);
    expect(v.exitCode).toBe(1);
    expect(v.stderr).toContain('no /* fleetdeck-agent <version> */ banner');

    await sh(d, cmd().switchTo('bad', null));
    expect(await sh(d, cmd().start())).toMatchObject({ exitCode: 0 });
    const tail = await until('the log says why', async () => {
      const t = (await sh(d, cmd().logTail(40))).stdout;
      return /restart 2 in 2000 ms/.test(t) && t;
    }, 10_000);
    expect(tail).toContain('banner: the lab cannot tell what it would run');
    expect(tail).toMatch(/supervisor\[\d+\]: child \d+ exited with code 1 after 0 ms; restart 1 in 1000 ms/);
    expect(agents.running().map((a) => a.hostId)).not.toContain(d.id);
    expect((await sh(d, cmd().stop())).stdout).toMatch(/stopped/);

    // A good bundle, but no agent.json and no key: the child says which file it could not open.
    for (const name of ['agent.js', 'agent-supervise.js'] as const) {
      await sftpUpload(pool, target(d), { source: { path: bundle[name].file }, remotePath: `${p().versionDir(VERSION)}/${name}`, mode: 0o644 });
    }
    await sh(d, cmd().switchTo(VERSION, 'bad'));
    expect((await sh(d, cmd().previousVersion())).stdout).toBe('bad\n');
    expect(await sh(d, cmd().start())).toMatchObject({ exitCode: 0 });
    await until('the log names agent.json', async () => (await sh(d, cmd().logTail(5))).stdout.includes(`agent: ENOENT: no such file or directory, open '${p().runConfig}'`) || undefined, 10_000);
    expect(agents.running().map((a) => a.hostId)).not.toContain(d.id);
    expect((await sh(d, cmd().stop())).stdout).toMatch(/stopped/);
  }, 60_000);
});
