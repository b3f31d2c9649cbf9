// The probes in flight of one prober, in slots: a deadline per slot in a Float64Array and one
// sweep timer for the whole table (running only while something is in flight), instead of a
// timer per probe. A slot number is small and reused, so probers can key their own typed
// columns by it (the UDP prober's nonces) and find a reply's probe without a Map.
export class InFlight<T> {
  private deadlines = new Float64Array(64);
  private items: (T | null)[] = new Array<T | null>(64).fill(null);
  private free: number[] = Array.from({ length: 64 }, (_, i) => 63 - i);
  private timer: NodeJS.Timeout | null = null;
  private count = 0;

  /**
   * @param onExpire called with a probe whose deadline passed (already taken out of the table)
   * @param sweepMs how often the table is checked for expired probes while any is in flight
   * @param now monotonic milliseconds
   */
  constructor(
    private readonly onExpire: (item: T, slot: number) => void,
    private readonly sweepMs = 250,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get size(): number {
    return this.count;
  }

  /** The number of slots: every slot returned by add() is below it. */
  get capacity(): number {
    return this.items.length;
  }

  add(item: T, timeoutMs: number): number {
    if (this.free.length === 0) this.grow();
    const slot = this.free.pop()!;
    this.items[slot] = item;
    this.deadlines[slot] = this.now() + timeoutMs;
    this.count++;
    if (!this.timer) {
      this.timer = setInterval(() => this.sweep(), this.sweepMs);
      this.timer.unref();
    }
    return slot;
  }

  get(slot: number): T | null {
    return slot >= 0 && slot < this.items.length ? this.items[slot] : null;
  }

  /** Takes the probe out of its slot (null when the slot is empty: it expired or was answered). */
  take(slot: number): T | null {
    const item = this.get(slot);
    if (item === null) return null;
    this.items[slot] = null;
    this.free.push(slot);
    if (--this.count === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    return item;
  }

  /** Expires every probe past its deadline (the timer calls it; tests may too). */
  sweep(): void {
    const at = this.now();
    for (let s = 0; s < this.items.length && this.count > 0; s++) {
      if (this.items[s] !== null && this.deadlines[s] <= at) this.onExpire(this.take(s)!, s);
    }
  }

  /** Takes every probe out, calling fn on each (used when a prober is closed). */
  drain(fn: (item: T, slot: number) => void): void {
    for (let s = 0; s < this.items.length && this.count > 0; s++) if (this.items[s] !== null) fn(this.take(s)!, s);
  }

  private grow(): void {
    const n = this.items.length;
    const deadlines = new Float64Array(n * 2);
    deadlines.set(this.deadlines);
    this.deadlines = deadlines;
    this.items.length = n * 2;
    this.items.fill(null, n);
    for (let s = n * 2 - 1; s >= n; s--) this.free.push(s);
  }
}
