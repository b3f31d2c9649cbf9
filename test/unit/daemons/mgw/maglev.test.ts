// Maglev for the gateway (src-daemons/mgw/maglev.ts, maglev-worker.ts): table sizes (primes,
// >= 100 x backends, 65537 at least), every entry filled by an up backend, equal shares to
// within one entry, weights in proportion, a backend going costs the survivors <= 1% of their
// entries and coming back restores the very same table, the owner per entry depends on the
// names and not their order, and a pinned fingerprint (a change of hash, seed or fill order
// would split a mixed-version cluster). The worker builds the same table, supersedes an older
// build with a newer one, and fails what it owes when disposed.
import { afterEach, describe, expect, it } from 'vitest';
import { hash32 } from '../../../../src-shared/mgw/hash';
import {
  buildMaglev, disruption, isPrime, LOOKUP_SEED, lookup, MIN_TABLE_SIZE, NONE, nextPrime, shares, tableSizeFor, type MaglevBackend,
} from '../../../../src-daemons/mgw/maglev';
import { MaglevBuilder, MaglevSupersededError } from '../../../../src-daemons/mgw/maglev-worker';

const pool = (n: number, prefix = 'backend-'): MaglevBackend[] => Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}` }));
const counts = (t: Uint16Array, n: number): number[] => Array.from(shares(t, n), (s) => Math.round(s * t.length));
/** The first entry where two tables differ, -1 when they are the same (toEqual on 65537 entries is slow). */
const firstDiff = (a: Uint16Array, b: Uint16Array): number => {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
};
const down = (bs: readonly MaglevBackend[], i: number): MaglevBackend[] => bs.map((b, j) => (j === i ? { ...b, up: false } : b));

describe('table size', () => {
  it('nextPrime is the smallest prime at or above n', () => {
    expect([0, 1, 2, 3, 4, 14, 65536, 65537, 65538, 100_000].map(nextPrime)).toEqual([2, 2, 2, 3, 5, 17, 65537, 65537, 65539, 100_003]);
    expect(isPrime(65537)).toBe(true);
    expect(isPrime(65535)).toBe(false);
    expect(isPrime(1)).toBe(false);
  });

  it('tableSizeFor: a prime >= max(100 x backends, 65537)', () => {
    expect(tableSizeFor(0)).toBe(MIN_TABLE_SIZE);
    expect(tableSizeFor(655)).toBe(65537);
    expect(tableSizeFor(656)).toBe(nextPrime(65_600));
    expect(tableSizeFor(1000)).toBe(100_003);
    for (const n of [1, 10, 100, 700, 5000]) {
      const m = tableSizeFor(n);
      expect(isPrime(m)).toBe(true);
      expect(m).toBeGreaterThanOrEqual(Math.max(100 * n, 65537));
    }
    expect(() => tableSizeFor(-1)).toThrow(RangeError);
    expect(() => tableSizeFor(0x10000)).toThrow(RangeError);
  });
});

describe('buildMaglev', () => {
  it('fills every entry, with up backends only; NONE throughout only when none is up', () => {
    for (const n of [1, 2, 7, 100]) {
      const t = buildMaglev(pool(n), 65537);
      expect(t.length).toBe(65537);
      expect(t.indexOf(NONE)).toBe(-1);
      expect(Math.max(...t)).toBeLessThan(n);
    }
    const bs = down(down(pool(10), 3), 7);
    const c = counts(buildMaglev(bs, 65537), 10);
    expect(c[3]).toBe(0);
    expect(c[7]).toBe(0);
    expect(c.reduce((a, b) => a + b)).toBe(65537);
    expect(buildMaglev(pool(5).map((b) => ({ ...b, up: false })), 65537).every((e) => e === NONE)).toBe(true);
    expect(buildMaglev([], 65537).every((e) => e === NONE)).toBe(true);
    // Weight 0 drains: no entries, the others fill the table.
    const drained = counts(buildMaglev([{ name: 'a', weight: 0 }, { name: 'b' }], 65537), 2);
    expect(drained).toEqual([0, 65537]);
  });

  it('refuses a size that is not prime, repeated names and bad weights', () => {
    expect(() => buildMaglev(pool(3), 65536)).toThrow(/not a prime/);
    expect(() => buildMaglev([{ name: 'a' }, { name: 'a' }], 65537)).toThrow(/repeated/);
    expect(() => buildMaglev([{ name: 'a', weight: -1 }], 65537)).toThrow(/weight/);
    expect(() => buildMaglev([{ name: 'a', weight: Number.NaN }], 65537)).toThrow(/weight/);
  });

  it('equal weights: every backend owns floor or ceil of M/n entries', () => {
    for (const [n, m] of [[10, 65537], [100, 65537], [1000, tableSizeFor(1000)]]) {
      const c = counts(buildMaglev(pool(n), m), n);
      const lo = Math.min(...c);
      const hi = Math.max(...c);
      console.log(`maglev shares: ${n} backends, M=${m}: entries per backend ${lo}..${hi}, max/min ${(hi / lo).toFixed(4)}, |share - 1/n| <= ${(Math.max(hi / m - 1 / n, 1 / n - lo / m) * 100).toFixed(4)}%`);
      expect(lo).toBe(Math.floor(m / n));
      expect(hi - lo).toBeLessThanOrEqual(1);
    }
  });

  it('weights 2:1 give 2:1, and mixed pools in proportion', () => {
    const s = shares(buildMaglev([{ name: 'heavy', weight: 2 }, { name: 'light', weight: 1 }], 65537), 2);
    expect(s[0] / s[1]).toBeCloseTo(2, 2);
    const bs = pool(30).map((b, i) => ({ ...b, weight: i < 10 ? 3 : i < 20 ? 1.5 : 1 }));
    const sh = shares(buildMaglev(bs, 65537), 30);
    const sum = (a: number, b: number) => Array.from(sh.subarray(a, b)).reduce((x, y) => x + y);
    // 30 : 15 : 10 of 55.
    expect(sum(0, 10)).toBeCloseTo(30 / 55, 3);
    expect(sum(10, 20)).toBeCloseTo(15 / 55, 3);
    expect(sum(20, 30)).toBeCloseTo(10 / 55, 3);
    for (let i = 0; i < 30; i++) expect((sh[i] * 55) / bs[i].weight).toBeCloseTo(1, 2);
  });

  it('1 of 100 backends going moves <= 1% of the survivors\' entries; coming back restores the table', () => {
    const bs = pool(100);
    const m = tableSizeFor(100);
    const before = buildMaglev(bs, m);
    let worst = 0;
    for (const gone of [0, 37, 99]) {
      const after = buildMaglev(down(bs, gone), m);
      const d = disruption(before, after, (i) => i !== gone);
      worst = Math.max(worst, d);
      console.log(`maglev disruption: backend ${gone} of 100 down: ${(d * 100).toFixed(3)}% of the survivors' entries moved`);
      expect(d).toBeLessThanOrEqual(0.01);
      // Its own entries all went to others.
      expect(after.indexOf(gone)).toBe(-1);
      expect(firstDiff(buildMaglev(down(bs, gone).map((b) => ({ ...b, up: true })), m), before)).toBe(-1);
    }
    expect(worst).toBeGreaterThan(0);
    // A 101st added then taken out again: the same table as the 100.
    const more = [...bs, { name: 'backend-extra' }];
    const added = buildMaglev(more, m);
    const d = disruption(before, added, () => true);
    console.log(`maglev disruption: 1 backend added to 100: ${(d * 100).toFixed(3)}% of the entries moved (its share ${(shares(added, 101)[100] * 100).toFixed(3)}%)`);
    expect(d).toBeLessThanOrEqual(0.02);
    expect(firstDiff(buildMaglev(down(more, 100), m), before)).toBe(-1);
  });

  it('the same names in another order give the same owner per entry', () => {
    const bs = pool(50).map((b, i) => ({ ...b, weight: 1 + (i % 3), up: i % 7 !== 0 }));
    const shuffled = [...bs];
    let seed = 12345;
    for (let i = shuffled.length - 1; i > 0; i--) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const j = seed % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    expect(shuffled.map((b) => b.name)).not.toEqual(bs.map((b) => b.name));
    const a = buildMaglev(bs, 65537);
    const b = buildMaglev(shuffled, 65537);
    const names = (t: Uint16Array, list: readonly MaglevBackend[]) => Array.from(t, (e) => list[e].name);
    expect(names(b, shuffled)).toEqual(names(a, bs));
  });

  it('is pinned: the table of 10 named backends has the same fingerprint on every node and version', () => {
    const t = buildMaglev(pool(10), 65537);
    let h = 0;
    for (let i = 0; i < t.length; i++) h = hash32(h, t[i], i);
    expect([t[0], t[1], t[2], t[65536], h >>> 0]).toEqual(PINNED);
  });
});

