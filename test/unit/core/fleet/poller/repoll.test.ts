// Early re-polls on fake timers: tries at the back-off offsets until the health changes or
// the tries are spent; triggers coalesce; a trigger during a try restarts the sequence.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceStatus } from '../../../../../src-shared/domain';
import { createRepoller, REPOLL_DELAYS_MS, type Repoller } from '../../../../../src-main/core/fleet/poller/repoll';

describe('repoller', () => {
  let rp: Repoller;
  let health: Map<string, DeviceStatus>;
  let tries: { id: string; at: number; retries: number | undefined }[];
  let pollMs: number;
  let onPoll: (id: string, n: number) => void;

  beforeEach(() => {
    vi.useFakeTimers();
    health = new Map([['a', 'up'], ['b', 'unreachable']]);
    tries = [];
    pollMs = 10;
    onPoll = () => {};
    rp = createRepoller({
      now: () => Date.now(),
      health: (id) => health.get(id),
      pollOnce: async (id, retries) => {
        tries.push({ id, at: Date.now(), retries });
        await new Promise((r) => setTimeout(r, pollMs));
        onPoll(id, tries.length);
      },
    });
  });
  afterEach(() => {
    rp.dispose();
    vi.useRealTimers();
  });

  it('tries at each offset while nothing changes, then stops', async () => {
    const t0 = Date.now();
    rp.request('a', { retries: 0 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(tries.map((t) => t.at - t0)).toEqual([...REPOLL_DELAYS_MS]);
    expect(tries.every((t) => t.retries === 0)).toBe(true);
    expect(rp.pending()).toBe(0);
  });

  it('stops at the first try that sees the health move', async () => {
    onPoll = (_id, n) => n === 2 && health.set('a', 'unreachable');
    rp.request('a');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(tries).toHaveLength(2);
    expect(rp.pending()).toBe(0);
  });

  it('coalesces triggers, restarts on a trigger during a try, and ignores devices it does not poll', async () => {
    const t0 = Date.now();
    rp.request('a');
    rp.request('a');
    await vi.advanceTimersByTimeAsync(50);
    rp.request('a'); // debounced: the first try is 100 ms after this one
    await vi.advanceTimersByTimeAsync(100);
    expect(tries.map((t) => t.at - t0)).toEqual([150]);
    pollMs = 400;
    await vi.advanceTimersByTimeAsync(410); // the second try (500 ms after the last trigger) is running
    expect(tries).toHaveLength(2);
    health.set('a', 'degraded');
    rp.request('a'); // during the try, which may predate this trigger
    health.set('a', 'up');
    await vi.advanceTimersByTimeAsync(400); // the try ends: not taken as the answer, a third one runs
    expect(tries).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(2000);
    expect(tries).toHaveLength(3); // it saw the health move from the new baseline: done
    expect(rp.pending()).toBe(0);
    rp.request('nope');
    expect(rp.pending()).toBe(0);
  });

  it('keeps tries of one device at least 250 ms apart', async () => {
    pollMs = 0;
    for (let i = 0; i < 20; i++) {
      rp.request('b');
      await vi.advanceTimersByTimeAsync(110);
    }
    await vi.advanceTimersByTimeAsync(5000);
    const gaps = tries.slice(1).map((t, i) => t.at - tries[i].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(250);
  });
});
