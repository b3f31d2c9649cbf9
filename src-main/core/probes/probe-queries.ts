// The probe capability's reads over the stored aggregates: a window's matrix at a level (cells
// merged over the window's minutes: counts summed, p50 weighted by successful probes, p99 the
// worst minute's, since percentiles do not add), one pair's minutes both ways, the window's
// server-level pairs for the localiser, and the public network's figures per vantage site.
import type { PublicQuality } from '../../../src-shared/api';
import { CELL_WORDS, type MatrixLevel, type PairFigures, type PairMinute, type ProbeHost, type ProbeMatrix, type ProbeTopology } from '../../../src-shared/domain/probe';
import { emptyFold, foldColumn, foldedP50, foldInto, type Folded, type ProbeRepository, type SourceRow } from '../store/probe-repository';
import { axisOf, levelMembers } from './matrix-axes';

const MINUTE = 60_000;

export interface QueryContext {
  readonly store: ProbeRepository;
  readonly topology: () => ProbeTopology;
  /** A host's agent is connected now. */
  readonly live: (h: ProbeHost) => boolean;
  readonly now: () => number;
}

/** The window [from, to) ending at `at` (default: just after the newest minute stored). */
export function windowOf(c: QueryContext, at: number | undefined, minutes: number | undefined): { from: number; to: number } {
  const newest = c.store.newestMinute();
  const to = at !== undefined ? Math.floor(at / MINUTE) * MINUTE + MINUTE : newest !== null ? newest + MINUTE : Math.floor(c.now() / MINUTE) * MINUTE;
  return { from: to - (minutes ?? 1) * MINUTE, to };
}

/** Per (src, dst), folded over a window's minutes (probe-repository.ts's rule). */
export type Merged = Map<string, Map<string, Folded>>;

export function merge(rows: Iterable<SourceRow>, keepSrc?: (src: string) => boolean): Merged {
  const out: Merged = new Map();
  for (const r of rows) {
    if (keepSrc && !keepSrc(r.src)) continue;
    let bySrc = out.get(r.src);
    if (!bySrc) out.set(r.src, (bySrc = new Map()));
    for (let i = 0; i < r.dst.length; i++) {
      let f = bySrc.get(r.dst[i]);
      if (!f) bySrc.set(r.dst[i], (f = emptyFold()));
      foldColumn(f, r, i);
    }
  }
  return out;
}

export function matrix(c: QueryContext, a: { level: MatrixLevel; at?: number; minutes?: number; tors?: readonly [string, string] }): ProbeMatrix {
  const t = c.topology();
  const members = levelMembers(t, a.level, a.tors);
  const rows = axisOf(t, a.level, members, c.live);
  const w = windowOf(c, a.at, a.minutes);
  const index = new Map(members.map((m, i) => [m.id, i]));
  const merged = merge(c.store.window(a.level, w.from, w.to), (src) => index.has(src));
  const n = members.length;
  const cells = new Uint32Array(n * n * CELL_WORDS);
  for (const [src, dsts] of merged) {
    const i = index.get(src)!;
    for (const [dst, v] of dsts) {
      const j = index.get(dst);
      if (j === undefined) continue;
      const o = (i * n + j) * CELL_WORDS;
      cells[o] = foldedP50(v);
      cells[o + 1] = v.p99Us;
      cells[o + 2] = v.ok;
      cells[o + 3] = (Math.min(v.drops, 0xffff) << 16) | Math.min(v.failed, 0xffff);
    }
  }
  const range = c.store.range(a.level);
  return {
    level: a.level, from: w.from, to: w.to, rows, cols: rows,
    cells: Buffer.from(cells.buffer, cells.byteOffset, cells.byteLength).toString('base64'),
    range: range ? { from: range.from, to: range.to + MINUTE } : null,
  };
}

export function pair(c: QueryContext, a: { level: MatrixLevel; a: string; b: string; from?: number; to?: number }): PairFigures {
  const to = a.to ?? c.now();
  const from = a.from ?? to - 24 * 3_600_000;
  const series = (src: string, dst: string): PairMinute[] => {
    const out: PairMinute[] = [];
    for (const r of c.store.window(a.level, from, to, src)) {
      const i = r.dst.indexOf(dst);
      if (i >= 0) out.push({ at: r.at, p50Us: r.p50Us[i], p90Us: r.p90Us[i], p99Us: r.p99Us[i], ok: r.ok[i], drops: r.drops[i], failed: r.failed[i] });
    }
    return out;
  };
  return { level: a.level, a: a.a, b: a.b, forward: series(a.a, a.b), reverse: series(a.b, a.a) };
}

/** The window's server-level pairs between hosts, and from hosts to the external targets named (the resolvers), for the localiser. */
export function hostPairs(c: QueryContext, w: { from: number; to: number }, externals: ReadonlySet<string> = new Set()): { src: string; dst: string; ok: number; drops: number; failed: number; p99Us: number }[] {
  const hosts = new Set(c.topology().hosts.map((h) => h.deviceId));
  const out: { src: string; dst: string; ok: number; drops: number; failed: number; p99Us: number }[] = [];
  for (const [src, dsts] of merge(c.store.window('server', w.from, w.to), (s) => hosts.has(s))) {
    for (const [dst, v] of dsts) if (hosts.has(dst) || externals.has(dst)) out.push({ src, dst, ok: v.ok, drops: v.drops, failed: v.failed, p99Us: v.p99Us });
  }
  return out;
}

/** Public targets ('prov:<code>:<carrier>') per vantage site: merged over the window and over the site's delegates. */
export function publicQuality(c: QueryContext, w: { from: number; to: number }): PublicQuality {
  const t = c.topology();
  const siteOf = new Map(t.hosts.map((h) => [h.deviceId, h.siteId]));
  const merged = merge(c.store.window('server', w.from, w.to), (s) => siteOf.has(s));
  const bySite = new Map<string, Map<string, Folded>>();
  for (const [src, dsts] of merged) {
    const site = siteOf.get(src)!;
    for (const [dst, v] of dsts) {
      if (!dst.startsWith('prov:')) continue;
      let m = bySite.get(site);
      if (!m) bySite.set(site, (m = new Map()));
      m.set(dst, foldInto(m.get(dst) ?? emptyFold(), v));
    }
  }
  const vantages = t.sites.filter((s) => bySite.has(s.id)).map((s) => ({ siteId: s.id, name: s.name }));
  const ids = [...new Set([...bySite.values()].flatMap((m) => [...m.keys()]))].sort();
  return {
    from: w.from, to: w.to, vantages,
    targets: ids.map((id) => {
      const [, province, carrier] = id.split(':');
      return {
        id, province: province ?? '', carrier: carrier ?? '',
        byVantage: vantages.map((v) => {
          const a = bySite.get(v.siteId)?.get(id);
          if (!a || a.ok + a.failed === 0) return null;
          // Loss here is every probe that did not come back (drops and failures): a province's responder is not ours to call dead.
          return { p50Us: foldedP50(a), p99Us: a.p99Us, loss: (a.drops + a.failed) / (a.ok + a.failed) };
        }),
      };
    }),
  };
}
