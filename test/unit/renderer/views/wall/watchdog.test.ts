// The wall's watchdog (src-renderer/views/wall/watchdog.ts) under a fake clock, with the
// browser's animation frames, visibility and Chromium's performance.memory stood in for:
// frames that keep coming never reload; frames that stop reload after the stall bound (and
// only once); a hidden page gets no frames and is not stalled (its count starts when it shows
// again); a heap above the bound reloads, naming the sizes; stopped, it does nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startWatchdog } from '../../../../../src-renderer/views/wall/watchdog';

let frames: (() => void)[] = [];
let framing = true;
const page = { visibilityState: 'visible' as 'visible' | 'hidden' };
let heap: { usedJSHeapSize: number; jsHeapSizeLimit: number } | undefined;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'performance'] });
  frames = [];
  framing = true;
  page.visibilityState = 'visible';
  heap = undefined;
  vi.stubGlobal('document', page);
  vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
  vi.stubGlobal('cancelAnimationFrame', () => {});
  Object.defineProperty(performance, 'memory', { configurable: true, get: () => heap });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Runs the clock for ms, drawing a frame every 16 ms while frames come (the page is drawn). */
function run(ms: number): void {
  for (let t = 0; t < ms; t += 16) {
    vi.advanceTimersByTime(16);
    if (framing && page.visibilityState === 'visible') for (const cb of frames.splice(0)) cb();
  }
}

describe('the wall watchdog', () => {
  it('never reloads while frames keep coming and the heap is small', () => {
    heap = { usedJSHeapSize: 50e6, jsHeapSizeLimit: 4e9 };
    const reload = vi.fn();
    const stop = startWatchdog({ stallMs: 5000, heapBytes: null, reload });
    run(60_000);
    expect(reload).not.toHaveBeenCalled();
    stop();
  });

  it('reloads once when frames stop for longer than the bound', () => {
    const reload = vi.fn();
    startWatchdog({ stallMs: 5000, heapBytes: null, reload });
    run(2000);
    framing = false;
    run(4000);
    expect(reload).not.toHaveBeenCalled();
    run(3000);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(reload.mock.calls[0][0]).toMatch(/^no frame for [56] s$/);
    run(30_000);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('does not count a hidden page as stalled, and counts from when it shows again', () => {
    const reload = vi.fn();
    startWatchdog({ stallMs: 5000, heapBytes: null, reload });
    page.visibilityState = 'hidden';
    run(60_000);
    expect(reload).not.toHaveBeenCalled();
    framing = false;
    page.visibilityState = 'visible';
    run(4000);
    expect(reload).not.toHaveBeenCalled();
    run(2500);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('reloads when the JS heap passes the bound (given, or 70% of the limit capped at 1 GB)', () => {
    heap = { usedJSHeapSize: 100 * 1048576, jsHeapSizeLimit: 4e9 };
    const given = vi.fn();
    startWatchdog({ stallMs: 30_000, heapBytes: 200 * 1048576, reload: given });
    run(3000);
    expect(given).not.toHaveBeenCalled();
    heap = { usedJSHeapSize: 201 * 1048576, jsHeapSizeLimit: 4e9 };
    run(1500);
    expect(given).toHaveBeenCalledWith('JS heap 201 MB above 200 MB');

    const capped = vi.fn();
    heap = { usedJSHeapSize: 1000 * 1048576, jsHeapSizeLimit: 4 * 1024 * 1048576 };
    startWatchdog({ stallMs: 30_000, heapBytes: null, reload: capped });
    run(1500);
    expect(capped).not.toHaveBeenCalled();
    heap = { usedJSHeapSize: 1025 * 1048576, jsHeapSizeLimit: 4 * 1024 * 1048576 };
    run(1500);
    expect(capped).toHaveBeenCalledWith('JS heap 1025 MB above 1024 MB');
  });

  it('does nothing once stopped', () => {
    const reload = vi.fn();
    const stop = startWatchdog({ stallMs: 1000, heapBytes: 1, reload });
    stop();
    heap = { usedJSHeapSize: 1e9, jsHeapSizeLimit: 2e9 };
    framing = false;
    run(10_000);
    expect(reload).not.toHaveBeenCalled();
  });
});
