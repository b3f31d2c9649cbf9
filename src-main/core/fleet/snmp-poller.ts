// The SNMP poll loop: one v2c GET per device per interval, spread across the interval,
// with a fleet-wide cap on requests in flight. A session (one UDP socket) lives only for
// the poll that opened it, so open sockets never exceed the concurrency cap.
import * as snmp from 'net-snmp';
import type { DeviceKind, DeviceStatus, DeviceStatusChange } from '../../../src-shared/domain';

export const POLL_OIDS = {
  sysName: '1.3.6.1.2.1.1.5.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  ifNumber: '1.3.6.1.2.1.2.1.0',
  ifHCInOctets: '1.3.6.1.2.1.31.1.1.1.6',
  ifHCOutOctets: '1.3.6.1.2.1.31.1.1.1.10',
  /** ENTITY-SENSOR-MIB entPhySensorValue.1: PDU input power, watts. */
  pduPowerWatts: '1.3.6.1.2.1.99.1.1.1.4.1',
} as const;

/** Interfaces polled before a device has told us its ifNumber. */
const DEFAULT_INTERFACES: Record<DeviceKind, number> = { server: 2, switch: 6, pdu: 1, gateway: 2 };
/** Most interfaces read in the one GET (ifIndex 1..n). */
export const MAX_POLLED_INTERFACES = 16;
/** Rates above this (bytes/s, 2 Tbit/s) mean a counter reset we could not see: dropped. */
const MAX_PLAUSIBLE_BPS = 2.5e11;
const TICK_MS = 50;

export interface PollTarget {
  deviceId: string;
  kind: DeviceKind;
  host: string;
  port: number;
  community: string;
}

export interface PollResult {
  deviceId: string;
  /** When the poll finished (options.now clock, ms). */
  at: number;
  /** The device answered. */
  ok: boolean;
  status: DeviceStatus;
  /** Request to answer, retries included; absent when it did not answer. */
  rttMs?: number;
  sysName: string | null;
  uptimeSeconds: number | null;
  /** Sum over the polled interfaces, bytes/s; null on the first sample or after a restart. */
  inBps: number | null;
  outBps: number | null;
  powerWatts: number | null;
  error: string | null;
}

export interface DevicePollState {
  status: DeviceStatus;
  /** Values from the last answer (kept while the device is unreachable). */
  sysName: string | null;
  uptimeSeconds: number | null;
  inBps: number | null;
  outBps: number | null;
  powerWatts: number | null;
  /** Last poll attempt, answered or not. */
  lastPollAt: number | null;
  /** Round trip of the last poll; null when it went unanswered. */
  rttMs: number | null;
}

export interface SnmpPollerOptions {
  /** Called every few seconds; devices that appear are scheduled, those that vanish dropped. */
  targets: () => readonly PollTarget[];
  intervalMs?: number;
  /** Requests in flight at once, fleet-wide. */
  concurrency?: number;
  timeoutMs?: number;
  retries?: number;
  onResults?: (results: PollResult[]) => void;
  onStatusChange?: (changes: DeviceStatusChange[]) => void;
  now?: () => number;
  log?: (line: string) => void;
}

export interface SnmpPoller {
  state(deviceId: string): DevicePollState | undefined;
  counts(): { polled: number; answering: number };
  stats(): { pollsCompleted: number; pollsFailed: number; startedAt: number };
  /** Polls every current target once (respecting the concurrency cap); resolves when all are done. */
  pollNow(): Promise<void>;
  /** Stops the schedule and closes every session; no timer or socket survives it. */
  dispose(): Promise<void>;
}

/** One octet sample: local time, sysUpTime ticks and per-ifIndex Counter64 values. */
export interface OctetSample {
  at: number;
  ticks: number;
  inOctets: readonly (bigint | null)[];
  outOctets: readonly (bigint | null)[];
}

