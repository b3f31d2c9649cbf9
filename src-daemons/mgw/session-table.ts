// The gateway's session table (src-daemons/mgw/DESIGN.md, "Session table"): flow key (k0, k1,
// src-shared/mgw/key.ts) -> backend, last-seen second and flags, for every session the node
// holds, looked up on every packet. Open addressing with linear probing over typed arrays
// preallocated in the constructor, a power-of-two capacity sized for maxSessions at 0.75 load,
// the home slot hash32(k0, k1) & mask, and backward-shift deletion (no tombstones: probe chains
// never grow with churn, and a miss stops at the first empty slot).
//
// Why not a JS Map: V8's Map stops at 2^24 (16.7 M) entries, and per entry it costs its hash
// table's share plus a boxed number key: 64 B of RSS per session at 12 M measured by
// test/bench/mgw-table.ts (not the 170-220 B first assumed), with
// lookups 5-8x slower than here; and a full flow key (64 bits) does not even fit a number
// exactly, so it would need BigInt or string keys, costlier still. A slot here is 15 B (k0 u32,
// k1 u32, backend u16, lastSeen u32, flags u8), 21 B per session at 12 M (16.7 M slots), and
// find, insert, upsert and touch allocate nothing. Lookups at 12 M on one core (same bench):
// 2.9 M hits/s, 2.6 M misses/s, short of the design's 5 M: bound by memory latency, as a hit
// touches three arrays (flags, k0, k1) in three cache lines.
//
// Flags: bit 0 of the stored byte marks a used slot (so every k0/k1, 0/0 included, can be
// stored); the caller's flags are the 7 bits above it (0..MAX_FLAGS).
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

/** The caller's flags: 7 bits (bit 0 of the stored byte is the table's used mark). */
export const MAX_FLAGS = 0x7f;
const USED = 1;
const LOAD = 0.75;
const MAX_CAPACITY = 2 ** 30;
/** A scan call considers at most this many entries, whatever max it is given. */
const SCAN_MAX = 65_536;

