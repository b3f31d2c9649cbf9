// The gateway's session table against a reference Map: random insert/upsert/find/remove/touch
// on small, dense tables (long clusters, clusters wrapping past the end of the arrays) with
// the linear-probing invariant checked; the full table refusing; backward shift on hand-built
// clusters; idle expiry per protocol by the sweep's clock hand (alone and interleaved with
// removes and inserts); scan visiting every entry exactly once, with and without changes.
import { describe, expect, it } from 'vitest';
import { SessionTable } from '../../../../src-daemons/mgw/session-table';
import { hash32 } from '../../../../src-shared/mgw/hash';
import { k1Proto, packK1, PROTO_TCP, PROTO_UDP } from '../../../../src-shared/mgw/key';

/** A deterministic PRNG (mulberry32), u32 out. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

// Reference keys as strings: k0 * 2^32 + k1 does not fit a double's 53 bits for a full IPv4 k0.
const keyOf = (k0: number, k1: number) => `${k0}:${k1}`;
const split = (key: string): [number, number] => {
  const [k0, k1] = key.split(':');
  return [Number(k0), Number(k1)];
};
const homeOf = (t: SessionTable, k0: number, k1: number) => hash32(k0, k1) & (t.capacity - 1);

interface Ref {
  backend: number;
  lastSeen: number;
  flags: number;
}

/** Random keys, UDP and TCP, some with k0 = 0 and k1 = 0 (storable: the used mark is a flag). */
function keyPool(n: number, next: () => number): [number, number][] {
  const keys = new Map<string, [number, number]>();
  keys.set(keyOf(0, 0), [0, 0]);
  while (keys.size < n) {
    const k0 = next() % 7 === 0 ? 0 : next();
    const k1 = packK1(next() & 0xffff, next() & 0xfff, next() & 1 ? PROTO_UDP : PROTO_TCP);
    keys.set(keyOf(k0, k1), [k0, k1]);
  }
  return [...keys.values()];
}

// Cheap checks for the hot loops (expect only on a mismatch, for its message).
function same(got: unknown, want: unknown): void {
  if (got !== want) expect(got).toBe(want);
}
function sameAll(got: unknown[], want: unknown[]): void {
  if (got.some((g, i) => g !== want[i])) expect(got).toEqual(want);
}

/** The table holds exactly ref, and every entry is reachable from its home with no empty slot between. */
function check(t: SessionTable, ref: Map<string, Ref>): void {
  expect(t.size).toBe(ref.size);
  let used = 0;
  for (let s = 0; s < t.capacity; s++) if (t.isUsed(s)) used++;
  expect(used).toBe(ref.size);
  for (const [key, r] of ref) {
    const [k0, k1] = split(key);
    const slot = t.find(k0, k1);
    sameAll([slot >= 0, t.k0Of(slot), t.k1Of(slot), t.backendOf(slot), t.lastSeenOf(slot), t.flagsOf(slot)], [true, k0, k1, r.backend, r.lastSeen, r.flags]);
    for (let s = homeOf(t, k0, k1); s !== slot; s = (s + 1) & (t.capacity - 1)) same(t.isUsed(s), true);
  }
}

/** A key whose home slot in t is `home` (k1 a UDP flow to VIP 1). */
function keyHomedAt(t: SessionTable, home: number, next: () => number): [number, number] {
  for (;;) {
    const k0 = next();
    const k1 = packK1(next() & 0xffff, 1, PROTO_UDP);
    if (homeOf(t, k0, k1) === home) return [k0, k1];
  }
}

