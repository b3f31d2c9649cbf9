// The probe quality daily report: per room (with a subtotal per site and an all row) the day's
// probes answered, drops and failed probes, P50, P99, worst-minute P99, drop rate and the SLA
// share of minutes under the matrix's red thresholds; a second table of the worst server pairs;
// a chart of the SLA share per room. computeProbeQuality and probeQualityDocument are pure
// (stored probe rows and places in, numbers and a ReportDocument out); buildProbeQualityReport
// reads the store (probe-repository.ts's window, minutes or the hours they were rolled into).
//
// Definitions (also written into the report, probe-quality-text.ts):
//   rows          room: the room-level rows with the room as source (every probe from its
//                 servers to any server); site: the site-level rows with the site as source;
//                 all: every site's site-level rows. DNS and public targets are server rows
//                 only, so they are in no group (nor in the pairs: host to host only).
//   minute figure a group's pairs of one minute folded by the repository's rule (foldColumn):
//                 counts summed, P50 weighted by answered probes, P99 the worst pair's.
//   P50           the day's fold: sum(minute P50 x answered) / sum(answered), rounded to 1 us.
//   P99           nearest-rank 99th percentile of the minute P99s of the minutes with an
//                 answered probe (ok > 0), each minute counting once.
//   worst P99     the largest minute P99.
//   drop rate     drops / answered (dropRate of src-shared/domain/probe.ts); null when none answered.
//   SLA share     good minutes / minutes with data; a minute has data when ok + failed > 0, and
//                 is good when ok > 0, P99 < p99BadUs and drop rate < dropBad (the stored
//                 thresholds, else DEFAULT_PROBE_THRESHOLDS). Null with no minute of data.
//   hours         minutes older than the retention are rolled into hours (P99 the worst
//                 minute's); an hour row counts as 60 minutes (weight 60) everywhere above.
//   worst pairs   server-level cells whose source and destination are inventory devices, folded
//                 over the day per (src, dst); ranked by minutes out of the SLA (data, not good),
//                 then drop rate, then worst-minute P99, then src and dst ids; the first N (10).
import { DEFAULT_PROBE_THRESHOLDS, dropRate, type MatrixLevel, type ProbeThresholds } from '../../../src-shared/domain/probe';
import type { CoreStore } from '../store/core-store';
import { emptyFold, foldColumn, foldedP50, foldInto, type Folded, type SourceRow } from '../store/probe-repository';
import { GROUP_KEYS, PAIR_KEYS, probeQualityText } from './probe-quality-text';
import type { ReportColumn, ReportDocument, ReportLocale, ReportRow } from './report-document';

export const WORST_PAIRS = 10;
const HOUR_WEIGHT = 60;

/** A stored row with the minutes it stands for: 1, or 60 for an hour row. */
export type WeightedRow = SourceRow & { readonly weight: number };

export interface ProbePlaces {
  readonly sites: readonly { readonly id: string; readonly name: string }[];
  readonly rooms: readonly { readonly id: string; readonly siteId: string; readonly name: string }[];
  /** Devices by id: their name and room. */
  readonly hosts: ReadonlyMap<string, { readonly name: string; readonly roomId: string }>;
}

export interface QualityFigures {
  /** Minutes with data (ok + failed > 0); an hour row counts 60. */
  readonly minutes: number;
  readonly goodMinutes: number;
  readonly ok: number;
  readonly drops: number;
  readonly failed: number;
  readonly p50Us: number | null;
  readonly p99Us: number | null;
  readonly worstP99Us: number | null;
  readonly dropRate: number | null;
  readonly sla: number | null;
}

/** A pair's day; no P99 of its minutes (that would keep every minute of every pair): the worst minute's. */
export interface PairQuality extends Omit<QualityFigures, 'p99Us'> {
  readonly src: string;
  readonly dst: string;
}

/** A pair's day folded as its minutes stream by: the day's fold, its minutes with data and good ones. */
interface PairAcc {
  readonly src: string;
  readonly dst: string;
  readonly day: Folded;
  minutes: number;
  goodMinutes: number;
  worst: number | null;
}

export interface ProbeQualityResult {
  readonly thresholds: ProbeThresholds;
  readonly rooms: ReadonlyMap<string, QualityFigures>;
  readonly sites: ReadonlyMap<string, QualityFigures>;
  readonly all: QualityFigures;
  /** The worst pairs, worst first (at most `worst`). */
  readonly pairs: readonly PairQuality[];
}

