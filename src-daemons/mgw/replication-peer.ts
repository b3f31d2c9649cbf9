// The replication's state per peer (replication.ts drives it; the design in DESIGN.md,
// Replication): the sender's side (Outbox: coalescing queues of keys, replication-queue.ts;
// numbered batches in flight as lists of KEYS; retransmission of their CURRENT state under a
// new seq, the old seq closed by an empty batch; cumulative + NACK acks) and the receiver's
// (Inbox: contiguous seq, out-of-order batches held and applied in seq order, coalesced
// acks). No sockets, no clock of its own: everything goes through the Ctx the Replicator
// hands in.
import { ENTRY_DELETE, ENTRY_UPSERT, MAX_BATCH_ENTRIES, type SyncEntry, type SyncMessage } from '../../src-shared/mgw/sync-types';
import { KeyQueue } from './replication-queue';

export interface ReplicationTable {
  /** What a key is now (null: gone). */
  current(k0: number, k1: number): { backend: number; idleS: number } | null;
  /** A change from a peer (upsert or delete). */
  apply(peer: number, e: SyncEntry): void;
  /** Visits up to `max` sessions from `cursor`; returns the next cursor, -1 at the end. */
  scan(cursor: number, max: number, fn: (k0: number, k1: number, backend: number, idleS: number) => void): number;
  /** Sessions in the table (for heartbeats; 0 without it). */
  size?(): number;
}

export interface Tunables {
  /** A partial batch leaves this long after its oldest entry was queued. */
  batchDelayMs: number;
  heartbeatMs: number;
  /** A peer silent this long is dead. */
  deadAfterMs: number;
  /**
   * The least retransmission timeout: an unacked batch (or a filler) is sent again after the
   * peer's current RTO, estimated from acks as TCP does (RFC 6298: srtt + 4 rttvar, never below
   * this) and doubled on each timeout up to maxRtoMs, so a peer too busy to ack is not buried
   * under retransmissions of everything in flight every 50 ms (the storm a fixed RTO made).
   */
  rtoMs: number;
  maxRtoMs: number;
  /** Batches (content and fillers) unacked per peer before new ones wait. */
  maxInFlight: number;
  /** Keys queued per peer before the queue is dropped and replaced by a resync pushed to it. */
  maxQueued: number;
  /** Sessions a resync scans per tick and per peer served. */
  resyncChunk: number;
  /** A receiver acks this long after the first unacked batch arrived... */
  ackDelayMs: number;
  /** ...or at once after this many batches. */
  ackEvery: number;
  /** Batches above the contiguous seq a receiver holds (farther ones are dropped, to come again). */
  maxReorder: number;
  /** A resync request not answered by resync-done is repeated after this. */
  resyncRetryMs: number;
}

export const DEFAULT_TUNABLES: Tunables = {
  batchDelayMs: 5, heartbeatMs: 100, deadAfterMs: 500, rtoMs: 50, maxRtoMs: 1000, maxInFlight: 256, maxQueued: 1 << 20,
  resyncChunk: 2048, ackDelayMs: 10, ackEvery: 16, maxReorder: 1024, resyncRetryMs: 250,
};

/** Counters over the process's life (stats() reports them). */
export interface Counters {
  batchesSent: number;
  /** Entries sent in fresh batches (incremental and bulk). */
  sent: number;
  /** Entries sent again (their current state under a new seq). */
  retransmitted: number;
  /** Empty batches sent to close a superseded seq. */
  fillers: number;
  acked: number;
  /** Entries in batches received for the first time. */
  received: number;
  applied: number;
  /** Batches received again (ignored). */
  duplicates: number;
  /** Batches refused: too far above the contiguous seq, or before the stream's opener (the sender sends them again). */
  refused: number;
  /** Queues dropped for being over maxQueued (a resync is pushed instead). */
  overflows: number;
  resyncsServed: number;
  resyncsRequested: number;
  resyncsCompleted: number;
  peersDied: number;
}

export const newCounters = (): Counters => ({
  batchesSent: 0, sent: 0, retransmitted: 0, fillers: 0, acked: 0, received: 0, applied: 0, duplicates: 0,
  refused: 0, overflows: 0, resyncsServed: 0, resyncsRequested: 0, resyncsCompleted: 0, peersDied: 0,
});

