// Notices when the core's own event loop is late (a busy loop, a flood of calls, a long
// synchronous write): a timer measures its own lateness and keeps the recent stall windows,
// so the poller can tell a device's silence from its own.
import type { Disposable } from '../../../../src-shared/lifecycle';

export interface StallDetectorOptions {
  /** How often the detector's timer runs (default 25 ms). */
  periodMs?: number;
  /** Lateness beyond this is a stall (default 100 ms). */
  thresholdMs?: number;
  /** Stall windows are kept this long (default 2 min), and at most `maxWindows` of them. */
  keepMs?: number;
  maxWindows?: number;
  /** Monotonic clock, ms (default performance.now). */
  now?: () => number;
}

export interface StallWindow {
  /** The last on-time tick before the stall, and the late tick that ended it. */
  readonly from: number;
  readonly to: number;
}

export interface StallDetector extends Disposable {
  /**
   * True when a stall overlaps [from, to] (the detector's clock), or when the loop is late
   * right now (the detector's own tick is overdue: a stall that has not ended, or has just
   * ended and whose timers run before the detector's).
   */
  overlaps(from: number, to?: number): boolean;
  /** Stalls seen since the start, and the longest, in ms. */
  stats(): { stalls: number; longestMs: number };
  /** Runs the check now (tests; the timer calls it). */
  check(): void;
}

export function createStallDetector(o: StallDetectorOptions = {}): StallDetector {
  const periodMs = o.periodMs ?? 25;
  const thresholdMs = o.thresholdMs ?? 100;
  const keepMs = o.keepMs ?? 120_000;
  const maxWindows = o.maxWindows ?? 256;
  const now = o.now ?? (() => performance.now());
  const windows: StallWindow[] = [];
  let last = now();
  let stalls = 0;
  let longestMs = 0;

  const check = (): void => {
    const t = now();
    const late = t - last - periodMs;
    if (late > thresholdMs) {
      windows.push({ from: last, to: t });
      stalls++;
      longestMs = Math.max(longestMs, t - last);
      while (windows.length > maxWindows) windows.shift();
    }
    while (windows.length && windows[0].to < t - keepMs) windows.shift();
    last = t;
  };
  const timer = setInterval(check, periodMs);
  // The detector never keeps a process alive on its own: its owner's dispose() ends it.
  timer.unref();

  return {
    overlaps(from, to = now()) {
      if (now() - last > periodMs + thresholdMs) return true;
      for (let i = windows.length - 1; i >= 0; i--) {
        const w = windows[i];
        if (w.to < from) break; // windows are in time order: the rest ended earlier still
        if (w.from < to) return true;
      }
      return false;
    },
    stats: () => ({ stalls, longestMs }),
    check,
    dispose: () => clearInterval(timer),
  };
}