export class SessionTable {
  readonly maxSessions: number;
  /** Slots (a power of two, >= maxSessions / 0.75). */
  readonly capacity: number;
  private readonly mask: number;
  private readonly k0: Uint32Array;
  private readonly k1: Uint32Array;
  private readonly backend: Uint16Array;
  private readonly lastSeen: Uint32Array;
  private readonly flags: Uint8Array;
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
    this.k0 = new Uint32Array(this.capacity);
    this.k1 = new Uint32Array(this.capacity);
    this.backend = new Uint16Array(this.capacity);
    this.lastSeen = new Uint32Array(this.capacity);
    this.flags = new Uint8Array(this.capacity);
  }

  get size(): number {
    return this.count;
  }

  /** The typed arrays' bytes (the table's whole footprint, fixed at construction). */
  get bytes(): number {
    return this.k0.byteLength + this.k1.byteLength + this.backend.byteLength + this.lastSeen.byteLength + this.flags.byteLength;
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
    const flags = this.flags;
    const ks0 = this.k0;
    const ks1 = this.k1;
    // Terminates: capacity > maxSessions >= size, so there is always an empty slot.
    for (let i = hash32(a, b) & mask; flags[i] & USED; i = (i + 1) & mask) {
      if (ks0[i] === a && ks1[i] === b) return i;
    }
    return -1;
  }

  isUsed(slot: number): boolean {
    return (this.flags[slot] & USED) !== 0;
  }
  k0Of(slot: number): number {
    return this.k0[slot];
  }
  k1Of(slot: number): number {
    return this.k1[slot];
  }
  backendOf(slot: number): number {
    return this.backend[slot];
  }
  lastSeenOf(slot: number): number {
    return this.lastSeen[slot];
  }
  flagsOf(slot: number): number {
    return this.flags[slot] >>> 1;
  }
  touch(slot: number, nowS: number): void {
    this.lastSeen[slot] = nowS;
  }
  setBackend(slot: number, b: number): void {
    this.backend[slot] = b;
  }
  setFlags(slot: number, f: number): void {
    this.flags[slot] = ((f & MAX_FLAGS) << 1) | USED;
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
    const fl = this.flags;
    let i = hash32(a, b) & mask;
    for (; fl[i] & USED; i = (i + 1) & mask) {
      if (this.k0[i] === a && this.k1[i] === b) {
        if (overwrite) this.write(i, backend, nowS, flags);
        return i;
      }
    }
    if (this.count >= this.maxSessions) return -1;
    this.k0[i] = a;
    this.k1[i] = b;
    this.write(i, backend, nowS, flags);
    this.count++;
    return i;
  }

  private write(i: number, backend: number, nowS: number, flags: number): void {
    this.backend[i] = backend;
    this.lastSeen[i] = nowS;
    this.flags[i] = ((flags & MAX_FLAGS) << 1) | USED;
  }

  remove(k0: number, k1: number): boolean {
    const i = this.find(k0, k1);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  /**
   * Empties slot `hole` by backward shift: each later entry of the cluster whose home is not
   * cyclically in (hole, its slot] moves into the hole, which moves on to where it was.
   */
  private removeAt(hole: number): void {
    const mask = this.mask;
    const { k0, k1, backend, lastSeen, flags } = this;
    let i = hole;
    for (let j = (i + 1) & mask; flags[j] & USED; j = (j + 1) & mask) {
      const dist = (j - i) & mask;
      if (((j - (hash32(k0[j], k1[j]) & mask)) & mask) < dist) continue; // its home is in (i, j]: stays
      // An entry the sweep hand has not reached (hand in (i, j]) lands behind it: step the hand back.
      const h = (this.hand - i) & mask;
      if (h !== 0 && h <= dist) this.hand = i;
      k0[i] = k0[j];
      k1[i] = k1[j];
      backend[i] = backend[j];
      lastSeen[i] = lastSeen[j];
      flags[i] = flags[j];
      i = j;
    }
    k0[i] = 0;
    k1[i] = 0;
    backend[i] = 0;
    lastSeen[i] = 0;
    flags[i] = 0;
    this.count--;
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
    const { flags, lastSeen, k0, k1, backend, mask } = this;
    let removed = 0;
    for (let n = 0; n < maxSlots; n++) {
      for (let h = this.hand; flags[h] & USED && nowS - lastSeen[h] > idleS(k1[h]); h = this.hand) {
        const a = k0[h];
        const b = k1[h];
        const be = backend[h];
        this.removeAt(h);
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
    const { flags, k0, k1, mask } = this;
    // Walk positions p from c (unwrapped: past cap they are slots p - cap, holding entries of
    // homes near the end) to an empty slot e once more than `limit` entries with a home in
    // [c, cap) were seen, the end was passed, or `budget` slots walked. Every entry with a home
    // in [c, e) is in [c, e): its probe path from its home has no empty slot.
    let seen = 0;
    let e = c;
    for (; ; e++) {
      const s = e & mask;
      if (!(flags[s] & USED)) {
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
      const s = p & mask;
      if (!(flags[s] & USED)) continue;
      const off = this.homeAt(p) - c;
      if (off >= 0 && off < span) hist[off]++;
    }
    // next: the largest c + k (k <= span) with at most `limit` entries homed in [c, c + k), and at least c + 1.
    let k = 0;
    for (let total = 0; k < span && total + hist[k] <= limit; k++) total += hist[k];
    if (k === 0) k = 1;
    hist.fill(0, 0, span);
    for (let p = c; p < e; p++) {
      const s = p & mask;
      if (!(flags[s] & USED)) continue;
      const off = this.homeAt(p) - c;
      if (off >= 0 && off < k) fn(k0[s], k1[s], this.backend[s], this.lastSeen[s], flags[s] >>> 1);
    }
    return c + k >= cap ? -1 : c + k;
  }

  /** The home slot of the entry at unwrapped position p (slot p & mask), unwrapped: in (p - capacity, p]. */
  private homeAt(p: number): number {
    const s = p & this.mask;
    return p - ((p - (hash32(this.k0[s], this.k1[s]) & this.mask)) & this.mask);
  }
}
