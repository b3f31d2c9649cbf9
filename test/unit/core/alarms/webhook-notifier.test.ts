// The webhook notifier against a real HTTP receiver on 127.0.0.1: one POST per notification
// with its JSON body and a deterministic Idempotency-Key; 503s retried with the same key and
// delivered once (the receiver dedupes by key, as a real one would); a 400 not retried;
// Retry-After honoured and capped; a dead port given up; order and one request in flight per
// URL; a bounded queue. Backoff runs on an injected scheduler (setImmediate), so no test waits
// out a delay; delays are asserted as scheduled, never as measured.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createWebhookNotifier, idempotencyKey, retryAfterMs, webhookNotification, type SetTimer, type WebhookGiveUp, type WebhookNotification, type WebhookNotifier,
} from '../../../../src-main/core/alarms/webhook-notifier';
import type { Alarm } from '../../../../src-shared/domain/alarm';

interface Hit { key: string; attempt: string; ua: string; ct: string; body: WebhookNotification }
interface Answer { status: number; headers?: Record<string, string> }

const servers: Server[] = [];
const notifiers: WebhookNotifier[] = [];
afterEach(async () => {
  for (const n of notifiers.splice(0)) n.dispose();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
});

const readBody = (req: IncomingMessage): Promise<string> => new Promise((resolve) => {
  let s = '';
  req.on('data', (c: Buffer) => (s += c.toString()));
  req.on('end', () => resolve(s));
});

