// The gateway's acknowledged replication (src-daemons/mgw/replication.ts) in an in-memory
// cluster on a fake clock (replication-sim.ts): exact delivery to the replica set without
// loss, convergence under loss, reordering and duplicates with retransmission of the current
// state, a restarted node's resync (ready only when done, a peer dying meanwhile not waited
// for), resync served in bounded chunks and not restarted by a repeated request, batch sizes,
// and the debt and lag figures.
import { afterEach, describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-shared/random';
import { ENTRY_DELETE, ENTRY_UPSERT, MAX_BATCH_ENTRIES, type SyncBatch, type SyncMessage } from '../../../../src-shared/mgw/sync-types';
import { DEFAULT_TUNABLES, Replicator } from '../../../../src-daemons/mgw/replication';
import { MapTable, randomKey, sameMap, Sim } from './replication-sim';

let sims: Sim[] = [];
function sim(...args: ConstructorParameters<typeof Sim>): Sim {
  const s = new Sim(...args);
  sims.push(s);
  return s;
}
// Whatever a test did, no batch ever carried more than MAX_BATCH_ENTRIES.
afterEach(() => {
  for (const s of sims) for (const m of s.sent) if (m.msg.type === 'batch') expect(m.msg.entries.length).toBeLessThanOrEqual(MAX_BATCH_ENTRIES);
  sims = [];
});

const key = (s: Sim, rng: () => number, want?: (set: number[]) => boolean): [number, number] => {
  for (;;) {
    const k = randomKey(rng);
    if (!want || want(s.replicas(...k))) return k;
  }
};

describe('replication without loss', () => {
  for (const r of [2, 3]) {
    it(`delivers each change exactly once to exactly the other members of its set (R=${r})`, () => {
      const s = sim(4, r);
      s.startAll();
      expect(s.nodes.map((n) => n.rep.state)).toEqual(['ready', 'ready', 'ready', 'ready']);
      s.step(150); // the peers' heartbeats say so
      expect([0, 1, 2, 3].every((i) => s.nodes[0].rep.isLive(i))).toBe(true);
      const rng = createRng(7);
      const keys = Array.from({ length: 2000 }, () => randomKey(rng));
      for (const [k0, k1] of keys) s.write(k0, k1, (k0 % 50) + 1);
      expect(s.settle(500)).toBe(true);
      for (const [k0, k1] of keys) {
        const set = s.replicas(k0, k1);
        s.nodes.forEach((n, i) => expect(n.table.appliedOf(k0, k1).length).toBe(set.includes(i) && i !== set[0] ? 1 : 0));
      }
      expect(s.total('retransmitted')).toBe(0);
      expect(s.total('duplicates')).toBe(0);
      expect(s.total('applied')).toBe(2000 * (r - 1));
    });
  }
});

describe('replication under loss', () => {
  for (const loss of [0.05, 0.3]) {
    it(`converges to the truth with ${loss * 100}% loss both ways, reordering and duplicates`, () => {
      const s = sim(4, 2, { loss, jitterMs: 4, dup: 0.02, seed: 11 });
      s.startAll();
      expect(s.nodes.every((n) => n.rep.state === 'ready')).toBe(true);
      const rng = createRng(3);
      const pool = Array.from({ length: 1500 }, () => randomKey(rng));
      // 2 s of writes: upserts to a random backend, a fifth of them deletes, keys revisited.
      for (let ms = 0; ms < 2000; ms++) {
        for (let j = 0; j < 3; j++) {
          const [k0, k1] = pool[Math.floor(rng() * pool.length)];
          s.write(k0, k1, rng() < 0.2 ? null : 1 + Math.floor(rng() * 40));
        }
        s.step(1);
      }
      expect(s.settle(10_000)).toBe(true);
      expect(s.total('debt')).toBe(0);
      const retransmitted = s.total('retransmitted');
      expect(retransmitted).toBeGreaterThan(0);
      console.log(`loss ${loss * 100}%: ${s.dropped} of ${s.sent.length} messages dropped, ${s.total('sent')} entries sent, ${retransmitted} retransmitted, ${s.total('fillers')} fillers, ${s.total('duplicates')} duplicate batches, converged at t=${s.t} ms`);
    });
  }

  it('a key updated then deleted while its first batch was lost ends deleted (its current state is sent again)', () => {
    const s = sim(3, 2);
    s.startAll();
    const rng = createRng(5);
    const [k0, k1] = key(s, rng, (set) => set[0] === 0 && set[1] === 1);
    const has = (m: SyncMessage): boolean => m.type === 'batch' && m.entries.some((e) => e.k0 === k0 && e.k1 === k1);
    let lost = 0;
    s.dropIf = (m) => m.from === 0 && m.to === 1 && has(m.msg) && lost++ === 0;
    s.write(k0, k1, 3);
    s.step(10);
    expect(lost).toBe(1);
    s.write(k0, k1, null);
    expect(s.settle(500)).toBe(true);
    const got = s.nodes[1].table.appliedOf(k0, k1);
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((e) => e.op === ENTRY_DELETE)).toBe(true);
    expect(s.nodes[1].table.rows.size).toBe(0);
    // The retransmission: a later seq carrying the key as a delete; the old seq closed by an empty batch.
    const batches = s.batches(0, 1).map((m) => m.msg as SyncBatch);
    const first = batches.find((b) => has(b))!;
    expect(first.entries.find((e) => e.k0 === k0)!.op).toBe(ENTRY_UPSERT);
    expect(batches.some((b) => b.seq > first.seq + 1 && b.entries.some((e) => e.k0 === k0 && e.op === ENTRY_DELETE))).toBe(true);
    expect(batches.some((b) => b.seq === first.seq && b.entries.length === 0)).toBe(true);
    expect(s.nodes[0].rep.stats().retransmitted).toBeGreaterThan(0);
  });

  it('a key updated twice while the first batch was lost never shows the old backend at the peer', () => {
    const s = sim(3, 2, { jitterMs: 3, seed: 2 });
    s.startAll();
    const [k0, k1] = key(s, createRng(6), (set) => set[0] === 0 && set[1] === 2);
    let lost = 0;
    s.dropIf = (m) => m.from === 0 && m.to === 2 && m.msg.type === 'batch' && m.msg.entries.length > 0 && lost++ === 0;
    s.write(k0, k1, 3);
    s.step(10);
    s.dropIf = (m) => m.from === 0 && m.to === 2 && m.msg.type === 'batch' && m.msg.entries.length > 0 && lost++ < 3;
    s.write(k0, k1, 7);
    expect(s.settle(1000)).toBe(true);
    expect(lost).toBeGreaterThan(1);
    expect(s.nodes[2].table.appliedOf(k0, k1).map((e) => e.backend)).not.toContain(3);
    expect(s.nodes[2].table.rows.get(`${k0}:${k1}`)?.backend).toBe(7);
  });
});

