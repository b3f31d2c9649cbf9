// Per-minute aggregation of probe samples: the console feeds every uploaded sample in (its hot
// path: 1,000 agents x 2,000 peers / 10 s = 200 k samples/s) and flushes complete minutes as
// rows per server pair and per ToR, room and site pair, with exact nearest-rank percentiles
// over the merged samples. Samples are kept per minute in flat typed arrays (pair number,
// round trip, class), pairs interned to integers through a map per source, so add() allocates
// nothing per sample; flush() groups them with a counting sort.
//
//   createMinuteAggregator(idx: TopologyIndex, o?: { slackMs?: number }): MinuteAggregator
//     add(srcDeviceId, target, atMs, rttUs, err): void   err: PROBE_ERRORS index (0 ok)
//     flush(beforeMs): MinuteAggregate[]   every minute m (start, ms) with m < floor(beforeMs / 60 s) x 60 s,
//                                          oldest first; server rows, then tor, room, site rows
//     pending(): number                    samples held
//     late(): number                       samples that came for a minute already flushed: they
//                                          open it again and the next flush returns rows of that
//                                          minute covering only them (the caller merges or drops them)
//
// Counting, as Pingmesh on Linux: a TCP sample with err 0 is ok, and counts one drop when its
// connect took a SYN retransmission timeout or two (synDrops with slackMs, default 200); a TCP
// error counts as failed (a dead target is not packet loss). UDP, ICMP and DNS: a timeout is a
// drop when the pair had a success in the same minute, else failed; other errors failed.
// Percentiles over ok samples; a row with no ok sample has 0 percentiles. Host targets
// (intra-tor, inter-tor, inter-site) between two topology hosts also go into the ToR, room and
// site pair rows; DNS and public targets are server rows with dst = the target's id. Kinds of
// one pair (tcp and udp entries of the same peer) are one pair. Pairs stay interned for the
// aggregator's life: make a new one with the new index when the topology changes.
import { synDrops, type ProbeTarget } from '../agent-protocol/probe';
import type { MatrixLevel } from '../domain/probe';
import type { TopologyIndex } from './topology';

export interface MinuteAggregate {
  /** The minute's start (ms). */
  readonly minute: number;
  readonly level: MatrixLevel;
  /** Device ids (server level; dst is a resolver's or public target's id for those), ToR, room or site ids. */
  readonly src: string;
  readonly dst: string;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly ok: number;
  readonly drops: number;
  readonly failed: number;
}

export interface MinuteAggregator {
  add(srcDeviceId: string, target: ProbeTarget, atMs: number, rttUs: number, err: number): void;
  flush(beforeMs: number): MinuteAggregate[];
  pending(): number;
  late(): number;
}

const MINUTE = 60_000;
const OK = 0, OK_DROP = 1, FAILED = 2, TIMEOUT = 3;

interface Bucket {
  minute: number;
  n: number;
  pair: Int32Array;
  rtt: Int32Array;
  cls: Uint8Array;
}