describe('lookup, shares, disruption', () => {
  it('lookup is the entry at hash32(k0, k1, LOOKUP_SEED) mod M, and spreads flows by share', () => {
    const t = buildMaglev(pool(4), 65537);
    expect(lookup(t, 0x0a000001, 0x12340011)).toBe(t[hash32(0x0a000001, 0x12340011, LOOKUP_SEED) % 65537]);
    const hits = new Array<number>(4).fill(0);
    for (let i = 0; i < 200_000; i++) hits[lookup(t, 0x0a000000 + i, ((i * 7919) << 16) | 0x11)]++;
    for (const h of hits) expect(h / 200_000).toBeCloseTo(0.25, 2);
    expect(lookup(new Uint16Array(65537).fill(NONE), 1, 2)).toBe(NONE);
  });

  it('shares and disruption on small tables', () => {
    const t = Uint16Array.of(0, 1, 1, NONE, 2);
    expect(Array.from(shares(t, 3))).toEqual([0.2, 0.4, 0.2]);
    const after = Uint16Array.of(0, 2, 1, 1, 2);
    // Survivors 0, 1: own 3 entries before (0, 1, 1), one of them (entry 1) moved.
    expect(disruption(t, after, (i) => i !== 2)).toBeCloseTo(1 / 3, 10);
    expect(disruption(t, t, () => true)).toBe(0);
    expect(disruption(t, after, () => false)).toBe(0);
    expect(() => disruption(t, Uint16Array.of(0), () => true)).toThrow(RangeError);
  });
});