/** A cluster with sessions in place, every node ready. */
function populated(n: number, r: number, sessions: number, tunables = {}): Sim {
  const s = sim(n, r, {}, tunables);
  s.startAll();
  const rng = createRng(9);
  for (let j = 0; j < sessions; j++) {
    const [k0, k1] = randomKey(rng);
    s.write(k0, k1, 1 + (j % 30));
  }
  expect(s.settle(2000)).toBe(true);
  return s;
}

describe('resync', () => {
  it('a restarted node is resyncing until every peer is done, then ready with exactly its sessions', () => {
    const s = populated(4, 2, 3000, { resyncChunk: 64 });
    const node = s.restart(2);
    expect(node.rep.state).toBe('resyncing');
    expect(node.rep.isLive(2)).toBe(false);
    let ticks = 0;
    s.step(3000, () => {
      ticks++;
      // Nothing is left out while resyncing: when ready, it is complete at once.
      if (node.rep.state === 'ready') return true;
      expect(node.rep.stats().resyncWaiting).toBeGreaterThan(0);
      return false;
    });
    expect(node.rep.state).toBe('ready');
    expect(sameMap(s.actual(2), s.expected(2))).toBe(true);
    expect(s.expected(2).size).toBeGreaterThan(500);
    // Served in chunks, over many ticks, not in one go.
    expect(ticks).toBeGreaterThan(10);
    for (const i of [0, 1, 3]) expect(Math.max(...s.nodes[i].table.scans)).toBeLessThanOrEqual(64);
    expect(s.nodes[0].rep.peerState(2).epoch).toBe(2);
    s.step(200);
    expect(s.nodes[0].rep.isLive(2)).toBe(true);
    expect(s.total('debt')).toBe(0);
  });

  it('a peer that dies during the resync is not waited for', () => {
    const s = populated(4, 2, 3000, { resyncChunk: 16 });
    const node = s.restart(2);
    s.step(150, () => node.rep.peerState(3).epoch !== null);
    expect(node.rep.peerState(3).alive).toBe(true);
    const killedAt = s.t;
    s.nodes[3].up = false;
    s.step(2000, () => node.rep.state === 'ready');
    expect(node.rep.state).toBe('ready');
    expect(s.t - killedAt).toBeLessThan(800);
    expect(node.rep.peerState(3).alive).toBe(false);
    // Everything from the live peers; from the dead one, what came before it died (correct).
    const got = s.actual(2);
    const want = s.expected(2);
    let shared = 0;
    let fromDead = 0;
    for (const [k, backend] of want) {
      const [k0, k1] = k.split(':').map(Number);
      if (!s.replicas(k0, k1).includes(3)) expect(got.get(k)).toBe(backend);
      else {
        shared++;
        if (got.has(k)) fromDead++;
        if (got.has(k)) expect(got.get(k)).toBe(backend);
      }
    }
    // It died mid-way: part of its share had come.
    expect(fromDead).toBeLessThan(shared);
    for (const k of got.keys()) expect(want.has(k)).toBe(true);
  });

  it('a node alone is ready at once; one whose peers never answer is ready after the dead-after time', () => {
    const alone = sim(1, 2);
    alone.nodes[0].rep.startResync();
    expect(alone.nodes[0].rep.state).toBe('ready');
    const s = sim(3, 2);
    s.nodes[1].up = s.nodes[2].up = false;
    s.nodes[0].rep.startResync();
    s.step(400);
    expect(s.nodes[0].rep.state).toBe('resyncing');
    s.step(200);
    expect(s.nodes[0].rep.state).toBe('ready');
  });

  it('serves a request in chunks; the same requestId again does not restart it and gets resync-done again once over', () => {
    const table = new MapTable();
    const sent: SyncMessage[] = [];
    let t = 0;
    const rep = new Replicator({ nodeIndex: 0, nodes: ['a', 'b'], r: 2, epoch: 1, now: () => t, send: (_p, m) => sent.push(m), table, tunables: { resyncChunk: 100 } });
    const rng = createRng(4);
    for (let j = 0; j < 1000; j++) table.set(...randomKey(rng), 1);
    const hdr = { node: 1, epoch: 9 } as const;
    const request = (requestId: number): void => rep.receive(1, { type: 'resync-request', ...hdr, requestId });
    const run = (ms: number): void => {
      for (let k = 0; k < ms; k++) {
        t++;
        rep.tick();
        const top = Math.max(0, ...sent.map((m) => (m.type === 'batch' ? m.seq : 0)));
        rep.receive(1, { type: 'ack', ...hdr, peerEpoch: 1, cumulative: top, nacks: [] });
      }
    };
    const bulkEntries = (): number => sent.reduce((n, m) => n + (m.type === 'batch' && m.bulk ? m.entries.length : 0), 0);
    const dones = (): SyncMessage[] => sent.filter((m) => m.type === 'resync-done');
    request(5);
    run(3);
    request(5);
    run(30);
    expect(bulkEntries()).toBe(1000);
    expect(table.scans.length).toBe(10);
    expect(dones()).toHaveLength(1);
    expect(dones()[0]).toMatchObject({ requestId: 5, sessions: 1000 });
    request(5);
    expect(dones()).toHaveLength(2);
    expect(bulkEntries()).toBe(1000);
    request(6);
    run(30);
    expect(bulkEntries()).toBe(2000);
  });
});

