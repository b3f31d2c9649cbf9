// The gateway's session table (src-daemons/mgw/DESIGN.md, "Session table"): flow key (k0, k1,
// src-shared/mgw/key.ts) -> backend, last-seen second and flags, for every session the node
// holds, looked up on every packet. Open addressing with linear probing over one Uint32Array
// preallocated in the constructor, a power-of-two capacity sized for maxSessions at 0.75 load,
// the home slot hash32(k0, k1) & mask, and backward-shift deletion (no tombstones: probe chains
// never grow with churn, and a miss stops at the first empty slot).
//
// Why not a JS Map: V8's Map stops at 2^24 (16.7 M) entries, and per entry it costs its hash
// table's share plus a boxed number key: 64 B of RSS per session at 12 M measured by
// test/bench/mgw-table.ts (not the 170-220 B first assumed), with
// lookups 5-8x slower than here; and a full flow key (64 bits) does not even fit a number
// exactly, so it would need BigInt or string keys, costlier still.
//
// Layout: slot i is the 4 words (16 B, so a slot never straddles a cache line) at 4i of one
// Uint32Array: [k0, k1, meta, lastSeen], meta = used (bit 0) | flags (bits 1-7) | bound (bits
// 8-15) | backend (bits 16-31). 16 B/slot is 22.4 B per session at 12 M (16.7 M slots, 256 MB;
// RSS ~325-340 MB), and find, insert, upsert and touch allocate nothing. The earlier layout
// (five typed arrays, 15 B/slot) made a hit touch three cache lines (flags, k0, k1).
//
// Misses: at ~0.72 load a miss walking to the first empty slot visits ~7 slots. So a slot's
// bound bits hold, for the entries whose *home* is that slot, an upper bound of their distance
// from it (0..254; 255: unknown, walk to the empty slot): a miss looks at bound + 1 slots at
// most, and stops early at an empty slot. The bound belongs to the slot's position, not to the
// entry stored there: entries move without it. Insert raises it; removeAt resets it for the
// homes it touches (setBound: exact when an entry of that home moved, else the removed
// distance - 1); a slot that becomes empty gets 0 (no entry can be homed at an empty slot).
// So bounds never fall short and stay tight under churn: misses at 12 M lost ~10% after 24 M
// remove+insert pairs (a first version that only ever raised bounds lost ~55%; one run each).
// Chosen over an 8-bit hash tag in those bits (saves key compares, not probes: in alternating
// scratch runs misses 2.1 / 3.3 M/s with the tag, 2.6 / 3.7 for five arrays, 4.2 / 5.6 with
// the bound) and over a lower load bound (2^25 slots: 512 MB at 12 M, too near 0.6 GB RSS).
//
// Measured by test/bench/mgw-table.ts at 12 M, one core, on a 2-core machine shared with
// another engineer's lab tests (load 2.5-4: the same code varied up to 2x between runs, the JS
// Map up to 3x), in M lookups/s, five arrays -> interleaved + bound:
//   npm run bench:mgw-table, before / after (10 min apart): hits 2.98 -> 7.80, misses 2.85 -> 9.12
//   back-to-back pair 1:                                   hits 4.68 -> 5.52, misses 4.26 -> 6.85
//   back-to-back pair 2:                                   hits 5.86 -> 8.11, misses 4.48 -> 8.76
// So hits ~1.2-1.4x and misses ~1.6-2x in the back-to-back pairs; >= 5 M/s in these runs, not
// by a wide margin when the machine is loaded.
//
// Deletion moves entries backwards within their cluster, which matters to the two iterators:
// - sweep (idle expiry) is a clock hand over slots. Its own removal refills the slot under the
//   hand, so the hand looks at that slot again before moving on. A remove() between sweeps can
//   pull an entry the hand has not reached yet to a slot behind it; the hand then steps back to
//   that slot. So an entry present for a whole pass (the hand travelling `capacity` slots net
//   of those steps back) is examined at least once in it.
// - scan (bulk resync) takes a caller-held cursor the table cannot move, so it ranges over home
//   slots, not positions: a call visits the entries whose home slot is in [cursor, next), and
//   homes never change. See scan().
import { hash32 } from '../../src-shared/mgw/hash';

export interface SessionTableOptions {
  /** The most sessions the table holds; insert refuses past it (and never exceeds 0.75 load). */
  maxSessions: number;
}