/** Enqueue-to-ack times of the last LAG_SAMPLES incremental batches (one sample per batch: its oldest entry). */
const LAG_SAMPLES = 2048;
export class LagWindow {
  private readonly ring = new Float64Array(LAG_SAMPLES);
  private n = 0;
  add(ms: number): void {
    this.ring[this.n++ % LAG_SAMPLES] = ms;
  }
  /** The q-quantile (0..1) of the window, 0 when empty. */
  quantile(q: number): number {
    const have = Math.min(this.n, LAG_SAMPLES);
    if (have === 0) return 0;
    const sorted = this.ring.slice(0, have).sort();
    return sorted[Math.min(have - 1, Math.floor(q * have))];
  }
}

/** What the per-peer state needs from the Replicator. */
export interface Ctx {
  readonly node: number;
  readonly epoch: number;
  readonly t: Tunables;
  readonly table: ReplicationTable;
  readonly counters: Counters;
  readonly lag: LagWindow;
  now(): number;
  send(peer: number, msg: SyncMessage): void;
}

/**
 * A batch sent and not acked: its keys (null once superseded: then it is a filler, an empty
 * batch). An empty bulk batch opens a stream (see Outbox.reset).
 */
interface Flight {
  k0s: Uint32Array | null;
  k1s: Uint32Array | null;
  bulk: boolean;
  /** When its oldest entry was first queued (carried over by retransmissions). */
  enqAt: number;
  sentAt: number;
  /** A retransmission's content: its ack is no round-trip sample (Karn). */
  retx?: boolean;
}

/** The sender's side towards one peer, in this process's epoch. */
export class Outbox {
  nextSeq = 1;
  readonly queue = new KeyQueue();
  /** A resync's keys (to the peer being served), sent after the incremental queue. */
  readonly bulk = new KeyQueue();
  /** Unacked batches by seq (inserted in seq order, so iteration is in seq order). */
  private readonly flights = new Map<number, Flight>();
  /** Entries in unacked content batches. */
  unackedEntries = 0;
  /** Unacked batches carrying bulk entries, and the highest seq that carried any. */
  bulkInFlight = 0;
  bulkSeqMax = 0;
  /** The retransmission timeout now, and the round-trip estimates it comes from. */
  rto: number;
  private srtt = 0;
  private rttvar = 0;

  constructor(private readonly ctx: Ctx, readonly peer: number) {
    this.rto = ctx.t.rtoMs;
  }

  get sentSeq(): number {
    return this.nextSeq - 1;
  }
  get debt(): number {
    return this.queue.size + this.bulk.size + this.unackedEntries;
  }
  private roomFor(): boolean {
    return this.flights.size < this.ctx.t.maxInFlight;
  }