/** cur - prev for a counter of `bits` bits, allowing one wrap. */
export function counterDelta(prev: bigint, cur: bigint, bits = 64): bigint {
  return cur >= prev ? cur - prev : cur + (1n << BigInt(bits)) - prev;
}

/**
 * Bytes/s between two samples, summed over the interfaces present in both. Null when there
 * is no usable interval: no time passed, sysUpTime went backwards (the device restarted and
 * its counters with it), or a delta is implausible (a reset we could not otherwise see).
 */
export function octetRates(prev: OctetSample, cur: OctetSample): { inBps: number; outBps: number } | null {
  const seconds = (cur.at - prev.at) / 1000;
  if (!(seconds > 0) || cur.ticks < prev.ticks) return null;
  const sum = (a: readonly (bigint | null)[], b: readonly (bigint | null)[]): number | null => {
    let total = 0n;
    let seen = false;
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const p = a[i];
      const c = b[i];
      if (p === null || c === null) continue;
      total += counterDelta(p, c);
      seen = true;
    }
    if (!seen) return null;
    const bps = Number(total) / seconds;
    return bps <= MAX_PLAUSIBLE_BPS ? bps : null;
  };
  const inBps = sum(prev.inOctets, cur.inOctets);
  const outBps = sum(prev.outOctets, cur.outOctets);
  return inBps === null || outBps === null ? null : { inBps, outBps };
}

/** A Counter64 as net-snmp decodes it (big-endian bytes) to a bigint. */
export function counter64(value: unknown): bigint | null {
  if (Buffer.isBuffer(value)) {
    let n = 0n;
    for (const byte of value) n = (n << 8n) | BigInt(byte);
    return n & 0xffff_ffff_ffff_ffffn;
  }
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return BigInt(Math.trunc(value));
  return null;
}

interface Entry {
  target: PollTarget;
  /** performance.now() at which the next scheduled poll is due. */
  due: number;
  /**
   * Added once, after the first poll: spreads the fleet's steady-state polls evenly over the
   * interval (-interval/2 .. +interval/2) while every device's first poll goes out at once.
   */
  phase: number;
  job: Promise<void> | null;
  interfaces: number;
  sample: OctetSample | null;
  state: DevicePollState;
}

interface Session {
  get(oids: string[], cb: (err: Error | null, varbinds?: snmp.Varbind[]) => void): void;
  close(): void;
  on(event: string, cb: (...args: unknown[]) => void): void;
}

