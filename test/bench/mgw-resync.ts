// Gateway bulk-resync benchmark (printed, not asserted), for issue 16's goal "full resync of
// 12 M sessions <= 60 s": node A holds N sessions (a real SessionTable, session-table.ts, sized
// for them and filled directly, not through the network) and, with two nodes and R=2, is the
// source of every one of them for node B. B starts empty and joins: its Replicator
// (src-daemons/mgw/replication.ts) asks A for a bulk resync, and the two Replicators talk over
// a loopback UDP socket pair (127.0.0.1, 8 MB buffers as node.ts asks for, the wire codec of
// src-shared/mgw/sync.ts); B applies what arrives to its own real SessionTable through the
// same adapter as node.ts. Each Replicator is ticked by its own 5 ms setInterval, as node.ts
// does. Measured: the time from B's startResync() (its resync request) until B is ready (its
// resync wait done) and its table holds N sessions, the sessions/s that makes, the process's
// RSS (both tables are in it) and CPU time, and the replication's counters (retransmissions,
// fillers, duplicates, refused batches) with the kernel's drops on the two sockets
// (/proc/net/udp). The figures are printed beside the goal; conntrackd's and IPVS's own
// resync figures, the reference the issue names, cannot be run here (no kernel conntrack or
// IPVS sync daemon in this sandbox), so only the goal is printed.
//
// Both nodes run in this one process, on one JS thread, where the real nodes are two
// processes on two hosts. That is not the pessimistic ~2x it would be for a CPU-bound run: the
// rate is set by A's scan budget, resyncChunk (2048) sessions per 5 ms tick, a ceiling of
// 409,600 sessions/s (12 M in 29.3 s), and the process stays near half a core (the CPU row),
// idle between ticks. Sharing the thread costs only tick jitter (B's receiving delays A's
// timer: ticks ~5.3 ms apart, not 5) and the odd spurious retransmission after a stall (a timer
// that fires before the pending acks are read). So the figure is slightly pessimistic, and
// at most ~7% (the ceiling) better on two hosts. It is optimistic in what it leaves out:
// loopback has no latency or loss (the window, maxInFlight 256 batches of 106, is ~70 ms of
// the stream at this rate, so an RTT below that does not slow it; the stream is ~40 Mbit/s),
// neither node forwards traffic or sweeps meanwhile. Measured at 12 M (2-core machine shared
// with an e2e suite, load ~3), two runs: 31.3 / 31.6 s, 383,791 / 379,888 sessions/s, 49 / 48%
// of one core, peak RSS 606 / 603 MB (both tables), 2,014 / 0 entries retransmitted (the 2,014
// in 19 batches, spurious: 19 duplicates at B, 0 kernel drops).
// Usage: node --import tsx test/bench/mgw-resync.ts [--sessions 12000000] [--timeout-s 600] [--resync-chunk n]
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { packK1, PROTO_UDP } from '../../src-shared/mgw/key';
import { decodeSync, encodeSync } from '../../src-shared/mgw/sync';
import { ENTRY_UPSERT, type SyncMessage } from '../../src-shared/mgw/sync-types';
import { DEFAULT_TUNABLES, Replicator, type ReplicationTable } from '../../src-daemons/mgw/replication';
import { SessionTable } from '../../src-daemons/mgw/session-table';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '12000000' }, 'timeout-s': { type: 'string', default: '600' }, 'resync-chunk': { type: 'string' } } });
const N = Number(values.sessions);
const TIMEOUT_MS = Number(values['timeout-s']) * 1000;
/** The daemon's resyncChunk unless --resync-chunk overrides it (to see what the scan's per-tick budget costs). */
const CHUNK = values['resync-chunk'] ? Number(values['resync-chunk']) : DEFAULT_TUNABLES.resyncChunk;
if (!Number.isInteger(N) || N < 1 || N > 1 << 24) throw new Error(`--sessions must be an integer in 1..${1 << 24}: ${values.sessions}`);
const GOAL_S = 60;
const GOAL_N = 12_000_000;
const NODES = ['gw-a', 'gw-b'];
const TICK_MS = 5; // node.ts's replication tick
const BUFFER = 8 * 1024 * 1024; // node.ts's socket buffers

/** Flow i: a unique client address 10.0.0.0 + i (i < 2^24), a client port and one of 16 VIPs, UDP. */
const keyK0 = (i: number): number => (0x0a000000 + i) >>> 0;
const keyK1 = (i: number): number => packK1(1024 + ((i * 7919) % 64000), i & 0xf, PROTO_UDP);

