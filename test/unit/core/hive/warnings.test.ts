// Hive's capacity warning row (src-main/core/hive/warnings.ts) on seeded daily curves: a
// usual day is within its interval and its expected peak is the curve's peak; a day running
// 50 % high has left it, and its expected peak is scaled up; too few earlier days is said.
import { describe, expect, it } from 'vitest';
import { warningRow, type LoadPoint } from '../../../../src-main/core/hive/warnings';
import { createRng } from '../../../../src-shared/random';

const DAY = 86_400_000;
const SLOT = 300_000;
/** A daily curve: 100 at night, 300 at the 20:00 peak, with +-3 % noise. */
const curve = (t: number, rng: () => number, scale = 1): number => {
  const h = (t % DAY) / 3_600_000;
  return scale * (200 - 100 * Math.cos(((h - 8) / 24) * 2 * Math.PI)) * (1 + (rng() - 0.5) * 0.06);
};
const history = (days: number, now: number, todayScale: number): LoadPoint[] => {
  const rng = createRng(5);
  const out: LoadPoint[] = [];
  const start = Math.floor(now / DAY) * DAY - days * DAY;
  for (let t = start; t <= now; t += SLOT) out.push({ at: t, load: curve(t, rng, t >= Math.floor(now / DAY) * DAY ? todayScale : 1) });
  return out;
};

describe('Hive capacity warnings', () => {
  const now = 20 * DAY + 14 * 3_600_000; // 14:00 on day 20

  it('a usual day: within the interval, the expected peak about the curve\'s 300', () => {
    const row = warningRow({ module: 'logic', devices: 12, history: history(14, now, 1), now });
    expect(row.days).toBe(14);
    expect(row.left).toBe(false);
    expect(row.current!).toBeGreaterThan(row.lo!);
    expect(row.current!).toBeLessThan(row.hi!);
    expect(row.expectedPeak!).toBeGreaterThan(290);
    expect(row.expectedPeak!).toBeLessThan(310);
    expect(row.note).toBe('within its usual range');
  });

  it('a day running 50 % high has left its interval; the expected peak scales with it', () => {
    const row = warningRow({ module: 'logic', devices: 12, history: history(14, now, 1.5), now });
    expect(row.left).toBe(true);
    expect(row.current!).toBeGreaterThan(row.hi!);
    expect(row.expectedPeak!).toBeGreaterThan(430);
    expect(row.expectedPeak!).toBeLessThan(470);
    expect(row.note).toMatch(/outside/);
  });

  it('fewer than 3 earlier days: no interval, said so', () => {
    const row = warningRow({ module: 'logic', devices: 2, history: history(2, now, 1), now });
    expect(row).toMatchObject({ days: 2, lo: null, hi: null, left: false, expectedPeak: null, note: '2 earlier days for this time of day: at least 3 are needed' });
  });
});