describe('batching, debt and lag', () => {
  it('a burst of 10,000 changes leaves in ceil(share / MAX_BATCH_ENTRIES) batches per peer, repeats coalesced', () => {
    const s = sim(4, 3);
    s.startAll();
    const before = s.sent.length;
    const rng = createRng(8);
    const keys = Array.from({ length: 10_000 }, () => key(s, rng, (set) => set.includes(0)));
    for (const k of keys) for (let rep = 0; rep < 3; rep++) s.write(...k, 1 + rep, 0);
    expect(s.settle(1000)).toBe(true);
    for (const p of [1, 2, 3]) {
      const share = keys.filter((k) => s.replicas(...k).includes(p)).length;
      const batches = s.sent.slice(before).filter((m) => m.from === 0 && m.to === p && m.msg.type === 'batch' && m.msg.entries.length > 0);
      expect(batches.length).toBe(Math.ceil(share / MAX_BATCH_ENTRIES));
      expect(s.nodes[p].table.applied.length).toBe(share);
    }
  });

  it('debt counts queued and unacked entries and returns to 0; lag is enqueue-to-ack; a dead peer\'s debt is dropped', () => {
    const s = sim(3, 2, { latencyMs: 2 });
    s.startAll();
    const rng = createRng(10);
    const keys = Array.from({ length: 1000 }, () => key(s, rng, (set) => set[0] === 0));
    for (const k of keys) s.write(...k, 1);
    expect(s.nodes[0].rep.stats().debt).toBe(1000);
    expect(s.settle(500)).toBe(true);
    const st = s.nodes[0].rep.stats();
    expect(st.debt).toBe(0);
    expect(st.acked).toBe(1000);
    expect(st.lagP50Ms).toBeGreaterThan(0);
    expect(st.lagP50Ms).toBeLessThanOrEqual(st.lagP99Ms);
    expect(st.lagP99Ms).toBeLessThan(50);
    // Partitioned from node 1: debt towards it builds, then goes when it is declared dead.
    s.cut.add('0>1').add('1>0');
    const more = Array.from({ length: 500 }, () => key(s, rng, (set) => set[0] === 0 && set[1] === 1));
    for (const k of more) s.write(...k, 2);
    s.step(50);
    expect(s.nodes[0].rep.stats().debt).toBe(500);
    s.step(600);
    expect(s.nodes[0].rep.peerState(1).alive).toBe(false);
    expect(s.nodes[0].rep.stats().debt).toBe(0);
    // Healed: node 1 is pushed a resync and catches up.
    s.cut.clear();
    expect(s.settle(2000)).toBe(true);
  });

  it('after a partition heals each side pushes only what it is the source for: no home is overwritten by an older copy', () => {
    const s = sim(2, 2);
    s.startAll();
    const rng = createRng(13);
    const mine = Array.from({ length: 200 }, () => key(s, rng, (set) => set[0] === 0));
    const theirs = Array.from({ length: 200 }, () => key(s, rng, (set) => set[0] === 1));
    for (const k of [...mine, ...theirs]) s.write(...k, 1);
    expect(s.settle(500)).toBe(true);
    s.cut.add('0>1').add('1>0');
    s.step(600);
    expect(s.nodes[0].rep.peerState(1).alive || s.nodes[1].rep.peerState(0).alive).toBe(false);
    for (const k of mine) s.write(...k, 5);
    for (const k of theirs) s.write(...k, 6);
    const gone = mine[0];
    s.write(...gone, null);
    s.cut.clear();
    s.step(1000);
    // A session deleted while the peer was cut off is not in a resync: it stays there until its idle expiry.
    expect(s.nodes[1].table.current(...gone)).toEqual({ backend: 1, idleS: 0 });
    s.nodes[1].table.del(...gone);
    expect(s.converged()).toBe(true);
  });

  it('a live peer whose batches never arrive keeps the debt bounded (window, then queue overflow to a resync)', () => {
    const s = sim(2, 2, {}, { maxInFlight: 8, maxQueued: 2000 });
    s.startAll();
    s.dropIf = (m) => m.from === 0 && m.msg.type === 'batch';
    const rng = createRng(12);
    for (let j = 0; j < 5000; j++) {
      s.write(...key(s, rng, (set) => set[0] === 0), 1);
      if (j % 100 === 0) s.step(1);
    }
    const st = s.nodes[0].rep.stats();
    // In flight, the queue, and the resync pushed in its place (a batch waiting plus a chunk scanned).
    expect(st.debt).toBeLessThanOrEqual(8 * MAX_BATCH_ENTRIES + 2000 + MAX_BATCH_ENTRIES + DEFAULT_TUNABLES.resyncChunk);
    expect(st.overflows).toBeGreaterThan(0);
    expect(s.nodes[0].rep.peerState(1).alive).toBe(true);
    s.dropIf = null;
    expect(s.settle(3000)).toBe(true);
  });
  it('a peer whose acks stop gets retransmissions backed off (RTO doubling to maxRtoMs), not a storm, and catches up after', () => {
    const s = sim(2, 2);
    s.startAll();
    const rng = createRng(21);
    s.dropIf = (m) => m.from === 1 && m.msg.type === 'ack';
    for (let j = 0; j < 2000; j++) s.write(...key(s, rng, (set) => set[0] === 0), 1);
    s.step(10);
    const batches = (): number => s.sent.filter((m) => m.from === 0 && m.msg.type === 'batch').length;
    const first = batches();
    expect(first).toBeGreaterThan(0);
    s.step(2000);
    // A fixed 50 ms RTO resends every flight (and the filler left by each earlier resend) 40
    // times in 2 s: some 800 datagrams per first batch. Doubling from 50 ms to 1 s: about 6 times.
    const more = batches() - first;
    expect(more).toBeGreaterThan(first);
    expect(more).toBeLessThanOrEqual(first * 40);
    expect(s.nodes[0].rep.peerState(1).alive).toBe(true);
    s.dropIf = null;
    expect(s.settle(5000)).toBe(true);
  });
});
