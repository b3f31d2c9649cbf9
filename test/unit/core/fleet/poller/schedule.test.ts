// The poll schedule's arithmetic: exponential back-off to a cap, jitter within bounds.
import { describe, expect, it } from 'vitest';
import { backoffDelay, jittered } from '../../../../../src-main/core/fleet/poller/schedule';

describe('poll schedule', () => {
  it('backs off exponentially to a cap, and jitters within bounds', () => {
    expect([1, 2, 3, 4, 5, 20].map((f) => backoffDelay(1000, f, 10_000))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffDelay(1000, 3, 500)).toBe(1000);
    expect(jittered(1000, 0.1, () => 0)).toBe(900);
    expect(jittered(1000, 0.1, () => 1)).toBe(1100);
  });
});
