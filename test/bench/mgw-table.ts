// MGW session table benchmark (printed, not asserted): at N sessions (12 M by default) the
// table's bytes and the process's RSS per session, the insert rate, and random lookups per
// second on one core (hits, then misses), against a JS Map keyed by one number per flow
// (k0 * 2^32 + k1) holding the backend. Each side runs in its own child process so their
// memory is separate; RSS is read after a forced GC, less the child's RSS before it built
// anything. Goals from src-daemons/mgw/DESIGN.md: <= 50 B/session (12 M in <= 0.6 GB), >= 5 M
// lookups/s per core.
// The keys are unique flows with k0 below 2^21 (so that k0 * 2^32 + k1 is exact in a double:
// a full IPv4 k0 would need 64 bits, i.e. a BigInt or string key, costlier still for the Map);
// the hash mixes them like any other addresses.
// Usage: node --import tsx test/bench/mgw-table.ts [--sessions 12000000]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SessionTable } from '../../src-daemons/mgw/session-table';
import { packK1, PROTO_TCP, PROTO_UDP } from '../../src-shared/mgw/key';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '12000000' }, child: { type: 'string' } } });
const N = Number(values.sessions);
const QUERIES = 2_000_000;
const ROUNDS = 3;

/** Flow i (i < 2^31): unique k0 (low 21 bits of i) and k1 (the rest of i as the port), UDP or TCP. */
function keyK0(i: number): number {
  return i & 0x1fffff;
}
function keyK1(i: number): number {
  return packK1(i >>> 21, i & 0xfff, i & 1 ? PROTO_UDP : PROTO_TCP);
}

interface Result {
  bytes: number;
  rssBeforeMb: number;
  rssMb: number;
  insertPerS: number;
  hitPerS: number;
  missPerS: number;
}

/** Random flow indexes: hits in [0, n), misses in [n, 2n), shuffled by a xorshift. */
function queries(n: number, hit: boolean): [Uint32Array, Uint32Array] {
  const q0 = new Uint32Array(QUERIES);
  const q1 = new Uint32Array(QUERIES);
  let x = hit ? 0x9e3779b9 : 0x7f4a7c15;
  for (let j = 0; j < QUERIES; j++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const i = ((x >>> 0) % n) + (hit ? 0 : n);
    q0[j] = keyK0(i);
    q1[j] = keyK1(i);
  }
  return [q0, q1];
}

const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Lookups per second of `look` over the query arrays (best of ROUNDS); `want` how many should hit. */
function lookups(look: (k0: number, k1: number) => boolean, q: [Uint32Array, Uint32Array], want: number): number {
  let best = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const [q0, q1] = q;
    let hits = 0;
    const t0 = process.hrtime.bigint();
    for (let j = 0; j < QUERIES; j++) if (look(q0[j], q1[j])) hits++;
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (hits !== want) throw new Error(`lookups: ${hits} hits, expected ${want}`);
    best = Math.max(best, QUERIES / s);
  }
  return best;
}

interface Subject {
  insert(i: number): void;
  look(k0: number, k1: number): boolean;
  bytes: number;
}

/** Builds the subject, inserts flows 0..N-1 into it, reads RSS, then times lookups. */
function measure(make: () => Subject): Result {
  gc();
  const rssBeforeMb = rssMb();
  const subject = make();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) subject.insert(i);
  const insertPerS = N / (Number(process.hrtime.bigint() - t0) / 1e9);
  gc();
  const rss = rssMb();
  const look = subject.look;
  return { bytes: subject.bytes, rssBeforeMb, rssMb: rss, insertPerS, hitPerS: lookups(look, queries(N, true), QUERIES), missPerS: lookups(look, queries(N, false), 0) };
}

function ours(): Subject {
  const t = new SessionTable({ maxSessions: N });
  return {
    insert: (i) => {
      if (t.insert(keyK0(i), keyK1(i), i & 0xff, 1000) < 0) throw new Error(`insert ${i} refused`);
    },
    look: (k0, k1) => t.find(k0, k1) >= 0,
    bytes: t.bytes,
  };
}

function jsMap(): Subject {
  const m = new Map<number, number>();
  return {
    insert: (i) => {
      m.set(keyK0(i) * 4294967296 + keyK1(i), i & 0xff);
    },
    look: (k0, k1) => m.get(k0 * 4294967296 + k1) !== undefined,
    bytes: NaN,
  };
}

function child(kind: 'ours' | 'map'): Result {
  const args = ['--expose-gc', ...(kind === 'map' ? ['--max-old-space-size=16384'] : []), '--import', 'tsx', fileURLToPath(import.meta.url), '--sessions', String(N), '--child', kind];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${kind} child failed (${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Result;
}

if (values.child) {
  process.stdout.write(`${JSON.stringify(measure(values.child === 'map' ? jsMap : ours))}\n`);
} else {
  const ours = child('ours');
  const map = child('map');
  const perSession = (r: Result) => ((r.rssMb - r.rssBeforeMb) * 2 ** 20) / N;
  const m = (x: number) => `${(x / 1e6).toFixed(2)} M/s`;
  const rows: [string, string, string, string][] = [
    ['what', 'ours', 'Map', 'goal'],
    [`RSS at ${(N / 1e6).toFixed(1)} M sessions`, `${ours.rssMb.toFixed(0)} MB`, `${map.rssMb.toFixed(0)} MB`, N === 12e6 ? '<= 600 MB' : ''],
    ['RSS per session (less the empty process)', `${perSession(ours).toFixed(1)} B`, `${perSession(map).toFixed(1)} B`, '<= 50 B'],
    ['table bytes per session', `${(ours.bytes / N).toFixed(1)} B`, 'n/a', ''],
    ['inserts/s', m(ours.insertPerS), m(map.insertPerS), ''],
    ['lookups/s, random hits (one core)', m(ours.hitPerS), m(map.hitPerS), '>= 5 M/s'],
    ['lookups/s, random misses (one core)', m(ours.missPerS), m(map.missPerS), '>= 5 M/s'],
  ];
  const w = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(w[c])).join(' | '));
}
