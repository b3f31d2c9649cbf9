// A gateway cluster on loopback for integration tests, every part a real process started as a
// child of the test runner and stopped by pid: N node daemons (src-daemons/mgw/entry.ts run),
// the lab's router (mgw router) on the VIP, and B backends (the agent's gateway-backend with
// the echo service). Addresses in 127.77.<net>.0/24 per test file (net given), so files
// running at once do not collide: VIP .1:5300, node i at .(10+i) (ingress 7001, sync 7002,
// control 7003), backend j at .(100+j):7100. Also a session client: one UDP socket per session
// (a session is a client address and port), each packet tagged `<session> <seq>`, each answer
// `<backend> <session> <seq>` telling which backend served it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MgwCluster } from '../../src-shared/mgw/config';
import { sleep, until } from './handles';

const ROOT = join(import.meta.dirname, '..', '..');
const MGW = join(ROOT, 'src-daemons', 'mgw', 'entry.ts');
const AGENT = join(ROOT, 'src-daemons', 'agent', 'entry.ts');

export interface MgwLabOptions {
  readonly net: number;
  readonly nodes: number;
  readonly backends: number;
  readonly r: number;
  readonly maxSessions?: number;
  /** A node that exits by itself (a drill's crash) is started again after this long, as a supervisor would; default never. */
  readonly restartDelayMs?: number;
}

export interface MgwLab {
  readonly cluster: MgwCluster;
  readonly token: string;
  readonly vip: { address: string; port: number };
  startNode(i: number): Promise<void>;
  /** kill -9 (SIGKILL) a node's process. */
  killNode(i: number): void;
  /** kill -9 a backend's agent. */
  killBackend(j: number): void;
  nodeHealth(i: number): Promise<number>;
  metrics(i: number): Promise<string>;
  control(i: number, method: string, path: string): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
  logs(): string;
}