  /** Sends what is due: retransmissions, then incremental batches (full, or past the batch delay), then bulk (full, or `bulkTail`). */
  flush(now: number, bulkTail: boolean): void {
    let timedOut = false;
    for (const [seq, f] of this.flights) {
      if (now - f.sentAt < this.rto) continue;
      this.resend(seq, f, now);
      timedOut = true;
    }
    if (timedOut) this.rto = Math.min(this.rto * 2, this.ctx.t.maxRtoMs);
    this.flushFull(now);
    if (this.queue.size > 0 && now - this.queue.oldestAt() >= this.ctx.t.batchDelayMs) this.drain(this.queue, false, now);
    while (this.bulk.size > 0 && this.roomFor() && (this.bulk.size >= MAX_BATCH_ENTRIES || bulkTail)) this.sendFresh(this.bulk, true, now);
  }
  /** Sends the incremental queue's full batches while the window allows; changed() keeps the newest key back (keep 1), so a key changed again at once is coalesced. */
  flushFull(now: number, keep = 0): void {
    while (this.queue.size - keep >= MAX_BATCH_ENTRIES && this.roomFor()) this.sendFresh(this.queue, false, now);
  }
  private drain(q: KeyQueue, bulk: boolean, now: number): void {
    while (q.size > 0 && this.roomFor()) this.sendFresh(q, bulk, now);
  }
  private sendFresh(q: KeyQueue, bulk: boolean, now: number): void {
    const n = Math.min(q.size, MAX_BATCH_ENTRIES);
    const k0s = new Uint32Array(n);
    const k1s = new Uint32Array(n);
    const enqAt = q.take(n, k0s, k1s);
    this.ctx.counters.sent += n;
    this.unackedEntries += n;
    this.launch({ k0s, k1s, bulk, enqAt, sentAt: now });
  }
  /** Numbers a content flight, reads its keys' current state and sends it. */
  private launch(f: Flight): void {
    const seq = this.nextSeq++;
    const k0s = f.k0s!;
    const k1s = f.k1s!;
    const entries: SyncEntry[] = new Array<SyncEntry>(k0s.length);
    for (let j = 0; j < k0s.length; j++) entries[j] = entryNow(this.ctx.table, k0s[j], k1s[j]);
    this.flights.set(seq, f);
    if (f.bulk) {
      this.bulkInFlight++;
      this.bulkSeqMax = seq;
    }
    this.batch(seq, f.bulk, entries);
  }
  private batch(seq: number, bulk: boolean, entries: SyncEntry[]): void {
    this.ctx.counters.batchesSent++;
    this.ctx.send(this.peer, { type: 'batch', node: this.ctx.node, epoch: this.ctx.epoch, seq, bulk, entries });
  }
  /** NACKed or timed out: a content batch's keys go again as they are NOW under a new seq, and the old seq is closed by an empty batch; a filler is just sent again. */
  private resend(seq: number, f: Flight, now: number): void {
    if (f.k0s) {
      this.ctx.counters.retransmitted += f.k0s.length;
      if (f.bulk) this.bulkInFlight--;
      this.launch({ k0s: f.k0s, k1s: f.k1s, bulk: f.bulk, enqAt: f.enqAt, sentAt: now, retx: true });
      f.k0s = f.k1s = null;
      f.bulk = false;
    }
    f.sentAt = now;
    this.ctx.counters.fillers++;
    this.batch(seq, f.bulk, []);
  }

  /** An ack: everything up to `cumulative` arrived, the `nacks` ranges did not, and seqs between them did. */
  onAck(cumulative: number, nacks: readonly (readonly [number, number])[]): void {
    const now = this.ctx.now();
    const top = nacks.length > 0 ? nacks[nacks.length - 1][1] : cumulative;
    let r = 0;
    for (const [seq, f] of this.flights) {
      if (seq > top) break;
      while (r < nacks.length && nacks[r][1] < seq) r++;
      const missing = seq > cumulative && r < nacks.length && nacks[r][0] <= seq;
      if (!missing) this.acked(seq, f, now);
      else if (now - f.sentAt >= this.rto / 2) this.resend(seq, f, now);
    }
  }
  private acked(seq: number, f: Flight, now: number): void {
    this.flights.delete(seq);
    if (!f.k0s) return;
    if (!f.retx) this.sample(now - f.sentAt);
    this.unackedEntries -= f.k0s.length;
    this.ctx.counters.acked += f.k0s.length;
    if (f.bulk) this.bulkInFlight--;
    else this.ctx.lag.add(now - f.enqAt);
  }

  /** A round trip measured: srtt, rttvar and the RTO as RFC 6298 has them (alpha 1/8, beta 1/4). */
  private sample(rtt: number): void {
    if (this.srtt === 0) {
      this.srtt = rtt;
      this.rttvar = rtt / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rtt);
      this.srtt = 0.875 * this.srtt + 0.125 * rtt;
    }
    this.rto = Math.min(Math.max(this.srtt + 4 * this.rttvar, this.ctx.t.rtoMs), this.ctx.t.maxRtoMs);
  }

  /** The peer is dead: its queues go (a resync covers them when it is back); unacked batches become fillers, so its seqs still close. */
  abandon(): void {
    this.queue.clear();
    this.bulk.clear();
    for (const f of this.flights.values()) {
      if (f.k0s) f.bulk = false;
      f.k0s = f.k1s = null;
    }
    this.unackedEntries = 0;
    this.bulkInFlight = 0;
  }
  /**
   * A new stream to the peer (first contact with its epoch, or it restarted): what was in
   * flight is forgotten, and the stream opens with an empty bulk batch (the opener, sent again
   * until acked). The numbering goes on (seq 1 opens the first stream): a batch of an old
   * stream that reaches the peer's new incarnation has a seq below the opener's and is taken
   * for a duplicate, never for a batch of the new stream.
   */
  reset(): void {
    this.abandon();
    this.flights.clear();
    this.bulkSeqMax = 0;
    const seq = this.nextSeq++;
    this.flights.set(seq, { k0s: null, k1s: null, bulk: true, enqAt: 0, sentAt: this.ctx.now() });
    this.batch(seq, true, []);
  }
}

