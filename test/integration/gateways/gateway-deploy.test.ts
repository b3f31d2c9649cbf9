// The gateway-deploy workflow through the whole core against two real OpenSSH sshd processes on
// 127.0.0.1 (child processes on their own ports, key login as this user; each host installs
// under its own temp folder): the bundle built by scripts/build-daemons.mjs into a temp folder
// (the console's agents.bundleDir), the console's own node shipped as the runtime.
//  - a viewer may not launch it (operator+, as every workflows.launch); the launches audited;
//  - refusals before any host is touched: a cluster the schema refuses (R above the node
//    count: the schema's words), a node left unmapped, a node on a device without an SSH
//    credential, and a run host that runs no node;
//  - a 2-node cluster (R=2, gw1 at 127.93.0.11 on host a, gw2 at 127.93.0.12 on host b, one
//    VIP, backend be1: the agent's gateway-backend with the echo service, a child of this test)
//    deployed: the run succeeds, the runtime and the bundle go over once per host, both nodes
//    answer /health 200 and each one's /metrics has mgw_peer_live 1 for the other;
//  - launched again: it converges (nothing shipped, no config written, no node restarted: the
//    supervisors' pids are the same);
//  - a node that cannot come up (its sync address taken by a socket of this test) fails its
//    activation after the ready window with the end of its log (the daemon's EADDRINUSE).
// Every supervisor the deploys started is stopped in afterAll by the pid its pid file names,
// the backend by its own pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { Device } from '../../../src-shared/domain';
import type { MgwCluster } from '../../../src-shared/mgw/config';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { sleep, until } from '../../support/handles';
import { get } from '../../support/mgw-lab';
import { oneCabinet } from '../../support/one-cabinet';
import { sshdCheck } from '../../interop/ssh/sshd-peer';
import { buildReleases, ended, freePort, running, startRigSshd, stopSupervisors, task, type RigSshd } from '../agent/sshd-rig';

const check = sshdCheck();
const operator: CallContext = { actor: 'oli', role: 'operator' };
const admin: CallContext = { actor: 'ada', role: 'admin' };
const NET = '127.93.0';
const TOKEN = randomBytes(16).toString('hex');

const cluster: MgwCluster = {
  cluster: 'gwdeploy',
  r: 2,
  nodes: [1, 2].map((i) => ({
    id: `gw${i}`,
    ingress: { address: `${NET}.${10 + i}`, port: 7001 },
    sync: { address: `${NET}.${10 + i}`, port: 7002 },
    control: { address: `${NET}.${10 + i}`, port: 7003 },
  })),
  vips: [{ address: `${NET}.1`, port: 5300, proto: 'udp' }],
  backends: [{ name: 'be1', address: `${NET}.101`, port: 7100, weight: 1 }],
  maxSessions: 10_000,
  udpIdleS: 300,
  controlTokenSha256: createHash('sha256').update(TOKEN).digest('hex'),
  health: { intervalMs: 200, fails: 3 },
  drills: false,
};
const MAPPING = { gw1: 'a', gw2: 'b' };

const dev = (id: string, n: number, port: number, credential: string | null): Device => ({
  id, cabinetId: 'c', kind: 'server', hostname: `host-${id}`, sn: `SN-${id}`, uPosition: n, uHeight: 1, mgmtIp: '127.0.0.1', snmpPort: 16200 + n,
  bmcAddress: null, bmcPort: 623, sshPort: port, snmpCredential: null, sshCredential: credential, ipmiCredential: null, serviceTree: null,
});

let dir = '';
let core: Core | null = null;
let backend: ChildProcess | null = null;
let backendLog = ''; // for a failure's message
const peers: RigSshd[] = [];
const installDirs: Record<string, string> = {};
const nodeDir = (host: string, node: string): string => path.join(installDirs[host], 'mgw', cluster.cluster, node);
const clusterNodeDir = (host: string, clusterName: string, node: string): string => path.join(installDirs[host], 'mgw', clusterName, node);
const nodeDirs = (): string[] => Object.entries(MAPPING).filter(([, h]) => installDirs[h]).map(([n, h]) => nodeDir(h, n));
/** Node folders of other clusters the test deployed (their supervisors stopped in afterAll too). */
const extraNodeDirs: string[] = [];

async function launch(c: Core, params: Record<string, unknown>, deviceIds: string[]) {
  const run = await c.api.call(operator, 'workflows.launch', { templateId: 'gateway-deploy', params: { installDirs, bindVips: false, ...params }, deviceIds });
  return ended(c, run.id, ['succeeded', 'failed', 'paused'], 300_000);
}

