// Webhook notifications of alarms: a rule's `webhook` URL gets a JSON POST when one of its
// alarms fires or resolves. Used by the alarms capability (it turns the engine's notifiable
// transitions into notify calls); I/O only here, the decisions stay in the engine and masking.
//
//   const notifier = createWebhookNotifier({ log, onGiveUp });
//   notifier.notify(rule.webhook, webhookNotification(alarm, 'firing', now, rule.name));
//   await notifier.idle();   // every queue drained (tests, shutdown)
//   notifier.dispose();      // timers stopped, requests in flight aborted, queues dropped
//
// Delivery:
//  - POST, body the notification as JSON; headers Content-Type: application/json,
//    User-Agent: FleetDeck, Idempotency-Key (idempotencyKey(): a hash of alarmId, occurrence
//    and state, so a retry - or a resend after a console restart - carries the same key and a
//    receiver can dedupe) and FleetDeck-Attempt (1, 2, ...).
//  - 2xx: delivered. 408, 429, 5xx, a network error or a timeout (timeoutMs per request):
//    retried with exponential backoff and jitter (baseDelayMs * 2^(n-1), capped at maxDelayMs,
//    then between half and all of it), or after Retry-After (seconds or an HTTP date) on
//    429/503, capped at maxDelayMs; after maxAttempts attempts it gives up. Any other status
//    (other 4xx, a 3xx: redirects are not followed) gives up at once. Giving up logs the URL
//    and the reason and calls onGiveUp.
//  - One queue per URL with at most one request in flight, so one receiver sees its
//    notifications in order (a notification being retried holds back the ones after it). A
//    queue holds at most maxQueue notifications: the oldest not in flight is dropped, logged.
//    A notification already queued for the URL (same key) is not queued twice.
//  - Only http: and https: URLs without credentials: anything else throws a TypeError.
// Logged URLs are origin and path only (a query or user info may carry a token).
import { createHash } from 'node:crypto';
import type { Alarm, AlarmSeverity } from '../../../src-shared/domain/alarm';

/** What a receiver gets: one alarm going to firing or resolved. Extra fields are sent as they are. */
export interface WebhookNotification {
  readonly alarmId: string;
  readonly ruleId: string;
  readonly objectId: string;
  readonly severity: AlarmSeverity;
  readonly state: 'firing' | 'resolved';
  /** The alarm's occurrence this is about (Alarm.occurrences: a re-fire is the next one). */
  readonly occurrence: number;
  /** When it fired or resolved (ms since the epoch). */
  readonly at: number;
  readonly ruleName?: string;
  readonly value?: number | null;
  readonly rootId?: string;
}

/** Why a notification was not delivered: rejected (a status not retried), exhausted (maxAttempts), dropped (queue full). */
export interface WebhookGiveUp {
  readonly kind: 'rejected' | 'exhausted' | 'dropped';
  readonly reason: string;
  readonly attempts: number;
  readonly status?: number;
}

/** Schedules fn after ms; returns a cancel. */
export type SetTimer = (fn: () => void, ms: number) => () => void;

export interface WebhookNotifierOptions {
  readonly fetch?: typeof globalThis.fetch;
  /** The clock (Retry-After as an HTTP date). */
  readonly now?: () => number;
  readonly setTimer?: SetTimer;
  /** In [0, 1): the jitter. */
  readonly random?: () => number;
  /** Attempts in all, the first included. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly timeoutMs?: number;
  readonly maxQueue?: number;
  readonly log?: (line: string) => void;
  readonly onGiveUp?: (url: string, notification: WebhookNotification, why: WebhookGiveUp) => void;
  readonly onDelivered?: (url: string, notification: WebhookNotification, attempts: number) => void;
}

export interface WebhookNotifier {
  /** Queues a notification for url. Throws a TypeError for a URL that is not http: or https:. */
  notify(url: string, notification: WebhookNotification): void;
  /** Notifications queued for url (the one in flight included). */
  queued(url: string): number;
  /** Resolves once every queue is empty (delivered or given up), or on dispose. */
  idle(): Promise<void>;
  dispose(): void;
}

