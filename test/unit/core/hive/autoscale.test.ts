// Hive's autoscaler (src-main/core/hive/autoscale.ts) under an injected clock: the HPA
// cases (50 replicas at 90 % of a 75 % target -> 60; a ratio of 1.05 -> no change; scale-down
// only after the 300 s window), the seed's busy-time rule on its strict inequality, the step
// bound, min/max, and the inverse metrics.
import { describe, expect, it } from 'vitest';
import { Autoscaler, SEED_BUSY_SHARE } from '../../../../src-main/core/hive/autoscale';

const clock = (): { now: () => number; advance: (s: number) => void } => {
  let t = 1_000_000;
  return { now: () => t, advance: (s) => void (t += s * 1000) };
};

describe('Hive autoscaler', () => {
  it('50 replicas at 90 % CPU against a 75 % target -> 60; a ratio of 1.05 -> no change', () => {
    const c = clock();
    const a = new Autoscaler({ min: 1, max: 200, rules: [{ metric: 'cpu', target: 0.75 }] }, c.now);
    const d = a.decide(50, { cpu: 0.9 });
    expect(d.desired).toBe(60);
    expect(d.why).toMatch(/ceil\(50 x 1\.200\) = 60/);
    const b = new Autoscaler({ min: 1, max: 200, rules: [{ metric: 'cpu', target: 0.75 }] }, c.now);
    expect(b.decide(50, { cpu: 0.75 * 1.05 })).toMatchObject({ desired: 50, why: expect.stringMatching(/within the tolerance 0\.1/) });
  });

  it('scales down only once the 300 s window has passed with the load low', () => {
    const c = clock();
    const a = new Autoscaler({ min: 1, max: 200, rules: [{ metric: 'cpu', target: 0.5 }] }, c.now);
    expect(a.decide(20, { cpu: 0.5 }).desired).toBe(20);
    for (let s = 10; s < 300; s += 10) {
      c.advance(10);
      expect(a.decide(20, { cpu: 0.25 }).desired, `at ${s} s`).toBe(20);
    }
    c.advance(20); // the last recommendation of 20 is now older than 300 s
    const d = a.decide(20, { cpu: 0.25 });
    expect(d.desired).toBe(10);
  });

  it("the seed's busy-time rule: fires only above processes x 60 s x 0.6", () => {
    const c = clock();
    const a = new Autoscaler({ min: 1, max: 100, rules: [{ metric: 'busy', target: SEED_BUSY_SHARE }] }, c.now);
    expect(a.decide(10, { busy: 360 })).toMatchObject({ desired: 10, why: expect.stringMatching(/busy 360\.0 s <= 10 x 60 s x 0\.6 = 360\.0 s/) });
    expect(a.decide(10, { busy: 400 })).toMatchObject({ desired: 12, why: expect.stringMatching(/the seed's rule/) });
    // It never scales down by itself (an idle minute does not remove processes).
    c.advance(600);
    expect(a.decide(10, { busy: 5 }).desired).toBe(10);
  });

  it('bounds a step up to max(current + 4, 2 x current) and to max replicas; the highest rule wins', () => {
    const c = clock();
    const a = new Autoscaler({ min: 2, max: 30, rules: [{ metric: 'qps', target: 100 }, { metric: 'delay', target: 50 }] }, c.now);
    const d = a.decide(3, { qps: 1000, delay: 60 });
    expect(d.desired).toBe(7); // qps wants 30; 3 + 4 this step
    expect(d.why).toMatch(/scale-up bounded to 7/);
    expect(a.decide(20, { qps: 1000, delay: 60 })).toMatchObject({ desired: 30, why: expect.stringMatching(/bounded by max 30/) });
  });

  it('cpu idle and free memory are read as the used share', () => {
    const c = clock();
    const a = new Autoscaler({ min: 1, max: 100, rules: [{ metric: 'cpuIdle', target: 0.4 }, { metric: 'memFree', target: 0.5 }] }, c.now);
    // 10 % idle = 90 % used against 60 % used -> ceil(10 x 1.5) = 15; memory 50 % free is on target.
    expect(a.decide(10, { cpuIdle: 0.1, memFree: 0.5 }).desired).toBe(15);
  });

  it('refuses a policy it cannot follow', () => {
    const c = clock();
    expect(() => new Autoscaler({ min: 5, max: 2, rules: [] }, c.now)).toThrow(/0 <= min <= max/);
    expect(() => new Autoscaler({ min: 1, max: 2, rules: [{ metric: 'cpu', target: 1.5 }] }, c.now)).toThrow(/cpu: target 1.5 is out of range/);
  });
});
