// Reliable, acknowledged session replication between gateway nodes (DESIGN.md, Replication):
// conntrackd FTFW-like, where IPVS sync has no acks (a lost message is a lost session). Pure
// logic over SyncMessage values, an injected clock and an injected send; the daemon encodes
// (src-shared/mgw/sync.ts), sends over UDP, decodes and calls receive(), and calls tick()
// every few ms.
//
// - changed(k0, k1) queues a key for the other members of its replica set (rendezvous over
//   all configured nodes, top r), coalesced while not yet sent; batches of at most
//   MAX_BATCH_ENTRIES leave when full or batchDelayMs after their oldest entry, numbered per
//   (this epoch, peer) from 1, carrying each key's state as it is when the batch leaves.
// - Sender (replication-peer.ts, Outbox): unacked batches are kept as lists of keys; a NACKed
//   or timed-out one is sent again as its keys' CURRENT state (a deleted key as a delete)
//   under a new seq, and its old seq is closed by an empty batch (a filler), so a late ack of
//   the old seq is harmless and the receiver's contiguous seq can pass it. At most
//   maxInFlight batches unacked per peer; a dead peer's queue and unacked entries are dropped.
//   Each stream (this epoch to one epoch of the peer) opens with an empty bulk batch, and the
//   receiver takes nothing before it: an old stream's batch never passes for a new one's.
// - Receiver (Inbox): applies batches in seq order (out-of-order ones are held, at most
//   maxReorder above the contiguous seq), so a late old batch never overwrites a newer state;
//   duplicates are counted and ignored; acks are cumulative with NACK ranges, coalesced
//   (ackDelayMs, or every ackEvery batches), and sent at once when a heartbeat's sentSeq shows
//   a lost tail. A peer's new epoch (a restart) resets both directions for it.
// - Liveness: any message makes a peer alive; deadAfterMs of silence makes it dead. A resync
//   is pushed (requestId 0; a request from the peer replaces it) to a peer on a new stream
//   (first contact, or it restarted), to one that comes back in the same epoch (it missed
//   what was dropped for it) and to one whose queue overflowed maxQueued, by a ready node only.
//   A resync sends each key from one source, its first live member (sourceFor), and carries
//   sessions, not deletes: a session deleted while a peer was cut off stays there until its
//   idle expiry.
// - Resync (resync.ts): startResync() asks every peer not known dead and stays 'resyncing'
//   until each has answered resync-done and everything up to its lastSeq was applied, or has
//   died (a never-heard peer is given deadAfterMs to speak). Alone, ready at once.
// Epochs must grow across restarts (e.g. the start time in seconds): a message with an epoch
// below the one known for its sender is from a previous incarnation and is ignored.
import { hashName, rendezvous } from '../../src-shared/mgw/hash';
import type { NodeState, SyncMessage } from '../../src-shared/mgw/sync-types';
import { DEFAULT_TUNABLES, Inbox, LagWindow, newCounters, Outbox, type Counters, type Ctx, type ReplicationTable, type Tunables } from './replication-peer';
import { ResyncServe, ResyncWait } from './resync';

export { DEFAULT_TUNABLES, type ReplicationTable, type Tunables } from './replication-peer';

export interface ReplicationDeps {
  /** This node's index in `nodes`. */
  nodeIndex: number;
  /** The cluster's node ids (index = position); placement seeds are hashName(id). */
  nodes: readonly string[];
  /** Replicas per session (2 or 3). */
  r: number;
  /** This process's epoch (a restart gets a new, higher one). */
  epoch: number;
  /** Milliseconds. */
  now: () => number;
  send: (peer: number, msg: SyncMessage) => void;
  table: ReplicationTable;
  tunables?: Partial<Tunables>;
}

export interface PeerView {
  alive: boolean;
  state: NodeState | null;
  epoch: number | null;
}

export interface ReplicationStats extends Counters {
  /** Entries queued or unacked, over all peers. */
  debt: number;
  /** Enqueue-to-ack time of recent incremental batches (from each batch's oldest entry). */
  lagP50Ms: number;
  lagP99Ms: number;
  peersAlive: number;
  /** Peers a resync in progress still waits for. */
  resyncWaiting: number;
}

