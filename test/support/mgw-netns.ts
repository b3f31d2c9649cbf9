// A gateway cluster in network namespaces (root only; netns.ts: one bridge, a blackhole route
// for the test range in the root namespace first, everything undone after): the kernel does the
// routing the lab's router only imitates.
//   router   ip_forward, no redirects, L4 multipath hash; VIP/32 by a multipath route over the
//            gateway nodes (hash-threshold ECMP); a health checker (this process) reads each
//            node's /health every 200 ms and replaces the route with the nodes answering 200,
//            as a routing protocol's withdrawal would
//   gw1..gwN the node daemons (mgw run), the VIP on lo and bound, sync/ingress/control on eth0
//   be1..beB the agent's gateway-backend (echo) on eth0:7100, the VIP on lo: replies go from the
//            VIP straight to the client (direct server return, never through a gateway)
//   client   its sessions: mgw-session-blast.c (raw sockets, up to 60,000 sessions per source
//            address, the addresses <subnet>.200 and up on its eth0), the VIP routed via the
//            router; its stack's port-unreachables for the answers are dropped (nft)
// All traffic stays inside the namespaces and the bridge.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { MgwCluster } from '../../src-shared/mgw/config';
import { compileC } from './c-build';
import { until } from './handles';
import { get } from './mgw-lab';
import { ip, ipBin, netnsLab, type NetnsLab } from './netns';

const ROOT = join(import.meta.dirname, '..', '..');
const MGW = join(ROOT, 'src-daemons', 'mgw', 'entry.ts');
const AGENT = join(ROOT, 'src-daemons', 'agent', 'entry.ts');
const CLIENT = join(import.meta.dirname, 'mgw-session-blast.c');
export const NETNS_VIP = '10.213.250.1';
const PER_ADDR = 60_000;
const PORT_FROM = 2000;

/** One round of the client (mgw-session-blast.c's JSON line). */
export interface RoundResult {
  /** Sessions of the round's range answered in it, and not. */
  answered: number;
  silent: number;
  /** Answers from another backend than the session had, since the start (and in this round). */
  switched: number;
  switchedRound: number;
  /** This round's answers from the VIP (direct server return) and from any other address. */
  fromVip: number;
  fromOther: number;
  /** How long the sending took. */
  sentMs: number;
  /** Sessions per backend (all that have one). */
  backends: Record<string, number>;
}

/** Which sessions a round sends on (all by default) and how fast. */
export interface RoundOptions {
  first?: number;
  count?: number;
  /** Datagrams/s (default the rig's `rate`). */
  rate?: number;
  /** Only the sessions of the range still silent in the last round, counted into it. */
  again?: boolean;
}

export interface MgwNetns {
  readonly cluster: MgwCluster;
  killNode(i: number): void;
  /** Starts node i again (same config and state dir): it resyncs, then says ready, then the checker puts its nexthop back. */
  restartNode(i: number): void;
  /** POSTs to node i's control API (authenticated); the status. */
  post(i: number, path: string): Promise<number>;
  /** One round of the client's sessions (waits ms for answers after the last is sent). */
  round(ms?: number, o?: RoundOptions): Promise<RoundResult>;
  /** Node i's /metrics, as text ('' when it does not answer). */
  metrics(i: number): Promise<string>;
  /** The router's nexthops for the VIP now. */
  nexthops(): string[];
  logs(): string;
  down(): Promise<string[]>;
}