/** One HTTP request to a gateway node's control address: status and body (status 0: no answer in 2 s). */
export function get(address: string, port: number, path: string, method = 'GET', token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request({ host: address, port, path, method, timeout: 2000, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => void (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

export async function startMgwLab(o: MgwLabOptions): Promise<MgwLab> {
  const base = `127.77.${o.net}`;
  const dir = mkdtempSync(join(tmpdir(), 'fd-mgw-lab-'));
  const token = randomBytes(16).toString('hex');
  const cluster: MgwCluster = {
    cluster: `lab-${o.net}`,
    r: o.r,
    nodes: Array.from({ length: o.nodes }, (_, i) => ({
      id: `gw${i + 1}`,
      ingress: { address: `${base}.${10 + i}`, port: 7001 },
      sync: { address: `${base}.${10 + i}`, port: 7002 },
      control: { address: `${base}.${10 + i}`, port: 7003 },
    })),
    vips: [{ address: `${base}.1`, port: 5300, proto: 'udp' }],
    backends: Array.from({ length: o.backends }, (_, j) => ({ name: `be${j + 1}`, address: `${base}.${100 + j}`, port: 7100, weight: 1 })),
    maxSessions: o.maxSessions ?? 100_000,
    udpIdleS: 300,
    controlTokenSha256: createHash('sha256').update(token).digest('hex'),
    health: { intervalMs: 200, fails: 3 },
    drills: true,
  };
  writeFileSync(join(dir, 'cluster.json'), JSON.stringify(cluster));
  const kids: ChildProcess[] = [];
  const nodes: (ChildProcess | null)[] = Array.from({ length: o.nodes }, () => null);
  const backends: ChildProcess[] = [];
  let stopping = false;
  let log = '';
  const spawnKid = (args: string[], name: string): ChildProcess => {
    const k = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
    const take = (d: Buffer): void => {
      log += d.toString().split('\n').filter(Boolean).map((l) => `[${name}] ${l}\n`).join('');
      if (log.length > 400_000) log = log.slice(-200_000);
    };
    k.stdout?.on('data', take);
    k.stderr?.on('data', take);
    kids.push(k);
    return k;
  };

  const lab: MgwLab = {
    cluster,
    token,
    vip: cluster.vips[0],
    async startNode(i) {
      const stateDir = join(dir, `node-${i}`);
      mkdirSync(stateDir, { recursive: true });
      const file = join(dir, `node-${i}.json`);
      writeFileSync(file, JSON.stringify({ self: cluster.nodes[i].id, cluster, stateDir, bindVips: false }));
      const kid = spawnKid([MGW, 'run', '--config', file], cluster.nodes[i].id);
      nodes[i] = kid;
      kid.once('exit', () => {
        if (nodes[i] !== kid || stopping || o.restartDelayMs === undefined) return;
        nodes[i] = null;
        setTimeout(() => void (stopping ? null : lab.startNode(i).catch(() => {})), o.restartDelayMs);
      });
      const n = cluster.nodes[i];
      await until(`node ${n.id} answers /health`, async () => (await get(n.control.address, n.control.port, '/health')).status > 0, 30_000, 100);
    },
    killNode(i) {
      const k = nodes[i];
      if (k?.pid) process.kill(k.pid, 'SIGKILL');
      nodes[i] = null;
    },
    killBackend(j) {
      const k = backends[j];
      if (k?.pid) process.kill(k.pid, 'SIGKILL');
    },
    nodeHealth: async (i) => (await get(cluster.nodes[i].control.address, cluster.nodes[i].control.port, '/health')).status,
    metrics: async (i) => (await get(cluster.nodes[i].control.address, cluster.nodes[i].control.port, '/metrics')).body,
    control: (i, method, path) => get(cluster.nodes[i].control.address, cluster.nodes[i].control.port, path, method, token),
    async stop() {
      stopping = true;
      for (const k of kids) if (k.pid && k.exitCode === null && k.signalCode === null) {
        try {
          process.kill(k.pid, 'SIGTERM');
        } catch {
          // gone
        }
      }
      await Promise.all(kids.map((k) => (k.exitCode !== null || k.signalCode !== null ? null : new Promise((r) => {
        const t = setTimeout(() => {
          if (k.pid) try { process.kill(k.pid, 'SIGKILL'); } catch { /* gone */ }
        }, 3000);
        k.once('exit', () => { clearTimeout(t); r(null); });
      }))));
      rmSync(dir, { recursive: true, force: true });
    },
    logs: () => log,
  };

  try {
    for (const [j, b] of cluster.backends.entries()) backends.push(spawnKid([AGENT, 'gateway-backend', '--name', b.name, '--listen', `${b.address}:${b.port}`, '--service', 'echo'], `be${j + 1}`));
    await Promise.all(cluster.nodes.map((_, i) => lab.startNode(i)));
    await until('every node ready', async () => (await Promise.all(cluster.nodes.map((_, i) => lab.nodeHealth(i)))).every((s) => s === 200), 30_000, 100);
    spawnKid([MGW, 'router', '--cluster', join(dir, 'cluster.json')], 'router');
    await sleep(300);
    return lab;
  } catch (err) {
    await lab.stop();
    throw new Error(`${(err as Error).message}\n${log.slice(-4000)}`, { cause: err });
  }
}

/** Sessions from `count` client sockets spread over 127.77.<net>.200-.249. */
export class SessionClients {
  readonly backendOf: (string | null)[];
  readonly lastReplyAt: Float64Array;
  replies = 0;
  /** Answers from a backend other than the one the session had (after it had one). */
  switched = 0;
  readonly switchedSessions = new Set<number>();
  /** Answers by source address (direct server return: the VIP's, where the backends have it). */
  readonly from = new Map<string, number>();
  private readonly socks: dgram.Socket[] = [];
  private seq = 0;

  constructor(readonly count: number) {
    this.backendOf = Array.from({ length: count }, () => null);
    this.lastReplyAt = new Float64Array(count);
  }

  /** Binds the sockets: on 127.77.<net>.200-.249, or on the given address (a namespace's). */
  async open(net: number | string): Promise<void> {
    for (let i = 0; i < this.count; i++) {
      const s = dgram.createSocket('udp4');
      s.on('message', (m, from) => this.onReply(m, from.address));
      s.on('error', () => {});
      await new Promise<void>((r) => s.bind(0, typeof net === 'string' ? net : `127.77.${net}.${200 + (i % 50)}`, () => r()));
      this.socks.push(s);
    }
  }

  private onReply(m: Buffer, from: string): void {
    this.from.set(from, (this.from.get(from) ?? 0) + 1);
    const [backend, sid] = m.toString().split(' ');
    const i = Number(sid);
    if (!(i >= 0 && i < this.count)) return;
    this.replies++;
    this.lastReplyAt[i] = Date.now();
    const had = this.backendOf[i];
    if (had === null) this.backendOf[i] = backend;
    else if (had !== backend) {
      this.switched++;
      this.switchedSessions.add(i);
      this.backendOf[i] = backend;
    }
  }

  /** One packet on every session (paced in chunks so the sockets' buffers keep up). */
  async sendAll(vip: { address: string; port: number }, chunk = 500): Promise<void> {
    const seq = ++this.seq;
    for (let i = 0; i < this.count; i++) {
      this.socks[i].send(`${i} ${seq}`, vip.port, vip.address);
      if (i % chunk === chunk - 1) await sleep(2);
    }
  }

  /** Sessions with no answer since `since`. */
  silentSince(since: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.count; i++) if (this.lastReplyAt[i] < since) out.push(i);
    return out;
  }

  close(): void {
    for (const s of this.socks) s.close();
  }
}