interface Peer {
  /** Any message ever came from it. */
  heard: boolean;
  alive: boolean;
  lastHeard: number;
  epoch: number | null;
  state: NodeState | null;
  sessions: number;
  readonly out: Outbox;
  readonly in: Inbox;
  /** The resync this node serves to it, if any (kept after it ends, to answer a repeated request). */
  serve: ResyncServe | null;
}

export class Replicator {
  private current: NodeState = 'joining';
  private readonly self: number;
  private readonly r: number;
  private readonly seeds: Int32Array;
  private readonly scratch = new Int32Array(16);
  private readonly peers: Peer[];
  private readonly ctx: Ctx;
  private readonly counters = newCounters();
  private readonly wait: ResyncWait;
  private nextBeat = -Infinity;

  constructor(private readonly deps: ReplicationDeps) {
    const { nodeIndex, nodes, r } = deps;
    if (!Number.isInteger(nodeIndex) || nodeIndex < 0 || nodeIndex >= nodes.length) throw new Error(`replication: node index ${nodeIndex} is not in 0..${nodes.length - 1}`);
    if (!Number.isInteger(r) || r < 1 || r > 16) throw new Error(`replication: r ${r} is not in 1..16`);
    this.self = nodeIndex;
    this.r = r;
    this.seeds = Int32Array.from(nodes, (id) => hashName(id));
    const t = { ...DEFAULT_TUNABLES, ...deps.tunables };
    this.ctx = { node: nodeIndex, epoch: deps.epoch, t, table: deps.table, counters: this.counters, lag: new LagWindow(), now: deps.now, send: deps.send };
    this.wait = new ResyncWait(this.ctx);
    this.peers = nodes.map((_, i) => ({
      heard: false, alive: false, lastHeard: -Infinity, epoch: null, state: null, sessions: 0,
      out: new Outbox(this.ctx, i), in: new Inbox(this.ctx, i), serve: null,
    }));
  }

  get state(): NodeState {
    return this.current;
  }

  /** A session was created, updated or deleted here: queue it for the other live members of its replica set. */
  changed(k0: number, k1: number): void {
    const n = rendezvous(k0, k1, this.seeds, this.r, this.scratch);
    let now = -1;
    for (let j = 0; j < n; j++) {
      const i = this.scratch[j];
      const p = this.peers[i];
      if (i === this.self || !p.alive) continue;
      if (now < 0) now = this.deps.now();
      if (!p.out.queue.push(k0, k1, now)) continue;
      if (p.out.queue.size > this.ctx.t.maxQueued) {
        this.counters.overflows++;
        p.out.queue.clear();
        this.push(i);
      } else p.out.flushFull(now, 1);
    }
  }

  receive(peer: number, msg: SyncMessage): void {
    if (peer === this.self || !(peer >= 0 && peer < this.peers.length) || msg.node !== peer) return;
    const p = this.peers[peer];
    let restarted = false;
    if (p.epoch !== msg.epoch) {
      if (p.epoch !== null && msg.epoch < p.epoch) return;
      restarted = p.epoch !== null;
      this.newEpoch(peer, msg.epoch);
    }
    p.lastHeard = this.deps.now();
    if (!p.alive) {
      p.alive = true;
      if (p.heard && !restarted) this.push(peer);
    }
    p.heard = true;
    switch (msg.type) {
      case 'batch':
        p.in.onBatch(msg.seq, msg.bulk, msg.entries);
        this.wait.progress(peer, p.in.contiguous);
        break;
      case 'ack':
        if (msg.peerEpoch === this.deps.epoch) p.out.onAck(msg.cumulative, msg.nacks);
        break;
      case 'heartbeat':
        p.state = msg.state;
        p.sessions = msg.sessions;
        p.in.onHeartbeat(msg.sentSeq);
        break;
      case 'resync-request':
        if (p.serve && p.serve.requestId === msg.requestId) p.serve.repeat();
        else p.serve = new ResyncServe(this.ctx, p.out, msg.requestId, this.sourceFor(peer, false));
        break;
      case 'resync-done':
        if (this.current === 'resyncing') this.wait.onDone(peer, msg.requestId, msg.lastSeq, p.in.contiguous);
        break;
    }
  }

