// The probe scheduler with a fake clock: first probes spread at random phases over [0,
// interval); later rounds at the interval +-10%, so two agents started together do not stay in
// step; the mean rate is one probe per interval per target; a budget stretches every interval
// by one factor; a target held by the in-flight bound goes when kicked and, once more than an
// interval late, skips to its next round instead of bunching.
import { describe, expect, it } from 'vitest';
import { budgetStretch, Wheel, type Clock } from '../../../../src-daemons/agent/probe/scheduler';

/** A clock tests move by hand: timers fire in time order as advance() passes them. */
class FakeClock implements Clock {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  constructor(private seed = 1) {}
  now = (): number => this.t;
  random = (): number => {
    this.seed = (this.seed * 16807) % 2147483647; // Park-Miller, reproducible
    return (this.seed - 1) / 2147483646;
  };
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.ids;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown): void => {
    this.timers = this.timers.filter((x) => x.id !== id);
  };
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

function run(n: number, intervalMs: number, ms: number, seed = 1) {
  const clock = new FakeClock(seed);
  const fired: { i: number; at: number }[] = [];
  const w = new Wheel({ clock, intervalsMs: new Array(n).fill(intervalMs), onDue: (i) => (fired.push({ i, at: clock.t }), true) });
  w.start();
  clock.advance(ms);
  w.stop();
  return fired;
}

describe('probe scheduler', () => {
  it('spreads first probes over [0, interval) and keeps each target within +-10% of its interval', () => {
    const fired = run(500, 10_000, 60_000);
    const first = new Map<number, number>();
    const gaps: number[] = [];
    const last = new Map<number, number>();
    for (const f of fired) {
      if (!first.has(f.i)) first.set(f.i, f.at);
      if (last.has(f.i)) gaps.push(f.at - last.get(f.i)!);
      last.set(f.i, f.at);
    }
    expect(first.size).toBe(500);
    const phases = [...first.values()];
    expect(Math.min(...phases)).toBeGreaterThanOrEqual(0);
    const TICK = 50; // due probes are batched into timer firings at least 50 ms apart
    expect(Math.max(...phases)).toBeLessThan(10_000 + TICK);
    // Spread: every tenth of the interval holds some first probes.
    const deciles = new Set(phases.map((p) => Math.min(9, Math.floor(p / 1000))));
    expect(deciles.size).toBe(10);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(9000 - TICK);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(11_000 + TICK);
    expect(new Set(gaps.map((g) => Math.round(g))).size).toBeGreaterThan(100); // jittered, not a fixed step
    // One probe per interval per target on average: 500 targets x 6 rounds in 60 s, give or take the phase.
    expect(fired.length).toBeGreaterThan(500 * 5);
    expect(fired.length).toBeLessThanOrEqual(500 * 7);
  });

  it('two agents started together do not probe in step', () => {
    const a = run(1, 10_000, 120_000, 7).map((f) => f.at);
    const b = run(1, 10_000, 120_000, 99).map((f) => f.at);
    const close = a.filter((t) => b.some((u) => Math.abs(t - u) < 50));
    expect(close.length).toBeLessThan(3);
  });

  it('stretches every interval by one factor when the targets ask more than the budget', () => {
    expect(budgetStretch(new Array(2000).fill(10_000), 200)).toBe(1);
    expect(budgetStretch(new Array(2000).fill(10_000), 100)).toBeCloseTo(2);
    expect(budgetStretch([10_000, 20_000], 0.1)).toBeCloseTo(1.5);
  });

  it('a held target goes when kicked; one held past its interval skips to the next round', () => {
    const clock = new FakeClock(3);
    let open = false;
    const fired: number[] = [];
    const w = new Wheel({ clock, intervalsMs: [10_000], jitter: 0, onDue: () => (open ? (fired.push(clock.t), true) : false) });
    w.start();
    clock.advance(10_000); // due once in the first 10 s, held
    expect(fired).toEqual([]);
    clock.advance(15_000); // 25 s: more than an interval late
    open = true;
    w.kick();
    expect(fired).toEqual([25_000]);
    clock.advance(20_000);
    // The next rounds are on the original phase grid, not 25 s + k x 10 s bunched behind.
    expect(fired.length).toBe(3);
    expect(fired[1] - fired[0]).toBeLessThan(10_000);
  });
});
