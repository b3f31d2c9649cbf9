// The per-connection call budget: rate and queue limits answer RATE_LIMITED with retryAfterMs,
// calls in flight are capped, and queued calls start round-robin across connections.
import { describe, expect, it } from 'vitest';
import { createCallScheduler, RateLimitedError } from '../../../../src-main/core/api/call-budget';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('call budget', () => {
  it('admits a burst, then refuses with RATE_LIMITED and a retry time until the bucket refills', async () => {
    let t = 0;
    const s = createCallScheduler({ ratePerSec: 10, burst: 3, maxInFlight: 10, maxQueued: 100 }, { now: () => t });
    const lane = s.connection();
    const ok = [lane.run(() => 1), lane.run(() => 2), lane.run(() => 3)];
    const refused = lane.run(() => 4);
    await expect(refused).rejects.toBeInstanceOf(RateLimitedError);
    await expect(refused).rejects.toMatchObject({ code: 'RATE_LIMITED', params: { reason: 'rate', retryAfterMs: 100 } });
    expect(await Promise.all(ok)).toEqual([1, 2, 3]);
    t += 100;
    expect(await lane.run(() => 5)).toBe(5);
    expect(s.stats).toEqual({ admitted: 4, limited: 1 });
  });

  it('bounds the queue and the calls in flight', async () => {
    const s = createCallScheduler({ ratePerSec: 1e6, burst: 1e6, maxInFlight: 2, maxQueued: 3 });
    const lane = s.connection();
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const job = (): Promise<void> =>
      new Promise<void>((r) => {
        running++;
        peak = Math.max(peak, running);
        gates.push(() => {
          running--;
          r();
        });
      });
    const admitted = [lane.run(job), lane.run(job), lane.run(job)];
    await expect(lane.run(job)).rejects.toMatchObject({ code: 'RATE_LIMITED', params: { reason: 'queue' } });
    await tick();
    expect(running).toBe(2);
    while (gates.length) {
      gates.shift()!();
      await tick();
      await tick();
    }
    await Promise.all(admitted);
    expect(peak).toBe(2);
  });

  it('starts queued calls in turn across connections, not one connection first', async () => {
    const s = createCallScheduler({ ratePerSec: 1e6, burst: 1e6, maxInFlight: 1, maxQueued: 1000 });
    const flood = s.connection();
    const quiet = s.connection();
    const order: string[] = [];
    const all = Array.from({ length: 50 }, (_, i) => flood.run(async () => void order.push(`f${i}`)));
    all.push(quiet.run(async () => void order.push('q')));
    await Promise.all(all);
    expect(order.indexOf('q')).toBeLessThanOrEqual(2);
  });

  it('rejects queued calls when the connection goes', async () => {
    const s = createCallScheduler({ ratePerSec: 1e6, burst: 1e6, maxInFlight: 1, maxQueued: 10 });
    const lane = s.connection();
    void lane.run(() => new Promise(() => {}));
    await tick();
    const queued = lane.run(() => 1);
    lane.dispose();
    await expect(queued).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