const nowS = (): number => Math.floor(Date.now() / 1000);
/** The adapter node.ts hands its Replicator (idle seconds from lastSeen; an upsert back-dates lastSeen). */
function adapter(t: SessionTable): ReplicationTable {
  return {
    current: (k0, k1) => {
      const slot = t.find(k0, k1);
      return slot < 0 ? null : { backend: t.backendOf(slot), idleS: Math.max(0, nowS() - t.lastSeenOf(slot)) };
    },
    apply: (_peer, e) => {
      if (e.op === ENTRY_UPSERT) t.upsert(e.k0, e.k1, e.backend, nowS() - e.idleS);
      else t.remove(e.k0, e.k1);
    },
    size: () => t.size,
    scan: (cursor, max, fn) => t.scan(cursor, max, (k0, k1, backend, lastSeen) => fn(k0, k1, backend, Math.max(0, nowS() - lastSeen))),
  };
}

/** This process's RSS now and its peak (VmHWM), MB. */
function rss(): { now: number; peak: number } {
  const s = readFileSync('/proc/self/status', 'utf8');
  const kb = (f: string) => Number(new RegExp(`${f}:\\s+(\\d+) kB`).exec(s)?.[1] ?? NaN);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** The kernel's receive drops of the local UDP sockets on these ports (/proc/net/udp, last column). */
function udpDrops(ports: number[]): number {
  let drops = 0;
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 13) continue;
    if (ports.includes(parseInt(f[1].split(':')[1], 16))) drops += Number(f[f.length - 1]);
  }
  return drops;
}

