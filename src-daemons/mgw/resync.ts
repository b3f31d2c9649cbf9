// Bulk resync (DESIGN.md, Replication), both ends, driven by replication.ts:
// - ResyncServe: serving one peer. Scans the local table a chunk per tick (bounded work, and
//   only while less than a full batch waits for the window), queues the sessions the peer
//   should hold and this node is the source for (the predicate replication.ts passes) for
//   bulk batches (numbered and acked like any batch, retransmitted as current state), and
//   once the scan is over and every bulk batch is acked sends resync-done with the highest
//   seq that carried bulk entries. A repeated request (same requestId) does not restart it;
//   one that comes after the end gets resync-done again.
// - ResyncWait: the requesting node. Asks every peer not known dead, again every
//   resyncRetryMs until it answers; a peer is done once its resync-done arrived and
//   everything up to its lastSeq was applied; a peer that dies (or, never heard, stays silent
//   past deadAfterMs) is not waited for. Ready when no peer is left.
import { MAX_BATCH_ENTRIES } from '../../src-shared/mgw/sync-types';
import type { Ctx, Outbox } from './replication-peer';

export class ResyncServe {
  private cursor = 0;
  private scanDone = false;
  private doneSent = false;
  private sessions = 0;

  constructor(
    private readonly ctx: Ctx,
    private readonly out: Outbox,
    readonly requestId: number,
    /** Whether to send a key to the peer. */
    private readonly holds: (k0: number, k1: number) => boolean,
  ) {
    out.bulk.clear();
    ctx.counters.resyncsServed++;
  }

  /** Scans the next chunk unless a full batch is already waiting (for the window). */
  scan(now: number): void {
    const { out, ctx } = this;
    if (this.scanDone || out.bulk.size >= MAX_BATCH_ENTRIES) return;
    this.cursor = ctx.table.scan(this.cursor, ctx.t.resyncChunk, (k0, k1) => {
      if (this.holds(k0, k1) && out.bulk.push(k0, k1, now)) this.sessions++;
    });
    if (this.cursor < 0) this.scanDone = true;
  }
  /** The last bulk batch may leave partial once the scan is over. */
  get tail(): boolean {
    return this.scanDone;
  }
  /** Sends resync-done once everything is out and acked (once; again on a repeated request). */
  finish(): void {
    if (this.doneSent || !this.scanDone || this.out.bulk.size > 0 || this.out.bulkInFlight > 0) return;
    this.doneSent = true;
    this.sendDone();
  }
  /** The same request again: only answered when it is over. */
  repeat(): void {
    if (this.doneSent) this.sendDone();
  }
  private sendDone(): void {
    const { ctx } = this;
    ctx.send(this.out.peer, { type: 'resync-done', node: ctx.node, epoch: ctx.epoch, requestId: this.requestId, lastSeq: this.out.bulkSeqMax, sessions: this.sessions });
  }
}

interface Waiting {
  /** From the peer's resync-done (null until it came). */
  lastSeq: number | null;
  askedAt: number;
}

export class ResyncWait {
  requestId = 0;
  private startedAt = 0;
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly ctx: Ctx) {}

  get pending(): number {
    return this.waiting.size;
  }
  /** A new round: waits for `peers` (every peer not known dead). */
  start(peers: readonly number[]): void {
    this.requestId = (this.requestId + 1) >>> 0 || 1;
    this.startedAt = this.ctx.now();
    this.waiting.clear();
    for (const p of peers) this.waiting.set(p, { lastSeq: null, askedAt: -Infinity });
    this.ctx.counters.resyncsRequested++;
  }
  /** Asks the peers that have not answered (now, or again after resyncRetryMs); drops never-heard peers past their grace. */
  tick(now: number, heard: (p: number) => boolean): void {
    for (const [p, w] of this.waiting) {
      if (!heard(p) && now - this.startedAt > this.ctx.t.deadAfterMs) this.waiting.delete(p);
      else if (w.lastSeq === null && now - w.askedAt >= this.ctx.t.resyncRetryMs) {
        w.askedAt = now;
        this.ctx.send(p, { type: 'resync-request', node: this.ctx.node, epoch: this.ctx.epoch, requestId: this.requestId });
      }
    }
  }
  /** The peer's resync-done: done with it once everything up to lastSeq is applied. */
  onDone(p: number, requestId: number, lastSeq: number, contiguous: number): void {
    const w = this.waiting.get(p);
    if (!w || requestId !== this.requestId) return;
    w.lastSeq = lastSeq;
    this.progress(p, contiguous);
  }
  /** Called as batches from p are applied. */
  progress(p: number, contiguous: number): void {
    const w = this.waiting.get(p);
    if (w && w.lastSeq !== null && contiguous >= w.lastSeq) this.waiting.delete(p);
  }
  /** p died: not waited for. */
  drop(p: number): void {
    this.waiting.delete(p);
  }
  /** p restarted: what it sent is void; ask it again. */
  again(p: number): void {
    const w = this.waiting.get(p);
    if (w) {
      w.lastSeq = null;
      w.askedAt = -Infinity;
    }
  }
}