/** One minute (or hour) of a group, folded over its pairs. */
interface Slot {
  readonly f: Folded;
  readonly w: number;
}

/** Nearest-rank percentile p (0..1) of weighted values; null for none. */
export function weightedRank(values: readonly { v: number; w: number }[], p: number): number | null {
  const total = values.reduce((a, x) => a + x.w, 0);
  if (!total) return null;
  const sorted = [...values].sort((a, b) => a.v - b.v);
  const rank = Math.min(total, Math.max(1, Math.ceil(p * total)));
  let seen = 0;
  for (const x of sorted) {
    seen += x.w;
    if (seen >= rank) return x.v;
  }
  return sorted[sorted.length - 1].v;
}

const good = (f: Folded, th: ProbeThresholds): boolean => f.ok > 0 && f.p99Us < th.p99BadUs && dropRate(f.ok, f.drops) < th.dropBad;
const hasData = (f: Folded): boolean => f.ok + f.failed > 0;

/** A group's (or pair's) day from its slots. */
function figures(slots: Iterable<Slot>, th: ProbeThresholds): QualityFigures {
  const day = emptyFold();
  const p99s: { v: number; w: number }[] = [];
  let minutes = 0;
  let goodMinutes = 0;
  let worst: number | null = null;
  for (const s of slots) {
    foldInto(day, s.f);
    if (!hasData(s.f)) continue;
    minutes += s.w;
    if (good(s.f, th)) goodMinutes += s.w;
    if (s.f.ok > 0) {
      p99s.push({ v: s.f.p99Us, w: s.w });
      worst = Math.max(worst ?? 0, s.f.p99Us);
    }
  }
  return {
    minutes, goodMinutes, ok: day.ok, drops: day.drops, failed: day.failed,
    p50Us: day.ok ? foldedP50(day) : null,
    p99Us: weightedRank(p99s, 0.99),
    worstP99Us: worst,
    dropRate: day.ok ? dropRate(day.ok, day.drops) : null,
    sla: minutes ? goodMinutes / minutes : null,
  };
}

/** Folds rows into per-group, per-minute slots; group is the row's source (or one key for all). */
function slotsBy(rows: Iterable<WeightedRow>, groupOf: (src: string) => string | undefined): Map<string, Map<number, { f: Folded; w: number }>> {
  const out = new Map<string, Map<number, { f: Folded; w: number }>>();
  for (const r of rows) {
    const g = groupOf(r.src);
    if (g === undefined) continue;
    let byAt = out.get(g);
    if (!byAt) out.set(g, (byAt = new Map()));
    let s = byAt.get(r.at);
    if (!s) byAt.set(r.at, (s = { f: emptyFold(), w: r.weight }));
    for (let i = 0; i < r.dst.length; i++) foldColumn(s.f, r, i);
  }
  return out;
}

export interface ProbeQualityInput {
  readonly room: Iterable<WeightedRow>;
  readonly site: readonly WeightedRow[];
  readonly server: Iterable<WeightedRow>;
}

