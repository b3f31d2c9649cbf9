// BMC readings on a schedule: every server with a BMC is read once per round (default 60 s,
// each round started with +-10% jitter), at most `concurrency` BMCs in flight, through the
// BMC service's held sessions. Inlet and CPU temperature, fans, power and the PSU count (the
// power supplies the SDR has sensors for: feed redundancy's measured PSUs) go to the time
// series. A dead BMC costs its slot one timeout; a round that overruns the interval delays
// the next one, never overlaps it. dispose() stops the schedule and waits for the round.
// refresh() (after an inventory or credential change) re-reads the targets and compares each
// one's key (address, port, credential id and content): new and changed BMCs are read at
// once, ahead of a round running but within the same in-flight cap; removed ones are no
// longer read and their sessions are released; unchanged ones keep their schedule.
// SEL critical events: every `selEvery`-th successful read of a BMC (default 5: the SEL is
// slower to read than the sensors; from a BMC's second read on, never its first: a fleet's first round of sensors is not held back by SELs) also reads its SEL through
// the service's info(), and every successful read stores bmc.sel_critical = the critical SEL
// entries first seen in the last `selWindowMs` (default 15 min; sel-critical.ts says what is
// critical and how a cleared or wrapped SEL is taken). A failed SEL read is logged, tried
// again on the next read, and leaves the count as it was known.
import type { AsyncDisposable } from '../../../src-shared/lifecycle';
import type { SensorValue } from '../protocols/ipmi/client-records';
import type { Sample } from '../store/metrics-repository';
import type { BmcReadings, BmcService } from './bmc-service';
import { createSelCriticalTracker, SEL_WINDOW_MS } from './sel-critical';

/** The metric names, per server. */
export const BMC_METRICS = {
  inlet: 'bmc.inlet_c',
  /** The hottest CPU; with several, each also as bmc.cpu_c.<n> (1-based, SDR order). */
  cpu: 'bmc.cpu_c',
  /** bmc.fan_rpm.<n>, 1-based in SDR order. */
  fanPrefix: 'bmc.fan_rpm.',
  /** DCMI power reading, else the PSUs' input Watts sensors summed. */
  power: 'bmc.power_w',
  /** Power supplies: how many the power-supply sensors name (psuCount); none written when there are none. */
  psus: 'bmc.psus',
  /** Critical SEL entries first seen in the last selWindowMs (sel-critical.ts); written once the BMC's SEL was read. */
  selCritical: 'bmc.sel_critical',
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
  /** The SEL is read on every n-th read of a BMC (default 5; 0: never, no bmc.sel_critical). */
  selEvery?: number;
  /** The window bmc.sel_critical counts critical SEL entries over (default 15 min). */
  selWindowMs?: number;
}

export interface SensorPollerDeps extends SensorPollerOptions {
  /** targetKeys and release are optional: without targetKeys, refresh() sees only added and removed devices; without info, no SEL. */
  bmc: Pick<BmcService, 'readings'> & Partial<Pick<BmcService, 'targetKeys' | 'release' | 'info'>>;
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

/** What a refresh() found against the targets it knew. */
export interface SensorRefresh {
  added: string[];
  changed: string[];
  removed: string[];
}

export interface SensorPoller extends AsyncDisposable {
  /** Runs a round now (or joins the one running) and resolves when it ends. */
  pollNow(): Promise<SensorRound>;
  /** Re-reads the targets: new and changed ones are read at once (not awaited), removed ones dropped. */
  refresh(): SensorRefresh;
  stats(): {
    rounds: number;
    last: SensorRound | null;
    running: boolean;
    /** Reads asked for by refresh() not yet finished, and those done (ok or failed). */
    immediate: { pending: number; ok: number; failed: number };
  };
}

const TEMPERATURE = 0x01;
const FAN = 0x04;
const POWER_SUPPLY = 0x08;
const ENTITY_PROCESSOR = 0x03;
const ENTITY_AIR_INLET = [0x37, 0x40];
const RPM = 18;
/** Samples written per transaction. */
const FLUSH_EVERY = 512;

const readable = (s: SensorValue): s is SensorValue & { value: number } => s.value !== null && s.status !== 'ns';

/**
 * Power supplies the SDR names: its power-supply-type sensors (readable or not: a PSU without
 * input is still there), one per PSU entity (entity id and instance, so a PSU's status and
 * power sensors count once; by name where the record gives no instance), redundancy sensors
 * left out. 0: the BMC has no power-supply sensors.
 */
export function psuCount(sensors: readonly SensorValue[]): number {
  const psus = new Set<string>();
  for (const s of sensors) {
    if (s.sensorType !== POWER_SUPPLY || /redundan/i.test(s.name)) continue;
    const { entityId, entityInstance } = s.record;
    psus.add(entityId != null && entityInstance != null ? `${entityId}.${entityInstance}` : `name:${s.name}`);
  }
  return psus.size;
}

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
  const psus = psuCount(r.sensors);
  if (psus > 0) put(BMC_METRICS.psus, psus);
  return out;
}

