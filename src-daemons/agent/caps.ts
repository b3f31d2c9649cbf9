// The agent's hard caps on itself, as Pingmesh's agent has: its own CPU % and RSS over the
// interval since the last sample (process.cpuUsage and memoryUsage.rss by default). While a
// cap is exceeded the caller stops probing and reports the state (a status result); the
// state says which cap, memory first when both are.
//
// Hysteresis, so the state does not flap around a cap:
//  - trip: CPU over maxCpuPct in `tripSamples` consecutive samples (default 2: one busy
//    sample, say a large file's checksum, is not enough); memory over maxRssBytes in one
//    sample (memory does not wait).
//  - release: every figure under `releaseRatio` (default 0.8) of its cap for `holdSamples`
//    consecutive samples (default 3).
//  - a trip within 4 x the hold's length of the last release doubles the hold, up to 64
//    samples; the hold returns to its base after a trip that comes later than that. Stopping
//    the probes brings the CPU down, so a workload that really needs more than the cap would
//    otherwise cycle trip/release every few samples; with the doubling it spends ever longer
//    stopped.
// The first sample covers the time since the monitor was created. Memory over its cap may
// not come down by itself (V8 keeps its heap): a caller that stays over-memory-cap for long
// is better restarted by its supervisor.
export interface SelfUsage {
  /** CPU time used by the process so far (user + system), microseconds. */
  readonly cpuMicros: number;
  readonly rssBytes: number;
}

export type SelfState = 'ok' | 'over-cpu-cap' | 'over-memory-cap';

export interface SelfSample {
  readonly state: SelfState;
  readonly cpuPct: number;
  readonly rssBytes: number;
}

export interface SelfMonitorOptions {
  readonly maxCpuPct: number;
  readonly maxRssBytes: number;
  /** Monotonic milliseconds (default performance.now). */
  readonly now?: () => number;
  readonly usage?: () => SelfUsage;
  readonly tripSamples?: number;
  readonly holdSamples?: number;
  readonly releaseRatio?: number;
}

export interface SelfMonitor {
  sample(): SelfSample;
  /** The current state without taking a sample. */
  readonly state: SelfState;
}

const MAX_HOLD = 64;

function processUsage(): SelfUsage {
  const cpu = process.cpuUsage();
  return { cpuMicros: cpu.user + cpu.system, rssBytes: process.memoryUsage.rss() };
}

export function createSelfMonitor(opts: SelfMonitorOptions): SelfMonitor {
  const now = opts.now ?? (() => performance.now());
  const usage = opts.usage ?? processUsage;
  const tripSamples = Math.max(1, opts.tripSamples ?? 2);
  const baseHold = Math.max(1, opts.holdSamples ?? 3);
  const ratio = opts.releaseRatio ?? 0.8;

  let lastAt = now();
  let lastCpu = usage().cpuMicros;
  let lastPct = 0;
  let state: SelfState = 'ok';
  let cpuOverRun = 0;
  let calmRun = 0;
  let hold = baseHold;
  /** Samples since the last release (Infinity: never released). */
  let sinceRelease = Infinity;

  return {
    get state() {
      return state;
    },
    sample(): SelfSample {
      const at = now();
      const u = usage();
      const dt = at - lastAt;
      // A clock that did not move (two samples in one tick) repeats the last figure.
      if (dt > 0) lastPct = Math.max(0, (u.cpuMicros - lastCpu) / (dt * 1000)) * 100;
      lastAt = at;
      lastCpu = u.cpuMicros;
      const cpuPct = lastPct;
      const rssBytes = u.rssBytes;

      cpuOverRun = cpuPct > opts.maxCpuPct ? cpuOverRun + 1 : 0;
      const memOver = rssBytes > opts.maxRssBytes;
      const tripped: SelfState = memOver ? 'over-memory-cap' : cpuOverRun >= tripSamples ? 'over-cpu-cap' : 'ok';
      sinceRelease++;

      if (state === 'ok') {
        if (tripped !== 'ok') {
          hold = sinceRelease <= 4 * hold ? Math.min(MAX_HOLD, hold * 2) : baseHold;
          state = tripped;
          calmRun = 0;
        }
      } else {
        const calm = cpuPct < opts.maxCpuPct * ratio && rssBytes < opts.maxRssBytes * ratio;
        calmRun = calm ? calmRun + 1 : 0;
        if (calmRun >= hold) {
          state = 'ok';
          sinceRelease = 0;
          cpuOverRun = 0;
        } else if (tripped === 'over-memory-cap') {
          state = tripped; // memory outranks CPU while over
        } else if (state === 'over-memory-cap' && !memOver && cpuPct > opts.maxCpuPct) {
          state = 'over-cpu-cap'; // memory came back under its cap; the CPU is still over its own
        }
      }
      return { state, cpuPct, rssBytes };
    },
  };
}
