// The replication's queue of keys to send (replication-peer.ts): FIFO, each key at most once
// (a repeat while queued is coalesced), with the time each was queued, over typed arrays (a
// ring that doubles) and a set of (k0, k1) pairs with open addressing, so queueing a change
// allocates nothing and uses no JS Map (the gateway's goal is >= 300 k changes/s).
import { hash32 } from '../../src-shared/mgw/hash';

/** A set of (k0, k1) pairs: open addressing, linear probing, backward-shift deletion. */
export class PairSet {
  private k0 = new Uint32Array(64);
  private k1 = new Uint32Array(64);
  private used = new Uint8Array(64);
  size = 0;

  private slot(k0: number, k1: number): number {
    const mask = this.used.length - 1;
    let i = hash32(k0, k1) & mask;
    while (this.used[i] && (this.k0[i] !== k0 || this.k1[i] !== k1)) i = (i + 1) & mask;
    return i;
  }
  /** Adds the pair; false when it was there already. */
  add(k0: number, k1: number): boolean {
    const i = this.slot(k0, k1);
    if (this.used[i]) return false;
    this.used[i] = 1;
    this.k0[i] = k0;
    this.k1[i] = k1;
    if (++this.size * 2 > this.used.length) this.grow();
    return true;
  }
  delete(k0: number, k1: number): void {
    let i = this.slot(k0, k1);
    if (!this.used[i]) return;
    const mask = this.used.length - 1;
    this.size--;
    // Backward shift: pull later members of the run into the hole when their home allows it.
    for (let j = (i + 1) & mask; this.used[j]; j = (j + 1) & mask) {
      const home = hash32(this.k0[j], this.k1[j]) & mask;
      if (((j - home) & mask) >= ((j - i) & mask)) {
        this.k0[i] = this.k0[j];
        this.k1[i] = this.k1[j];
        i = j;
      }
    }
    this.used[i] = 0;
  }
  clear(): void {
    if (this.size > 0) this.used.fill(0);
    this.size = 0;
  }
  private grow(): void {
    const { k0, k1, used } = this;
    this.k0 = new Uint32Array(used.length * 2);
    this.k1 = new Uint32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.add(k0[i], k1[i]);
  }
}

/** Keys waiting to be sent, oldest first, each at most once (a repeat while queued is coalesced). */
export class KeyQueue {
  private readonly members = new PairSet();
  private k0 = new Uint32Array(256);
  private k1 = new Uint32Array(256);
  private at = new Float64Array(256);
  private head = 0;
  size = 0;

  push(k0: number, k1: number, now: number): boolean {
    if (!this.members.add(k0, k1)) return false;
    if (this.size === this.k0.length) this.grow();
    const i = (this.head + this.size++) & (this.k0.length - 1);
    this.k0[i] = k0;
    this.k1[i] = k1;
    this.at[i] = now;
    return true;
  }
  /** When the oldest queued key was queued (Infinity when empty). */
  oldestAt(): number {
    return this.size > 0 ? this.at[this.head] : Infinity;
  }
  /** Takes up to n keys from the front into a new flight's key lists; returns the oldest's time. */
  take(n: number, k0s: Uint32Array, k1s: Uint32Array): number {
    const oldest = this.oldestAt();
    const mask = this.k0.length - 1;
    for (let j = 0; j < n; j++) {
      k0s[j] = this.k0[this.head];
      k1s[j] = this.k1[this.head];
      this.members.delete(k0s[j], k1s[j]);
      this.head = (this.head + 1) & mask;
    }
    this.size -= n;
    return oldest;
  }
  clear(): void {
    this.members.clear();
    this.head = 0;
    this.size = 0;
  }
  private grow(): void {
    const cap = this.k0.length;
    const k0 = new Uint32Array(cap * 2);
    const k1 = new Uint32Array(cap * 2);
    const at = new Float64Array(cap * 2);
    for (let j = 0; j < this.size; j++) {
      const i = (this.head + j) & (cap - 1);
      k0[j] = this.k0[i];
      k1[j] = this.k1[i];
      at[j] = this.at[i];
    }
    this.k0 = k0;
    this.k1 = k1;
    this.at = at;
    this.head = 0;
  }
}