describe.skipIf(check.skip)(`gateway-deploy over SSH (two sshd on 127.0.0.1, nodes on ${NET}.x)${check.skip ? ` (skipped: ${check.reason})` : ''}`, () => {
  beforeAll(async () => {
    if (check.missing.length) throw new Error(`CI needs sshd: ${check.reason}`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'fd-gateway-deploy-'));
    await buildReleases(dir, ['1.0.0']);
    for (const id of ['a', 'b']) {
      peers.push(await startRigSshd({ address: '127.0.0.1', port: await freePort() }));
      installDirs[id] = path.join(dir, `host-${id}`, 'fleetdeck');
      mkdirSync(path.dirname(installDirs[id]), { recursive: true });
    }
    const b = cluster.backends[0];
    backend = spawn(process.execPath, ['--import', 'tsx', 'src-daemons/agent/entry.ts', 'gateway-backend', '--name', b.name, '--listen', `${b.address}:${b.port}`, '--service', 'echo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    backend.stdout?.on('data', (d: Buffer) => void (backendLog += d.toString()));
    backend.stderr?.on('data', (d: Buffer) => void (backendLog += d.toString()));
    core = await createCore({
      storePath: path.join(dir, 'core.db'), secretKey: randomBytes(32), lab: false, bmcSensors: false, poller: { intervalMs: 600_000 },
      agents: { listen: false, bundleDir: path.join(dir, '1.0.0'), runtimePath: process.execPath },
    });
    for (const [i, id] of ['a', 'b'].entries()) {
      await core.api.call(admin, 'credentials.put', { id: `key-${id}`, kind: 'ssh-key', name: `sshd ${id}`, secret: { username: peers[i].username, privateKey: peers[i].clientKey.privateKey } });
    }
    const devices = [dev('a', 1, peers[0].port, 'key-a'), dev('b', 2, peers[1].port, 'key-b'), dev('c', 3, 22, null)];
    await core.api.call(admin, 'inventory.import', { format: 'json', text: JSON.stringify(oneCabinet(devices)), replace: null, dryRun: false });
  }, 180_000);

  afterAll(async () => {
    await stopSupervisors([...nodeDirs(), ...extraNodeDirs]);
    if (backend?.pid && running(backend.pid)) {
      process.kill(backend.pid, 'SIGTERM');
      const end = Date.now() + 5000;
      while (running(backend.pid) && Date.now() < end) await sleep(100);
      if (running(backend.pid)) process.kill(backend.pid, 'SIGKILL');
    }
    await core?.dispose();
    for (const p of peers) await p.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('refuses a bad cluster or mapping before touching a host', async () => {
    const c = core!;
    const failure = async (params: Record<string, unknown>, deviceIds: string[]): Promise<string> => {
      const r = await launch(c, params, deviceIds);
      expect(r.state).toBe('failed');
      const t = r.tasks.find((x) => x.stepId === 'check')!;
      expect(t.state).toBe('failed');
      expect(r.tasks.filter((x) => x.stepId !== 'check').every((x) => x.attempt === 0), 'no host step ran').toBe(true);
      return t.error ?? '';
    };
    await expect(c.api.call({ actor: 'vic', role: 'viewer' }, 'workflows.launch', { templateId: 'gateway-deploy', params: { cluster, nodes: MAPPING }, deviceIds: ['a', 'b'] }))
      .rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await failure({ cluster: { ...cluster, r: 3 }, nodes: MAPPING }, ['a', 'b'])).toBe('The gateway cluster config is not valid: r: is 3 but the cluster has 2 node(s)');
    expect(await failure({ cluster, nodes: { gw1: 'a' } }, ['a'])).toBe('Node gw2 of cluster gwdeploy is not mapped to a device: params.nodes must name the fleet host of every node');
    expect(await failure({ cluster, nodes: { gw1: 'a', gw2: 'c' } }, ['a', 'c'])).toBe('Node gw2 is mapped to host-c (c), which has no SSH credential to deploy it with');
    expect(await failure({ cluster, nodes: { gw1: 'a', gw2: 'zz' } }, ['a'])).toBe('Node gw2 is mapped to device zz, which the inventory does not have');
    expect(await failure({ cluster, nodes: MAPPING }, ['a'])).toBe("Node gw2's device b is not among the run's hosts: launch gateway-deploy over the mapped devices (a, b)");
    expect(await failure({ cluster, nodes: MAPPING }, ['a', 'b', 'c'])).toBe('Host c runs no node of cluster gwdeploy: launch gateway-deploy over the mapped devices (a, b)');
    const trail = await c.api.call(admin, 'audit.list', { limit: 50 });
    expect(trail.filter((e) => e.action === 'workflows.launch' && e.actor === 'oli' && e.outcome === 'succeeded').length).toBeGreaterThanOrEqual(6);
  }, 120_000);

  it('deploys a 2-node cluster: both ready, each sees the other live; a second run converges', async () => {
    const c = core!;
    const r1 = await launch(c, { cluster, nodes: MAPPING }, ['a', 'b']);
    expect(r1.state, JSON.stringify(r1.tasks.filter((t) => t.error).map((t) => t.error))).toBe('succeeded');
    for (const [node, h] of Object.entries(MAPPING)) {
      expect(task(r1, 'upload', h).outputs).toMatchObject({ nodes: [node], runtimeShipped: true, bundleShipped: ['mgw.js', 'agent-supervise.js', 'mgw-mmsg.node'], configsWritten: [node] });
      expect(task(r1, 'activate', h).outputs).toMatchObject({ nodes: [node], restarted: [node], changed: true });
      const run = JSON.parse(readFileSync(path.join(nodeDir(h, node), 'run.json'), 'utf8')) as { self: string; stateDir: string; cluster: MgwCluster };
      expect(run).toMatchObject({ self: node, stateDir: path.join(nodeDir(h, node), 'state'), bindVips: false });
      expect(run.cluster).toEqual(cluster);
    }
    // A rolling restart: host b's activation starts once host a's node is ready.
    expect(task(r1, 'activate', 'b').startedAt!).toBeGreaterThanOrEqual(task(r1, 'activate', 'a').finishedAt!);
    const [gw1, gw2] = cluster.nodes;
    for (const n of [gw1, gw2]) expect((await get(n.control.address, n.control.port, '/health')).status, `${n.id} /health`).toBe(200);
    const peerLive = async (n: typeof gw1, other: string): Promise<boolean> =>
      new RegExp(`^mgw_peer_live\\{node="${other}"\\} 1$`, 'm').test((await get(n.control.address, n.control.port, '/metrics')).body);
    await until('gw1 sees gw2 live and gw2 sees gw1 live', async () => (await peerLive(gw1, 'gw2')) && (await peerLive(gw2, 'gw1')), 30_000, 200);
    // The deployed nodes load the shipped addon from beside mgw.js: the batched data plane.
    for (const d of nodeDirs()) expect(readFileSync(path.join(d, 'mgw.log'), 'utf8')).toMatch(/data plane batched \(.*mgw-mmsg\.node\)/);
    const pids = nodeDirs().map((d) => readFileSync(path.join(d, 'supervisor.pid'), 'utf8').trim());

    const r2 = await launch(c, { cluster, nodes: MAPPING }, ['a', 'b']);
    expect(r2.state, JSON.stringify(r2.tasks.filter((t) => t.error).map((t) => t.error))).toBe('succeeded');
    for (const [node, h] of Object.entries(MAPPING)) {
      expect(task(r2, 'upload', h).outputs).toMatchObject({ nodes: [node], runtimeShipped: false, bundleShipped: [], configsWritten: [], bytesShipped: 0 });
      expect(task(r2, 'activate', h).outputs).toMatchObject({ nodes: [node], restarted: [], changed: false });
    }
    expect(nodeDirs().map((d) => readFileSync(path.join(d, 'supervisor.pid'), 'utf8').trim()), 'no node restarted').toEqual(pids);
    for (const n of [gw1, gw2]) expect((await get(n.control.address, n.control.port, '/health')).status).toBe(200);
    expect(backend?.exitCode ?? null, `the backend is still up; its output:\n${backendLog}`).toBeNull();
  }, 600_000);

  it('fails the activation of a node that does not come ready, with the end of its log', async () => {
    const c = core!;
    const taken = dgram.createSocket('udp4');
    await new Promise<void>((r) => taken.bind(7002, `${NET}.13`, () => r()));
    try {
      const bad: MgwCluster = { ...cluster, cluster: 'gwbad', r: 1, nodes: [{ id: 'gw9', ingress: { address: `${NET}.13`, port: 7001 }, sync: { address: `${NET}.13`, port: 7002 }, control: { address: `${NET}.13`, port: 7003 } }] };
      extraNodeDirs.push(clusterNodeDir('a', 'gwbad', 'gw9'));
      const r = await launch(c, { cluster: bad, nodes: { gw9: 'a' }, readyWindowMs: 3000 }, ['a']);
      expect(r.state).toBe('failed');
      expect(task(r, 'upload', 'a').state).toBe('succeeded');
      const t = task(r, 'activate', 'a');
      expect(t.state).toBe('failed');
      expect(t.error).toMatch(/^gateway node gw9 on host-a was not ready within 3 s \(.+\); the last lines of its log:\n[\s\S]*EADDRINUSE/);
    } finally {
      taken.close();
    }
  }, 180_000);
});
