// The stall detector (src-shared/stall-detector.ts) on a hand-driven clock: a late tick is a
// stall window; polls overlapping a window, or taken while the detector's tick is overdue, are
// flagged; old windows age out. The shared detector: one per settings for the whole process,
// its users counted, the last release (once per user) ending it.
import { afterEach, describe, expect, it } from 'vitest';
import { createStallDetector, shareStallDetector, sharedStallDetectors, type StallDetector } from '../../../../../src-shared/stall-detector';

describe('stall detector', () => {
  let det: StallDetector | undefined;
  afterEach(() => det?.dispose());

  it('records a late tick as a stall and flags only the polls that overlap it', () => {
    let t = 1000;
    det = createStallDetector({ periodMs: 25, thresholdMs: 100, keepMs: 10_000, now: () => t });
    for (let i = 0; i < 4; i++) {
      t += 25;
      det.check();
    }
    expect(det.stats()).toEqual({ stalls: 0, longestMs: 0 });
    expect(det.now()).toBe(t);
    expect(det.overlaps(1000, t)).toBe(false);
    const before = t;
    t += 2000; // the loop blocked for 2 s: the detector's tick is overdue...
    expect(det.overlaps(before - 500, t)).toBe(true); // ...so a poll judged right now is suspect
    det.check(); // the late tick records the window
    expect(det.stats()).toEqual({ stalls: 1, longestMs: 2000 });
    expect(det.overlaps(before - 500, before + 10)).toBe(true);
    expect(det.overlaps(before - 500, before - 100)).toBe(false); // ended before the stall
    t += 25;
    det.check();
    expect(det.overlaps(t - 10, t)).toBe(false); // started after it
    // a little lateness (timers are never exact) is no stall
    t += 25 + 60;
    det.check();
    expect(det.stats().stalls).toBe(1);
    // windows age out
    for (let i = 0; i < 500; i++) {
      t += 25;
      det.check();
    }
    expect(det.overlaps(0, t)).toBe(false);
  });

  it('measures a real busy loop', async () => {
    det = createStallDetector({ periodMs: 10, thresholdMs: 100 });
    await new Promise((r) => setTimeout(r, 50));
    const from = performance.now();
    const end = from + 300;
    while (performance.now() < end) Math.sqrt(Math.random());
    await new Promise((r) => setTimeout(r, 30));
    expect(det.stats().stalls).toBe(1);
    expect(det.stats().longestMs).toBeGreaterThanOrEqual(300);
    expect(det.overlaps(from - 5, from + 5)).toBe(true);
    expect(det.overlaps(performance.now())).toBe(false);
  });

  it('is shared per period and threshold in the process, counted, and ends with its last user', () => {
    expect(sharedStallDetectors()).toBe(0);
    const a = shareStallDetector({ periodMs: 10, thresholdMs: 10 });
    const b = shareStallDetector({ periodMs: 10, thresholdMs: 10 });
    const other = shareStallDetector({ periodMs: 25, thresholdMs: 100 });
    expect(sharedStallDetectors()).toBe(2);
    a.check();
    expect(b.stats()).toEqual(a.stats());
    const before = performance.now();
    const n = a.now(); // performance.now's clock
    expect(n).toBeGreaterThanOrEqual(before);
    expect(n).toBeLessThanOrEqual(performance.now());
    a.dispose();
    a.dispose(); // a second release of the same share releases nothing more
    expect(sharedStallDetectors()).toBe(2);
    b.dispose();
    expect(sharedStallDetectors()).toBe(1);
    other.dispose();
    expect(sharedStallDetectors()).toBe(0);
    const again = shareStallDetector({ periodMs: 10, thresholdMs: 10 });
    expect(sharedStallDetectors()).toBe(1);
    again.dispose();
  });
});
