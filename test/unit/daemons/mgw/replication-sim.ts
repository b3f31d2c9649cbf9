// An in-memory cluster for replication.test.ts: Replicators over Map-backed session tables,
// a fake clock in ms, and a network that delays (latency + jitter, so it reorders), drops a
// fraction of messages (seeded PRNG), duplicates, and cuts links or whole nodes. The truth is
// what the writers set; a node should end with exactly the truth's sessions whose replica set
// holds it.
import { hashName, rendezvous } from '../../../../src-shared/mgw/hash';
import { packK1, PROTO_UDP } from '../../../../src-shared/mgw/key';
import { createRng } from '../../../../src-shared/random';
import { ENTRY_UPSERT, type SyncEntry, type SyncMessage } from '../../../../src-shared/mgw/sync-types';
import { Replicator, type ReplicationTable, type Tunables } from '../../../../src-daemons/mgw/replication';

const id = (k0: number, k1: number): string => `${k0}:${k1}`;

export interface Row { k0: number; k1: number; backend: number }

/** A session table as the replicator sees it, with a log of what peers applied and of scans. */
export class MapTable implements ReplicationTable {
  readonly rows = new Map<string, Row>();
  /** Insertion order with holes for deletes, so a scan cursor (an index) is stable. */
  private readonly order: (string | null)[] = [];
  private readonly pos = new Map<string, number>();
  readonly applied: SyncEntry[] = [];
  readonly scans: number[] = [];

  set(k0: number, k1: number, backend: number): void {
    const k = id(k0, k1);
    if (!this.pos.has(k)) {
      this.pos.set(k, this.order.length);
      this.order.push(k);
    }
    this.rows.set(k, { k0, k1, backend });
  }
  del(k0: number, k1: number): void {
    const k = id(k0, k1);
    const at = this.pos.get(k);
    if (at !== undefined) this.order[at] = null;
    this.pos.delete(k);
    this.rows.delete(k);
  }
  current(k0: number, k1: number): { backend: number; idleS: number } | null {
    const r = this.rows.get(id(k0, k1));
    return r ? { backend: r.backend, idleS: 0 } : null;
  }
  apply(_peer: number, e: SyncEntry): void {
    this.applied.push(e);
    if (e.op === ENTRY_UPSERT) this.set(e.k0, e.k1, e.backend);
    else this.del(e.k0, e.k1);
  }
  scan(cursor: number, max: number, fn: (k0: number, k1: number, backend: number, idleS: number) => void): number {
    this.scans.push(max);
    let i = cursor;
    for (let seen = 0; i < this.order.length && seen < max; i++) {
      const k = this.order[i];
      if (k === null) continue;
      const r = this.rows.get(k)!;
      fn(r.k0, r.k1, r.backend, 0);
      seen++;
    }
    return i >= this.order.length ? -1 : i;
  }
  size(): number {
    return this.rows.size;
  }
  /** How many times a peer applied an entry for this key. */
  appliedOf(k0: number, k1: number): SyncEntry[] {
    return this.applied.filter((e) => e.k0 === k0 && e.k1 === k1);
  }
}

export interface Sent { at: number; from: number; to: number; msg: SyncMessage }

export interface NetOptions {
  latencyMs?: number;
  jitterMs?: number;
  loss?: number;
  dup?: number;
  seed?: number;
}

export interface SimNode { rep: Replicator; table: MapTable; epoch: number; up: boolean }

export class Sim {
  t = 0;
  readonly ids: string[];
  readonly seeds: Int32Array;
  readonly nodes: SimNode[] = [];
  /** Every message sent, in order (for assertions). */
  readonly sent: Sent[] = [];
  /** Directed links that drop everything ("from>to"). */
  readonly cut = new Set<string>();
  /** Drops a message when it returns true (after the random loss). */
  dropIf: ((s: Sent) => boolean) | null = null;
  dropped = 0;
  private inFlight: Sent[] = [];
  private readonly rng: () => number;
  private readonly scratch = new Int32Array(16);
  /** The truth: what the writers set. */
  readonly truth = new Map<string, Row>();

  constructor(n: number, readonly r: number, readonly net: NetOptions = {}, readonly tunables: Partial<Tunables> = {}) {
    this.rng = createRng(net.seed ?? 1);
    this.ids = Array.from({ length: n }, (_, i) => `gw-${i}`);
    this.seeds = Int32Array.from(this.ids, (s) => hashName(s));
    for (let i = 0; i < n; i++) this.nodes.push(this.makeNode(i, 1));
  }

