// The agent's self monitor (src-daemons/agent/caps.ts) with injected usage and clock: CPU %
// over the interval since the last sample (the first since creation), the trip and release
// rules (two samples over the CPU cap, one over the memory cap, three under 80% of the caps
// to release, a figure between 80% and 100% holding the state), memory outranking CPU, the
// hold doubling on a quick re-trip and coming back after a calm spell; and the default usage
// from the real process.
import { describe, expect, it } from 'vitest';
import { createSelfMonitor, type SelfUsage } from '../../../../src-daemons/agent/caps';

const MB = 1024 * 1024;

/** A fake process: each step advances the clock 1 s and spends `pct` % of a CPU in it. */
function rig(maxCpuPct = 50, maxRssBytes = 100 * MB) {
  let t = 0;
  let cpu = 0;
  let rss = 10 * MB;
  const m = createSelfMonitor({ maxCpuPct, maxRssBytes, now: () => t, usage: (): SelfUsage => ({ cpuMicros: cpu, rssBytes: rss }) });
  const step = (pct: number, rssBytes = rss) => {
    t += 1000;
    cpu += pct * 10_000; // pct % of 1 s, in microseconds
    rss = rssBytes;
    return m.sample();
  };
  const states = (pcts: number[]) => pcts.map((p) => step(p).state);
  return { m, step, states };
}

describe('self monitor', () => {
  it('measures CPU % over the interval since the last sample and reports RSS', () => {
    const { step } = rig();
    expect(step(25)).toEqual({ state: 'ok', cpuPct: 25, rssBytes: 10 * MB });
    expect(step(12.5, 20 * MB)).toEqual({ state: 'ok', cpuPct: 12.5, rssBytes: 20 * MB });
  });

  it('repeats the last CPU figure when the clock did not move', () => {
    let cpu = 0;
    const m = createSelfMonitor({ maxCpuPct: 50, maxRssBytes: 100 * MB, now: () => 5, usage: () => ({ cpuMicros: (cpu += 1000), rssBytes: 1 }) });
    expect(m.sample().cpuPct).toBe(0);
    expect(Number.isFinite(m.sample().cpuPct)).toBe(true);
  });

  it('trips over the CPU cap after two samples over it, not one, and releases after three under 80% of it', () => {
    const { states } = rig(50);
    expect(states([90, 10, 90, 10])).toEqual(['ok', 'ok', 'ok', 'ok']); // single spikes
    expect(states([90, 90])).toEqual(['ok', 'over-cpu-cap']);
    expect(states([45, 45, 45, 45])).toEqual(Array(4).fill('over-cpu-cap')); // under the cap but above 80% of it: held
    expect(states([30, 30, 30])).toEqual(['over-cpu-cap', 'over-cpu-cap', 'ok']);
  });

  it('trips over the memory cap at once, ranks it above CPU, and releases only under 80% of it', () => {
    const { step } = rig(50, 100 * MB);
    expect(step(90).state).toBe('ok');
    expect(step(90, 101 * MB).state).toBe('over-memory-cap'); // CPU would trip too: memory is named
    expect(step(10, 90 * MB).state).toBe('over-memory-cap');
    expect(step(10, 90 * MB).state).toBe('over-memory-cap');
    expect(step(10, 90 * MB).state).toBe('over-memory-cap'); // 90% of the cap is not calm
    expect([step(10, 70 * MB), step(10, 70 * MB), step(10, 70 * MB)].map((s) => s.state)).toEqual(['over-memory-cap', 'over-memory-cap', 'ok']);
  });

  it('says over-cpu-cap when memory came back under its cap while the CPU is still over its own', () => {
    const { step } = rig(50, 100 * MB);
    expect(step(90, 200 * MB).state).toBe('over-memory-cap');
    expect(step(90, 50 * MB).state).toBe('over-cpu-cap');
  });

  it('doubles the hold when it trips again soon after a release, and returns to the base hold after a calm spell', () => {
    const { states } = rig(50);
    expect(states([90, 90, 10, 10, 10])).toEqual(['ok', 'over-cpu-cap', 'over-cpu-cap', 'over-cpu-cap', 'ok']);
    // tripped again two samples after the release: now it holds for 6 calm samples
    expect(states([90, 90])).toEqual(['ok', 'over-cpu-cap']);
    expect(states([10, 10, 10, 10, 10, 10])).toEqual([...Array(5).fill('over-cpu-cap'), 'ok']);
    // a long calm spell (more than 4 x the hold), then a trip: back to 3
    states(Array(30).fill(10));
    expect(states([90, 90, 10, 10, 10])).toEqual(['ok', 'over-cpu-cap', 'over-cpu-cap', 'over-cpu-cap', 'ok']);
  });

  it('reads the real process by default', () => {
    const m = createSelfMonitor({ maxCpuPct: 400, maxRssBytes: 4 * 1024 * MB });
    let x = 0;
    for (let i = 0; i < 1e6; i++) x += Math.sqrt(i);
    const s = m.sample();
    expect(x).toBeGreaterThan(0);
    expect(s.state).toBe('ok');
    expect(s.rssBytes).toBeGreaterThan(MB);
    expect(s.cpuPct).toBeGreaterThanOrEqual(0);
    expect(m.state).toBe('ok');
  });
});
