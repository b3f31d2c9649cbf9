// The request queue: fleet-wide and per-device caps, fairness past a device at its cap, close().
import { describe, expect, it } from 'vitest';
import { createRequestLimiter } from '../../../../../../src-main/core/protocols/snmp/session/request-limiter';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('request limiter', () => {
  it('never exceeds the global or the per-device cap, and uses both fully', async () => {
    const limiter = createRequestLimiter({ global: 5, perDevice: 2 });
    let global = 0;
    const per = new Map<string, number>();
    let maxGlobal = 0;
    let maxPer = 0;
    const jobs: Promise<number>[] = [];
    for (let i = 0; i < 300; i++) {
      const key = `d${i % 7}`;
      jobs.push(limiter.run(key, async () => {
        global++;
        per.set(key, (per.get(key) ?? 0) + 1);
        maxGlobal = Math.max(maxGlobal, global);
        maxPer = Math.max(maxPer, per.get(key)!);
        for (let k = 0; k < 1 + (i % 3); k++) await tick();
        global--;
        per.set(key, per.get(key)! - 1);
        return i;
      }));
    }
    expect(await Promise.all(jobs)).toEqual([...Array(300).keys()]);
    expect([maxGlobal, maxPer]).toEqual([5, 2]);
    expect(limiter.peaks()).toEqual({ global: 5, perDevice: 2 });
    expect(limiter.inFlight()).toBe(0);
  });

  it('lets other devices pass a device at its cap', async () => {
    const limiter = createRequestLimiter({ global: 10, perDevice: 1 });
    const order: string[] = [];
    let release!: () => void;
    const blocker = limiter.run('a', () => new Promise<void>((r) => (release = r)));
    const a2 = limiter.run('a', async () => void order.push('a2'));
    const b = limiter.run('b', async () => void order.push('b'));
    await b;
    expect(order).toEqual(['b']);
    expect(limiter.inFlight('a')).toBe(1);
    expect(limiter.waiting()).toBe(1);
    release();
    await Promise.all([blocker, a2]);
    expect(order).toEqual(['b', 'a2']);
  });

  it('releases the slot when a request throws, and rejects waiters on close', async () => {
    const limiter = createRequestLimiter({ global: 1, perDevice: 1 });
    await expect(limiter.run('a', () => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
    let release!: () => void;
    const held = limiter.run('a', () => new Promise<void>((r) => (release = r)));
    const queued = limiter.run('b', async () => 1);
    limiter.close(new Error('closed'));
    await expect(queued).rejects.toThrow('closed');
    await expect(limiter.run('c', async () => 1)).rejects.toThrow('closed');
    release();
    await held;
  });
});