/** The report's numbers from the day's stored rows at the room, site and server levels. */
export function computeProbeQuality(places: ProbePlaces, rows: ProbeQualityInput, th: ProbeThresholds, worst = WORST_PAIRS): ProbeQualityResult {
  const roomIds = new Set(places.rooms.map((r) => r.id));
  const siteIds = new Set(places.sites.map((s) => s.id));
  const byRoom = slotsBy(rows.room, (src) => (roomIds.has(src) ? src : undefined));
  const bySite = slotsBy(rows.site, (src) => (siteIds.has(src) ? src : undefined));
  const all = slotsBy(rows.site, (src) => (siteIds.has(src) ? '' : undefined)).get('') ?? new Map();
  const pairs = new Map<string, PairAcc>();
  const minute = emptyFold();
  for (const r of rows.server) {
    if (!places.hosts.has(r.src)) continue;
    for (let i = 0; i < r.dst.length; i++) {
      const dst = r.dst[i];
      if (!places.hosts.has(dst)) continue;
      const key = `${r.src}\n${dst}`;
      let p = pairs.get(key);
      if (!p) pairs.set(key, (p = { src: r.src, dst, day: emptyFold(), minutes: 0, goodMinutes: 0, worst: null }));
      Object.assign(minute, emptyFold());
      foldColumn(minute, r, i);
      foldInto(p.day, minute);
      if (!hasData(minute)) continue;
      p.minutes += r.weight;
      if (good(minute, th)) p.goodMinutes += r.weight;
      if (minute.ok > 0) p.worst = Math.max(p.worst ?? 0, minute.p99Us);
    }
  }
  const ranked = [...pairs.values()]
    .map((p): PairQuality => ({
      src: p.src, dst: p.dst, minutes: p.minutes, goodMinutes: p.goodMinutes, ok: p.day.ok, drops: p.day.drops, failed: p.day.failed,
      p50Us: p.day.ok ? foldedP50(p.day) : null, worstP99Us: p.worst, dropRate: p.day.ok ? dropRate(p.day.ok, p.day.drops) : null,
      sla: p.minutes ? p.goodMinutes / p.minutes : null,
    }))
    .sort((a, b) => (b.minutes - b.goodMinutes) - (a.minutes - a.goodMinutes) || (b.dropRate ?? 0) - (a.dropRate ?? 0)
      || (b.worstP99Us ?? 0) - (a.worstP99Us ?? 0) || a.src.localeCompare(b.src) || a.dst.localeCompare(b.dst));
  const of = (m: Map<string, Map<number, Slot>>, ids: Iterable<string>): Map<string, QualityFigures> =>
    new Map([...ids].map((id) => [id, figures(m.get(id)?.values() ?? [], th)]));
  return {
    thresholds: th,
    rooms: of(byRoom, roomIds),
    sites: of(bySite, siteIds),
    all: figures(all.values(), th),
    pairs: ranked.slice(0, worst),
  };
}

export interface ProbeQualityDocumentOptions {
  readonly locale: ReportLocale;
  readonly period: { readonly from: number; readonly to: number };
  readonly generatedAt: number;
  readonly timeZone?: string;
}