const health = (address: string): Promise<boolean> =>
  new Promise((resolve) => {
    const req = request({ host: address, port: 7003, path: '/health', timeout: 150 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });

export async function upMgwNetns(o: { nodes: number; backends: number; r: number; sessions: number; rate: number }): Promise<MgwNetns> {
  const blast = compileC(CLIENT, 'mgw-session-blast');
  const addrs = Math.ceil(o.sessions / PER_ADDR);
  if (addrs > 50) throw new Error(`${o.sessions} sessions need ${addrs} client addresses (at most 50)`);
  const net: NetnsLab = netnsLab(1 + o.nodes + o.backends + 1);
  await net.up();
  const [router, ...rest] = net.hosts;
  const gws = rest.slice(0, o.nodes);
  const bes = rest.slice(o.nodes, o.nodes + o.backends);
  const client = rest[o.nodes + o.backends];
  const dir = mkdtempSync(join(tmpdir(), 'fd-mgw-netns-'));
  const kids: ChildProcess[] = [];
  const nodes: (ChildProcess | null)[] = [];
  let log = '';
  let timer: NodeJS.Timeout | null = null;
  const spawnIn = (ns: string, args: string[], name: string, bin?: string): ChildProcess => {
    const [cmd, ...argv] = net.execArgv(ns, bin ? [bin, ...args] : [process.execPath, '--import', 'tsx', ...args]);
    const k = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'], cwd: ROOT });
    k.stderr?.on('data', (d: Buffer) => {
      log += d.toString().split('\n').filter(Boolean).map((l) => `[${name}] ${l}\n`).join('');
      if (log.length > 300_000) log = log.slice(-150_000);
    });
    kids.push(k);
    return k;
  };
  const down = async (): Promise<string[]> => {
    if (timer) clearInterval(timer);
    for (const k of kids) if (k.pid && k.exitCode === null && k.signalCode === null) try { process.kill(k.pid, 'SIGKILL'); } catch { /* gone */ }
    rmSync(dir, { recursive: true, force: true });
    return net.down();
  };
  try {
    const sys = (ns: string, kv: string): void => void ip('netns', 'exec', ns, 'sysctl', '-qw', kv);
    sys(router.ns, 'net.ipv4.ip_forward=1');
    sys(router.ns, 'net.ipv4.conf.all.send_redirects=0');
    sys(router.ns, 'net.ipv4.conf.eth0.send_redirects=0');
    sys(router.ns, 'net.ipv4.fib_multipath_hash_policy=1');
    for (const h of [...gws, ...bes]) ip('-n', h.ns, 'addr', 'add', `${NETNS_VIP}/32`, 'dev', 'lo');
    ip('-n', client.ns, 'route', 'add', `${NETNS_VIP}/32`, 'via', router.address);
    const subnet = client.address.split('.').slice(0, 3).join('.');
    for (let k = 0; k < addrs; k++) ip('-n', client.ns, 'addr', 'add', `${subnet}.${200 + k}/32`, 'dev', 'eth0');
    execFileSync(ipBin(), ['netns', 'exec', client.ns, 'nft', '-f', '-'], {
      input: 'table ip blast { chain out { type filter hook output priority 0; icmp type destination-unreachable drop; }; }\n',
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let routed = '';
    const setRoute = (live: readonly number[]): void => {
      // Only a change touches the route (as a routing protocol announces changes, not state).
      if (live.join(',') === routed) return;
      routed = live.join(',');
      log += `[checker] nexthops ${live.map((i) => gws[i].address).join(', ') || 'none'}\n`;
      if (live.length === 0) return void ip('-n', router.ns, 'route', 'replace', 'blackhole', `${NETNS_VIP}/32`);
      ip('-n', router.ns, 'route', 'replace', `${NETNS_VIP}/32`, ...live.flatMap((i) => ['nexthop', 'via', gws[i].address]));
    };

    const token = randomBytes(16).toString('hex');
    const cluster: MgwCluster = {
      cluster: 'netns', r: o.r, drills: true,
      nodes: gws.map((h, i) => ({ id: `gw${i + 1}`, ingress: { address: h.address, port: 7001 }, sync: { address: h.address, port: 7002 }, control: { address: h.address, port: 7003 } })),
      vips: [{ address: NETNS_VIP, port: 5300, proto: 'udp' }],
      backends: bes.map((h, j) => ({ name: `be${j + 1}`, address: h.address, port: 7100, weight: 1 })),
      maxSessions: Math.max(100_000, o.sessions * 2), udpIdleS: 300,
      controlTokenSha256: createHash('sha256').update(token).digest('hex'),
      health: { intervalMs: 200, fails: 3 },
    };
    bes.forEach((h, j) => spawnIn(h.ns, [AGENT, 'gateway-backend', '--name', `be${j + 1}`, '--listen', `${h.address}:7100`, '--service', 'echo'], `be${j + 1}`));
    const nodeFile = (i: number): string => join(dir, `gw${i + 1}.json`);
    gws.forEach((h, i) => {
      const stateDir = join(dir, `gw${i + 1}`);
      mkdirSync(stateDir, { recursive: true });
      writeFileSync(nodeFile(i), JSON.stringify({ self: `gw${i + 1}`, cluster, stateDir }));
      nodes.push(spawnIn(h.ns, [MGW, 'run', '--config', nodeFile(i)], `gw${i + 1}`));
    });
    await until('every node ready', async () => (await Promise.all(gws.map((h) => health(h.address)))).every(Boolean), 30_000, 100);
    setRoute(gws.map((_, i) => i));
    let checking = false;
    timer = setInterval(() => {
      if (checking) return;
      checking = true;
      void Promise.all(gws.map((h) => health(h.address)))
        .then((ok) => setRoute(ok.flatMap((up, i) => (up ? [i] : []))))
        .catch((err: unknown) => void (log += `[checker] ${(err as Error).message}\n`))
        .finally(() => void (checking = false));
    }, 200);

    const c = spawnIn(client.ns, [`${subnet}.200`, String(addrs), String(PER_ADDR), String(PORT_FROM), String(o.sessions), NETNS_VIP, '5300'], 'client', blast);
    const lines = createInterface({ input: c.stdout! });
    const queue: string[] = [];
    let wake: (() => void) | null = null;
    lines.on('line', (l) => {
      queue.push(l);
      wake?.();
    });
    const next = async (ms: number): Promise<string> => {
      const end = Date.now() + ms;
      while (!queue.length) {
        if (Date.now() > end) throw new Error(`the netns client said nothing for ${ms} ms\n${log.slice(-3000)}`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 100);
        });
      }
      return queue.shift()!;
    };
    if ((await next(60_000)) !== 'ready') throw new Error('the netns client did not start');

    return {
      cluster,
      killNode(i) {
        const k = nodes[i];
        if (k?.pid) process.kill(k.pid, 'SIGKILL');
      },
      restartNode(i) {
        nodes[i] = spawnIn(gws[i].ns, [MGW, 'run', '--config', nodeFile(i)], `gw${i + 1}`);
      },
      post: async (i, path) => (await get(gws[i].address, 7003, path, 'POST', token)).status,
      async round(ms = 300, r = {}) {
        const first = r.first ?? 0;
        const count = r.count ?? o.sessions - first;
        const rate = r.rate ?? o.rate;
        c.stdin!.write(`${r.again ? 'again' : 'round'} ${first} ${count} ${rate} ${ms}\n`);
        return JSON.parse(await next(ms + 30_000 + (count / rate) * 1000)) as RoundResult;
      },
      metrics: async (i) => {
        const r = await get(gws[i].address, 7003, '/metrics');
        return r.status === 200 ? r.body : '';
      },
      nexthops: () => ip('-n', router.ns, 'route', 'show', `${NETNS_VIP}/32`).match(/via (\S+)/g)?.map((v) => v.slice(4)) ?? [],
      logs: () => log,
      down,
    };
  } catch (err) {
    const failed = await down();
    throw new Error(`${(err as Error).message}${failed.length ? `; cleaning up also failed: ${failed.join('; ')}` : ''}\n${log.slice(-3000)}`, { cause: err });
  }
}