/** A session's current state as an entry (a key that is gone: a delete). */
export function entryNow(table: ReplicationTable, k0: number, k1: number): SyncEntry {
  const c = table.current(k0, k1);
  return c ? { op: ENTRY_UPSERT, k0, k1, backend: c.backend, idleS: Math.min(c.idleS, 0xffff) } : { op: ENTRY_DELETE, k0, k1, backend: 0xffff, idleS: 0 };
}

/** NACK ranges one ack carries at most (the codec's limit). */
const MAX_NACKS = 64;

/** The receiver's side from one peer, for the peer's current epoch. */
export class Inbox {
  epoch: number | null = null;
  /** Every seq up to this arrived and was applied. */
  contiguous = 0;
  /** The stream's opener arrived (before it, batches are refused: they may be an old stream's). */
  private opened = false;
  /** Batches above `contiguous`, held until the ones before them arrive. */
  private readonly held = new Map<number, readonly SyncEntry[]>();
  /** The highest seq the peer says it sent (heartbeats), so a lost tail is NACKed. */
  private peerSent = 0;
  private unackedBatches = 0;
  private ackDueAt = Infinity;

  constructor(private readonly ctx: Ctx, readonly peer: number) {}

  reset(epoch: number): void {
    this.epoch = epoch;
    this.contiguous = 0;
    this.opened = false;
    this.held.clear();
    this.peerSent = 0;
    this.unackedBatches = 0;
    this.ackDueAt = Infinity;
  }

  /** A batch: applied when it is the next seq (then any held ones that follow), held when above, ignored when seen. */
  onBatch(seq: number, bulk: boolean, entries: readonly SyncEntry[]): void {
    const c = this.ctx.counters;
    if (!this.opened) {
      if (!bulk || entries.length > 0) {
        c.refused++;
        return;
      }
      this.opened = true;
      this.contiguous = seq;
    } else if (seq <= this.contiguous || this.held.has(seq)) c.duplicates++;
    else if (seq > this.contiguous + this.ctx.t.maxReorder) c.refused++;
    else {
      c.received += entries.length;
      if (seq === this.contiguous + 1) {
        this.apply(entries);
        for (let next = this.held.get(seq + 1); next; next = this.held.get(this.contiguous + 1)) {
          this.held.delete(this.contiguous + 1);
          this.apply(next);
        }
      } else this.held.set(seq, entries.slice());
    }
    this.ackDue(++this.unackedBatches >= this.ctx.t.ackEvery ? 0 : this.ctx.t.ackDelayMs);
  }
  private apply(entries: readonly SyncEntry[]): void {
    for (const e of entries) this.ctx.table.apply(this.peer, e);
    this.ctx.counters.applied += entries.length;
    this.contiguous++;
  }
  onHeartbeat(sentSeq: number): void {
    this.peerSent = sentSeq;
    if (sentSeq > this.contiguous) this.ackDue(0);
  }
  private ackDue(inMs: number): void {
    this.ackDueAt = Math.min(this.ackDueAt, this.ctx.now() + inMs);
  }
  /** Sends the ack when it is due. */
  tick(now: number): void {
    if (now < this.ackDueAt || !this.opened || this.epoch === null) return;
    this.ackDueAt = Infinity;
    this.unackedBatches = 0;
    this.ctx.send(this.peer, { type: 'ack', node: this.ctx.node, epoch: this.ctx.epoch, peerEpoch: this.epoch, cumulative: this.contiguous, nacks: this.gaps() });
  }
  /** The missing ranges above `contiguous`: between held batches, and past them up to what the peer said it sent. */
  private gaps(): [number, number][] {
    const out: [number, number][] = [];
    let from = this.contiguous + 1;
    for (const seq of [...this.held.keys()].sort((a, b) => a - b)) {
      if (seq > from) out.push([from, seq - 1]);
      from = seq + 1;
      if (out.length === MAX_NACKS) return out;
    }
    if (this.peerSent >= from) out.push([from, this.peerSent]);
    return out;
  }
}
