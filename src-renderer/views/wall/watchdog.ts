// The wall's watchdog, for screens that run for weeks: a timer checks every second that
// requestAnimationFrame still ticks while the page is visible (a stalled renderer) and that the
// JS heap (performance.memory, Chromium) stays under a bound; either failing reloads the page.
// The playlist position is in sessionStorage (stores/wall-store.ts), so the wall resumes there.

interface ChromiumMemory {
  usedJSHeapSize: number;
  jsHeapSizeLimit: number;
}

export interface WatchdogOptions {
  /** No frame for this long while visible: reload. */
  stallMs: number;
  /** Heap above this: reload; null: 70% of the heap limit, at most 1 GB. */
  heapBytes: number | null;
  /** Defaults to location.reload(). */
  reload?: (why: string) => void;
}

const GB = 1024 * 1024 * 1024;

function memory(): ChromiumMemory | null {
  const m = (performance as unknown as { memory?: ChromiumMemory }).memory;
  return m && typeof m.usedJSHeapSize === 'number' ? m : null;
}

/** Starts the watchdog; returns its stop. */
export function startWatchdog(opts: WatchdogOptions): () => void {
  let lastFrame = performance.now();
  let frame = 0;
  let done = false;
  const tick = (): void => {
    lastFrame = performance.now();
    if (!done) frame = requestAnimationFrame(tick);
  };
  frame = requestAnimationFrame(tick);
  const reload =
    opts.reload ??
    ((why: string) => {
      console.warn(`FleetDeck wall: reloading (${why})`);
      location.reload();
    });
  const timer = setInterval(() => {
    const now = performance.now();
    // A hidden page gets no frames: that is not a stall; count from when it shows again.
    if (document.visibilityState !== 'visible') {
      lastFrame = now;
      return;
    }
    if (now - lastFrame > opts.stallMs) {
      stop();
      reload(`no frame for ${Math.round((now - lastFrame) / 1000)} s`);
      return;
    }
    const m = memory();
    if (m) {
      const bound = opts.heapBytes ?? Math.min(GB, m.jsHeapSizeLimit * 0.7);
      if (m.usedJSHeapSize > bound) {
        stop();
        reload(`JS heap ${Math.round(m.usedJSHeapSize / 1048576)} MB above ${Math.round(bound / 1048576)} MB`);
      }
    }
  }, 1000);
  function stop(): void {
    done = true;
    cancelAnimationFrame(frame);
    clearInterval(timer);
  }
  return stop;
}
