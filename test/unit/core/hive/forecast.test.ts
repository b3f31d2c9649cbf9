// Hive's capacity forecast (src-main/core/hive/forecast.ts): the closed form against a fixture
// worked in exact fractions (93/55 slope, 137/55 intercept, SSE 496/55; Student's t 0.975 at 8
// degrees of freedom 2.306004135204166 from the tables), and on seeded data y = 100 + 2t +
// N(0, 5^2) over 60 days: the slope within 5 %, and the 95 % prediction interval holding 93-97 %
// of 1,000 held-out days of the next 30 (a confidence interval of the line, or a normal
// quantile with no 1 + 1/n, would hold far fewer).
import { describe, expect, it } from 'vitest';
import { expansion, fitLinear, predict } from '../../../../src-main/core/hive/forecast';
import { createRng } from '../../../../src-shared/random';

/** Standard normal deviates (Box-Muller) from a seeded uniform source. */
function normals(seed: number): () => number {
  const u = createRng(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

describe('Hive forecast', () => {
  it('matches the closed form worked in exact fractions to 1e-9', () => {
    const fit = fitLinear([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 5, 4, 8, 9, 12, 11, 15, 16, 18]);
    expect(fit.slope).toBeCloseTo(93 / 55, 9);
    expect(fit.intercept).toBeCloseTo(137 / 55, 9);
    expect(fit.s).toBeCloseTo(Math.sqrt(496 / 55 / 8), 9);
    const p = predict(fit, 15);
    expect(Math.abs(p.mean - 27.854545454545455)).toBeLessThan(1e-9);
    expect(Math.abs(p.hi - p.mean - 2.306004135204166 * Math.sqrt(496 / 55 / 8) * Math.sqrt(1 + 1 / 10 + (15 - 4.5) ** 2 / 82.5))).toBeLessThan(1e-9);
    expect(Math.abs(p.hi - p.mean - 3.821603589454851)).toBeLessThan(1e-9);
    expect(p.mean - p.lo).toBeCloseTo(p.hi - p.mean, 12);
  });

  it('y = 100 + 2t + noise: slope within 5 %, the 95 % interval holds 93-97 % of 1,000 held-out points', () => {
    const z = normals(2026);
    const t = Array.from({ length: 60 }, (_, i) => i);
    const y = t.map((d) => 100 + 2 * d + 5 * z());
    const fit = fitLinear(t, y);
    expect(Math.abs(fit.slope - 2) / 2).toBeLessThan(0.05);
    let inside = 0;
    for (let k = 0; k < 1000; k++) {
      const d = 60 + (k % 30);
      const p = predict(fit, d);
      const obs = 100 + 2 * d + 5 * z();
      if (obs >= p.lo && obs <= p.hi) inside++;
    }
    expect(inside).toBeGreaterThanOrEqual(930);
    expect(inside).toBeLessThanOrEqual(970);
  });

  it('the monthly expansion: devices for the interval top 30 days on at the target busy share', () => {
    const fit = fitLinear([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 5, 4, 8, 9, 12, 11, 15, 16, 18]);
    const e = expansion(fit, { lastT: 9, perDevice: 10, targetUtil: 0.6, devices: 3 });
    expect(e.at.t).toBe(39);
    expect(e.devicesNeeded).toBe(Math.ceil(e.at.hi / 6));
    expect(e.devicesToAdd).toBe(e.devicesNeeded - 3);
  });

  it('refuses what it cannot fit, saying why', () => {
    expect(() => fitLinear([1, 2], [1, 2])).toThrow(/at least 3 points \(got 2\)/);
    expect(() => fitLinear([1, 1, 1], [1, 2, 3])).toThrow(/more than one time/);
    expect(() => fitLinear([1, 2, 3], [1, Number.NaN, 3])).toThrow(/Point 1 is not a finite number/);
    expect(() => fitLinear([1, 2, 3], [1, 2])).toThrow(/as many times as values/);
    expect(() => predict(fitLinear([1, 2, 3], [1, 2, 4]), 5, 1.2)).toThrow(/between 0 and 1/);
  });
});
