import { describe, expect, it } from 'vitest';
import { openStore } from '../../../../src-main/core/store/database';
import { MetricsRepository } from '../../../../src-main/core/store/metrics-repository';

const MIN = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

describe('MetricsRepository', () => {
  it('rolls raw samples into minutes and minutes into hours with count-weighted averages', () => {
    const db = openStore(':memory:');
    const m = new MetricsRepository(db);
    const samples = [];
    // two hours of one sample every 20 s: value = minute index within the hour
    for (let ts = T0; ts < T0 + 2 * HOUR; ts += 20_000) samples.push({ deviceId: 'd1', metric: 'pdu.power_w', ts, value: Math.floor((ts - T0) / MIN) % 60 });
    expect(m.append(samples)).toBe(360);
    const r = m.rollup(T0 + 2 * HOUR + 5 * MIN);
    expect(r.minutes).toBe(120);
    expect(r.hours).toBe(2);
    const hours = db.prepare('SELECT ts, avg, min, max, n FROM samples_1h ORDER BY ts').all();
    expect(hours).toEqual([
      { ts: T0, avg: 29.5, min: 0, max: 59, n: 180 },
      { ts: T0 + HOUR, avg: 29.5, min: 0, max: 59, n: 180 },
    ]);
    const minute = db.prepare('SELECT avg, n FROM samples_1m WHERE ts = ?').get(T0 + 7 * MIN);
    expect(minute).toEqual({ avg: 7, n: 3 });
    db.close();
  });

  it('expires each tier only after it has been folded into the next', () => {
    const db = openStore(':memory:');
    const m = new MetricsRepository(db, { rawMs: 10 * MIN, minuteMs: 2 * HOUR, hourMs: 24 * HOUR });
    m.append([{ deviceId: 'd', metric: 'x', ts: T0, value: 1 }]);
    m.rollup(T0 + 30 * MIN); // raw is past retention and folded: gone; the minute stays
    expect(db.prepare('SELECT count(*) n FROM samples_raw').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) n FROM samples_1m').get()).toEqual({ n: 1 });
    m.rollup(T0 + 3 * HOUR); // minute folded into the hour, then expired
    expect(db.prepare('SELECT count(*) n FROM samples_1m').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) n FROM samples_1h').get()).toEqual({ n: 1 });
    m.rollup(T0 + 25 * HOUR);
    expect(db.prepare('SELECT count(*) n FROM samples_1h').get()).toEqual({ n: 0 });
    db.close();
  });

  it('answers queries from the finest tier that still covers the range', () => {
    const db = openStore(':memory:');
    const m = new MetricsRepository(db);
    const now = T0 + 10 * 86400_000;
    m.append([{ deviceId: 'd', metric: 'x', ts: now - 1000, value: 5 }, { deviceId: 'd', metric: 'x', ts: now - 500, value: Number.NaN }]);
    expect(m.query('d', 'x', now - HOUR, now, now)).toEqual({ tier: 'raw', points: [{ ts: now - 1000, avg: 5, min: 5, max: 5 }] });
    expect(m.query('d', 'x', now - 2 * 86400_000, now, now).tier).toBe('1m');
    expect(m.query('d', 'x', now - 30 * 86400_000, now, now).tier).toBe('1h');
    expect(m.query('nope', 'x', now - HOUR, now, now).points).toEqual([]);
    db.close();
  });
});
