// The SNMP poll loop. Per device, on its own interval (target.intervalMs, else the poller's):
// one main GET (see protocols/snmp/mib/device-poll.ts), plus the interface table or the PDU's
// power profile where the target asks for them.
//
// Caps. At most `concurrency` polls run at once (each holds one session, i.e. one UDP
// socket, so open sockets never exceed it); within them at most `requestConcurrency`
// requests are in flight fleet-wide and `perDeviceConcurrency` to any one device.
// Schedule. Every new device is polled at once (a fresh console knows what answers within
// seconds); its later polls are spread evenly over the interval, and each is moved by up to
// +-`jitter` of the interval so polls do not bunch. Back-off: after the second unanswered
// poll in a row a device is polled every interval * 2^(failures-1), capped at
// `maxBackoffMs`, and without retransmissions; one answer restores its interval. pollNow()
// polls every device regardless.
//
// Status. `status` (up | unreachable | unknown) and `health`, the finer one (the same
// DeviceStatus, with degraded), each with events on every change:
//   unknown      not polled yet;
//   unreachable  the last poll got no answer (timeout after retries, or no session);
//   degraded     it answered, but: slower than `slowMs` (default: the timeout, i.e. it
//                needed a retransmission; measured on the main GET, which waits for a
//                request slot only when the caps are tighter than the polls in flight), or
//                with an error-status / USM failure, or
//                partially (core objects missing, the interface table or power profile
//                read failed), or an interface this poller saw up is down while admin-up;
//   up           it answered fully and promptly with every link it had up still up.
// `status` is 'up' for both up and degraded: it says only whether the device answers.
//
// Stalls. A device is judged only on evidence about the device, never on the core's own
// event-loop stalls (a flood of calls, a long synchronous write, a GC pause): while the loop
// is blocked, answers sit unread in the socket and net-snmp's timeout timers fire first. A
// stall detector (src-shared/stall-detector.ts: a 25 ms timer that measures its own lateness)
// keeps the recent stall windows; a poll whose window overlaps one is not slowness or
// timeout evidence: a failed or partial one is set aside (no state change, no failure
// counted) and the device is polled again shortly, an answered one is judged on what it said
// but not on its speed, and its round trip is not recorded. Chosen over timestamps taken on
// the socket (net-snmp reads datagrams in its own callbacks, after the stall, so it cannot
// timestamp arrival, and its timeout timers would still fire first) and over a worker thread
// (the poller's state feeds the read model, device detail and SNMP requests synchronously;
// a worker would need them mirrored across threads, and a worker's own GC pauses would
// still need this same guard).
// Early re-polls. repoll(deviceId) polls a device again soon, a few times with back-off,
// until its health changes (poller/repoll.ts): after a control action, a trap, a lab fault.
// The verdict is poller/health.ts, the per-device step poller/device-memory.ts, the result
// and event bookkeeping poller/poll-record.ts; this file is the loop and the caps.
import type { DeviceStatusChange } from '../../../src-shared/domain';
import { NotFoundError } from '../../../src-shared/errors';
import { DisposableStore, toAsyncDisposable, toDisposable, type AsyncDisposable } from '../../../src-shared/lifecycle';
import { createStallDetector, type StallDetector } from '../../../src-shared/stall-detector';
import { createRequestLimiter, createSnmpSession, readDevice, SnmpSessionClosedError, type DeviceReading, type SnmpSession } from '../protocols/snmp';
import { lastCounters, newDeviceMemory, type DeviceMemory } from './poller/device-memory';
import { createPollOutbox, newPollState, recordPoll } from './poller/poll-record';
import { createRepoller, type RepollRequest } from './poller/repoll';
import { backoffDelay, jittered } from './poller/schedule';
import type { DeviceHealthChange, DevicePollState, InterfaceChange, PolledCounters, PollResult, PollTarget } from './poller/types';

export type { DeviceHealthChange, DevicePollState, InterfaceChange, PolledCounters, PollResult, PollTarget } from './poller/types';

const TICK_MS = 50;
/** A poll set aside for a stall is redone within this window (spread so they do not bunch). */
const STALL_REPOLL_MS = [200, 800] as const;