async function udpSocket(): Promise<Socket> {
  const s = createSocket({ type: 'udp4', recvBufferSize: BUFFER, sendBufferSize: BUFFER });
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  return s;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (x: number): string => Math.round(x).toLocaleString('en');

// Node A: its table filled directly.
const rss0 = rss();
const ta = new SessionTable({ maxSessions: N });
const tb = new SessionTable({ maxSessions: N });
const fill0 = performance.now();
const t0s = nowS();
for (let i = 0; i < N; i++) if (ta.insert(keyK0(i), keyK1(i), i % 100, t0s - (i % 60)) < 0) throw new Error(`insert ${i} refused`);
const fillMs = performance.now() - fill0;
const rssFilled = rss();

const socks = [await udpSocket(), await udpSocket()];
const ports = socks.map((s) => s.address().port);
const drops0 = udpDrops(ports);
const reps: (Replicator | null)[] = [null, null];
let badDatagrams = 0;
socks.forEach((s, i) =>
  s.on('message', (buf) => {
    const rep = reps[i];
    if (!rep) return; // B is not running yet: A's heartbeats to it go nowhere
    try {
      const msg = decodeSync(buf);
      rep.receive(msg.node, msg);
    } catch {
      badDatagrams++;
    }
  }),
);
const make = (i: number, table: SessionTable, epoch: number): Replicator =>
  new Replicator({
    nodeIndex: i, nodes: NODES, r: 2, epoch, now: Date.now, table: adapter(table), tunables: { resyncChunk: CHUNK },
    send: (peer, msg: SyncMessage) => socks[i].send(encodeSync(msg), ports[peer], '127.0.0.1'),
  });

/** Ticks one node every TICK_MS, as node.ts does, counting ticks. */
function ticking(rep: Replicator): { timer: NodeJS.Timeout; ticks: () => number } {
  let n = 0;
  const timer = setInterval(() => {
    rep.tick();
    n++;
  }, TICK_MS);
  return { timer, ticks: () => n };
}

// A starts alone: it waits deadAfterMs for a peer that never speaks, then is ready.
const a = (reps[0] = make(0, ta, 1000));
a.startResync();
const tickA = ticking(a);
while (a.state !== 'ready') await sleep(10);

// B joins: the clock starts at its resync request.
const b = (reps[1] = make(1, tb, 2000));
const cpu0 = process.cpuUsage();
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const start = performance.now();
const ticksA0 = tickA.ticks();
b.startResync();
const tickB = ticking(b);
let readyMs = NaN;
let fullMs = NaN;
let peak = rss().now;
let lastReport = start;
while (performance.now() - start < TIMEOUT_MS) {
  await sleep(TICK_MS);
  const t = performance.now();
  if (Number.isNaN(readyMs) && b.state === 'ready') readyMs = t - start;
  if (Number.isNaN(fullMs) && tb.size >= N) fullMs = t - start;
  if (!Number.isNaN(readyMs) && !Number.isNaN(fullMs)) break;
  if (t - lastReport >= 5000) {
    lastReport = t;
    peak = Math.max(peak, rss().now);
    console.error(`  ${((t - start) / 1000).toFixed(0)} s: B holds ${fmt(tb.size)} of ${fmt(N)} (${fmt((tb.size / (t - start)) * 1000)} sessions/s), B ${b.state}, A debt ${fmt(a.debt)}`);
  }
}
const wallMs = performance.now() - start;
const cpu = process.cpuUsage(cpu0);
loopDelay.disable();
const doneMs = Math.max(readyMs, fullMs);
const ticksA = tickA.ticks() - ticksA0;
const ticksB = tickB.ticks();
clearInterval(tickA.timer);
clearInterval(tickB.timer);
await sleep(50); // the last datagrams in flight
const drops = udpDrops(ports) - drops0;
for (const s of socks) s.close();
const rssEnd = rss();
peak = Math.max(peak, rssEnd.now);

const sa = a.stats();
const sb = b.stats();
const done = !Number.isNaN(doneMs);
const rate = done ? (N / doneMs) * 1000 : (tb.size / wallMs) * 1000;
const atGoalN = GOAL_N / rate;
const mb = (x: number) => `${x.toFixed(0)} MB`;
console.log(`MGW bulk resync, 2 nodes, R=2, ${fmt(N)} sessions on A, B joining empty; UDP loopback, sync.ts codec, ${TICK_MS} ms ticks, resyncChunk ${CHUNK}, maxInFlight ${DEFAULT_TUNABLES.maxInFlight}`);
console.log(`(A's table filled directly in ${(fillMs / 1000).toFixed(1)} s; both nodes in this one process, see the header comment)`);
const rows: [string, string, string][] = [
  ['what', 'measured', 'goal (issue 16)'],
  [
    `full resync of ${(N / 1e6).toFixed(N % 1e6 ? 2 : 0)} M sessions (B's request -> B ready, table full)`,
    done ? `${(doneMs / 1000).toFixed(1)} s` : `NOT DONE in ${(wallMs / 1000).toFixed(0)} s: B holds ${fmt(tb.size)}, ${b.state}`,
    N === GOAL_N ? `<= ${GOAL_S} s` : `<= ${GOAL_S} s at 12 M`,
  ],
  ['  of which: B ready (resync wait done) / table full', `${(readyMs / 1000).toFixed(1)} s / ${(fullMs / 1000).toFixed(1)} s`, ''],
  ['sessions/s', fmt(rate), `>= ${fmt(GOAL_N / GOAL_S)}`],
  ...(N === GOAL_N ? [] : [['12 M at this rate', `${atGoalN.toFixed(1)} s`, `<= ${GOAL_S} s`] as [string, string, string]]),
  ['ceiling of the scan (resyncChunk per tick of A)', `${fmt((CHUNK / TICK_MS) * 1000)} sessions/s (12 M in ${(((GOAL_N / CHUNK) * TICK_MS) / 1000).toFixed(1)} s)`, ''],
  ['CPU time of the process during the resync (user + system)', `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (${(((cpu.user + cpu.system) / 1000 / wallMs) * 100).toFixed(0)}% of one core)`, ''],
  ['ticks A / B (mean interval)', `${fmt(ticksA)} / ${fmt(ticksB)} (${(wallMs / ticksB).toFixed(1)} ms)`, `every ${TICK_MS} ms`],
  ['event-loop delay p50 / p99 / max', [0.5, 0.99, 1].map((q) => `${(loopDelay.percentile(q * 100) / 1e6).toFixed(1)}`).join(' / ') + ' ms', `rtoMs ${DEFAULT_TUNABLES.rtoMs}`],
  ['RSS: empty / A filled (B\'s table untouched) / peak (both full)', `${mb(rss0.now)} / ${mb(rssFilled.now)} / ${mb(Math.max(peak, rssEnd.peak))}`, ''],
  ['table bytes per node', mb(ta.bytes / 2 ** 20), ''],
  ['conntrackd / IPVS full resync (the issue\'s reference)', 'not runnable here', `<= ${GOAL_S} s`],
];
const w = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((cell, c) => (c < 2 ? cell.padEnd(w[c]) : cell)).join(' | '));
console.log(
  `A sent ${fmt(sa.sent)} entries in ${fmt(sa.batchesSent)} batches, ${fmt(sa.retransmitted)} retransmitted, ${fmt(sa.fillers)} fillers, ${fmt(sa.acked)} acked; ` +
    `B received ${fmt(sb.received)}, applied ${fmt(sb.applied)}, ${fmt(sb.duplicates)} duplicate and ${fmt(sb.refused)} refused batches; ` +
    `kernel drops on the two sockets ${fmt(drops)}, undecodable datagrams ${badDatagrams}; peers died ${sa.peersDied + sb.peersDied}`,
);