/** A local date (and time) for the title, as rack-power.ts writes it. */
export function localTime(ms: number, timeZone: string | undefined, withTime: boolean): string {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
  });
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}${withTime ? ` ${p.hour}:${p.minute}` : ''}`;
}

const msOf = (us: number | null): number | null => (us === null ? null : us / 1000);

function columnOf(key: string, label: string): ReportColumn {
  if (key === 'site' || key === 'room' || key === 'src' || key === 'srcRoom' || key === 'dst' || key === 'dstRoom') return { key, label, kind: 'text' };
  if (key === 'p50' || key === 'p99' || key === 'worstP99') return { key, label, kind: 'number', unit: 'ms', decimals: 2 };
  if (key === 'dropRate') return { key, label, kind: 'percent', decimals: 3 };
  if (key === 'sla') return { key, label, kind: 'percent', decimals: 1 };
  return { key, label, kind: 'int' };
}

const cellsOf = (q: QualityFigures): Record<string, number | null> => ({
  minutes: q.minutes, ok: q.ok, drops: q.drops, failed: q.failed, p50: msOf(q.p50Us), p99: msOf(q.p99Us), worstP99: msOf(q.worstP99Us),
  dropRate: q.dropRate, sla: q.sla,
});

/** The ReportDocument: the per-room table (site subtotals, the all row), the worst pairs, the SLA chart. */
export function probeQualityDocument(places: ProbePlaces, result: ProbeQualityResult, o: ProbeQualityDocumentOptions): ReportDocument {
  const t = probeQualityText(o.locale);
  const rows: ReportRow[] = [];
  const labels: string[] = [];
  const values: (number | null)[] = [];
  for (const site of places.sites) {
    for (const room of places.rooms.filter((r) => r.siteId === site.id)) {
      const q = result.rooms.get(room.id)!;
      rows.push({ level: 'detail', cells: { site: site.name, room: room.name, ...cellsOf(q) } });
      labels.push(room.name);
      values.push(q.sla === null ? null : q.sla * 100);
    }
    rows.push({ level: 'site', cells: { site: site.name, room: t.subtotal, ...cellsOf(result.sites.get(site.id)!) } });
  }
  rows.push({ level: 'all', cells: { site: t.all, room: '', ...cellsOf(result.all) } });
  const roomName = new Map(places.rooms.map((r) => [r.id, r.name]));
  const host = (id: string): { name: string; room: string } => {
    const h = places.hosts.get(id);
    return { name: h?.name ?? id, room: h ? (roomName.get(h.roomId) ?? h.roomId) : '' };
  };
  const pairRows: ReportRow[] = result.pairs.map((p, i) => {
    const s = host(p.src);
    const d = host(p.dst);
    return {
      cells: {
        rank: i + 1, src: s.name, srcRoom: s.room, dst: d.name, dstRoom: d.room, ok: p.ok, p50: msOf(p.p50Us), worstP99: msOf(p.worstP99Us),
        dropRate: p.dropRate, failed: p.failed, badMinutes: p.minutes - p.goodMinutes, sla: p.sla,
      },
    };
  });
  return {
    kind: 'probe-quality',
    title: `${t.title} ${localTime(o.period.from, o.timeZone, false)}`,
    subtitle: t.period(localTime(o.period.from, o.timeZone, true), localTime(o.period.to, o.timeZone, true)),
    locale: o.locale,
    generatedAt: o.generatedAt,
    period: { from: o.period.from, to: o.period.to },
    definitions: t.definitions(result.thresholds),
    tables: [
      { title: t.tableTitle, columns: GROUP_KEYS.map((k) => columnOf(k, t.columns[k])), rows },
      { title: t.pairsTitle(WORST_PAIRS), columns: PAIR_KEYS.map((k) => columnOf(k, t.pairColumns[k])), rows: pairRows },
    ],
    charts: labels.length ? [{ title: t.chartTitle, labels, series: [{ name: t.chartSeries, values }], unit: '%' }] : [],
  };
}

/** Sites, rooms and every device's name and room, from the inventory. */
export function probePlaces(store: Pick<CoreStore, 'inventory'>): ProbePlaces {
  const doc = store.inventory.document();
  const roomOfRow = new Map(doc.rows.map((r) => [r.id, r.roomId]));
  const roomOfCabinet = new Map(doc.cabinets.map((c) => [c.id, roomOfRow.get(c.rowId) ?? '']));
  return {
    sites: doc.sites.map((s) => ({ id: s.id, name: s.name })),
    rooms: doc.rooms.map((r) => ({ id: r.id, siteId: r.siteId, name: r.name })),
    hosts: new Map(doc.devices.map((d) => [d.id, { name: d.hostname, roomId: roomOfCabinet.get(d.cabinetId) ?? '' }])),
  };
}

/** A level's stored rows of [from, to), hour rows (before the oldest stored minute) weighted 60. */
export function* probeRows(store: Pick<CoreStore, 'probes'>, level: MatrixLevel, from: number, to: number): Generator<WeightedRow> {
  const lo = store.probes.range(level)?.from ?? to;
  for (const r of store.probes.window(level, from, to)) {
    if (r.at < from) continue; // an hour that began before the day (a zone off the hour)
    yield { ...r, weight: r.at < lo ? HOUR_WEIGHT : 1 };
  }
}

export interface ProbeQualityReportOptions {
  readonly from: number;
  readonly to: number;
  readonly locale: ReportLocale;
  readonly timeZone?: string;
  readonly now?: () => number;
  /** Default: the stored matrix thresholds, else DEFAULT_PROBE_THRESHOLDS. */
  readonly thresholds?: ProbeThresholds;
}

/** The probe quality report for [from, to), from the store's inventory and probe aggregates. */
export function buildProbeQualityReport(store: Pick<CoreStore, 'inventory' | 'probes'>, o: ProbeQualityReportOptions): { document: ReportDocument; result: ProbeQualityResult } {
  probeQualityText(o.locale);
  if (!Number.isFinite(o.from) || !Number.isFinite(o.to) || o.to <= o.from) throw new RangeError(`probe quality: the period must be [from, to) with from < to, got [${o.from}, ${o.to})`);
  const places = probePlaces(store);
  const th = o.thresholds ?? store.probes.thresholds() ?? DEFAULT_PROBE_THRESHOLDS;
  const result = computeProbeQuality(places, {
    room: probeRows(store, 'room', o.from, o.to),
    site: [...probeRows(store, 'site', o.from, o.to)],
    server: probeRows(store, 'server', o.from, o.to),
  }, th);
  const document = probeQualityDocument(places, result, { locale: o.locale, period: { from: o.from, to: o.to }, generatedAt: (o.now ?? Date.now)(), timeZone: o.timeZone });
  return { document, result };
}