export const USER_AGENT = 'FleetDeck';

/** The Idempotency-Key of a notification: the same for the same alarm, occurrence and state. */
export function idempotencyKey(n: Pick<WebhookNotification, 'alarmId' | 'occurrence' | 'state'>): string {
  return `fd-${createHash('sha256').update(JSON.stringify([n.alarmId, n.occurrence, n.state])).digest('hex').slice(0, 40)}`;
}

/** The notification of an alarm's transition to firing or resolved at `at`. */
export function webhookNotification(a: Alarm, state: WebhookNotification['state'], at: number, ruleName?: string): WebhookNotification {
  return {
    alarmId: a.id, ruleId: a.ruleId, objectId: a.objectId, severity: a.severity, state, occurrence: a.occurrences, at, value: a.value,
    ...(ruleName !== undefined ? { ruleName } : {}), ...(a.rootId !== undefined ? { rootId: a.rootId } : {}),
  };
}

/** A Retry-After header in ms from now: delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  const t = header.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const at = Date.parse(t);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The URL parsed, or a TypeError saying why it is not one to post to. */
export function webhookUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TypeError(`webhook notifier: "${url}" is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`webhook notifier: ${u.protocol} URLs are not accepted (only http: and https:): ${shown(u)}`);
  if (u.username !== '' || u.password !== '') throw new TypeError(`webhook notifier: a URL with credentials is not accepted (send a token in the path or query): ${shown(u)}`);
  return u;
}

const shown = (u: URL): string => `${u.protocol}//${u.host}${u.pathname}`;

const defaultSetTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
};

interface Item {
  readonly n: WebhookNotification;
  readonly key: string;
  readonly body: string;
  attempts: number;
}

interface Lane {
  readonly url: string;
  readonly shown: string;
  readonly items: Item[];
  /** A request is in flight for items[0]. */
  busy: boolean;
  /** A retry of items[0] is scheduled. */
  cancel: (() => void) | null;
}

type Outcome =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'retry'; readonly reason: string; readonly status?: number; readonly afterMs: number | null }
  | { readonly kind: 'rejected'; readonly reason: string; readonly status: number };

const retryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;

function errorText(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `${e?.message ?? String(err)}${cause !== undefined ? ` (${cause})` : ''}`;
}

