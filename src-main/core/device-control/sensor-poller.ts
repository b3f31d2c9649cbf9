// BMC readings on a schedule: every server with a BMC is read once per round (default 60 s,
// each round started with +-10% jitter), at most `concurrency` BMCs in flight, through the
// BMC service's held sessions. Inlet and CPU temperature, fans and power go to the time
// series. A dead BMC costs its slot one timeout; a round that overruns the interval delays
// the next one, never overlaps it. dispose() stops the schedule and waits for the round.
import type { AsyncDisposable } from '../../../src-shared/lifecycle';
import type { SensorValue } from '../protocols/ipmi/client-records';
import type { Sample } from '../store/metrics-repository';
import type { BmcReadings, BmcService } from './bmc-service';

/** The metric names, per server. */
export const BMC_METRICS = {
  inlet: 'bmc.inlet_c',
  /** The hottest CPU; with several, each also as bmc.cpu_c.<n> (1-based, SDR order). */
  cpu: 'bmc.cpu_c',
  /** bmc.fan_rpm.<n>, 1-based in SDR order. */
  fanPrefix: 'bmc.fan_rpm.',
  /** DCMI power reading, else the PSUs' input Watts sensors summed. */
  power: 'bmc.power_w',
} as const;

export interface SensorPollerOptions {
  /** Time between the starts of two rounds (default 60 s). */
  intervalMs?: number;
  /** BMCs in flight at once (default 24). */
  concurrency?: number;
  /** Fraction of the interval each round's start may move either way (default 0.1). */
  jitter?: number;
  /** Delay before the first round (default: 50-100% of the interval, at most 15 s). */
  firstDelayMs?: number;
}

export interface SensorPollerDeps extends SensorPollerOptions {
  bmc: Pick<BmcService, 'readings'>;
  /** Device ids of the servers with a BMC and an IPMI credential, read at the start of each round. */
  targets: () => readonly string[];
  metrics: { append(samples: readonly Sample[]): number };
  log?: (line: string) => void;
}

export interface SensorRound {
  startedAt: number;
  ms: number;
  bmcs: number;
  ok: number;
  failed: number;
  samples: number;
}

export interface SensorPoller extends AsyncDisposable {
  /** Runs a round now (or joins the one running) and resolves when it ends. */
  pollNow(): Promise<SensorRound>;
  stats(): { rounds: number; last: SensorRound | null; running: boolean };
}

const TEMPERATURE = 0x01;
const FAN = 0x04;
const ENTITY_PROCESSOR = 0x03;
const ENTITY_AIR_INLET = [0x37, 0x40];
const RPM = 18;
/** Samples written per transaction. */
const FLUSH_EVERY = 512;

const readable = (s: SensorValue): s is SensorValue & { value: number } => s.value !== null && s.status !== 'ns';

/** The time-series samples one BMC's readings make. */
export function sensorSamples(deviceId: string, r: BmcReadings): Sample[] {
  const out: Sample[] = [];
  const put = (metric: string, value: number): void => {
    out.push({ deviceId, metric, ts: r.at, value });
  };
  const temps = r.sensors.filter((s) => s.sensorType === TEMPERATURE && readable(s));
  const inlet = temps.find((s) => ENTITY_AIR_INLET.includes(s.record.entityId)) ?? temps.find((s) => /inlet|ambient|intake/i.test(s.name));
  if (inlet?.value != null) put(BMC_METRICS.inlet, inlet.value);
  const cpus = temps.filter((s) => s !== inlet && (s.record.entityId === ENTITY_PROCESSOR || /cpu|proc/i.test(s.name)));
  if (cpus.length) put(BMC_METRICS.cpu, Math.max(...cpus.map((s) => s.value!)));
  if (cpus.length > 1) cpus.forEach((s, i) => put(`${BMC_METRICS.cpu}.${i + 1}`, s.value!));
  r.sensors.filter((s) => s.sensorType === FAN && (s.unitCode === RPM || s.units === 'RPM') && readable(s)).forEach((s, i) => put(`${BMC_METRICS.fanPrefix}${i + 1}`, s.value!));
  if (r.power) put(BMC_METRICS.power, r.power.watts);
  return out;
}

export function startSensorPoller(d: SensorPollerDeps): SensorPoller {
  const intervalMs = d.intervalMs ?? 60_000;
  const concurrency = Math.max(1, d.concurrency ?? 24);
  const jitter = Math.min(0.5, Math.max(0, d.jitter ?? 0.1));
  const log = d.log ?? (() => {});
  // Held a little past the next round's latest start, so the round finds its sessions open.
  const holdMs = Math.ceil(intervalMs * (1 + jitter)) + 10_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<SensorRound> | null = null;
  let disposed = false;
  let rounds = 0;
  let last: SensorRound | null = null;
  let lastError = '';

  const jittered = (ms: number): number => Math.max(0, Math.round(ms * (1 + (Math.random() * 2 - 1) * jitter)));

  async function round(): Promise<SensorRound> {
    const startedAt = Date.now();
    const t0 = performance.now();
    const ids = [...d.targets()];
    let next = 0;
    let ok = 0;
    let failed = 0;
    let samples = 0;
    let buffer: Sample[] = [];
    const flush = (): void => {
      if (!buffer.length) return;
      try {
        samples += d.metrics.append(buffer);
      } catch (err) {
        log(`bmc sensors: could not store ${buffer.length} samples: ${(err as Error).message}`);
      }
      buffer = [];
    };
    const worker = async (): Promise<void> => {
      while (!disposed) {
        const i = next++;
        if (i >= ids.length) return;
        try {
          const r = await d.bmc.readings(ids[i], { holdMs });
          buffer.push(...sensorSamples(ids[i], r));
          ok++;
          if (buffer.length >= FLUSH_EVERY) flush();
        } catch (err) {
          failed++;
          lastError = `${ids[i]}: ${(err as Error).message}`;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
    flush();
    const r: SensorRound = { startedAt, ms: performance.now() - t0, bmcs: ids.length, ok, failed, samples };
    rounds++;
    last = r;
    if (failed) log(`bmc sensors: ${ok} of ${ids.length} BMCs read in ${r.ms.toFixed(0)} ms, ${failed} failed (last: ${lastError})`);
    return r;
  }

  function schedule(delay: number): void {
    if (disposed) return;
    timer = setTimeout(() => {
      timer = undefined;
      const started = Date.now();
      void pollNow().then(
        () => schedule(Math.max(0, jittered(intervalMs) - (Date.now() - started))),
        (err: unknown) => {
          log(`bmc sensors: round failed: ${(err as Error).message}`);
          schedule(jittered(intervalMs));
        },
      );
    }, delay);
    timer.unref?.();
  }

  function pollNow(): Promise<SensorRound> {
    current ??= round().finally(() => {
      current = null;
    });
    return current;
  }

  // Not at once by default: a console starting up polls SNMP first (the overview's answer), BMCs a little later.
  schedule(d.firstDelayMs ?? Math.round(Math.min(intervalMs, 15_000) * (0.5 + Math.random() * 0.5)));

  return {
    pollNow,
    stats: () => ({ rounds, last, running: current !== null }),
    async dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await current?.catch(() => {});
    },
  };
}
