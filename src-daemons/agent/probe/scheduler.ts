// When each target is probed: one timer for all of them (a wheel over a binary heap of next
// due times in typed arrays), not a timer per target or probe. Each target keeps its own
// interval; its first probe falls at a random phase in [0, interval) so agents that got their
// plans together never probe in step, and every later one at the last due time plus the
// interval +-10% (jitter), so they do not fall into step later either. A target that cannot go
// now (the engine's in-flight bound is reached) stays due and goes when kick() says a slot
// freed; one more than an interval late skips to its next due time rather than bunching.
// The per-agent budget (plan.maxProbesPerSec) is budgetStretch(): when the targets ask for
// more, every interval is stretched by the same factor. The clock is injectable (tests drive a
// fake one).

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  random: Math.random,
};

/** The factor every interval is stretched by so the targets ask at most maxPerSec probes per second (1: within budget). */
export function budgetStretch(intervalsMs: readonly number[], maxPerSec: number): number {
  let perSec = 0;
  for (const ms of intervalsMs) perSec += 1000 / ms;
  return perSec > maxPerSec ? perSec / maxPerSec : 1;
}

export interface WheelOptions {
  /** Each item's interval (ms). */
  readonly intervalsMs: ArrayLike<number>;
  /** Item i is due (at its due time, clock ms). Returns false when it cannot go now: it stays due until kick(). */
  readonly onDue: (i: number, dueAt: number) => boolean;
  readonly clock?: Clock;
  /** +- this share of the interval on every round (default 0.1). */
  readonly jitter?: number;
  /** The timer never fires sooner than this after the last firing (default 50 ms): due items are batched, so at 200 probes/s the process wakes 20 times a second, not 200. */
  readonly tickMs?: number;
}

export class Wheel {
  /** Next due time per item (clock ms). */
  readonly next: Float64Array;
  private readonly heap: Int32Array;
  private size = 0;
  private timer: unknown = null;
  private blocked = false;
  private running = false;
  private readonly clock: Clock;
  private readonly jitter: number;
  private readonly tickMs: number;

  constructor(private readonly o: WheelOptions) {
    this.clock = o.clock ?? realClock;
    this.jitter = o.jitter ?? 0.1;
    this.tickMs = o.tickMs ?? 50;
    this.next = new Float64Array(o.intervalsMs.length);
    this.heap = new Int32Array(o.intervalsMs.length);
  }

  start(): void {
    const t = this.clock.now();
    this.running = true;
    for (let i = 0; i < this.next.length; i++) {
      this.next[i] = t + this.clock.random() * this.o.intervalsMs[i];
      this.push(i);
    }
    this.arm();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Something that blocked a due item may have freed: fire what is due now. */
  kick(): void {
    if (this.blocked && this.running) {
      this.blocked = false;
      this.fire();
    }
  }

  /** Fires every item due by now (the timer calls it; tests may too). */
  fire(): void {
    if (!this.running) return;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    const now = this.clock.now();
    while (this.size > 0 && this.next[this.heap[0]] <= now) {
      const i = this.heap[0];
      const due = this.next[i];
      if (!this.o.onDue(i, due)) {
        this.blocked = true;
        return;
      }
      const ms = this.o.intervalsMs[i];
      let at = due + ms * (1 + this.jitter * (2 * this.clock.random() - 1));
      if (at <= now) at += Math.ceil((now - at) / ms) * ms; // over an interval late: skip, never bunch
      this.next[i] = at;
      this.siftDown(0);
    }
    this.arm();
  }

  private arm(): void {
    if (!this.running || this.size === 0) return;
    const wait = Math.max(this.tickMs, this.next[this.heap[0]] - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.fire();
    }, wait);
  }

  private push(i: number): void {
    let k = this.size++;
    this.heap[k] = i;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (this.next[this.heap[p]] <= this.next[i]) break;
      this.heap[k] = this.heap[p];
      this.heap[p] = i;
      k = p;
    }
  }

  private siftDown(k: number): void {
    const n = this.size;
    for (;;) {
      const l = 2 * k + 1;
      if (l >= n) return;
      const r = l + 1;
      const c = r < n && this.next[this.heap[r]] < this.next[this.heap[l]] ? r : l;
      if (this.next[this.heap[k]] <= this.next[this.heap[c]]) return;
      const t = this.heap[k];
      this.heap[k] = this.heap[c];
      this.heap[c] = t;
      k = c;
    }
  }
}