/** In-flight slots shared by the rounds and the reads refresh() asks for; the latter are served first. */
function createSlots(size: number) {
  let free = size;
  const urgent: (() => void)[] = [];
  const normal: (() => void)[] = [];
  return {
    acquire(first: boolean): Promise<void> {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise((resolve) => (first ? urgent : normal).push(resolve));
    },
    release(): void {
      const next = urgent.shift() ?? normal.shift();
      if (next) next();
      else free++;
    },
  };
}

export function startSensorPoller(d: SensorPollerDeps): SensorPoller {
  const intervalMs = d.intervalMs ?? 60_000;
  const concurrency = Math.max(1, d.concurrency ?? 24);
  const jitter = Math.min(0.5, Math.max(0, d.jitter ?? 0.1));
  const log = d.log ?? (() => {});
  // Held a little past the next round's latest start, so the round finds its sessions open.
  const holdMs = Math.ceil(intervalMs * (1 + jitter)) + 10_000;
  const slots = createSlots(concurrency);
  /** The targets now, each with its key. */
  const keyed = (): Map<string, string> => {
    const ids = d.targets();
    const keys = d.bmc.targetKeys?.(ids);
    return new Map(ids.map((id) => [id, keys?.get(id) ?? ''] as const));
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<SensorRound> | null = null;
  let disposed = false;
  let rounds = 0;
  let last: SensorRound | null = null;
  let lastError = '';
  // The targets as refresh() last saw them, with their keys (read once at start: the baseline a change is told from).
  let known = keyed();
  // Removed by refresh(): a round that started before is not to read them.
  const removed = new Set<string>();
  // Asked for by refresh(), in order; and those read since the round's start (the round skips them).
  const queue = new Set<string>();
  const readEarly = new Set<string>();
  const immediate = { ok: 0, failed: 0, workers: new Set<Promise<void>>() };
  const selEvery = d.bmc.info ? Math.max(0, Math.floor(d.selEvery ?? 5)) : 0;
  const sel = createSelCriticalTracker(d.selWindowMs ?? SEL_WINDOW_MS);
  // Reads of each BMC since its SEL was last read (absent: never read).
  const sinceSel = new Map<string, number>();

  const jittered = (ms: number): number => Math.max(0, Math.round(ms * (1 + (Math.random() * 2 - 1) * jitter)));

  const store = (buffer: Sample[]): number => {
    if (!buffer.length) return 0;
    try {
      return d.metrics.append(buffer);
    } catch (err) {
      log(`bmc sensors: could not store ${buffer.length} samples: ${(err as Error).message}`);
      return 0;
    }
  };

  /** One BMC, on a slot the caller holds: its samples, the error, or null when it was removed (or the poller disposed) before it was read. */
  async function readOne(id: string): Promise<Sample[] | Error | null> {
    try {
      if (disposed || removed.has(id)) return null;
      const r = await d.bmc.readings(id, { holdMs });
      if (removed.has(id)) return null;
      const out = sensorSamples(id, r);
      if (selEvery > 0) {
        await readSel(id);
        const n = sel.count(id, r.at);
        if (n !== null && !removed.has(id)) out.push({ deviceId: id, metric: BMC_METRICS.selCritical, ts: r.at, value: n });
      }
      return removed.has(id) ? null : out;
    } catch (err) {
      lastError = `${id}: ${(err as Error).message}`;
      return err as Error;
    }
  }

  /** The BMC's SEL when it is due (never read, or selEvery reads since); a failure is logged and tried on the next read. */
  async function readSel(id: string): Promise<void> {
    const since = sinceSel.get(id);
    // Not on a BMC's first read: its sensors come first (a first round of a whole fleet is not
    // held back by its SELs); the second read takes the baseline.
    if (since === undefined) {
      sinceSel.set(id, selEvery - 1);
      return;
    }
    if (since + 1 < selEvery) {
      sinceSel.set(id, since + 1);
      return;
    }
    try {
      const info = await d.bmc.info!(id);
      if (removed.has(id)) return;
      sel.update(id, info.sel, info.fetchedAt);
      sinceSel.set(id, 0);
    } catch (err) {
      log(`bmc sensors: ${id}: could not read the SEL: ${(err as Error).message}`);
    }
  }

  async function round(): Promise<SensorRound> {
    const startedAt = Date.now();
    const t0 = performance.now();
    const ids = [...d.targets()];
    removed.clear();
    readEarly.clear();
    let next = 0;
    let ok = 0;
    let failed = 0;
    let samples = 0;
    let buffer: Sample[] = [];
    const flush = (): void => {
      samples += store(buffer);
      buffer = [];
    };
    const worker = async (): Promise<void> => {
      while (!disposed) {
        const i = next++;
        if (i >= ids.length) return;
        if (readEarly.has(ids[i]) || removed.has(ids[i])) continue;
        await slots.acquire(false);
        const r = await readOne(ids[i]).finally(slots.release);
        if (r === null) continue;
        if (r instanceof Error) {
          failed++;
          continue;
        }
        buffer.push(...r);
        ok++;
        if (buffer.length >= FLUSH_EVERY) flush();
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

  /** Reads what refresh() queued, storing each BMC's samples as soon as it is read; keeps its slot until the queue is empty. */
  async function immediateWorker(): Promise<void> {
    await slots.acquire(true);
    try {
      while (!disposed && queue.size) {
        const id = queue.values().next().value as string;
        queue.delete(id);
        const r = await readOne(id);
        if (r === null) continue;
        if (r instanceof Error) {
          immediate.failed++;
          continue;
        }
        // Read since this round started: the round leaves it for the next one.
        if (current) readEarly.add(id);
        store(r);
        immediate.ok++;
      }
    } finally {
      slots.release();
    }
  }

  function refresh(): SensorRefresh {
    const now = keyed();
    const out: SensorRefresh = { added: [], changed: [], removed: [] };
    for (const [id, key] of now) {
      const before = known.get(id);
      if (before === undefined) out.added.push(id);
      else if (before !== key) out.changed.push(id);
    }
    for (const id of known.keys()) if (!now.has(id)) out.removed.push(id);
    known = now;
    for (const id of out.removed) {
      removed.add(id);
      sel.forget(id);
      sinceSel.delete(id);
      queue.delete(id);
      d.bmc.release?.(id);
    }
    // A session held with the old address or login is not used again.
    for (const id of out.changed) {
      d.bmc.release?.(id);
      // Perhaps another BMC now: its SEL is a new baseline.
      sel.forget(id);
      sinceSel.delete(id);
    }
    for (const id of [...out.added, ...out.changed]) {
      removed.delete(id);
      queue.add(id);
    }
    if (!disposed) {
      while (immediate.workers.size < Math.min(queue.size, concurrency)) {
        const w: Promise<void> = immediateWorker().finally(() => immediate.workers.delete(w));
        immediate.workers.add(w);
      }
    }
    return out;
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
    refresh,
    stats: () => ({ rounds, last, running: current !== null, immediate: { pending: queue.size + immediate.workers.size, ok: immediate.ok, failed: immediate.failed } }),
    async dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await Promise.all([current?.catch(() => {}), ...immediate.workers]);
    },
  };
}