  /** Flushes due batches, retransmits, acks, heartbeats, liveness and resync progress. */
  tick(): void {
    const now = this.deps.now();
    const beat = now >= this.nextBeat;
    if (beat) this.nextBeat = now + this.ctx.t.heartbeatMs;
    const sessions = beat ? (this.deps.table.size?.() ?? 0) : 0;
    for (let i = 0; i < this.peers.length; i++) {
      if (i === this.self) continue;
      const p = this.peers[i];
      if (p.alive && now - p.lastHeard > this.ctx.t.deadAfterMs) this.die(i);
      if (beat) this.deps.send(i, { type: 'heartbeat', node: this.self, epoch: this.deps.epoch, state: this.current, sessions, sentSeq: p.out.sentSeq });
      p.in.tick(now);
      if (!p.alive) continue;
      p.serve?.scan(now);
      p.out.flush(now, p.serve?.tail ?? true);
      p.serve?.finish();
    }
    if (this.current === 'resyncing') {
      this.wait.tick(now, (i) => this.peers[i].heard);
      this.readyIfDone();
    }
  }

  /** On start or rejoin: 'resyncing' until every peer not known dead has sent what this node should hold. */
  startResync(): void {
    this.current = 'resyncing';
    const ask: number[] = [];
    for (let i = 0; i < this.peers.length; i++) if (i !== this.self && (this.peers[i].alive || !this.peers[i].heard)) ask.push(i);
    this.wait.start(ask);
    this.wait.tick(this.deps.now(), (i) => this.peers[i].heard);
    this.readyIfDone();
  }

  peerState(i: number): PeerView {
    const p = this.peers[i];
    if (i === this.self) return { alive: true, state: this.current, epoch: this.deps.epoch };
    return p ? { alive: p.alive, state: p.state, epoch: p.epoch } : { alive: false, state: null, epoch: null };
  }

  /** Alive and ready (this node: ready). */
  isLive(i: number): boolean {
    const v = this.peerState(i);
    return v.alive && v.state === 'ready';
  }

  /** Entries queued or unacked, over all peers (cheap: stats() also sorts the lag window). */
  get debt(): number {
    let debt = 0;
    for (const p of this.peers) debt += p.out.debt;
    return debt;
  }

  stats(): ReplicationStats {
    const lag = this.ctx.lag;
    const peersAlive = this.peers.filter((p) => p.alive).length;
    return { ...this.counters, debt: this.debt, lagP50Ms: lag.quantile(0.5), lagP99Ms: lag.quantile(0.99), peersAlive, resyncWaiting: this.wait.pending };
  }

  private readyIfDone(): void {
    if (this.current !== 'resyncing' || this.wait.pending > 0) return;
    this.current = 'ready';
    this.counters.resyncsCompleted++;
  }

  /**
   * Whether this node is the one to send a key to peer i in a resync: i is in the key's set
   * and this node is its first live member (the home, or who stands in for it), not counting
   * i when i asked (its table is empty), counting it when the resync is pushed (i kept its
   * table, and where it comes first it is the writer). One source per key: another replica's
   * copy may be older than what the home sends.
   */
  private sourceFor(i: number, pushed: boolean): (k0: number, k1: number) => boolean {
    return (k0, k1) => {
      const n = rendezvous(k0, k1, this.seeds, this.r, this.scratch);
      let member = false;
      let source = -1;
      for (let j = 0; j < n; j++) {
        const m = this.scratch[j];
        if (m === i) member = true;
        if (source < 0 && (m === this.self || (m === i ? pushed : this.isLive(m)))) source = m;
      }
      return member && source === this.self;
    };
  }

  /** A resync this node starts on its own (a new stream to the peer, or it missed what was dropped for it); only a ready node's table is worth pushing. */
  private push(i: number): void {
    const p = this.peers[i];
    p.serve = this.current === 'ready' ? new ResyncServe(this.ctx, p.out, 0, this.sourceFor(i, true)) : null;
  }

  private newEpoch(i: number, epoch: number): void {
    const p = this.peers[i];
    const before = p.epoch;
    p.epoch = epoch;
    p.state = null;
    p.serve = null;
    p.out.reset();
    p.in.reset(epoch);
    this.push(i);
    if (before !== null) this.wait.again(i);
  }

  private die(i: number): void {
    const p = this.peers[i];
    p.alive = false;
    p.serve = null;
    p.out.abandon();
    this.wait.drop(i);
    this.counters.peersDied++;
  }
}
