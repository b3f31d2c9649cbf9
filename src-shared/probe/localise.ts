// Fault localisation over a window of server-pair figures: what Pingmesh cannot do. A pair is
// bad when its drop rate or P99 crosses the bad thresholds (or most of its probes failed); 007
// (NSDI'18) has every bad pair vote 1/|path| for each component its path crosses; NetBouncer
// (NSDI'19) fits a success rate per component so that a path's success is the product of its
// components' and names only the components the fit implicates, so a component on many good
// paths is cleared (that is what tells a ToR from its uplink: with only the uplink broken, the
// pairs under the ToR stay good).
//
//   localise(idx, pairs, th, o?): ProbeLocalisation
//     pairs: { src, dst, ok, drops, failed, p99Us } per server pair (device ids; pairs whose ends
//       are not both topology hosts, or that touch a host in o.down, are left out). Suspects best
//       first: by the fit, votes breaking ties, each with up to 20 bad pairs (worst first), its bad-pair count, its
//       share of the votes and its fitted success. No bad pair: no suspects.
//   windowPairs(rows: MinuteAggregate[]): LocalisePair[]
//     a window's pairs from its minute rows (server level): counts summed, P99 the worst minute's.
//
// The fit, in -log2 terms: a good pair's path has success 1 (l = 0), a bad one 1/2 (l = 1,
// whatever the metric that made it bad, so drops, failures and latency count alike);
// z_c = -log2(success_c) >= 0 minimises sum_p (l_p - sum_{c in p} z_c)^2 / 2 + lambda sum_c z_c
// by coordinate descent (a few dozen sweeps), only over components on some bad path (the rest
// stay 0) and the paths through them. Two fits: one with pairs bad by loss over every path, one
// with pairs bad by latency over the paths whose latency was judged (not a resolver pair's, not
// an all-failed pair's), so a path that answered on loss only does not clear a slow link; a
// component's z is the larger of the two. fittedSuccess = 2^-z: 0.5 when the component alone
// explains its bad paths; a suspect's must be at most o.implicated (0.75). Scattered bad pairs
// (a healthy window's odd lost SYN) each sit on components whose other paths are good, so none
// is implicated. Inter-site pairs' P99 is judged above their site pair's baseline (the lower
// quartile of the window's P99s between those sites), so a long WAN is not a fault.
import { dropRate, type NetComponent, type ProbeLocalisation, type ProbeSuspect, type ProbeThresholds } from '../domain/probe';
import type { MinuteAggregate } from './aggregate';
import { edgePathComponentNumbers, MAX_PATH, pathComponentNumbers, type TopologyIndex } from './topology';

export interface LocalisePair {
  readonly src: string;
  readonly dst: string;
  readonly ok: number;
  readonly drops: number;
  readonly failed: number;
  readonly p99Us: number;
}

export interface LocaliseOptions {
  /** The window (echoed into the result). */
  readonly from?: number;
  readonly to?: number;
  /** The fit's L1 regulariser, in bad paths (default 1.5: one bad path alone implicates nothing). */
  readonly lambda?: number;
  /** Coordinate descent sweeps (default 40). */
  readonly iterations?: number;
  /** A suspect's fitted success must be at most this (default 0.75). */
  readonly implicated?: number;
  /** A pair with at least this share of its probes failed is bad too (default 0.5; 1 turns it off but for all-failed pairs). */
  readonly failedBad?: number;
  /** Judge inter-site P99s above their site pair's baseline (default true). */
  readonly siteBaseline?: boolean;
  /** At most this many suspects (default 10). */
  readonly maxSuspects?: number;
  /** Hosts whose agent is known down (a white cross): their pairs are left out, so a dead agent is not blamed on its link. */
  readonly down?: ReadonlySet<string>;
  /**
   * Probe targets outside the topology (the anycast resolvers): a host's pairs to them are paths
   * too, through its link, ToR, uplink and spine to the target itself ('target:<id>'), judged
   * by loss and failures only (their latency is not the fabric's). They are what tells a ToR's
   * uplink from the spine and the other ToRs' uplinks when every cross-ToR pair fails alike.
   */
  readonly externals?: ReadonlySet<string>;
}

const EVIDENCE = 20;