/** Sorts a[from, to) in place: insertion sort for the short runs of one pair's minute, the built-in sort beyond. */
function sortRun(a: Int32Array, from: number, to: number): void {
  if (to - from > 24) {
    a.subarray(from, to).sort();
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= from && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/** Nearest-rank percentile of a sorted segment. */
function rank(sorted: Int32Array, from: number, n: number, p: number): number {
  if (n === 0) return 0;
  return sorted[from + Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
}

export function createMinuteAggregator(idx: TopologyIndex, o: { slackMs?: number } = {}): MinuteAggregator {
  const slackMs = o.slackMs ?? 200;
  if (!(slackMs > 0 && slackMs < 1000)) throw new RangeError(`createMinuteAggregator: slackMs must be above 0 and below 1000, got ${slackMs}`);

  // Interned pairs.
  const bySrc = new Map<string, Map<string, number>>();
  const pairSrc: string[] = [];
  const pairDst: string[] = [];
  let pairSrcHost = new Int32Array(1024);
  let pairDstHost = new Int32Array(1024);
  let pairs = 0;
  let lastSrc: string | null = null;
  let lastMap = new Map<string, number>();

  const intern = (src: string, target: ProbeTarget): number => {
    if (pairs === pairSrcHost.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      pairSrcHost = grow(pairSrcHost);
      pairDstHost = grow(pairDstHost);
    }
    const p = pairs++;
    pairSrc[p] = src;
    pairDst[p] = target.id;
    const toHost = target.level === 'intra-tor' || target.level === 'inter-tor' || target.level === 'inter-site';
    pairSrcHost[p] = idx.hostIndex.get(src) ?? -1;
    pairDstHost[p] = toHost ? (idx.hostIndex.get(target.id) ?? -1) : -1;
    lastMap.set(target.id, p);
    return p;
  };

  // Minute buckets, with freed ones kept for reuse.
  const buckets = new Map<number, Bucket>();
  const spare: Bucket[] = [];
  let lastMinute = NaN;
  let last: Bucket | null = null;
  let held = 0;
  let lateCount = 0;
  let flushedBefore = -Infinity;

  const bucketFor = (minute: number): Bucket => {
    let b = buckets.get(minute);
    if (b === undefined) {
      b = spare.pop() ?? { minute, n: 0, pair: new Int32Array(4096), rtt: new Int32Array(4096), cls: new Uint8Array(4096) };
      b.minute = minute;
      b.n = 0;
      buckets.set(minute, b);
    }
    return b;
  };
  const grow = (b: Bucket) => {
    const len = b.pair.length * 2;
    const pair = new Int32Array(len), rtt = new Int32Array(len), cls = new Uint8Array(len);
    pair.set(b.pair);
    rtt.set(b.rtt);
    cls.set(b.cls);
    b.pair = pair;
    b.rtt = rtt;
    b.cls = cls;
  };

  function add(srcDeviceId: string, target: ProbeTarget, atMs: number, rttUs: number, err: number): void {
    if (!(err >= 0 && err <= 5) || (err === 0 && !(rttUs >= 0 && rttUs <= 2_147_483_647)) || !Number.isFinite(atMs)) {
      throw new RangeError(`probe sample from ${srcDeviceId} to ${target.id}: err must be 0..5 with a round trip 0..2^31 us when 0 and a finite time, got err ${err}, rttUs ${rttUs}, at ${atMs}`);
    }
    if (srcDeviceId !== lastSrc) {
      let m = bySrc.get(srcDeviceId);
      if (m === undefined) bySrc.set(srcDeviceId, (m = new Map()));
      lastSrc = srcDeviceId;
      lastMap = m;
    }
    const p = lastMap.get(target.id) ?? intern(srcDeviceId, target);
    const minute = Math.floor(atMs / MINUTE) * MINUTE;
    if (minute !== lastMinute || last === null) {
      last = bucketFor(minute);
      lastMinute = minute;
    }
    let cls: number;
    if (err === 0) cls = target.kind === 'tcp' && synDrops(rttUs, slackMs) > 0 ? OK_DROP : OK;
    else cls = err === 1 && target.kind !== 'tcp' ? TIMEOUT : FAILED;
    const b = last;
    if (b.n === b.pair.length) grow(b);
    b.pair[b.n] = p;
    b.rtt[b.n] = err === 0 ? rttUs : 0;
    b.cls[b.n] = cls;
    b.n++;
    held++;
    if (minute < flushedBefore) lateCount++;
  }

  // Scratch for flush: per pair, its slot in the bucket being flushed.
  let stamp = new Int32Array(0);
  let slot = new Int32Array(0);
  let epoch = 0;

  function flushBucket(b: Bucket, out: MinuteAggregate[]): void {
    if (stamp.length < pairs) {
      stamp = new Int32Array(pairSrcHost.length);
      slot = new Int32Array(pairSrcHost.length);
      epoch = 0;
    }
    epoch++;
    const local: number[] = [];
    for (let i = 0; i < b.n; i++) {
      const p = b.pair[i];
      if (stamp[p] !== epoch) {
        stamp[p] = epoch;
        slot[p] = local.length;
        local.push(p);
      }
    }
    const L = local.length;
    const ok = new Int32Array(L), drops = new Int32Array(L), failed = new Int32Array(L), timeouts = new Int32Array(L);
    for (let i = 0; i < b.n; i++) {
      const s = slot[b.pair[i]];
      const c = b.cls[i];
      if (c === OK) ok[s]++;
      else if (c === OK_DROP) {
        ok[s]++;
        drops[s]++;
      } else if (c === FAILED) failed[s]++;
      else timeouts[s]++;
    }
    // Counting sort of the ok round trips by pair, then each pair's run sorted.
    const start = new Int32Array(L + 1);
    for (let s = 0; s < L; s++) start[s + 1] = start[s] + ok[s];
    const fill = start.slice(0, L);
    const rtts = new Int32Array(start[L]);
    for (let i = 0; i < b.n; i++) if (b.cls[i] <= OK_DROP) rtts[fill[slot[b.pair[i]]]++] = b.rtt[i];
    for (let s = 0; s < L; s++) sortRun(rtts, start[s], start[s + 1]);
    for (let s = 0; s < L; s++) {
      if (ok[s] > 0) drops[s] += timeouts[s];
      else failed[s] += timeouts[s];
      const p = local[s];
      out.push({
        minute: b.minute, level: 'server', src: pairSrc[p], dst: pairDst[p],
        p50Us: rank(rtts, start[s], ok[s], 0.5), p90Us: rank(rtts, start[s], ok[s], 0.9), p99Us: rank(rtts, start[s], ok[s], 0.99),
        ok: ok[s], drops: drops[s], failed: failed[s],
      });
    }

    // Group levels: the server pairs between two hosts, merged by ToR, room and site pair.
    const t = idx.topology;
    const levels = [
      { level: 'tor' as const, of: idx.hostTor, ids: t.tors },
      { level: 'room' as const, of: idx.hostRoom, ids: t.rooms },
      { level: 'site' as const, of: idx.hostSite, ids: t.sites },
    ];
    const group = new Int32Array(L);
    for (const { level, of, ids } of levels) {
      // Each server pair's group (-1: not between two hosts), then a counting sort of the round trips by group.
      const G = ids.length;
      const numberOf = new Map<number, number>();
      const keys: number[] = [];
      for (let s = 0; s < L; s++) {
        const p = local[s];
        const a = pairSrcHost[p], d = pairDstHost[p];
        if (a < 0 || d < 0) {
          group[s] = -1;
          continue;
        }
        const key = of[a] * G + of[d];
        let g = numberOf.get(key);
        if (g === undefined) {
          numberOf.set(key, (g = keys.length));
          keys.push(key);
        }
        group[s] = g;
      }
      const N = keys.length;
      const gOk = new Int32Array(N), gDrops = new Int32Array(N), gFailed = new Int32Array(N);
      for (let s = 0; s < L; s++) {
        const g = group[s];
        if (g < 0) continue;
        gOk[g] += ok[s];
        gDrops[g] += drops[s];
        gFailed[g] += failed[s];
      }
      const gStart = new Int32Array(N + 1);
      for (let g = 0; g < N; g++) gStart[g + 1] = gStart[g] + gOk[g];
      const gFill = gStart.slice(0, N);
      const merged = new Int32Array(gStart[N]);
      for (let s = 0; s < L; s++) {
        const g = group[s];
        if (g < 0) continue;
        let at = gFill[g];
        for (let j = start[s]; j < start[s + 1]; j++) merged[at++] = rtts[j];
        gFill[g] = at;
      }
      const order = Array.from(keys.keys()).sort((x, y) => keys[x] - keys[y]);
      for (const g of order) {
        sortRun(merged, gStart[g], gStart[g + 1]);
        const key = keys[g];
        out.push({
          minute: b.minute, level, src: ids[Math.floor(key / G)].id, dst: ids[key % G].id,
          p50Us: rank(merged, gStart[g], gOk[g], 0.5), p90Us: rank(merged, gStart[g], gOk[g], 0.9), p99Us: rank(merged, gStart[g], gOk[g], 0.99),
          ok: gOk[g], drops: gDrops[g], failed: gFailed[g],
        });
      }
    }
  }

  function flush(beforeMs: number): MinuteAggregate[] {
    if (!Number.isFinite(beforeMs)) throw new RangeError(`MinuteAggregator.flush: beforeMs must be a finite time in ms, got ${beforeMs}`);
    const cutoff = Math.floor(beforeMs / MINUTE) * MINUTE;
    const due = [...buckets.values()].filter((b) => b.minute < cutoff).sort((a, b) => a.minute - b.minute);
    const out: MinuteAggregate[] = [];
    for (const b of due) {
      flushBucket(b, out);
      held -= b.n;
      buckets.delete(b.minute);
      if (spare.length < 2) spare.push(b);
      if (last === b) last = null;
    }
    if (cutoff > flushedBefore) flushedBefore = cutoff;
    return out;
  }

  return { add, flush, pending: () => held, late: () => lateCount };
}
