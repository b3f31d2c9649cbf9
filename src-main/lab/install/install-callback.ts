// The lab installer's callback: the HTTP request a kickstart/preseed %post script makes when
// an install ends (JSON {sn, hostname, os, status}), with an Idempotency-Key so a receiver can
// tell a retry from a second install. Network hygiene: only http:// to a 127.0.0.0/8 or [::1]
// literal, checked again here before anything leaves. A receiver that is down, times out or
// answers 5xx / 408 / 429 is tried again after each backoff step; any other answer ends it.
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { installCallbackProblem, type InstallCallbackMethod, type LabInstallCallbackBody } from '../../../src-shared/domain';

export interface InstallCallbackRequest {
  url: string;
  method: InstallCallbackMethod;
  body: LabInstallCallbackBody;
  idempotencyKey: string;
}

export interface InstallCallbackOptions {
  /** Waits before the 2nd, 3rd... attempt; its length + 1 attempts in all. */
  backoffMs: readonly number[];
  /** One attempt's limit. */
  timeoutMs: number;
  /** Aborts the waits and the request in flight (the lab is closing). */
  signal: AbortSignal;
  /** Before each attempt, counting from 1. */
  onAttempt?(attempt: number): void;
}

export interface InstallCallbackOutcome {
  delivered: boolean;
  attempts: number;
  /** Why the last attempt did not deliver; null when it did. */
  error: string | null;
}

/** The default waits between attempts: 0.5, 1, 2, 4 and 8 s (6 attempts, about 15 s). */
export const CALLBACK_BACKOFF_MS: readonly number[] = [500, 1000, 2000, 4000, 8000];
export const CALLBACK_TIMEOUT_MS = 5000;

interface AttemptResult {
  ok: boolean;
  retry: boolean;
  error: string | null;
}

function attempt(r: InstallCallbackRequest, timeoutMs: number, signal: AbortSignal): Promise<AttemptResult> {
  const payload = Buffer.from(JSON.stringify(r.body));
  return new Promise((resolve) => {
    const req = request(r.url, {
      method: r.method,
      agent: false, // one connection per attempt, closed after: nothing outlives the callback
      signal,
      timeout: timeoutMs,
      headers: {
        'content-type': 'application/json',
        'content-length': payload.length,
        'idempotency-key': r.idempotencyKey,
        'user-agent': 'fleetdeck-lab-installer',
        connection: 'close',
      },
    }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      const done = (): void => {
        if (status >= 200 && status < 300) resolve({ ok: true, retry: false, error: null });
        else resolve({ ok: false, retry: status >= 500 || status === 408 || status === 429, error: `${r.method} ${r.url} answered HTTP ${status}` });
      };
      res.once('end', done);
      res.once('error', done);
    });
    req.once('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.once('error', (err) => resolve({ ok: false, retry: true, error: `${r.method} ${r.url}: ${err.message}` }));
    req.end(payload);
  });
}

/** Sends the callback, retrying with backoff; never throws. */
export async function sendInstallCallback(r: InstallCallbackRequest, o: InstallCallbackOptions): Promise<InstallCallbackOutcome> {
  const refused = installCallbackProblem(r.url);
  if (refused) return { delivered: false, attempts: 0, error: refused };
  let last: AttemptResult = { ok: false, retry: true, error: null };
  let attempts = 0;
  for (let i = 0; i <= o.backoffMs.length; i++) {
    if (i > 0) {
      try {
        await sleep(o.backoffMs[i - 1], undefined, { signal: o.signal });
      } catch {
        break; // the lab is closing
      }
    }
    if (o.signal.aborted) break;
    attempts++;
    o.onAttempt?.(attempts);
    last = await attempt(r, o.timeoutMs, o.signal);
    if (last.ok || !last.retry) break;
  }
  if (o.signal.aborted && !last.ok) return { delivered: false, attempts, error: 'the lab closed before the callback was delivered' };
  return { delivered: last.ok, attempts, error: last.ok ? null : last.error };
}
