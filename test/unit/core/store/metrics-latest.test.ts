// MetricsRepository.latest: each series' newest raw sample from memory. It follows writes
// (newest wins, an older late write does not replace it), drops what is past raw retention,
// finds a series written before the repository existed (from SQL, then kept), and keeps no
// value from a rolled-back batch. Every answer is checked against the store itself.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Db } from '../../../../src-main/core/store/database';
import { MetricsRepository, type Sample } from '../../../../src-main/core/store/metrics-repository';

const MIN = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

const s = (deviceId: string, ts: number, value: number, metric = 'bmc.inlet_c'): Sample => ({ deviceId, metric, ts, value });

describe('MetricsRepository.latest', () => {
  let db: Db;
  let m: MetricsRepository;
  beforeEach(() => {
    db = openStore(':memory:');
    m = new MetricsRepository(db);
  });
  afterEach(() => db.close());

  const ids = (devs: string[], metric = 'bmc.inlet_c'): number[] => {
    const byDev = new Map(m.seriesIds(metric, devs).map((r) => [r.deviceId, r.id]));
    return devs.map((d) => byDev.get(d) ?? -1);
  };
  /** The newest raw row per series, as the store has it. */
  const stored = (id: number) => db.prepare('SELECT ts, value FROM samples_raw WHERE series_id = ? ORDER BY ts DESC LIMIT 1').get(id);

  it('is the newest sample written, per series, aligned with the ids asked', () => {
    m.append([s('a', T0, 1), s('b', T0, 10), s('a', T0 + 1000, 2)]);
    m.append([s('b', T0 + 2000, 11), s('a', T0 + 3000, 3, 'bmc.power_w')]);
    const [a, b] = ids(['a', 'b']);
    expect(m.latest([b, a, b], T0 + 5000)).toEqual([{ ts: T0 + 2000, value: 11 }, { ts: T0 + 1000, value: 2 }, { ts: T0 + 2000, value: 11 }]);
    expect(m.latest([a], T0 + 5000)[0]).toEqual(stored(a));
    expect(m.latest(ids(['a'], 'bmc.power_w'), T0 + 5000)).toEqual([{ ts: T0 + 3000, value: 3 }]);
    expect(ids(['nope'])).toEqual([-1]);
  });

  it('answers a series it made from memory from its first write, without reading the store', () => {
    m.append([s('a', T0, 1), s('a', T0 + 1000, 2)]);
    const [a] = ids(['a']);
    db.prepare('DELETE FROM samples_raw').run(); // behind its back: only memory can still say 2
    expect(m.latest([a], T0 + 5000)).toEqual([{ ts: T0 + 1000, value: 2 }]);
  });

  it('keeps the newer sample when an older one arrives later; the same ts rewritten replaces it', () => {
    m.append([s('a', T0 + 5000, 5)]);
    m.append([s('a', T0 + 1000, 1)]); // late, older
    m.append([s('a', T0 + 6000, 6), s('a', T0 + 2000, 2)]); // out of order within one batch
    const [a] = ids(['a']);
    expect(m.latest([a], T0 + 10_000)).toEqual([{ ts: T0 + 6000, value: 6 }]);
    m.append([s('a', T0 + 6000, 7)]); // INSERT OR REPLACE: the row now says 7
    expect(m.latest([a], T0 + 10_000)).toEqual([{ ts: T0 + 6000, value: 7 }]);
    expect(m.latest([a], T0 + 10_000)[0]).toEqual(stored(a));
    m.append([s('a', T0 + 7000, Number.NaN)]); // dropped, as append drops it
    expect(m.latest([a], T0 + 10_000)).toEqual([{ ts: T0 + 6000, value: 7 }]);
  });

  it('has no value older than raw retention, and none once rollup expired it, until a new write', () => {
    const short = new MetricsRepository(db, { rawMs: 10 * MIN });
    short.append([s('a', T0, 1)]);
    const [a] = ids(['a']);
    expect(short.latest([a], T0 + 10 * MIN)).toEqual([{ ts: T0, value: 1 }]);
    expect(short.latest([a], T0 + 10 * MIN + 1)).toEqual([undefined]);
    // The default 6 h: a sample 6 h and 1 ms old is no live reading.
    m.append([s('b', T0, 1)]);
    const [b] = ids(['b']);
    expect(m.latest([b], T0 + 6 * HOUR)).toEqual([{ ts: T0, value: 1 }]);
    expect(m.latest([b], T0 + 6 * HOUR + 1)).toEqual([undefined]);

    short.rollup(T0 + 30 * MIN);
    expect(stored(a)).toBeUndefined();
    expect(short.latest([a], T0 + MIN)).toEqual([undefined]); // gone from memory too, not only filtered
    short.append([s('a', T0 + 31 * MIN, 4)]);
    expect(short.latest([a], T0 + 32 * MIN)).toEqual([{ ts: T0 + 31 * MIN, value: 4 }]);
  });

  it('finds a series written before it existed, from the store, then keeps it', () => {
    m.append([s('a', T0, 1), s('a', T0 + 4000, 4), s('b', T0, 9), s('c', T0, 3)]);
    const restarted = new MetricsRepository(db); // a new process on the same store
    const [a, b, c] = ids(['a', 'b', 'c']);
    // A late, older write to a series it has not read yet must not hide the stored newer one.
    restarted.append([s('a', T0 + 2000, 2)]);
    expect(restarted.latest([a, b], T0 + 5000)).toEqual([{ ts: T0 + 4000, value: 4 }, { ts: T0, value: 9 }]);
    // Kept from the first read: the store's rows are no longer asked (deleted behind its back, still answered).
    db.prepare('DELETE FROM samples_raw WHERE series_id IN (?, ?)').run(a, b);
    expect(restarted.latest([a, b], T0 + 5000)).toEqual([{ ts: T0 + 4000, value: 4 }, { ts: T0, value: 9 }]);
    // Once kept, writes go on updating it.
    restarted.append([s('a', T0 + 8000, 8)]);
    expect(restarted.latest([a, c], T0 + 9000)).toEqual([{ ts: T0 + 8000, value: 8 }, { ts: T0, value: 3 }]);
    // A series the store has no raw row for is known empty, and a later write shows.
    db.prepare('INSERT INTO series (device_id, metric) VALUES (?, ?)').run('e', 'bmc.inlet_c');
    const [e] = ids(['e']);
    expect(restarted.latest([e], T0)).toEqual([undefined]);
    restarted.append([s('e', T0 + 1000, 5)]);
    expect(restarted.latest([e], T0 + 2000)).toEqual([{ ts: T0 + 1000, value: 5 }]);
  });

  it('keeps nothing from a batch that rolled back', () => {
    m.append([s('a', T0, 1)]);
    const [a] = ids(['a']);
    m.latest([a], T0); // kept
    // A null device id fails its series' NOT NULL: the whole batch rolls back.
    const bad = [s('a', T0 + 1000, 2), s('fresh', T0 + 1000, 3), s(null as unknown as string, T0 + 1000, 4)];
    expect(() => m.append(bad)).toThrow();
    expect(m.latest([a], T0 + 2000)).toEqual([{ ts: T0, value: 1 }]);
    expect(m.seriesIds('bmc.inlet_c', ['fresh'])).toEqual([]);
    m.append([s('fresh', T0 + 1500, 6)]);
    const [fresh] = ids(['fresh']);
    expect(m.latest([fresh], T0 + 2000)).toEqual([{ ts: T0 + 1500, value: 6 }]);
    expect(stored(fresh)).toEqual({ ts: T0 + 1500, value: 6 });
  });
});
