// Notices when this process's own event loop is late (a busy loop, a flood of calls, a long
// synchronous write, a GC pause, the process descheduled on a loaded host): a timer measures
// its own lateness and keeps the recent stall windows, so a caller timing the outside world
// can tell the world's slowness or silence from its own. Used by the core's SNMP poller
// (a 25 ms timer, 100 ms threshold) and by the agent's probe engine and responders (10 ms and
// 10 ms: probe round trips are judged at 5-20 ms). shareStallDetector() hands out one detector
// per process and settings to many users (the lab runs many agents, each with an engine, in
// one process: one timer serves them all), reference counted: the last user's dispose()
// stops its timer. Pure TS (timers and performance.now only), so src-main and the daemons
// can both import it.
import type { Disposable } from './lifecycle';

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
  /** The detector's clock (monotonic ms): what overlaps() windows are measured in. */
  now(): number;
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
  // Under Node the detector never keeps a process alive on its own: its owner's dispose() ends
  // it. (A browser's interval has no unref; src-shared also compiles for the renderer.)
  (timer as unknown as { unref?: () => void }).unref?.();

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
    now,
    dispose: () => clearInterval(timer),
  };
}

interface Shared {
  readonly detector: StallDetector;
  users: number;
}

const shared = new Map<string, Shared>();

/**
 * A detector on performance.now shared by everyone in the process who asks for the same period
 * and threshold; dispose() of the returned handle releases this user's share (once), and the
 * last release stops the timer. (A caller with its own clock creates its own detector.)
 */
export function shareStallDetector(o: Pick<StallDetectorOptions, 'periodMs' | 'thresholdMs'> = {}): StallDetector {
  const key = `${o.periodMs ?? 25}|${o.thresholdMs ?? 100}`;
  let s = shared.get(key);
  if (!s) {
    s = { detector: createStallDetector({ periodMs: o.periodMs, thresholdMs: o.thresholdMs }), users: 0 };
    shared.set(key, s);
  }
  s.users++;
  const held = s;
  let released = false;
  return {
    overlaps: (from, to) => held.detector.overlaps(from, to),
    stats: () => held.detector.stats(),
    check: () => held.detector.check(),
    now: () => held.detector.now(),
    dispose() {
      if (released) return;
      released = true;
      if (--held.users > 0) return;
      held.detector.dispose();
      if (shared.get(key) === held) shared.delete(key);
    },
  };
}

/** How many detectors shareStallDetector() has running now (tests). */
export const sharedStallDetectors = (): number => shared.size;