export function localise(idx: TopologyIndex, pairs: readonly LocalisePair[], th: ProbeThresholds, o: LocaliseOptions = {}): ProbeLocalisation {
  const lambda = o.lambda ?? 1.5, sweeps = o.iterations ?? 40, implicated = o.implicated ?? 0.75, failedBad = o.failedBad ?? 0.5;
  if (!(lambda >= 0) || !(sweeps >= 1) || !(implicated > 0 && implicated < 1) || !(failedBad > 0 && failedBad <= 1)) {
    throw new RangeError(`localise: lambda must be >= 0, iterations >= 1, implicated in (0, 1), failedBad in (0, 1]; got ${lambda}, ${sweeps}, ${implicated}, ${failedBad}`);
  }
  if (!(th.dropBad > 0) || !(th.p99BadUs > 0)) throw new RangeError(`localise: thresholds dropBad and p99BadUs must be above 0, got ${th.dropBad}, ${th.p99BadUs}`);
  const from = o.from ?? 0, to = o.to ?? 0;

  // The measured pairs between two hosts.
  const S = idx.topology.sites.length;
  // External targets are numbered after the topology's components; a pair to one has dst = -1 - its number.
  const C0 = idx.componentCount;
  const extIds = [...(o.externals ?? [])];
  const extIndex = new Map(extIds.map((id, i) => [id, i]));
  const src: number[] = [], dst: number[] = [], at: number[] = [];
  pairs.forEach((p, i) => {
    if (p.ok + p.failed <= 0 || o.down?.has(p.src) || o.down?.has(p.dst)) return;
    const s = idx.hostIndex.get(p.src);
    const d = idx.hostIndex.get(p.dst) ?? (extIndex.has(p.dst) ? -1 - extIndex.get(p.dst)! : undefined);
    if (s === undefined || d === undefined || s === d) return;
    src.push(s);
    dst.push(d);
    at.push(i);
  });
  const P = at.length;
  const pathOf = (k: number, out: Int32Array): number => {
    if (dst[k] >= 0) return pathComponentNumbers(idx, src[k], dst[k], out);
    const n = edgePathComponentNumbers(idx, src[k], out);
    out[n] = C0 + (-1 - dst[k]);
    return n + 1;
  };
  const componentOf = (c: number): NetComponent => (c < C0 ? idx.component(c) : { id: `target:${extIds[c - C0]}`, kind: 'target', objectId: extIds[c - C0] });

  // Inter-site baselines: the lower quartile of P99 per unordered site pair.
  const baseline = new Map<number, number>();
  if (o.siteBaseline ?? true) {
    const per = new Map<number, number[]>();
    for (let k = 0; k < P; k++) {
      if (dst[k] < 0) continue;
      const a = idx.hostSite[src[k]], b = idx.hostSite[dst[k]];
      if (a === b || pairs[at[k]].ok === 0) continue;
      const key = Math.min(a, b) * S + Math.max(a, b);
      (per.get(key) ?? per.set(key, []).get(key)!).push(pairs[at[k]].p99Us);
    }
    for (const [key, xs] of per) baseline.set(key, xs.sort((x, y) => x - y)[Math.floor((xs.length - 1) / 4)]);
  }
  // A pair is bad by loss (drops or failures) or by latency (P99); each judgement has its own fit below.
  const lossBad = new Uint8Array(P), slowBad = new Uint8Array(P), timed = new Uint8Array(P), bad = new Uint8Array(P);
  let badCount = 0;
  for (let k = 0; k < P; k++) {
    const p = pairs[at[k]];
    const external = dst[k] < 0;
    const a = idx.hostSite[src[k]], b = external ? a : idx.hostSite[dst[k]];
    const base = a === b ? 0 : (baseline.get(Math.min(a, b) * S + Math.max(a, b)) ?? 0);
    timed[k] = !external && p.ok > 0 ? 1 : 0;
    slowBad[k] = timed[k] && p.p99Us >= base + th.p99BadUs ? 1 : 0;
    lossBad[k] = (p.ok > 0 && dropRate(p.ok, p.drops) >= th.dropBad) || p.failed / (p.ok + p.failed) >= failedBad ? 1 : 0;
    bad[k] = lossBad[k] | slowBad[k];
    badCount += bad[k];
  }
  const none: ProbeLocalisation = { from, to, pairs: P, badPairs: badCount, suspects: [] };
  if (badCount === 0) return none;

  // Candidates: the components of bad paths; votes as 007 gives them.
  const C = C0 + extIds.length;
  const votes = new Float64Array(C);
  const badOf = new Int32Array(C);
  const isCandidate = new Uint8Array(C);
  const path = new Int32Array(MAX_PATH);
  for (let k = 0; k < P; k++) {
    if (!bad[k]) continue;
    const n = pathOf(k, path);
    for (let i = 0; i < n; i++) {
      votes[path[i]] += 1 / n;
      badOf[path[i]]++;
      isCandidate[path[i]] = 1;
    }
  }
  // The paths that cross a candidate, with only their candidate components (CSR both ways).
  const rows: number[] = [], rowStart: number[] = [0], cols: number[] = [];
  for (let k = 0; k < P; k++) {
    const n = pathOf(k, path);
    const before = cols.length;
    for (let i = 0; i < n; i++) if (isCandidate[path[i]]) cols.push(path[i]);
    if (cols.length > before) {
      rows.push(k);
      rowStart.push(cols.length);
    }
  }
  const R = rows.length;
  const through = new Int32Array(C + 1);
  for (const c of cols) through[c + 1]++;
  for (let c = 0; c < C; c++) through[c + 1] += through[c];
  const fill = through.slice(0, C);
  const pathsOf = new Int32Array(cols.length);
  for (let r = 0; r < R; r++) for (let j = rowStart[r]; j < rowStart[r + 1]; j++) pathsOf[fill[cols[j]]++] = r;

  // NetBouncer's fit by coordinate descent, candidates visited most-voted first: once over
  // every path judged by loss, once over the paths whose latency was judged (a resolver pair's
  // is not, nor an all-failed pair's), so a path that only answered on loss is no evidence that
  // its links are fast. A component's z is the larger of its two.
  const order = [...Array(C).keys()].filter((c) => isCandidate[c]).sort((a, b) => votes[b] - votes[a] || a - b);
  const fit = (badBy: Uint8Array, judged: Uint8Array | null): Float64Array => {
    const target = Float64Array.from(rows, (k) => badBy[k]);
    const use = Uint8Array.from(rows, (k) => (judged === null ? 1 : judged[k]));
    const pred = new Float64Array(R);
    const zs = new Float64Array(C);
    for (let sweep = 0; sweep < sweeps; sweep++) {
      let moved = 0;
      for (const c of order) {
        let g = 0, n = 0;
        for (let j = through[c]; j < through[c + 1]; j++) {
          const r = pathsOf[j];
          if (use[r] === 0) continue;
          g += target[r] - pred[r];
          n++;
        }
        if (n === 0) continue;
        const next = Math.min(1, Math.max(0, zs[c] + (g - lambda) / n));
        const dz = next - zs[c];
        if (dz === 0) continue;
        zs[c] = next;
        moved = Math.max(moved, Math.abs(dz));
        for (let j = through[c]; j < through[c + 1]; j++) pred[pathsOf[j]] += dz;
      }
      if (moved < 1e-6) break;
    }
    return zs;
  };
  const zLoss = fit(lossBad, null);
  const zSlow = fit(slowBad, timed);
  const z = zLoss.map((x, c) => Math.max(x, zSlow[c]));

  const success = (c: number) => Math.pow(2, -z[c]);
  const suspectsAt = order
    .filter((c) => success(c) <= implicated)
    .sort((a, b) => Math.round((z[b] - z[a]) * 1000) || votes[b] - votes[a] || a - b)
    .slice(0, o.maxSuspects ?? 10);
  if (suspectsAt.length === 0) return none;

  // Evidence: the bad pairs through each suspect, worst first.
  const evidence = new Map<number, { k: number; dr: number; p99: number }[]>(suspectsAt.map((c) => [c, []]));
  for (let r = 0; r < R; r++) {
    const k = rows[r];
    if (!bad[k]) continue;
    for (let j = rowStart[r]; j < rowStart[r + 1]; j++) {
      const list = evidence.get(cols[j]);
      if (list !== undefined) list.push({ k, dr: dropRate(pairs[at[k]].ok, pairs[at[k]].drops), p99: pairs[at[k]].p99Us });
    }
  }
  const suspects: ProbeSuspect[] = suspectsAt.map((c) => {
    const component: NetComponent = componentOf(c);
    const list = evidence.get(c)!.sort((a, b) => b.dr - a.dr || b.p99 - a.p99 || a.k - b.k).slice(0, EVIDENCE);
    return {
      component,
      votes: votes[c] / badCount,
      fittedSuccess: success(c),
      badPairs: badOf[c],
      pairs: list.map((e) => ({ src: pairs[at[e.k]].src, dst: pairs[at[e.k]].dst, p99Us: e.p99, dropRate: e.dr })),
    };
  });
  return { from, to, pairs: P, badPairs: badCount, suspects };
}

export function windowPairs(rows: readonly MinuteAggregate[]): LocalisePair[] {
  const m = new Map<string, { src: string; dst: string; ok: number; drops: number; failed: number; p99Us: number }>();
  for (const r of rows) {
    if (r.level !== 'server') continue;
    const key = `${r.src}\u0000${r.dst}`;
    const had = m.get(key);
    if (had === undefined) m.set(key, { src: r.src, dst: r.dst, ok: r.ok, drops: r.drops, failed: r.failed, p99Us: r.ok > 0 ? r.p99Us : 0 });
    else {
      had.ok += r.ok;
      had.drops += r.drops;
      had.failed += r.failed;
      if (r.ok > 0) had.p99Us = Math.max(had.p99Us, r.p99Us);
    }
  }
  return [...m.values()];
}