describe('MaglevBuilder (worker thread)', () => {
  const builders: MaglevBuilder[] = [];
  const builder = () => {
    const b = new MaglevBuilder();
    builders.push(b);
    return b;
  };
  afterEach(async () => {
    await Promise.all(builders.splice(0).map((b) => b.dispose()));
  });

  it('builds what buildMaglev builds, with its own buffer', async () => {
    const b = builder();
    const bs = down(pool(100), 5);
    const t = await b.build(bs, tableSizeFor(100));
    expect(t).toBeInstanceOf(Uint16Array);
    expect(t.buffer.byteLength).toBe(tableSizeFor(100) * 2);
    expect(firstDiff(t, buildMaglev(bs, tableSizeFor(100)))).toBe(-1);
    // Reused for the next build.
    const t2 = await b.build(pool(3), 65537);
    expect(firstDiff(t2, buildMaglev(pool(3), 65537))).toBe(-1);
  });

  it('a newer build supersedes older ones: they reject, the newest resolves', async () => {
    const b = builder();
    const order: string[] = [];
    const first = b.build(pool(1000), tableSizeFor(1000));
    const second = b.build(pool(200), tableSizeFor(200));
    const third = b.build(pool(7), 65537);
    const settle = (name: string, p: Promise<Uint16Array>) => p.then((t) => { order.push(`${name} ok`); return t; }, (err: unknown) => { order.push(`${name} ${(err as Error).name}`); throw err; });
    const results = await Promise.allSettled([settle('first', first), settle('second', second), settle('third', third)]);
    expect(order).toEqual(['first MaglevSupersededError', 'second MaglevSupersededError', 'third ok']);
    expect(results[0].status === 'rejected' && results[0].reason).toBeInstanceOf(MaglevSupersededError);
    expect(String(results[1].status === 'rejected' && results[1].reason)).toMatch(/superseded/);
    expect(results[2].status).toBe('fulfilled');
    if (results[2].status === 'fulfilled') expect(firstDiff(results[2].value, buildMaglev(pool(7), 65537))).toBe(-1);
  });

  it('reports a bad request, and rejects what it owes once disposed', async () => {
    const b = builder();
    await expect(b.build(pool(3), 65536)).rejects.toThrow(/not a prime/);
    const owed = b.build(pool(1000), tableSizeFor(1000));
    const failed = expect(owed).rejects.toThrow(/disposed/);
    await b.dispose();
    await failed;
    await expect(b.build(pool(3), 65537)).rejects.toThrow(/disposed/);
  });
});

const PINNED = [9, 6, 0, 3, 3048943009];