/** A receiver that answers each request as `answer` says and accepts each key once. */
async function receiver(answer: (hit: Hit, i: number) => Answer | Promise<Answer> = () => ({ status: 200 })) {
  const hits: Hit[] = [];
  const accepted = new Set<string>();
  const watchers: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    void readBody(req).then(async (text) => {
      const hit: Hit = { key: String(req.headers['idempotency-key']), attempt: String(req.headers['fleetdeck-attempt']), ua: String(req.headers['user-agent']), ct: String(req.headers['content-type']), body: JSON.parse(text) as WebhookNotification };
      const i = hits.push(hit) - 1;
      for (const w of watchers.splice(0)) w();
      const a = await answer(hit, i);
      if (a.status >= 200 && a.status < 300) accepted.add(hit.key);
      inFlight--;
      res.writeHead(a.status, a.headers).end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=s3cret`;
  const arrived = (count: number): Promise<void> => new Promise((resolve) => {
    const check = (): void => (hits.length >= count ? resolve() : void watchers.push(check));
    check();
  });
  return { url, hits, accepted, arrived, maxInFlight: () => maxInFlight };
}

/** Runs each timer on the next turn and records the delay asked for. */
function immediateTimers() {
  const delays: number[] = [];
  const setTimer: SetTimer = (fn, ms) => {
    delays.push(ms);
    const t = setImmediate(fn);
    return () => clearImmediate(t);
  };
  return { delays, setTimer };
}

function harness(extra: Parameters<typeof createWebhookNotifier>[0] = {}) {
  const timers = immediateTimers();
  const logs: string[] = [];
  const gaveUp: { url: string; n: WebhookNotification; why: WebhookGiveUp }[] = [];
  const delivered: { n: WebhookNotification; attempts: number }[] = [];
  const notifier = createWebhookNotifier({
    setTimer: timers.setTimer, random: () => 1, log: (l) => logs.push(l),
    onGiveUp: (url, n, why) => gaveUp.push({ url, n, why }), onDelivered: (_u, n, attempts) => delivered.push({ n, attempts }), ...extra,
  });
  notifiers.push(notifier);
  return { notifier, delays: timers.delays, logs, gaveUp, delivered };
}

const note = (objectId: string, state: WebhookNotification['state'] = 'firing', occurrence = 1): WebhookNotification =>
  ({ alarmId: `down|${objectId}`, ruleId: 'down', objectId, severity: 'critical', state, occurrence, at: 1_700_000_000_000, ruleName: 'Device down', value: null });

describe('webhook notifier', () => {
  it('POSTs each notification once, as JSON, with a deterministic Idempotency-Key', async () => {
    const rx = await receiver();
    const h = harness();
    const ns = [note('sw1'), note('sw1', 'resolved'), note('sw1', 'firing', 2), note('pdu3')];
    for (const n of ns) h.notifier.notify(rx.url, n);
    await h.notifier.idle();
    expect(rx.hits.map((x) => x.body)).toEqual(ns);
    expect(rx.hits.map((x) => x.key)).toEqual(ns.map(idempotencyKey));
    expect(new Set(rx.hits.map((x) => x.key)).size).toBe(ns.length);
    expect(rx.hits.every((x) => x.ua === 'FleetDeck' && x.ct === 'application/json' && x.attempt === '1')).toBe(true);
    expect(idempotencyKey({ ...note('sw1'), at: 5 } as WebhookNotification)).toBe(idempotencyKey(note('sw1')));
    expect(h.delivered.map((d) => d.attempts)).toEqual([1, 1, 1, 1]);
    expect(h.gaveUp).toEqual([]);
  });

  it('retries a 503 with the same key and is delivered once', async () => {
    const rx = await receiver((_hit, i) => ({ status: i < 2 ? 503 : 200 }));
    const h = harness();
    const ns = [note('sw1'), note('sw2')];
    for (const n of ns) h.notifier.notify(rx.url, n);
    await h.notifier.idle();
    const first = rx.hits.filter((x) => x.key === idempotencyKey(ns[0]));
    expect(first.map((x) => x.attempt)).toEqual(['1', '2', '3']);
    expect(rx.accepted.size).toBe(ns.length);
    expect(h.delivered.map((d) => [d.n.objectId, d.attempts])).toEqual([['sw1', 3], ['sw2', 1]]);
    expect(h.delays).toEqual([1000, 2000]); // exponential from baseDelayMs; random() = 1 is the top of the jitter
    expect(h.logs.join('\n')).not.toContain('s3cret');
  });

  it('gives up on a 400 at once, says why, and goes on with the queue', async () => {
    const rx = await receiver((hit) => ({ status: hit.body.objectId === 'bad' ? 400 : 200 }));
    const h = harness();
    h.notifier.notify(rx.url, note('bad'));
    h.notifier.notify(rx.url, note('ok'));
    await h.notifier.idle();
    expect(rx.hits.map((x) => x.body.objectId)).toEqual(['bad', 'ok']);
    expect(h.gaveUp).toHaveLength(1);
    expect(h.gaveUp[0].why).toMatchObject({ kind: 'rejected', status: 400, attempts: 1 });
    expect(h.delays).toEqual([]);
    const line = h.logs.find((l) => l.includes('gave up'));
    expect(line).toContain(rx.url.split('?')[0]);
    expect(line).toContain('HTTP 400');
  });

  it('honours Retry-After on 429 and 503, capped at maxDelayMs', async () => {
    const answers: Answer[] = [
      { status: 429, headers: { 'Retry-After': '7' } },
      { status: 503, headers: { 'Retry-After': '3600' } },
      { status: 503, headers: { 'Retry-After': new Date(1_000_000 + 12_000).toUTCString() } },
      { status: 500, headers: { 'Retry-After': '9' } }, // not a 429 or 503: backoff
      { status: 200 },
    ];
    const rx = await receiver((_hit, i) => answers[i]);
    const h = harness({ now: () => 1_000_000, maxDelayMs: 30_000 });
    h.notifier.notify(rx.url, note('sw1'));
    await h.notifier.idle();
    expect(h.delays).toEqual([7000, 30_000, 12_000, 8000]);
    expect(rx.accepted.size).toBe(1);
    expect(retryAfterMs('soon', 0)).toBeNull();
  });

  it('retries a dead port, then gives up and calls onGiveUp', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const h = harness({ maxAttempts: 3 });
    const url = `http://127.0.0.1:${port}/hook`;
    h.notifier.notify(url, note('sw1'));
    await h.notifier.idle();
    expect(h.delays).toHaveLength(2);
    expect(h.gaveUp).toHaveLength(1);
    expect(h.gaveUp[0]).toMatchObject({ url, why: { kind: 'exhausted', attempts: 3 } });
    expect(h.notifier.queued(url)).toBe(0);
  });

  it('keeps one request in flight per URL and the order of notify calls, across a retry', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const rx = await receiver(async (hit, i) => {
      if (i === 0) await held;
      return { status: hit.body.objectId === 'b' && hit.attempt === '1' ? 503 : 200 };
    });
    const h = harness();
    for (const id of ['a', 'b', 'c', 'd']) h.notifier.notify(rx.url, note(id));
    await rx.arrived(1);
    expect(h.notifier.queued(rx.url)).toBe(4);
    release();
    await h.notifier.idle();
    expect(rx.hits.map((x) => `${x.body.objectId}${x.attempt}`)).toEqual(['a1', 'b1', 'b2', 'c1', 'd1']);
    expect(rx.maxInFlight()).toBe(1);
  });

  it('bounds the queue per URL: the oldest waiting is dropped, logged; a queued duplicate is not queued twice', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const rx = await receiver(async (_hit, i) => {
      if (i === 0) await held;
      return { status: 200 };
    });
    const h = harness({ maxQueue: 2 });
    h.notifier.notify(rx.url, note('a'));
    await rx.arrived(1);
    for (const id of ['b', 'c', 'c', 'd']) h.notifier.notify(rx.url, note(id));
    release();
    await h.notifier.idle();
    expect(rx.hits.map((x) => x.body.objectId)).toEqual(['a', 'd']);
    expect(h.gaveUp.map((g) => [g.n.objectId, g.why.kind])).toEqual([['b', 'dropped'], ['c', 'dropped']]);
    expect(h.logs.filter((l) => l.includes('queue full'))).toHaveLength(2);
  });

  it('times a request out and retries it', async () => {
    const rx = await receiver(() => new Promise<Answer>(() => {}));
    const h = harness({ timeoutMs: 30, maxAttempts: 2 });
    h.notifier.notify(rx.url, note('sw1'));
    await h.notifier.idle();
    expect(rx.hits).toHaveLength(2);
    expect(h.gaveUp[0].why).toMatchObject({ kind: 'exhausted', attempts: 2 });
    expect(h.gaveUp[0].why.reason).toContain('no answer within 30 ms');
  });

  it('accepts only http: and https: URLs without credentials', () => {
    const h = harness();
    expect(() => h.notifier.notify('ftp://hooks.example/a', note('x'))).toThrow(/only http: and https:/);
    expect(() => h.notifier.notify('not a url', note('x'))).toThrow(/not a URL/);
    expect(() => h.notifier.notify('https://u:p@hooks.example/a', note('x'))).toThrow(/credentials/);
  });

  it('dispose cancels a scheduled retry', async () => {
    const rx = await receiver(() => ({ status: 503 }));
    let cancelled = 0;
    let scheduled!: () => void;
    const wasScheduled = new Promise<void>((r) => (scheduled = r));
    const h = harness({ setTimer: () => { scheduled(); return () => void cancelled++; } });
    h.notifier.notify(rx.url, note('sw1'));
    await wasScheduled;
    h.notifier.dispose();
    await h.notifier.idle();
    expect(cancelled).toBe(1);
    expect(rx.hits).toHaveLength(1);
  });

  it('builds a notification from an alarm', () => {
    const a: Alarm = { id: 'down|sw1', ruleId: 'down', objectId: 'sw1', severity: 'critical', state: 'firing', occurrences: 2, firstSeen: 1, lastSeen: 5, since: 4, value: null, masked: false };
    expect(webhookNotification(a, 'firing', 5, 'Device down')).toEqual({ ...note('sw1', 'firing', 2), at: 5 });
  });
});
