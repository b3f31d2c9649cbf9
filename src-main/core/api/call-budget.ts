// Per-connection call budgets and the fair scheduler every transport runs calls through: a
// token bucket (rate), a cap on calls in flight (concurrency) and a bounded queue per
// connection; queued calls start round-robin across connections, a time slice at a time.
import { FleetDeckError } from '../../../src-shared/errors';

export interface CallBudgetOptions {
  /** Calls per second, sustained, per connection. */
  readonly ratePerSec: number;
  /** Calls a connection may make at once before the rate applies (bucket size). */
  readonly burst: number;
  /** Calls of one connection running at once; the rest wait in its queue. */
  readonly maxInFlight: number;
  /** Calls of one connection waiting to start; past it, RATE_LIMITED. */
  readonly maxQueued: number;
}

/** What an interactive client needs (a renderer's first screen fires a few dozen calls at once). */
export const DEFAULT_CALL_BUDGET: CallBudgetOptions = { ratePerSec: 50, burst: 100, maxInFlight: 8, maxQueued: 128 };

/** The caller's budget is spent: try again after params.retryAfterMs. */
export class RateLimitedError extends FleetDeckError {
  constructor(reason: 'rate' | 'queue' | 'backlog', retryAfterMs: number, limit: number) {
    const why = reason === 'rate' ? `more than ${limit} calls per second` : reason === 'queue' ? `more than ${limit} calls waiting` : `more than ${limit} bytes of replies not yet read`;
    super('RATE_LIMITED', `Too many calls on this connection (${why}); retry after ${retryAfterMs} ms`, { reason, retryAfterMs, limit });
    this.name = 'RateLimitedError';
  }
}

export interface ConnectionBudget {
  /**
   * Admits a call (throws RateLimitedError at once when the budget is spent), then runs it when
   * its turn comes: fn starts only while fewer than maxInFlight of this connection's calls run.
   */
  run<T>(fn: () => Promise<T> | T): Promise<T>;
  /** Drops the queued calls (they reject) and leaves the rotation. */
  dispose(): void;
}

export interface CallScheduler {
  connection(options?: Partial<CallBudgetOptions>): ConnectionBudget;
  readonly stats: { readonly admitted: number; readonly limited: number };
}

interface Task {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Lane {
  readonly opts: CallBudgetOptions;
  tokens: number;
  refilledAt: number;
  inFlight: number;
  queue: Task[];
  /** Index of the queue's head: shifting a long array is O(n). */
  head: number;
  disposed: boolean;
  /** In the ready rotation. */
  listed: boolean;
}

export interface SchedulerOptions {
  /** The longest the scheduler starts calls before it yields to I/O (ms). */
  readonly sliceMs?: number;
  readonly now?: () => number;
}

export function createCallScheduler(defaults: CallBudgetOptions = DEFAULT_CALL_BUDGET, so: SchedulerOptions = {}): CallScheduler {
  const sliceMs = so.sliceMs ?? 8;
  const now = so.now ?? (() => performance.now());
  /** Lanes with queued calls, in turn order. */
  const ready: Lane[] = [];
  let scheduled = false;
  const stats = { admitted: 0, limited: 0 };

  const waiting = (l: Lane): number => l.queue.length - l.head;
  const schedule = (): void => {
    if (scheduled || ready.length === 0) return;
    scheduled = true;
    setImmediate(pump);
  };
  const makeReady = (l: Lane): void => {
    if (!l.listed && !l.disposed && waiting(l) > 0 && l.inFlight < l.opts.maxInFlight) {
      l.listed = true;
      ready.push(l);
    }
  };

  /** One call per lane per turn, lanes in rotation, until the slice is spent; then back to I/O. */
  function pump(): void {
    scheduled = false;
    const end = now() + sliceMs;
    while (ready.length && now() < end) {
      const lane = ready.shift()!;
      lane.listed = false;
      if (lane.disposed || waiting(lane) === 0 || lane.inFlight >= lane.opts.maxInFlight) continue;
      const task = lane.queue[lane.head++];
      if (lane.head > 64 && lane.head * 2 > lane.queue.length) {
        lane.queue = lane.queue.slice(lane.head);
        lane.head = 0;
      }
      lane.inFlight++;
      const done = (): void => {
        lane.inFlight--;
        makeReady(lane);
        schedule();
      };
      let p: Promise<unknown>;
      try {
        p = Promise.resolve(task.fn());
      } catch (err) {
        p = Promise.reject(err);
      }
      p.then(
        (v) => {
          done();
          task.resolve(v);
        },
        (e) => {
          done();
          task.reject(e);
        },
      );
      makeReady(lane);
    }
    schedule();
  }

  return {
    stats,
    connection(options) {
      const opts = { ...defaults, ...options };
      const lane: Lane = { opts, tokens: opts.burst, refilledAt: now(), inFlight: 0, queue: [], head: 0, disposed: false, listed: false };
      return {
        run<T>(fn: () => Promise<T> | T): Promise<T> {
          if (lane.disposed) return Promise.reject(new FleetDeckError('UNAVAILABLE', 'The connection is closed'));
          const t = now();
          lane.tokens = Math.min(opts.burst, lane.tokens + ((t - lane.refilledAt) * opts.ratePerSec) / 1000);
          lane.refilledAt = t;
          if (lane.tokens < 1) {
            stats.limited++;
            return Promise.reject(new RateLimitedError('rate', Math.ceil(((1 - lane.tokens) * 1000) / opts.ratePerSec), opts.ratePerSec));
          }
          if (waiting(lane) >= opts.maxQueued) {
            stats.limited++;
            // A queued call starts about every 1/rate seconds once the in-flight ones finish.
            return Promise.reject(new RateLimitedError('queue', Math.max(50, Math.ceil((opts.maxQueued * 1000) / opts.ratePerSec / 4)), opts.maxQueued));
          }
          lane.tokens -= 1;
          stats.admitted++;
          return new Promise<T>((resolve, reject) => {
            lane.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
            makeReady(lane);
            schedule();
          });
        },
        dispose() {
          lane.disposed = true;
          const closed = new FleetDeckError('UNAVAILABLE', 'The connection is closed');
          for (let i = lane.head; i < lane.queue.length; i++) lane.queue[i].reject(closed);
          lane.queue = [];
          lane.head = 0;
          const i = ready.indexOf(lane);
          if (i >= 0) ready.splice(i, 1);
          lane.listed = false;
        },
      };
    },
  };
}
