// The lab installer's callback against real HTTP receivers on 127.0.0.1: retried with backoff
// (same Idempotency-Key) while the receiver answers 503 or is not listening, not retried after
// a 4xx, never sent off loopback, and given up when the lab closes mid-backoff.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { LabInstallCallbackBody } from '../../../../src-shared/domain';
import { sendInstallCallback, type InstallCallbackOptions } from '../../../../src-main/lab/install/install-callback';
import { startReceiver } from './support';

const BODY: LabInstallCallbackBody = { sn: 'SN-1', hostname: 'web-01', os: 'debian-12', status: 'installed' };
const options = (o: Partial<InstallCallbackOptions> = {}): InstallCallbackOptions => ({ backoffMs: [20, 40, 80], timeoutMs: 2000, signal: new AbortController().signal, ...o });

/** A loopback port nothing listens on (bound, then closed). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('the install callback', () => {
  it('retries a receiver that answers 503 until it takes it, with the same Idempotency-Key', async () => {
    const r = await startReceiver((n) => (n < 3 ? 503 : 204));
    try {
      const attempts: number[] = [];
      const out = await sendInstallCallback({ url: r.url('/cb?run=7'), method: 'POST', body: BODY, idempotencyKey: 'SN-1/install-1' }, options({ onAttempt: (n) => attempts.push(n) }));
      expect(out).toEqual({ delivered: true, attempts: 3, error: null });
      expect(attempts).toEqual([1, 2, 3]);
      expect(r.requests.map((q) => [q.method, q.path, q.headers['idempotency-key']])).toEqual(Array(3).fill(['POST', '/cb?run=7', 'SN-1/install-1']));
      expect(r.requests.every((q) => JSON.stringify(q.body) === JSON.stringify(BODY))).toBe(true);
    } finally {
      await r.close();
    }
  });

  it('gives up after the last backoff step when nothing listens, saying why', async () => {
    const port = await deadPort();
    const out = await sendInstallCallback({ url: `http://127.0.0.1:${port}/cb`, method: 'PUT', body: BODY, idempotencyKey: 'k' }, options());
    expect(out.delivered).toBe(false);
    expect(out.attempts).toBe(4);
    expect(out.error).toMatch(new RegExp(`^PUT http://127\\.0\\.0\\.1:${port}/cb: .*ECONNREFUSED`));
  });

  it('does not retry a 4xx answer', async () => {
    const r = await startReceiver(() => 404);
    try {
      const out = await sendInstallCallback({ url: r.url('/gone'), method: 'POST', body: BODY, idempotencyKey: 'k' }, options());
      expect(out).toEqual({ delivered: false, attempts: 1, error: `POST ${r.url('/gone')} answered HTTP 404` });
      expect(r.requests).toHaveLength(1);
    } finally {
      await r.close();
    }
  });

  it('sends nothing to a receiver off loopback', async () => {
    const out = await sendInstallCallback({ url: 'http://192.0.2.10/cb', method: 'POST', body: BODY, idempotencyKey: 'k' }, options());
    expect(out).toEqual({ delivered: false, attempts: 0, error: 'callback url "http://192.0.2.10/cb": the lab only calls receivers on 127.0.0.0/8 or [::1], not "192.0.2.10"' });
  });

  it('stops when the lab closes during a backoff wait', async () => {
    const closing = new AbortController();
    // The lab closes as the first attempt is answered: before the 60 s wait for the second one ends.
    const r = await startReceiver(() => {
      setImmediate(() => closing.abort());
      return 503;
    });
    try {
      const sending = sendInstallCallback({ url: r.url('/cb'), method: 'POST', body: BODY, idempotencyKey: 'k' }, options({ backoffMs: [60_000], signal: closing.signal }));
      expect(await sending).toEqual({ delivered: false, attempts: 1, error: 'the lab closed before the callback was delivered' });
      expect(r.requests).toHaveLength(1);
    } finally {
      await r.close();
    }
  });
});
