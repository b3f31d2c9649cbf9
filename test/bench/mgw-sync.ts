// Gateway replication benchmark (printed, not asserted): how many session changes per second
// the replicator (src-daemons/mgw/replication.ts) pushes from one node to another until all
// are acked, and the enqueue-to-ack lag p50/p99, (1) in-process (messages handed over
// directly, in order) and (2) between two Replicators over a loopback UDP socket pair with
// the wire codec (src-shared/mgw/sync.ts). Goal of issue 16: >= 300 k sessions/s incremental
// sync.
// Usage: node --import tsx test/bench/mgw-sync.ts [--sessions 300000] [--chunk 2000]
import { createSocket, type Socket } from 'node:dgram';
import { parseArgs } from 'node:util';
import { packK1, PROTO_UDP } from '../../src-shared/mgw/key';
import { decodeSync, encodeSync } from '../../src-shared/mgw/sync';
import type { SyncEntry, SyncMessage } from '../../src-shared/mgw/sync-types';
import { Replicator, type ReplicationTable } from '../../src-daemons/mgw/replication';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '300000' }, chunk: { type: 'string', default: '2000' } } });
const N = Number(values.sessions);
const CHUNK = Number(values.chunk);
const K1 = packK1(40000, 1, PROTO_UDP);
const NODES = ['gw-a', 'gw-b'];

/** Keys are (i, K1), i < N: a typed array on k0 (-1: none) keeps the table's cost out of the figures (the real table is typed arrays too). */
class BenchTable implements ReplicationTable {
  readonly backend = new Int32Array(N).fill(-1);
  count = 0;
  set(k0: number, backend: number): void {
    if (this.backend[k0] < 0) this.count++;
    this.backend[k0] = backend;
  }
  current(k0: number): { backend: number; idleS: number } | null {
    const b = this.backend[k0];
    return b < 0 ? null : { backend: b, idleS: 0 };
  }
  apply(_peer: number, e: SyncEntry): void {
    if (e.op === 1) this.set(e.k0, e.backend);
    else if (this.backend[e.k0] >= 0) {
      this.backend[e.k0] = -1;
      this.count--;
    }
  }
  scan(cursor: number, max: number, fn: (k0: number, k1: number, backend: number, idleS: number) => void): number {
    const end = Math.min(N, cursor + max);
    for (let i = cursor; i < end; i++) if (this.backend[i] >= 0) fn(i, K1, this.backend[i], 0);
    return end >= N ? -1 : end;
  }
  size(): number {
    return this.count;
  }
}

interface Pair { a: Replicator; b: Replicator; ta: BenchTable; tb: BenchTable; pump(): void; close(): void }

function pair(transport: 'memory' | Socket[]): Pair {
  const ta = new BenchTable();
  const tb = new BenchTable();
  const queue: [Replicator, number, SyncMessage][] = [];
  const reps: Replicator[] = [];
  const ports = transport === 'memory' ? [] : transport.map((s) => s.address().port);
  const send = (from: number) => (peer: number, msg: SyncMessage): void => {
    if (transport === 'memory') queue.push([reps[peer], from, msg]);
    else transport[from].send(encodeSync(msg), ports[peer], '127.0.0.1');
  };
  const now = (): number => performance.now();
  reps.push(new Replicator({ nodeIndex: 0, nodes: NODES, r: 2, epoch: 1, now, send: send(0), table: ta }));
  reps.push(new Replicator({ nodeIndex: 1, nodes: NODES, r: 2, epoch: 1, now, send: send(1), table: tb }));
  if (transport !== 'memory') transport.forEach((s, i) => s.on('message', (buf) => reps[i].receive(1 - i, decodeSync(buf))));
  return {
    a: reps[0], b: reps[1], ta, tb,
    pump: () => {
      for (let k = 0; k < queue.length; k++) queue[k][0].receive(queue[k][1], queue[k][2]);
      queue.length = 0;
    },
    close: () => {
      if (transport !== 'memory') for (const s of transport) s.close();
    },
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function run(label: string, p: Pair): Promise<void> {
  const both = (): void => {
    p.pump();
    p.a.tick();
    p.b.tick();
  };
  p.a.startResync();
  p.b.startResync();
  while (p.a.state !== 'ready' || p.b.state !== 'ready' || !p.a.isLive(1)) {
    both();
    await turn();
  }
  const t0 = performance.now();
  for (let i = 0; i < N; i += CHUNK) {
    for (let k = i; k < Math.min(N, i + CHUNK); k++) {
      p.ta.set(k, k % 100);
      p.a.changed(k, K1);
    }
    both();
    await turn();
  }
  const queuedMs = performance.now() - t0;
  while (p.a.debt > 0) {
    both();
    await turn();
  }
  const ms = performance.now() - t0;
  const s = p.a.stats();
  const ok = p.tb.count === N ? 'all arrived' : `ONLY ${p.tb.count} arrived`;
  console.log(`${label}: ${N.toLocaleString('en')} sessions in ${ms.toFixed(0)} ms (queued in ${queuedMs.toFixed(0)} ms) = ${Math.round((N / ms) * 1000).toLocaleString('en')} sessions/s; ${s.batchesSent} batches, ${s.retransmitted} retransmitted; lag p50 ${s.lagP50Ms.toFixed(1)} ms, p99 ${s.lagP99Ms.toFixed(1)} ms; ${ok}`);
  p.close();
}

async function udpPair(): Promise<Socket[]> {
  const socks = [createSocket('udp4'), createSocket('udp4')];
  for (const s of socks) {
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    s.setRecvBufferSize(8 * 1024 * 1024);
    s.setSendBufferSize(8 * 1024 * 1024);
  }
  return socks;
}

await run('in-process', pair('memory'));
await run('udp loopback (sync.ts codec)', pair(await udpPair()));