export function createSnmpPoller(opts: SnmpPollerOptions): SnmpPoller {
  const intervalMs = opts.intervalMs ?? 30_000;
  const concurrency = Math.max(1, opts.concurrency ?? 256);
  const timeoutMs = opts.timeoutMs ?? 1500;
  const retries = opts.retries ?? 1;
  const now = opts.now ?? Date.now;
  const refreshEveryMs = Math.min(intervalMs, 5000);

  const entries = new Map<string, Entry>();
  const waiting: Array<{ entry: Entry; done: () => void }> = [];
  const sessions = new Set<Promise<void>>();
  const closers = new Set<() => void>();
  let results: PollResult[] = [];
  let changes: DeviceStatusChange[] = [];
  let inFlight = 0;
  let pollsCompleted = 0;
  let pollsFailed = 0;
  let disposed = false;
  let lastRefresh = -Infinity;
  const startedAt = now();

  function refresh(): void {
    lastRefresh = performance.now();
    const list = opts.targets();
    const seen = new Set<string>();
    const fresh: PollTarget[] = [];
    for (const t of list) {
      seen.add(t.deviceId);
      const e = entries.get(t.deviceId);
      if (e) e.target = t;
      else fresh.push(t);
    }
    for (const id of entries.keys()) if (!seen.has(id)) entries.delete(id);
    // New devices are polled at once (as fast as the concurrency cap allows), so a fresh
    // console knows what answers within seconds; their later polls are spread evenly, with
    // jitter, over the interval so they do not bunch.
    const t0 = performance.now();
    const slot = intervalMs / Math.max(1, fresh.length);
    fresh.forEach((t, i) => {
      entries.set(t.deviceId, {
        target: t, due: t0, phase: (i + Math.random()) * slot - intervalMs / 2, job: null, interfaces: DEFAULT_INTERFACES[t.kind] ?? 1, sample: null,
        state: { status: 'unknown', sysName: null, uptimeSeconds: null, inBps: null, outBps: null, powerWatts: null, lastPollAt: null, rttMs: null },
      });
    });
  }

  function flush(): void {
    if (disposed) return;
    if (results.length) {
      const batch = results;
      results = [];
      safely(() => opts.onResults?.(batch));
    }
    if (changes.length) {
      const batch = changes;
      changes = [];
      safely(() => opts.onStatusChange?.(batch));
    }
  }

  function safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      opts.log?.(`snmp poller: a listener threw: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Queues a poll of the entry unless one is queued or running; resolves when it is done. */
  function enqueue(entry: Entry): Promise<void> {
    if (!entry.job) {
      entry.job = new Promise<void>((resolve) => {
        waiting.push({ entry, done: () => {
          entry.job = null;
          resolve();
        } });
      });
      pump();
    }
    return entry.job;
  }

  function pump(): void {
    while (!disposed && inFlight < concurrency && waiting.length) {
      const { entry, done } = waiting.shift()!;
      inFlight++;
      void poll(entry).finally(() => {
        inFlight--;
        done();
        pump();
      });
    }
  }

  function poll(entry: Entry): Promise<void> {
    const t = entry.target;
    const n = entry.interfaces;
    const oids: string[] = [POLL_OIDS.sysName, POLL_OIDS.sysUpTime, POLL_OIDS.ifNumber];
    for (let i = 1; i <= n; i++) oids.push(`${POLL_OIDS.ifHCInOctets}.${i}`);
    for (let i = 1; i <= n; i++) oids.push(`${POLL_OIDS.ifHCOutOctets}.${i}`);
    if (t.kind === 'pdu') oids.push(POLL_OIDS.pduPowerWatts);

    const started = performance.now();
    return new Promise<void>((resolve) => {
      let session: Session;
      try {
        session = snmp.createSession(t.host, t.community, { port: t.port, version: snmp.Version2c, timeout: timeoutMs, retries, backoff: 1 }) as unknown as Session;
      } catch (err) {
        record(entry, null, err as Error, started);
        return resolve();
      }
      const closed = new Promise<void>((done) => session.on('close', () => done()));
      sessions.add(closed);
      void closed.then(() => sessions.delete(closed));
      session.on('error', () => {}); // malformed datagrams: the request still times out
      let settled = false;
      // Settles the poll exactly once: on net-snmp's callback, or when dispose() cuts it
      // short (a datagram still queued behind the socket's bind is dropped by dgram without
      // a callback, so net-snmp's would never come).
      const settle = (varbinds: snmp.Varbind[] | null, err: Error | null): void => {
        if (settled) return;
        settled = true;
        closers.delete(abort);
        try {
          session.close();
        } catch {
          // already closed
        }
        if (!disposed) record(entry, varbinds, err, started);
        resolve();
      };
      const abort = (): void => settle(null, new Error('poller disposed'));
      closers.add(abort);
      try {
        session.get(oids, (err, varbinds) => settle(varbinds ?? null, err));
      } catch (err) {
        settle(null, err as Error);
      }
    });
  }

  function record(entry: Entry, varbinds: snmp.Varbind[] | null, err: Error | null, started: number): void {
    if (entries.get(entry.target.deviceId) !== entry) return; // dropped from the targets meanwhile
    const at = now();
    const answered = !err || err.name === 'RequestFailedError' || err.name === 'ResponseInvalidError';
    const status: DeviceStatus = answered ? 'up' : 'unreachable';
    const s = entry.state;
    const result: PollResult = {
      deviceId: entry.target.deviceId, at, ok: answered, status, rttMs: answered ? performance.now() - started : undefined,
      sysName: null, uptimeSeconds: null, inBps: null, outBps: null, powerWatts: null, error: err ? err.message : null,
    };
    if (answered) pollsCompleted++;
    else pollsFailed++;

    if (varbinds && !err) {
      const value = (i: number): unknown => (varbinds[i] && !snmp.isVarbindError(varbinds[i]) ? varbinds[i].value : null);
      const name = value(0);
      result.sysName = Buffer.isBuffer(name) ? name.toString('utf8') : typeof name === 'string' ? name : null;
      const ticks = value(1);
      const n = entry.interfaces;
      if (typeof ticks === 'number') {
        result.uptimeSeconds = ticks / 100;
        const sample: OctetSample = {
          at, ticks,
          inOctets: Array.from({ length: n }, (_, i) => counter64(value(3 + i))),
          outOctets: Array.from({ length: n }, (_, i) => counter64(value(3 + n + i))),
        };
        const rates = entry.sample ? octetRates(entry.sample, sample) : null;
        result.inBps = rates?.inBps ?? null;
        result.outBps = rates?.outBps ?? null;
        entry.sample = sample;
      }
      if (entry.target.kind === 'pdu') {
        const w = value(3 + 2 * n);
        result.powerWatts = typeof w === 'number' ? w : null;
      }
      const ifNumber = value(2);
      if (typeof ifNumber === 'number' && ifNumber > 0) {
        const next = Math.min(ifNumber, MAX_POLLED_INTERFACES);
        if (next !== n) {
          entry.interfaces = next;
          entry.sample = null; // a different interface set: start the rates afresh
        }
      }
      Object.assign(s, { sysName: result.sysName, uptimeSeconds: result.uptimeSeconds, inBps: result.inBps, outBps: result.outBps, powerWatts: result.powerWatts });
    }
    s.lastPollAt = at;
    s.rttMs = result.rttMs ?? null;
    if (s.status !== status) {
      changes.push({ deviceId: entry.target.deviceId, status, previous: s.status, at });
      s.status = status;
    }
    results.push(result);
  }

  let timer: NodeJS.Timeout | null = null;
  function tick(): void {
    timer = null;
    if (disposed) return;
    try {
      if (performance.now() - lastRefresh >= refreshEveryMs) refresh();
      const t = performance.now();
      for (const e of entries.values()) {
        if (e.due > t) continue;
        e.due += intervalMs + e.phase;
        e.phase = 0;
        if (e.due <= t) e.due = t + intervalMs; // fell behind: do not fire a burst to catch up
        if (!e.job) void enqueue(e);
      }
      flush();
    } catch (err) {
      opts.log?.(`snmp poller: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Deliberately ref'd: a running poller is live work, and dispose() is how it ends.
    timer = setTimeout(tick, TICK_MS);
  }
  tick();

  return {
    state: (id) => {
      const s = entries.get(id)?.state;
      return s ? { ...s } : undefined;
    },
    counts: () => {
      let polled = 0;
      let answering = 0;
      for (const e of entries.values()) {
        if (e.state.status !== 'unknown') polled++;
        if (e.state.status === 'up') answering++;
      }
      return { polled, answering };
    },
    stats: () => ({ pollsCompleted, pollsFailed, startedAt }),
    async pollNow() {
      if (disposed) return;
      refresh();
      await Promise.all([...entries.values()].map(enqueue));
      flush();
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      for (const w of waiting.splice(0)) w.done();
      for (const close of [...closers]) close();
      await Promise.all([...sessions]);
      // libuv releases a closed socket's handle in the close phase of the loop, which runs
      // after the check phase: two turns of setImmediate see it gone.
      for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}