  private makeNode(i: number, epoch: number): SimNode {
    const table = new MapTable();
    const rep = new Replicator({
      nodeIndex: i, nodes: this.ids, r: this.r, epoch, now: () => this.t, table, tunables: this.tunables,
      send: (to, msg) => this.post(i, to, msg),
    });
    return { rep, table, epoch, up: true };
  }

  /** Node i restarts: a new epoch, an empty table, resyncing. */
  restart(i: number): SimNode {
    const node = this.makeNode(i, this.nodes[i].epoch + 1);
    this.nodes[i] = node;
    node.rep.startResync();
    return node;
  }

  private post(from: number, to: number, msg: SyncMessage): void {
    const s: Sent = { at: this.t, from, to, msg };
    this.sent.push(s);
    const { latencyMs = 1, jitterMs = 0, loss = 0, dup = 0 } = this.net;
    if (!this.nodes[to].up || this.cut.has(`${from}>${to}`) || this.rng() < loss || this.dropIf?.(s)) {
      this.dropped++;
      return;
    }
    const copies = this.rng() < dup ? 2 : 1;
    for (let c = 0; c < copies; c++) this.inFlight.push({ ...s, at: this.t + latencyMs + Math.floor(this.rng() * (jitterMs + 1)) + c });
  }

  /** Advances the clock ms by ms: delivers what is due, then ticks every node that is up. */
  step(ms: number, until?: () => boolean): void {
    for (let k = 0; k < ms; k++) {
      this.t++;
      const due = this.inFlight.filter((s) => s.at <= this.t);
      this.inFlight = this.inFlight.filter((s) => s.at > this.t);
      for (const s of due) if (this.nodes[s.to].up && this.nodes[s.from].up) this.nodes[s.to].rep.receive(s.from, s.msg);
      for (const n of this.nodes) if (n.up) n.rep.tick();
      if (until?.()) return;
    }
  }

  /** Every node starts (resyncs against the others) and the run goes on until all are ready. */
  startAll(maxMs = 3000): void {
    for (const n of this.nodes) n.rep.startResync();
    this.step(maxMs, () => this.nodes.every((n) => n.rep.state === 'ready'));
  }

  private readonly sets = new Map<string, number[]>();
  replicas(k0: number, k1: number): number[] {
    const k = id(k0, k1);
    let set = this.sets.get(k);
    if (!set) {
      const n = rendezvous(k0, k1, this.seeds, this.r, this.scratch);
      set = Array.from(this.scratch.subarray(0, n));
      this.sets.set(k, set);
    }
    return set;
  }

  /** A change made at `at` (default: the key's home, the first member): upsert, or delete with null. */
  write(k0: number, k1: number, backend: number | null, at = this.replicas(k0, k1)[0]): void {
    const node = this.nodes[at];
    if (backend === null) {
      node.table.del(k0, k1);
      this.truth.delete(id(k0, k1));
    } else {
      node.table.set(k0, k1, backend);
      this.truth.set(id(k0, k1), { k0, k1, backend });
    }
    node.rep.changed(k0, k1);
  }

  /** The sessions node i should hold. */
  expected(i: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const [k, r] of this.truth) if (this.replicas(r.k0, r.k1).includes(i)) out.set(k, r.backend);
    return out;
  }
  actual(i: number): Map<string, number> {
    return new Map([...this.nodes[i].table.rows].map(([k, r]) => [k, r.backend]));
  }
  converged(): boolean {
    return this.nodes.every((n, i) => !n.up || sameMap(this.actual(i), this.expected(i)));
  }
  /** Runs until every node that is up holds exactly what it should, and no debt is left. */
  settle(maxMs: number): boolean {
    this.step(maxMs, () => this.nodes.every((n) => !n.up || n.rep.debt === 0) && this.converged());
    return this.converged();
  }
  total(stat: 'retransmitted' | 'duplicates' | 'sent' | 'acked' | 'applied' | 'fillers' | 'overflows' | 'debt'): number {
    return this.nodes.reduce((s, n) => s + n.rep.stats()[stat], 0);
  }
  batches(from: number, to: number): Sent[] {
    return this.sent.filter((s) => s.from === from && s.to === to && s.msg.type === 'batch');
  }
}

export function sameMap(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** A random UDP flow key. */
export function randomKey(rng: () => number): [number, number] {
  return [Math.floor(rng() * 2 ** 32) >>> 0, packK1(1024 + Math.floor(rng() * 60000), Math.floor(rng() * 8), PROTO_UDP)];
}