/** The caller's flags: 7 bits (bit 0 of meta is the table's used mark). */
export const MAX_FLAGS = 0x7f;
const USED = 1;
/** meta's bound bits (the slot position's, not the entry's), and "unknown: walk to the empty slot". */
const BOUND_SHIFT = 8;
const BOUND_MASK = 0xff << BOUND_SHIFT;
const BOUND_UNKNOWN = 0xff;
/** meta's entry bits (what moves with an entry): used, flags, backend. */
const ENTRY_MASK = ~BOUND_MASK >>> 0;
const LOAD = 0.75;
const MAX_CAPACITY = 2 ** 30;
/** A scan call considers at most this many entries, whatever max it is given. */
const SCAN_MAX = 65_536;

/** meta's entry bits for (backend, flags). */
const entryMeta = (backend: number, flags: number): number => (((backend & 0xffff) << 16) | ((flags & MAX_FLAGS) << 1) | USED) >>> 0;

export class SessionTable {
  readonly maxSessions: number;
  /** Slots (a power of two, >= maxSessions / 0.75). */
  readonly capacity: number;
  private readonly mask: number;
  /** 4 words per slot: [k0, k1, meta, lastSeen] (see the file comment). */
  private readonly w: Uint32Array;
  private count = 0;
  private hand = 0;
  /** scan()'s histogram of home offsets; grown on demand (scan is off the packet path). */
  private homes = new Uint32Array(0);

  /** The capacity a table for maxSessions gets: the smallest power of two (>= 4) at <= 0.75 load. */
  static capacityFor(maxSessions: number): number {
    if (!Number.isInteger(maxSessions) || maxSessions < 1 || maxSessions > MAX_CAPACITY * LOAD) {
      throw new RangeError(`maxSessions must be an integer in 1..${MAX_CAPACITY * LOAD}: ${maxSessions}`);
    }
    let cap = 4;
    while (cap * LOAD < maxSessions) cap *= 2;
    return cap;
  }

  constructor({ maxSessions }: SessionTableOptions) {
    this.capacity = SessionTable.capacityFor(maxSessions);
    this.maxSessions = maxSessions;
    this.mask = this.capacity - 1;
    this.w = new Uint32Array(this.capacity * 4);
  }

  get size(): number {
    return this.count;
  }

  /** The typed array's bytes (the table's whole footprint, fixed at construction). */
  get bytes(): number {
    return this.w.byteLength;
  }

  /** Where the sweep's clock hand is (the next slot it examines). */
  get sweepHand(): number {
    return this.hand;
  }

  /** The slot holding (k0, k1), or -1. */
  find(k0: number, k1: number): number {
    const a = k0 >>> 0;
    const b = k1 >>> 0;
    const mask = this.mask;
    const w = this.w;
    let i = hash32(a, b) & mask;
    let m = w[(i << 2) + 2];
    const bound = (m >>> BOUND_SHIFT) & 0xff;
    // Terminates: capacity > maxSessions >= size, so there is always an empty slot.
    for (let left = bound === BOUND_UNKNOWN ? mask : bound; m & USED; left--) {
      const o = i << 2;
      if (w[o] === a && w[o + 1] === b) return i;
      if (left === 0) return -1;
      i = (i + 1) & mask;
      m = w[(i << 2) + 2];
    }
    return -1;
  }

  isUsed(slot: number): boolean {
    return (this.w[(slot << 2) + 2] & USED) !== 0;
  }
  k0Of(slot: number): number {
    return this.w[slot << 2];
  }
  k1Of(slot: number): number {
    return this.w[(slot << 2) + 1];
  }
  backendOf(slot: number): number {
    return this.w[(slot << 2) + 2] >>> 16;
  }
  lastSeenOf(slot: number): number {
    return this.w[(slot << 2) + 3];
  }
  flagsOf(slot: number): number {
    return (this.w[(slot << 2) + 2] >>> 1) & MAX_FLAGS;
  }
  touch(slot: number, nowS: number): void {
    this.w[(slot << 2) + 3] = nowS;
  }
  setBackend(slot: number, b: number): void {
    const o = (slot << 2) + 2;
    this.w[o] = (this.w[o] & 0xffff) | ((b & 0xffff) << 16);
  }
  setFlags(slot: number, f: number): void {
    const o = (slot << 2) + 2;
    this.w[o] = (this.w[o] & ~0xff) | ((f & MAX_FLAGS) << 1) | USED;
  }