export function createWebhookNotifier(o: WebhookNotifierOptions = {}): WebhookNotifier {
  const doFetch = o.fetch ?? globalThis.fetch;
  const now = o.now ?? Date.now;
  const setTimer = o.setTimer ?? defaultSetTimer;
  const random = o.random ?? Math.random;
  const maxAttempts = Math.max(1, o.maxAttempts ?? 6);
  const baseDelayMs = o.baseDelayMs ?? 1000;
  const maxDelayMs = o.maxDelayMs ?? 60_000;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const maxQueue = Math.max(1, o.maxQueue ?? 1000);
  const log = o.log ?? (() => {});
  const lanes = new Map<string, Lane>();
  const aborter = new AbortController();
  let waiters: (() => void)[] = [];
  let disposed = false;

  const settleIdle = (): void => {
    if (lanes.size > 0 && !disposed) return;
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  };

  const backoff = (attempts: number): number => {
    const full = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1));
    return Math.round(full / 2 + (random() * full) / 2);
  };

  function giveUp(lane: Lane, item: Item, why: WebhookGiveUp): void {
    log(`webhook ${lane.shown}: gave up on ${item.n.state} of ${item.n.alarmId} (occurrence ${item.n.occurrence}) after ${item.attempts} attempt(s): ${why.reason}`);
    hook(() => o.onGiveUp?.(lane.url, item.n, why));
  }

  // A throwing callback must not stall the queue.
  function hook(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      log(`webhook notifier: a callback threw: ${(err as Error).message}`);
    }
  }

  async function send(lane: Lane, item: Item): Promise<Outcome> {
    item.attempts++;
    let res: Response;
    try {
      res = await doFetch(lane.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT, 'Idempotency-Key': item.key, 'FleetDeck-Attempt': String(item.attempts) },
        body: item.body,
        redirect: 'manual',
        signal: AbortSignal.any([aborter.signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (err) {
      return { kind: 'retry', reason: errorText(err, timeoutMs), afterMs: null };
    }
    await res.body?.cancel().catch(() => {});
    const status = res.status;
    if (status >= 200 && status < 300) return { kind: 'delivered', status };
    const text = `HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''}`;
    if (!retryable(status)) return { kind: 'rejected', status, reason: status >= 300 && status < 400 ? `${text} (redirects are not followed)` : text };
    const after = status === 429 || status === 503 ? retryAfterMs(res.headers.get('retry-after'), now()) : null;
    return { kind: 'retry', status, reason: text, afterMs: after };
  }

  function settle(lane: Lane, item: Item, out: Outcome): void {
    if (disposed) return;
    lane.busy = false;
    if (out.kind === 'retry' && item.attempts < maxAttempts) {
      const delay = out.afterMs !== null ? Math.min(maxDelayMs, out.afterMs) : backoff(item.attempts);
      log(`webhook ${lane.shown}: attempt ${item.attempts} of ${item.n.alarmId} failed (${out.reason}); retrying in ${delay} ms`);
      lane.cancel = setTimer(() => {
        lane.cancel = null;
        pump(lane);
      }, delay);
      return;
    }
    if (lane.items[0] === item) lane.items.shift();
    if (out.kind === 'delivered') hook(() => o.onDelivered?.(lane.url, item.n, item.attempts));
    else if (out.kind === 'rejected') giveUp(lane, item, { kind: 'rejected', reason: out.reason, attempts: item.attempts, status: out.status });
    else giveUp(lane, item, { kind: 'exhausted', reason: `${out.reason}; ${maxAttempts} attempts made`, attempts: item.attempts, ...(out.status !== undefined ? { status: out.status } : {}) });
    pump(lane);
  }

  function pump(lane: Lane): void {
    if (disposed || lane.busy || lane.cancel !== null) return;
    const item = lane.items[0];
    if (item === undefined) {
      lanes.delete(lane.url);
      settleIdle();
      return;
    }
    lane.busy = true;
    void send(lane, item).then((out) => settle(lane, item, out));
  }

  return {
    notify(url, notification) {
      const u = webhookUrl(url);
      if (disposed) {
        log(`webhook ${shown(u)}: notifier disposed, ${notification.state} of ${notification.alarmId} not sent`);
        return;
      }
      let lane = lanes.get(u.href);
      if (lane === undefined) {
        lane = { url: u.href, shown: shown(u), items: [], busy: false, cancel: null };
        lanes.set(u.href, lane);
      }
      const key = idempotencyKey(notification);
      if (lane.items.some((i) => i.key === key)) return;
      // The head stays while its request is in flight; otherwise it is the oldest waiting.
      const oldest = lane.busy ? 1 : 0;
      while (lane.items.length >= maxQueue && lane.items.length > oldest) {
        const [dropped] = lane.items.splice(oldest, 1);
        giveUp(lane, dropped, { kind: 'dropped', reason: `queue full (${maxQueue}), oldest dropped`, attempts: dropped.attempts });
      }
      lane.items.push({ n: notification, key, body: JSON.stringify(notification), attempts: 0 });
      pump(lane);
    },
    queued(url) {
      return lanes.get(webhookUrl(url).href)?.items.length ?? 0;
    },
    idle() {
      if (lanes.size === 0 || disposed) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      aborter.abort();
      for (const lane of lanes.values()) lane.cancel?.();
      lanes.clear();
      settleIdle();
    },
  };
}