export interface SnmpPollerOptions {
  /** Called every few seconds; devices that appear are scheduled, those that vanish dropped. */
  targets: () => readonly PollTarget[];
  intervalMs?: number;
  /** Polls (sessions, sockets) at once, fleet-wide. */
  concurrency?: number;
  /** Requests in flight at once, fleet-wide (default: concurrency). */
  requestConcurrency?: number;
  /** Requests in flight to one device (default 2). */
  perDeviceConcurrency?: number;
  timeoutMs?: number;
  retries?: number;
  /** Answers slower than this make a device degraded (default: timeoutMs). */
  slowMs?: number;
  /** Longest back-off between polls of a silent device (default: 8 intervals, at least 5 min). */
  maxBackoffMs?: number;
  /** Each scheduled poll moves by up to +-jitter * interval (default 0.1). */
  jitter?: number;
  maxRepetitions?: number;
  /** Loop lateness that counts as a stall of the core (default: half of slowMs, 50..250 ms). */
  stallMs?: number;
  /** A stall detector to use instead of the poller's own (tests). */
  stallDetector?: StallDetector;
  onResults?: (results: PollResult[]) => void;
  onStatusChange?: (changes: DeviceStatusChange[]) => void;
  onHealthChange?: (changes: DeviceHealthChange[]) => void;
  onInterfaceChange?: (changes: InterfaceChange[]) => void;
  now?: () => number;
  log?: (line: string) => void;
}

export interface SnmpPoller extends AsyncDisposable {
  state(deviceId: string): DevicePollState | undefined;
  /** The interface counters of the device's last answered poll; null before one. */
  counters(deviceId: string): PolledCounters | null;
  /** polled: not unknown; answering: status 'up' (health up or degraded). */
  counts(): { polled: number; answering: number };
  /** pollsSetAside: polls overlapping a stall of the core, neither judged nor counted. */
  stats(): { pollsCompleted: number; pollsFailed: number; pollsSetAside: number; startedAt: number };
  /** Requests in flight and waiting, and the highest in-flight counts seen. */
  load(): { inFlight: number; waiting: number; peakInFlight: number; peakPerDevice: number };
  /** Polls every current target once (respecting the caps); resolves when all are done. */
  pollNow(): Promise<void>;
  /**
   * Re-reads the targets now (after an inventory or credential change) and returns the ids of
   * devices that are new or whose target changed (address, port, credentials): the ones worth
   * polling at once.
   */
  refresh(): string[];
  /** Polls the device again soon, a few times with back-off, until its health changes; debounced. */
  repoll(deviceId: string, r?: RepollRequest): void;
  /** Runs `op` (a set, a walk) against a device with its credentials, inside the same caps. */
  request<T>(deviceId: string, op: (session: SnmpSession) => Promise<T>): Promise<T>;
  /** Stops the schedule and closes every session; no timer or socket survives it. */
  dispose(): Promise<void>;
}

interface Entry {
  target: PollTarget;
  /** performance.now() of the next nominal poll, and of the jittered one actually due. */
  anchor: number;
  due: number;
  /** Added once, after the first poll: spreads the fleet's polls evenly over the interval. */
  phase: number;
  job: Promise<void> | null;
  /** A one-off poll due at this time (after a stall), outside the schedule. */
  soon: number | null;
  /** Retransmissions for the next poll only (a re-poll's). */
  retriesOnce: number | undefined;
  memory: DeviceMemory;
  state: DevicePollState;
}

