// The probe matrix's store: a flushed minute reads back per source with its destinations'
// figures; a minute flushed twice (a partial minute at a stop, the rest after the restart)
// merges instead of losing the first part; minutes past retention roll up into hours that the
// window reads where minutes are gone; thresholds persist.
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../../src-main/core/store/database';
import { ProbeRepository, type PairAggregate } from '../../../../src-main/core/store/probe-repository';

const M = 60_000;
const pairAt = (minute: number, src: string, dst: string, over: Partial<PairAggregate> = {}): PairAggregate => ({
  minute, level: 'server', src, dst, p50Us: 100, p90Us: 150, p99Us: 200, ok: 6, drops: 0, failed: 0, ...over,
});

describe('ProbeRepository', () => {
  it('reads a window back per source and minute, oldest first, by level', () => {
    const repo = new ProbeRepository(openStore(':memory:'));
    repo.putMinutes([pairAt(0, 'a', 'b'), pairAt(0, 'a', 'c', { p99Us: 900 }), pairAt(M, 'a', 'b', { drops: 1 }), pairAt(0, 'b', 'a'), { ...pairAt(0, 'tor1', 'tor2'), level: 'tor' }]);
    const rows = [...repo.window('server', 0, 2 * M)];
    expect(rows.map((r) => `${r.at}/${r.src}:${r.dst.join(',')}`)).toEqual(['0/a:b,c', '0/b:a', `${M}/a:b`]);
    expect(rows[0].p99Us).toEqual([200, 900]);
    expect(rows[2].drops).toEqual([1]);
    expect([...repo.window('server', M, 2 * M, 'a')].map((r) => r.at)).toEqual([M]);
    expect([...repo.window('tor', 0, M)].map((r) => r.src)).toEqual(['tor1']);
    expect(repo.range('server')).toEqual({ from: 0, to: M });
    expect(repo.newestMinute()).toBe(M);
  });

  it('merges a minute stored twice: counts add, p50 is weighted, p99 the worse', () => {
    const repo = new ProbeRepository(openStore(':memory:'));
    repo.putMinutes([pairAt(0, 'a', 'b', { ok: 2, p50Us: 100, p99Us: 300, failed: 1 })]);
    repo.putMinutes([pairAt(0, 'a', 'b', { ok: 6, p50Us: 200, p99Us: 250, drops: 1 }), pairAt(0, 'a', 'c')]);
    const [row] = [...repo.window('server', 0, M)];
    expect(row.dst).toEqual(['b', 'c']);
    expect(row.ok[0]).toBe(8);
    expect(row.p50Us[0]).toBe(175);
    expect(row.p99Us[0]).toBe(300);
    expect(row.drops[0]).toBe(1);
    expect(row.failed[0]).toBe(1);
  });

  it('rolls expired minutes into hours, which the window reads where minutes are gone', () => {
    const repo = new ProbeRepository(openStore(':memory:'));
    const H = 3_600_000;
    repo.putMinutes([pairAt(0, 'a', 'b', { ok: 6, p50Us: 100, p99Us: 200 }), pairAt(M, 'a', 'b', { ok: 2, p50Us: 300, p99Us: 5000, drops: 2 }), pairAt(2 * H, 'a', 'b')]);
    const out = repo.prune(2 * H + 1, { minuteMs: H, hourMs: 400 * 86_400_000 });
    expect(out).toEqual({ minutes: 2, hours: 1 });
    expect(repo.range('server')).toEqual({ from: 2 * H, to: 2 * H });
    const rows = [...repo.window('server', 0, 3 * H)];
    expect(rows.map((r) => r.at)).toEqual([0, 2 * H]);
    expect(rows[0]).toMatchObject({ ok: [8], p50Us: [150], p99Us: [5000], drops: [2] });
  });

  it('rolls several hours and sources into their own hour rows in one pass', () => {
    const repo = new ProbeRepository(openStore(':memory:'));
    const H = 3_600_000;
    repo.putMinutes([pairAt(0, 'a', 'b', { ok: 4 }), pairAt(M, 'c', 'b', { ok: 3 }), pairAt(H + M, 'a', 'b', { ok: 5 }), pairAt(H + 2 * M, 'c', 'd', { ok: 7 })]);
    // Before the fix the second group's hour row was written while the minutes were still being read: "connection is busy".
    expect(repo.prune(3 * H, { minuteMs: H, hourMs: 400 * 86_400_000 })).toEqual({ minutes: 4, hours: 4 });
    const rows = [...repo.window('server', 0, 3 * H)];
    expect(rows.map((r) => [r.at, r.ok.reduce((x, y) => x + y, 0)]).sort((x, y) => x[0] - y[0] || x[1] - y[1])).toEqual([[0, 3], [0, 4], [H, 5], [H, 7]]);
  });

  it('keeps the thresholds', () => {
    const db = openStore(':memory:');
    expect(new ProbeRepository(db).thresholds()).toBeNull();
    new ProbeRepository(db).setThresholds({ p99WarnUs: 1, p99BadUs: 2, dropWarn: 0.1, dropBad: 0.2 });
    expect(new ProbeRepository(db).thresholds()).toEqual({ p99WarnUs: 1, p99BadUs: 2, dropWarn: 0.1, dropBad: 0.2 });
  });
});