  /**
   * Adds (k0, k1) and returns its slot; -1 when the table is full (size = maxSessions). A key
   * already present is left as it is and its slot returned (upsert() to overwrite it).
   */
  insert(k0: number, k1: number, backend: number, nowS: number, flags = 0): number {
    return this.put(k0, k1, backend, nowS, flags, false);
  }

  /** insert(), or for a key already present, sets its backend, lastSeen and flags. */
  upsert(k0: number, k1: number, backend: number, nowS: number, flags = 0): number {
    return this.put(k0, k1, backend, nowS, flags, true);
  }

  private put(k0: number, k1: number, backend: number, nowS: number, flags: number, overwrite: boolean): number {
    const a = k0 >>> 0;
    const b = k1 >>> 0;
    const mask = this.mask;
    const w = this.w;
    const home = hash32(a, b) & mask;
    let i = home;
    // Not find()'s bounded walk: the empty slot at the end of the cluster is where a new key goes.
    for (; w[(i << 2) + 2] & USED; i = (i + 1) & mask) {
      const o = i << 2;
      if (w[o] === a && w[o + 1] === b) {
        if (overwrite) {
          w[o + 2] = (w[o + 2] & BOUND_MASK) | entryMeta(backend, flags);
          w[o + 3] = nowS;
        }
        return i;
      }
    }
    if (this.count >= this.maxSessions) return -1;
    const o = i << 2;
    w[o] = a;
    w[o + 1] = b;
    w[o + 2] = entryMeta(backend, flags); // an empty slot's bound is 0
    w[o + 3] = nowS;
    const hm = (home << 2) + 2;
    const d = Math.min((i - home) & mask, BOUND_UNKNOWN);
    if (d > ((w[hm] >>> BOUND_SHIFT) & 0xff)) w[hm] = (w[hm] & ENTRY_MASK) | (d << BOUND_SHIFT);
    this.count++;
    return i;
  }