export function createSnmpPoller(opts: SnmpPollerOptions): SnmpPoller {
  const baseInterval = opts.intervalMs ?? 30_000;
  const concurrency = Math.max(1, opts.concurrency ?? 256);
  const timeoutMs = opts.timeoutMs ?? 1500;
  const retries = opts.retries ?? 1;
  const slowMs = opts.slowMs ?? timeoutMs;
  const jitter = Math.min(0.5, Math.max(0, opts.jitter ?? 0.1));
  const now = opts.now ?? Date.now;
  const refreshEveryMs = Math.min(baseInterval, 5000);
  const limiter = createRequestLimiter({ global: opts.requestConcurrency ?? concurrency, perDevice: opts.perDeviceConcurrency ?? 2 });
  const intervalOf = (t: PollTarget): number => Math.max(100, t.intervalMs ?? baseInterval);
  const maxBackoff = (t: PollTarget): number => opts.maxBackoffMs ?? Math.max(300_000, 8 * intervalOf(t));

  const entries = new Map<string, Entry>();
  const waiting: Array<{ entry: Entry; done: () => void }> = [];
  const sessions = new Set<SnmpSession>();
  const outbox = createPollOutbox(opts);
  let inFlight = 0;
  let pollsCompleted = 0;
  let pollsFailed = 0;
  let pollsSetAside = 0;
  let disposed = false;
  let lastRefresh = -Infinity;
  let timer: NodeJS.Timeout | null = null;
  const startedAt = now();

  // What dispose() releases, last added first: the timer, the queue, the request slots, the
  // sessions, then two turns of the loop (libuv releases a closed socket's handle in the
  // close phase, which runs after the check phase: two turns of setImmediate see it gone).
  const resources = new DisposableStore();
  resources.add(toAsyncDisposable(async () => {
    for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }));
  resources.add(toAsyncDisposable(async () => {
    await Promise.all([...sessions].map(closeSession));
  }));
  const stall = opts.stallDetector ?? resources.add(createStallDetector({ thresholdMs: opts.stallMs ?? Math.max(50, Math.min(250, slowMs / 2)) }));
  const repoller = resources.add(createRepoller({
    pollOnce: (id, r) => pollOnce(id, r),
    health: (id) => entries.get(id)?.state.health,
    log: opts.log,
  }));
  resources.add(toDisposable(() => limiter.close(new SnmpSessionClosedError('poller (disposed)'))));
  resources.add(toDisposable(() => {
    for (const w of waiting.splice(0)) w.done();
  }));
  resources.add(toDisposable(() => {
    if (timer) clearTimeout(timer);
    timer = null;
  }));

  /** What a poll of the target depends on: a change of it makes the device worth polling at once. */
  const targetKey = (t: PollTarget): string => JSON.stringify([t.host, t.port, t.community, t.credentials ?? null, t.walkInterfaces ?? false, t.pduProfile ?? null]);

  function refresh(): string[] {
    lastRefresh = performance.now();
    const seen = new Set<string>();
    const fresh: PollTarget[] = [];
    const changed: string[] = [];
    for (const t of opts.targets()) {
      seen.add(t.deviceId);
      const e = entries.get(t.deviceId);
      if (e) {
        if (targetKey(e.target) !== targetKey(t)) changed.push(t.deviceId);
        e.target = t;
      } else fresh.push(t);
    }
    for (const id of entries.keys()) if (!seen.has(id)) entries.delete(id);
    const t0 = performance.now();
    fresh.forEach((t, i) => {
      const iv = intervalOf(t);
      entries.set(t.deviceId, {
        target: t, anchor: t0, due: t0, phase: ((i + Math.random()) * iv) / fresh.length - iv / 2, job: null, soon: null, retriesOnce: undefined,
        memory: newDeviceMemory(t.kind), state: newPollState(),
      });
    });
    return [...changed, ...fresh.map((t) => t.deviceId)];
  }

  function flush(): void {
    if (!disposed) outbox.flush();
  }

  /** Queues a poll of the entry unless one is queued or running; resolves when it is done. */
  function enqueue(entry: Entry, front = false): Promise<void> {
    if (!entry.job) {
      entry.job = new Promise<void>((resolve) => {
        const item = { entry, done: () => {
          entry.job = null;
          resolve();
        } };
        if (front) waiting.unshift(item);
        else waiting.push(item);
      });
      pump();
    }
    return entry.job;
  }

  /** One poll of a device that starts after this call (a poll in flight may predate the reason for it), ahead of the queue. */
  async function pollOnce(deviceId: string, retriesOnce: number | undefined): Promise<void> {
    const entry = entries.get(deviceId);
    if (!entry || disposed) return;
    if (entry.job) await entry.job;
    if (disposed || entries.get(deviceId) !== entry) return;
    if (!entry.job) entry.retriesOnce = retriesOnce;
    await enqueue(entry, true);
    flush();
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

  function openSession(t: PollTarget, attempts: number): SnmpSession {
    const s = createSnmpSession({
      host: t.host, port: t.port, credentials: t.credentials ?? { version: '2c', community: t.community },
      timeoutMs, retries: attempts, maxRepetitions: opts.maxRepetitions, gate: limiter.gate(t.deviceId),
    });
    sessions.add(s);
    return s;
  }

  async function closeSession(s: SnmpSession): Promise<void> {
    await s.dispose();
    sessions.delete(s);
  }

  async function poll(entry: Entry): Promise<void> {
    const t = entry.target;
    const started = performance.now();
    entry.soon = null;
    let session: SnmpSession | null = null;
    let reading: DeviceReading | null = null;
    let error: unknown = null;
    try {
      // A device that has stayed silent is not retried within a poll: it costs one timeout.
      const attempts = entry.retriesOnce ?? (entry.state.failures >= 2 ? 0 : retries);
      entry.retriesOnce = undefined;
      session = openSession(t, attempts);
      reading = await readDevice(session, {
        kind: t.kind, interfaces: entry.memory.interfaces, walkInterfaces: Boolean(t.walkInterfaces), pduProfile: t.pduProfile ?? null, maxRepetitions: opts.maxRepetitions,
      }, now);
    } catch (err) {
      error = err;
    } finally {
      if (session) await closeSession(session);
    }
    if (!disposed) record(entry, reading, error, performance.now() - started, started);
  }

  function record(entry: Entry, reading: DeviceReading | null, error: unknown, elapsed: number, started: number): void {
    if (entries.get(entry.target.deviceId) !== entry) return; // dropped from the targets meanwhile
    // The core stalled while this poll was out: a silence, an error or a gap in the answer may
    // be the core's own. Set the poll aside and ask again shortly (see the opening comment).
    const stalled = stall.overlaps(started, performance.now());
    if (stalled && (error || reading?.partial.length)) {
      pollsSetAside++;
      const soon = performance.now() + STALL_REPOLL_MS[0] + Math.random() * (STALL_REPOLL_MS[1] - STALL_REPOLL_MS[0]);
      entry.soon = entry.soon === null ? soon : Math.min(entry.soon, soon);
      return;
    }
    const at = reading?.at ?? now();
    // The round trip is the main GET's: not the side reads, not the wait for a request slot.
    const rttMs = reading?.rttMs ?? elapsed;
    const answered = recordPoll(entry.memory, entry.state, {
      deviceId: entry.target.deviceId, reading, error, rttMs, slowMs, walkInterfaces: Boolean(entry.target.walkInterfaces), stalled,
    }, at, outbox);
    if (answered) {
      pollsCompleted++;
      return;
    }
    pollsFailed++;
    const iv = intervalOf(entry.target);
    const delay = backoffDelay(iv, entry.state.failures, maxBackoff(entry.target));
    if (delay > iv) {
      entry.anchor = Math.max(entry.anchor, started + jittered(delay, jitter));
      entry.due = entry.anchor;
    }
  }

  function tick(): void {
    timer = null;
    if (disposed) return;
    try {
      if (performance.now() - lastRefresh >= refreshEveryMs) refresh();
      const t = performance.now();
      for (const e of entries.values()) {
        if (e.soon !== null && e.soon <= t && !e.job && !stall.overlaps(t)) {
          e.soon = null;
          void enqueue(e, true);
        }
        if (e.due > t) continue;
        const iv = intervalOf(e.target);
        e.anchor += iv + e.phase;
        e.phase = 0;
        if (e.anchor <= t) e.anchor = t + iv; // fell behind: do not fire a burst to catch up
        e.due = e.anchor + (Math.random() * 2 - 1) * jitter * iv;
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
      return s ? { ...s, reasons: [...s.reasons], interfaces: [...s.interfaces] } : undefined;
    },
    counters: (id) => {
      const e = entries.get(id);
      return e ? lastCounters(e.memory) : null;
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
    stats: () => ({ pollsCompleted, pollsFailed, pollsSetAside, startedAt }),
    load: () => {
      const p = limiter.peaks();
      return { inFlight: limiter.inFlight(), waiting: limiter.waiting(), peakInFlight: p.global, peakPerDevice: p.perDevice };
    },
    refresh: () => (disposed ? [] : refresh()),
    async pollNow() {
      if (disposed) return;
      refresh();
      await Promise.all([...entries.values()].map((e) => enqueue(e)));
      flush();
    },
    repoll(deviceId, r) {
      repoller.request(deviceId, r);
    },
    async request(deviceId, op) {
      const entry = entries.get(deviceId) ?? (refresh(), entries.get(deviceId));
      if (!entry || disposed) throw new NotFoundError('SNMP poll target', deviceId);
      const session = openSession(entry.target, retries);
      try {
        return await op(session);
      } finally {
        await closeSession(session);
      }
    },
    dispose() {
      disposed = true;
      return resources.dispose();
    },
  };
}
