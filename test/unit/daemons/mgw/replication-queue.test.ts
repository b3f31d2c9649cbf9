// The replication's key queue (src-daemons/mgw/replication-queue.ts) against a JS Set and
// array: a wrong answer there would drop a change silently (taken for queued when it is not).
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-shared/random';
import { KeyQueue, PairSet } from '../../../../src-daemons/mgw/replication-queue';

describe('replication key queue', () => {
  it('PairSet agrees with a Set through random adds and deletes (growth and backward shift)', () => {
    const rng = createRng(21);
    const set = new PairSet();
    const ref = new Set<string>();
    // A small key space, so probes collide and runs are long.
    const k = (): [number, number] => [Math.floor(rng() * 64), Math.floor(rng() * 64)];
    for (let i = 0; i < 50_000; i++) {
      const [k0, k1] = k();
      const id = `${k0}:${k1}`;
      if (rng() < 0.55) {
        if (set.add(k0, k1) !== !ref.has(id)) throw new Error(`add ${id} at step ${i} disagrees`);
        ref.add(id);
      } else {
        set.delete(k0, k1);
        ref.delete(id);
      }
      if (set.size !== ref.size) throw new Error(`size ${set.size} against ${ref.size} at step ${i}`);
    }
    for (let k0 = 0; k0 < 64; k0++) for (let k1 = 0; k1 < 64; k1++) expect(set.add(k0, k1)).toBe(!ref.has(`${k0}:${k1}`));
  });

  it('KeyQueue is FIFO, coalesces a key while queued, takes it again once sent, and grows as a ring', () => {
    const q = new KeyQueue();
    const out0 = new Uint32Array(1000);
    const out1 = new Uint32Array(1000);
    for (let i = 0; i < 300; i++) expect(q.push(i, i + 1, i)).toBe(true);
    expect(q.push(5, 6, 999)).toBe(false);
    expect(q.take(100, out0, out1)).toBe(0);
    expect([out0[0], out1[0], out0[99]]).toEqual([0, 1, 99]);
    expect(q.push(5, 6, 400)).toBe(true);
    for (let i = 1000; i < 1500; i++) q.push(i, 0, i);
    expect(q.size).toBe(200 + 1 + 500);
    expect(q.oldestAt()).toBe(100);
    q.take(q.size, new Uint32Array(701), new Uint32Array(701));
    expect(q.size).toBe(0);
    expect(q.oldestAt()).toBe(Infinity);
    expect(q.push(5, 6, 0)).toBe(true);
  });
});