  remove(k0: number, k1: number): boolean {
    const i = this.find(k0, k1);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  /**
   * Empties slot `hole` by backward shift: each later entry of the cluster whose home is not
   * cyclically in (hole, its slot] moves into the hole, which moves on to where it was. The
   * slots' bound bits stay where they are, reset by setBound for the homes of the entries
   * removed or moved; the last hole, now empty, gets bound 0.
   */
  private removeAt(hole: number): void {
    const mask = this.mask;
    const w = this.w;
    let i = hole;
    const home0 = hash32(w[i << 2], w[(i << 2) + 1]) & mask;
    this.setBound(home0, Math.max(((i - home0) & mask) - 1, 0));
    for (let j = (i + 1) & mask; w[(j << 2) + 2] & USED; j = (j + 1) & mask) {
      const dist = (j - i) & mask;
      const oj = j << 2;
      const home = hash32(w[oj], w[oj + 1]) & mask;
      if (((j - home) & mask) < dist) continue; // its home is in (i, j]: stays
      this.setBound(home, (i - home) & mask);
      // An entry the sweep hand has not reached (hand in (i, j]) lands behind it: step the hand back.
      const h = (this.hand - i) & mask;
      if (h !== 0 && h <= dist) this.hand = i;
      const oi = i << 2;
      w[oi] = w[oj];
      w[oi + 1] = w[oj + 1];
      w[oi + 2] = (w[oi + 2] & BOUND_MASK) | (w[oj + 2] & ENTRY_MASK);
      w[oi + 3] = w[oj + 3];
      i = j;
    }
    w.fill(0, i << 2, (i << 2) + 4);
    this.count--;
  }

  /**
   * Sets the bound of slot `home` to distance d (BOUND_UNKNOWN past it), in removeAt, where it
   * is exact or an upper bound: the backward shift moves every entry of a home that lies past
   * the hole (their home is behind it), in order, so the last one moved sets the farthest new
   * distance; and when none of the removed entry's home moves, its others are nearer than it.
   */
  private setBound(home: number, d: number): void {
    const o = (home << 2) + 2;
    this.w[o] = (this.w[o] & ENTRY_MASK) | (Math.min(d, BOUND_UNKNOWN) << BOUND_SHIFT);
  }

  /**
   * Idle expiry, a bounded step of a clock hand: the hand moves over up to `maxSlots` slots from
   * where it stopped; in each, an entry idle for longer than idleS(k1) seconds (nowS - lastSeen
   * > idleS(k1); the idle timeout per protocol, k1Proto) is removed, onExpire told, and the slot
   * examined again (the backward shift may have moved the next entry of the cluster into it).
   * Returns how many it removed. An entry present for a whole pass (capacity slots of hand
   * travel, net of steps back, see the file comment) is examined at least once in that pass.
   * idleS and onExpire must not modify the table.
   */
  sweep(nowS: number, maxSlots: number, idleS: (k1: number) => number, onExpire?: (k0: number, k1: number, backend: number) => void): number {
    const { w, mask } = this;
    let removed = 0;
    for (let n = 0; n < maxSlots; n++) {
      for (let o = this.hand << 2; w[o + 2] & USED && nowS - w[o + 3] > idleS(w[o + 1]); o = this.hand << 2) {
        const a = w[o];
        const b = w[o + 1];
        const be = w[o + 2] >>> 16;
        this.removeAt(this.hand);
        removed++;
        onExpire?.(a, b, be);
      }
      this.hand = (this.hand + 1) & mask;
    }
    return removed;
  }

  /**
   * Bulk resync: visits the entries whose home slot (hash32 & mask) is in [cursor, next) and
   * returns next, or -1 once the end of the table is reached (start with cursor 0). A call
   * visits at most max entries (at most 65,536) and at least one home slot, so it exceeds max
   * only when more than max entries share the home slot `cursor`. As home slots never change
   * and the calls' ranges partition the table, every entry present throughout a scan is
   * visited exactly once, whatever is inserted or removed between calls; entries inserted or
   * removed meanwhile are visited at most once. fn must not modify the table.
   */
  scan(cursor: number, max: number, fn: (k0: number, k1: number, backend: number, lastSeen: number, flags: number) => void): number {
    const cap = this.capacity;
    const c = Math.floor(cursor);
    if (!(c >= 0 && c < cap)) return -1;
    const limit = Math.max(1, Math.min(Math.floor(max) || 1, SCAN_MAX));
    const budget = 16 * limit + 1024;
    const { w, mask } = this;
    // Walk positions p from c (unwrapped: past cap they are slots p - cap, holding entries of
    // homes near the end) to an empty slot e once more than `limit` entries with a home in
    // [c, cap) were seen, the end was passed, or `budget` slots walked. Every entry with a home
    // in [c, e) is in [c, e): its probe path from its home has no empty slot.
    let seen = 0;
    let e = c;
    for (; ; e++) {
      if (!(w[((e & mask) << 2) + 2] & USED)) {
        if (seen > limit || e >= cap || e - c >= budget) break;
        continue;
      }
      const home = this.homeAt(e);
      if (home >= c && home < cap) seen++;
    }
    const span = Math.min(e, cap) - c;
    if (this.homes.length < span) this.homes = new Uint32Array(Math.max(span, 2 * this.homes.length));
    const hist = this.homes;
    for (let p = c; p < e; p++) {
      if (!(w[((p & mask) << 2) + 2] & USED)) continue;
      const off = this.homeAt(p) - c;
      if (off >= 0 && off < span) hist[off]++;
    }
    // next: the largest c + k (k <= span) with at most `limit` entries homed in [c, c + k), and at least c + 1.
    let k = 0;
    for (let total = 0; k < span && total + hist[k] <= limit; k++) total += hist[k];
    if (k === 0) k = 1;
    hist.fill(0, 0, span);
    for (let p = c; p < e; p++) {
      const o = (p & mask) << 2;
      const m = w[o + 2];
      if (!(m & USED)) continue;
      const off = this.homeAt(p) - c;
      if (off >= 0 && off < k) fn(w[o], w[o + 1], m >>> 16, w[o + 3], (m >>> 1) & MAX_FLAGS);
    }
    return c + k >= cap ? -1 : c + k;
  }

  /** The home slot of the entry at unwrapped position p (slot p & mask), unwrapped: in (p - capacity, p]. */
  private homeAt(p: number): number {
    const o = (p & this.mask) << 2;
    return p - ((p - (hash32(this.w[o], this.w[o + 1]) & this.mask)) & this.mask);
  }
}