describe('SessionTable', () => {
  it('sizes capacity as a power of two at <= 0.75 load and counts its bytes', () => {
    expect(SessionTable.capacityFor(1)).toBe(4);
    expect(SessionTable.capacityFor(768)).toBe(1024);
    expect(SessionTable.capacityFor(769)).toBe(2048);
    expect(SessionTable.capacityFor(12_000_000)).toBe(2 ** 24);
    expect(() => SessionTable.capacityFor(0)).toThrow(RangeError);
    expect(() => SessionTable.capacityFor(1.5)).toThrow(RangeError);
    const t = new SessionTable({ maxSessions: 768 });
    expect([t.capacity, t.size, t.bytes]).toEqual([1024, 0, 1024 * 16]);
  });

  it('matches a reference Map over 200k random operations on a dense small table', () => {
    const next = rng(1);
    const t = new SessionTable({ maxSessions: 768 });
    // Some keys homed in the last slots, so clusters wrap past the end of the arrays.
    const keys = [...keyPool(1380, next), ...Array.from({ length: 20 }, (_, i) => keyHomedAt(t, 1020 + (i % 4), next))];
    const ref = new Map<string, Ref>();
    let refused = 0;
    let wrapped = 0;
    for (let op = 0; op < 200_000; op++) {
      const [k0, k1] = keys[next() % keys.length];
      const key = keyOf(k0, k1);
      const had = ref.get(key);
      const r = next() % 100;
      const backend = next() & 0xffff;
      const now = op;
      const flags = next() & 0x7f;
      if (r < 35) {
        const slot = t.insert(k0, k1, backend, now, flags);
        if (had) sameAll([slot >= 0, t.backendOf(slot)], [true, had.backend]);
        else if (ref.size >= 768) {
          same(slot, -1);
          refused++;
        } else {
          same(slot >= 0, true);
          ref.set(key, { backend, lastSeen: now, flags });
          if (slot < homeOf(t, k0, k1)) wrapped++;
        }
      } else if (r < 50) {
        const slot = t.upsert(k0, k1, backend, now, flags);
        if (!had && ref.size >= 768) same(slot, -1);
        else {
          same(slot >= 0, true);
          ref.set(key, { backend, lastSeen: now, flags });
        }
      } else if (r < 80) {
        same(t.remove(k0, k1), had !== undefined);
        ref.delete(key);
      } else {
        const slot = t.find(k0, k1);
        same(slot >= 0, had !== undefined);
        if (had) {
          sameAll([t.backendOf(slot), t.lastSeenOf(slot), t.flagsOf(slot)], [had.backend, had.lastSeen, had.flags]);
          t.touch(slot, now);
          t.setBackend(slot, backend);
          t.setFlags(slot, flags);
          ref.set(key, { backend, lastSeen: now, flags });
        }
      }
      same(t.size, ref.size);
      if (op % 5000 === 0) check(t, ref);
    }
    check(t, ref);
    // The run exercised what it is meant to: a full table, and clusters wrapping past the end.
    expect(refused).toBeGreaterThan(100);
    expect(wrapped).toBeGreaterThan(100);
  });

  it('refuses inserts past maxSessions, never past 0.75 load, and takes them again after a remove', () => {
    const next = rng(2);
    const t = new SessionTable({ maxSessions: 100 });
    expect(t.capacity).toBe(256);
    const keys = keyPool(101, next);
    for (const [k0, k1] of keys.slice(0, 100)) expect(t.insert(k0, k1, 7, 1)).toBeGreaterThanOrEqual(0);
    expect(t.size).toBe(100);
    const [x0, x1] = keys[100];
    expect(t.insert(x0, x1, 7, 1)).toBe(-1);
    expect(t.upsert(x0, x1, 7, 1)).toBe(-1);
    expect(t.find(x0, x1)).toBe(-1);
    // A key already there is not "new": insert leaves it, upsert overwrites it, both return its slot.
    const [a0, a1] = keys[3];
    const slot = t.find(a0, a1);
    expect(t.insert(a0, a1, 9, 5)).toBe(slot);
    expect([t.backendOf(slot), t.lastSeenOf(slot)]).toEqual([7, 1]);
    expect(t.upsert(a0, a1, 9, 5, 3)).toBe(slot);
    expect([t.backendOf(slot), t.lastSeenOf(slot), t.flagsOf(slot)]).toEqual([9, 5, 3]);
    expect(t.size).toBe(100);
    expect(t.remove(a0, a1)).toBe(true);
    expect(t.remove(a0, a1)).toBe(false);
    expect(t.insert(x0, x1, 7, 1)).toBeGreaterThanOrEqual(0);
    expect(t.size).toBe(100);
  });

  it('shifts back the entries that may move and only those, across the end of the arrays too', () => {
    const next = rng(3);
    const t = new SessionTable({ maxSessions: 768 });
    const h = 100;
    // Cluster 100..104: A(home 100), B(100), D(101), C(100), X(104).
    const [a, b, d, c, x] = [keyHomedAt(t, h, next), keyHomedAt(t, h, next), keyHomedAt(t, h + 1, next), keyHomedAt(t, h, next), keyHomedAt(t, h + 4, next)];
    for (const [i, k] of [a, b, d, c, x].entries()) expect(t.insert(k[0], k[1], i, 0)).toBe(h + i);
    expect(t.remove(a[0], a[1])).toBe(true);
    // B, D and C each move back one; X is home and stays; 104 was X's before, 103 is now empty.
    expect([t.find(b[0], b[1]), t.find(d[0], d[1]), t.find(c[0], c[1]), t.find(x[0], x[1])]).toEqual([h, h + 1, h + 2, h + 4]);
    expect(t.isUsed(h + 3)).toBe(false);
    expect([t.backendOf(h), t.backendOf(h + 1), t.backendOf(h + 2), t.backendOf(h + 4)]).toEqual([1, 2, 3, 4]);
    // D removed: C (home 100) moves into 101; nothing else moves.
    expect(t.remove(d[0], d[1])).toBe(true);
    expect([t.find(b[0], b[1]), t.find(c[0], c[1]), t.find(x[0], x[1])]).toEqual([h, h + 1, h + 4]);
    expect(t.isUsed(h + 2)).toBe(false);

    // Across the end: P(home 1022) at 1022, Q(1022) at 1023, R(1023) at 0, S(1022) at 1, T(home 1) at 2.
    const [p, q, r, s, u] = [keyHomedAt(t, 1022, next), keyHomedAt(t, 1022, next), keyHomedAt(t, 1023, next), keyHomedAt(t, 1022, next), keyHomedAt(t, 1, next)];
    expect([p, q, r, s, u].map(([k0, k1]) => t.insert(k0, k1, 0, 0))).toEqual([1022, 1023, 0, 1, 2]);
    expect(t.remove(p[0], p[1])).toBe(true);
    expect([q, r, s, u].map(([k0, k1]) => t.find(k0, k1))).toEqual([1022, 1023, 0, 1]);
    expect(t.isUsed(2)).toBe(false);
    expect(t.remove(q[0], q[1])).toBe(true);
    expect([r, s, u].map(([k0, k1]) => t.find(k0, k1))).toEqual([1023, 1022, 1]);
    expect(t.isUsed(0)).toBe(false);
  });

  it('keeps backend 0xffff, flags 127 and lastSeen 2^32 - 1 apart in a slot that also holds a probe bound', () => {
    const next = rng(8);
    const t = new SessionTable({ maxSessions: 768 });
    // H (home 200) at 200, then three more homed at 200: slot 200's bound is 3.
    const keys = Array.from({ length: 4 }, () => keyHomedAt(t, 200, next));
    expect(keys.map(([k0, k1], i) => t.insert(k0, k1, 0xffff, 0xffffffff, i === 0 ? 0x7f : i))).toEqual([200, 201, 202, 203]);
    const [h0, h1] = keys[0];
    expect([t.backendOf(200), t.flagsOf(200), t.lastSeenOf(200), t.k0Of(200), t.k1Of(200)]).toEqual([0xffff, 0x7f, 0xffffffff, h0, h1]);
    t.setFlags(200, 0);
    t.setBackend(200, 0);
    expect([t.backendOf(200), t.flagsOf(200), t.isUsed(200)]).toEqual([0, 0, true]);
    t.setFlags(200, 0x7f);
    t.setBackend(200, 0xffff);
    expect([t.backendOf(200), t.flagsOf(200)]).toEqual([0xffff, 0x7f]);
    expect(t.upsert(h0, h1, 0x8001, 7, 0x55)).toBe(200);
    expect([t.backendOf(200), t.flagsOf(200), t.lastSeenOf(200)]).toEqual([0x8001, 0x55, 7]);
    for (const [i, [k0, k1]] of keys.entries()) expect(t.find(k0, k1)).toBe(200 + i);
    // The head removed, the bound stays with slot 200 (not with the entry shifted into it).
    expect(t.remove(h0, h1)).toBe(true);
    expect(keys.slice(1).map(([k0, k1]) => t.find(k0, k1))).toEqual([200, 201, 202]);
    expect([t.backendOf(200), t.flagsOf(200), t.lastSeenOf(200)]).toEqual([0xffff, 1, 0xffffffff]);
  });

  it('finds and misses past a probe bound too long to record (a cluster of 300 from one home)', () => {
    const next = rng(9);
    const t = new SessionTable({ maxSessions: 768 });
    const keys = Array.from({ length: 300 }, () => keyHomedAt(t, 1000, next));
    expect(keys.map(([k0, k1], i) => t.insert(k0, k1, i, 0))).toEqual(keys.map((_, i) => (1000 + i) & 1023));
    const ref = new Map<string, Ref>(keys.map(([k0, k1], i) => [keyOf(k0, k1), { backend: i, lastSeen: 0, flags: 0 }]));
    check(t, ref);
    const [m0, m1] = keyHomedAt(t, 1000, next);
    expect(t.find(m0, m1)).toBe(-1);
    for (const [k0, k1] of keys.filter((_, i) => i % 3 === 0)) {
      expect(t.remove(k0, k1)).toBe(true);
      ref.delete(keyOf(k0, k1));
    }
    check(t, ref);
    expect(t.find(m0, m1)).toBe(-1);
  });

  const IDLE_UDP = 30;
  const IDLE_TCP = 300;
  const idleS = (k1: number) => (k1Proto(k1) === PROTO_UDP ? IDLE_UDP : IDLE_TCP);
  const isIdle = (k1: number, lastSeen: number, now: number) => now - lastSeen > idleS(k1);

  it('sweeps out, in one pass of the hand, every session idle for longer than its protocol allows and none other', () => {
    const next = rng(4);
    const now = 100_000;
    for (const chunk of [1, 7, 64, 1024]) {
      const t = new SessionTable({ maxSessions: 768 });
      const ref = new Map<string, Ref>();
      for (const [k0, k1] of keyPool(768, next)) {
        // Ages either side of both timeouts, exactly at them, and a few in the future (a peer's clock).
        const age = [0, 10, 30, 31, 299, 300, 301, 5000, -5][next() % 9];
        t.insert(k0, k1, k0 & 0xffff, now - age);
        ref.set(keyOf(k0, k1), { backend: k0 & 0xffff, lastSeen: now - age, flags: 0 });
      }
      expect(t.size).toBe(768);
      const expired: string[] = [];
      let removed = 0;
      for (let n = 0; n < t.capacity; n += chunk) {
        removed += t.sweep(now, chunk, idleS, (k0, k1, backend) => {
          const r = ref.get(keyOf(k0, k1));
          expect(r && r.backend === backend && isIdle(k1, r.lastSeen, now)).toBe(true);
          expired.push(keyOf(k0, k1));
        });
      }
      expect(removed).toBe(expired.length);
      expect(new Set(expired).size).toBe(expired.length);
      for (const key of expired) ref.delete(key);
      for (const [key, r] of ref) expect(isIdle(split(key)[1], r.lastSeen, now)).toBe(false);
      check(t, ref);
      expect(removed).toBeGreaterThan(200);
      // A second pass at the same time finds nothing more.
      expect(t.sweep(now, t.capacity, idleS)).toBe(0);
    }
  });

  it('sweeps every idle session within a pass while removes and inserts move entries under the hand', () => {
    const next = rng(5);
    const t = new SessionTable({ maxSessions: 768 });
    const keys = keyPool(1400, next);
    const ref = new Map<string, Ref>();
    let now = 1_000_000;
    let stepsBack = 0;
    for (let pass = 0; pass < 40; pass++) {
      // Refill to full with a mix of idle and active sessions.
      for (const [k0, k1] of keys) {
        if (ref.size >= 768) break;
        if (ref.has(keyOf(k0, k1))) continue;
        const lastSeen = now - (next() % 2 ? 400 : 5);
        expect(t.insert(k0, k1, 1, lastSeen)).toBeGreaterThanOrEqual(0);
        ref.set(keyOf(k0, k1), { backend: 1, lastSeen, flags: 0 });
      }
      // One pass: capacity slots of hand travel, net of its steps back.
      let travel = 0;
      while (travel < t.capacity) {
        const before = t.sweepHand;
        t.sweep(now, 1 + (next() % 4), idleS, (k0, k1) => {
          expect(isIdle(k1, ref.get(keyOf(k0, k1))!.lastSeen, now)).toBe(true);
          ref.delete(keyOf(k0, k1));
        });
        const mid = t.sweepHand;
        travel += (mid - before) & (t.capacity - 1);
        const r = next() % 4;
        if (r < 2) {
          // Remove one of the entries just behind the hand (where a shift can cross it) or any.
          const slot = r === 0 ? (mid - 1 - (next() % 4)) & (t.capacity - 1) : next() % t.capacity;
          if (t.isUsed(slot)) {
            const [k0, k1] = [t.k0Of(slot), t.k1Of(slot)];
            expect(t.remove(k0, k1)).toBe(true);
            ref.delete(keyOf(k0, k1));
          }
        } else {
          const [k0, k1] = keys[next() % keys.length];
          const key = keyOf(k0, k1);
          if (!ref.has(key) && t.insert(k0, k1, 2, now) >= 0) ref.set(key, { backend: 2, lastSeen: now, flags: 0 });
        }
        if (t.sweepHand !== mid) {
          travel -= (mid - t.sweepHand) & (t.capacity - 1);
          stepsBack++;
        }
      }
      for (const [key, r] of ref) same(isIdle(split(key)[1], r.lastSeen, now), false);
      check(t, ref);
      now += 1000;
    }
    // Removes did pull entries from ahead of the hand to behind it (the case the step back is for).
    expect(stepsBack).toBeGreaterThan(20);
  });

  type Visit = [number, number, number, number, number];
  function scanAll(t: SessionTable, max: number, between?: () => void): { visits: Visit[]; calls: number } {
    const visits: Visit[] = [];
    let calls = 0;
    let cursor = 0;
    while (cursor !== -1) {
      const from = cursor;
      const got: Visit[] = [];
      cursor = t.scan(cursor, max, (...v) => got.push(v));
      calls++;
      expect(cursor === -1 || cursor > from).toBe(true);
      // At most max, unless more than max entries share the home slot the call started at.
      if (got.length > max) for (const [k0, k1] of got) expect(homeOf(t, k0, k1)).toBe(from);
      visits.push(...got);
      between?.();
    }
    return { visits, calls };
  }

  it('scans every entry exactly once when nothing changes, at any batch size', () => {
    const next = rng(6);
    const t = new SessionTable({ maxSessions: 768 });
    const ref = new Map<string, Ref>();
    const wrapping = [keyHomedAt(t, 1022, next), keyHomedAt(t, 1022, next), keyHomedAt(t, 1023, next), keyHomedAt(t, 1023, next)];
    for (const [k0, k1] of [...wrapping, ...keyPool(764, next)]) {
      t.insert(k0, k1, k0 & 0xffff, k1 & 0xffff, k0 & 0x7f);
      ref.set(keyOf(k0, k1), { backend: k0 & 0xffff, lastSeen: k1 & 0xffff, flags: k0 & 0x7f });
    }
    // The table has a cluster wrapping past the end (entries homed near the end stored at the start).
    expect([...ref.keys()].some((key) => t.find(...split(key)) < homeOf(t, ...split(key)))).toBe(true);
    for (const max of [1, 2, 3, 7, 100, 768, 100_000]) {
      const { visits, calls } = scanAll(t, max);
      expect(visits.length).toBe(768);
      expect(new Set(visits.map(([k0, k1]) => keyOf(k0, k1))).size).toBe(768);
      for (const [k0, k1, backend, lastSeen, flags] of visits) expect(ref.get(keyOf(k0, k1))).toEqual({ backend, lastSeen, flags });
      if (max >= 7 && max <= 768) expect(calls).toBeGreaterThanOrEqual(Math.ceil(768 / max));
    }
    expect(scanAll(new SessionTable({ maxSessions: 768 }), 10).visits).toEqual([]);
    expect(t.scan(-1, 10, () => {})).toBe(-1);
    expect(t.scan(t.capacity, 10, () => {})).toBe(-1);
  });

  it('scans every entry present throughout exactly once while inserts and removes shift entries between calls', () => {
    const next = rng(7);
    // Changes between calls: a few hundred over a scan, whatever the batch size.
    for (const [max, perCall] of [[1, 0.5], [3, 1], [16, 8]]) {
      for (let round = 0; round < 10; round++) {
        const t = new SessionTable({ maxSessions: 768 });
        const keys = keyPool(1200, next);
        const present = new Set<string>();
        for (const [k0, k1] of keys.slice(0, 760)) {
          t.insert(k0, k1, 0, 0);
          present.add(keyOf(k0, k1));
        }
        const throughout = new Set(present);
        const counts = new Map<string, number>();
        let removes = 0;
        let owed = 0;
        const { visits } = scanAll(t, max, () => {
          for (owed += perCall; owed >= 1; owed--) {
            const [k0, k1] = keys[next() % keys.length];
            const key = keyOf(k0, k1);
            if (present.has(key)) {
              expect(t.remove(k0, k1)).toBe(true);
              removes++;
              present.delete(key);
              throughout.delete(key);
            } else if (t.insert(k0, k1, 0, 0) >= 0) present.add(key);
          }
        });
        for (const [k0, k1] of visits) counts.set(keyOf(k0, k1), (counts.get(keyOf(k0, k1)) ?? 0) + 1);
        for (const key of throughout) expect(counts.get(key)).toBe(1);
        for (const n of counts.values()) expect(n).toBe(1);
        expect(throughout.size).toBeGreaterThan(250);
        expect(removes).toBeGreaterThan(50);
      }
    }
  });
});
