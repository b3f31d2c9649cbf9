// The rack power daily report (seed 000's "资源数据日报-机柜电力" table): per room, with a
// subtotal row per site and an "all" row, the cabinets in total and per category, the
// valid-cabinet rate, the average power utilisation of the valid cabinets and its change
// against the day before. computeRackPower and rackPowerDocument are pure (inventory facts and
// per-PDU day readings in, numbers and a ReportDocument out); buildRackPowerReport reads the
// store (rack-power-readings.ts) and calls them.
//
// Definitions (also written into the report, rack-power-text.ts). Cabinet power is the sum of
// its PDUs' `pdu.power_w`; over the day, the sum of each PDU's mean sample. Every cabinet is in
// exactly one category, tested in this order:
//   empty        no device other than PDUs (a 'retired' device does not count);
//   not opened   ratedPowerKw is 0 (no contracted power), or no device is in service yet:
//                every non-PDU, non-retired device is 'racked' or 'provisioning';
//   invalid      cannot be metered: no PDU in the inventory, or none of its PDUs has a
//                stored `pdu.power_w` series at all (never polled);
//   dirty        a PDU has readings missing (samples in fewer than 90% of the period's hour
//                slots; none at all, or no series while another PDU of the cabinet has one,
//                included), a negative sample, or a sample
//                above 150% of the cabinet's rating (one PDU alone above that is impossible);
//                or the cabinet's mean power is above 150% of its rating;
//   abnormal     clean readings, but mean power above 100% of the rating (overload) or below
//                1% of it (no draw: tripped or switched off while it holds devices in service);
//   valid        the rest; utilisation = mean power / (ratedPowerKw * 1000).
// Valid-cabinet rate = valid / total (null when total is 0). Average utilisation = mean of the
// valid cabinets' utilisations, each counting once (null without valid cabinets). Change = this
// period's average minus the previous period's (each classified on its own readings, both
// with today's inventory), a fraction (0.003 is +0.3 percentage points), null if either is null.
import type { DeviceKind } from '../../../src-shared/domain';
import type { DeviceLifecycle } from '../../../src-shared/domain/device-lifecycle';
import type { CoreStore } from '../store/core-store';
import { hourSlots, readPduDays, type PduDay } from './rack-power-readings';
import { rackPowerText } from './rack-power-text';
import type { ReportChart, ReportColumn, ReportDocument, ReportLocale, ReportRow } from './report-document';

export const RACK_POWER_RULES = { minHourCoverage: 0.9, dirtyAboveRated: 1.5, overloadAboveRated: 1, noDrawBelowRated: 0.01 } as const;

export const CATEGORIES = ['valid', 'dirty', 'invalid', 'notOpened', 'empty', 'abnormal'] as const;
export type CabinetCategory = (typeof CATEGORIES)[number];

export interface RackPowerCabinet {
  readonly id: string;
  readonly name: string;
  readonly roomId: string;
  readonly ratedPowerKw: number;
  readonly devices: readonly { readonly id: string; readonly kind: DeviceKind; readonly lifecycle?: DeviceLifecycle }[];
}

export interface RackPowerInventory {
  readonly sites: readonly { readonly id: string; readonly name: string }[];
  readonly rooms: readonly { readonly id: string; readonly siteId: string; readonly name: string }[];
  readonly cabinets: readonly RackPowerCabinet[];
}

/** One period's readings: PDUs with a stored series, and each PDU's samples folded (absent: none in the period). */
export interface PeriodReadings {
  readonly metered: ReadonlySet<string>;
  readonly days: ReadonlyMap<string, PduDay>;
  /** Hour slots of the period (24 on most days). */
  readonly hours: number;
}

export interface CabinetResult {
  readonly cabinetId: string;
  readonly roomId: string;
  readonly category: CabinetCategory;
  /** Why it is not valid, in words for logs and tests ('missing pdu-1', 'negative pdu-2', ...). */
  readonly reason: string | null;
  /** Mean power over the period, W; null when it has no readings to sum. */
  readonly powerW: number | null;
  /** Mean power / rated: only for valid cabinets. */
  readonly utilisation: number | null;
}

export interface GroupResult {
  readonly counts: Readonly<Record<CabinetCategory, number>> & { readonly total: number };
  readonly validRate: number | null;
  readonly utilisation: number | null;
  readonly previousUtilisation: number | null;
  readonly change: number | null;
}

export interface RackPowerResult {
  readonly cabinets: readonly CabinetResult[];
  readonly rooms: ReadonlyMap<string, GroupResult>;
  readonly sites: ReadonlyMap<string, GroupResult>;
  readonly all: GroupResult;
}

const IN_SERVICE_NOT_YET: ReadonlySet<DeviceLifecycle> = new Set(['racked', 'provisioning']);

/** One cabinet's category over one period. */
export function classifyCabinet(cab: RackPowerCabinet, r: PeriodReadings): CabinetResult {
  const out = (category: CabinetCategory, reason: string | null, powerW: number | null = null, utilisation: number | null = null): CabinetResult => ({
    cabinetId: cab.id, roomId: cab.roomId, category, reason, powerW, utilisation,
  });
  const it = cab.devices.filter((d) => d.kind !== 'pdu' && d.lifecycle !== 'retired');
  if (!it.length) return out('empty', 'no devices');
  const rated = cab.ratedPowerKw;
  if (!Number.isFinite(rated) || rated < 0) throw new RangeError(`rack power: cabinet ${cab.id} has a rated power of ${rated} kW`);
  if (rated === 0) return out('notOpened', 'no rated power');
  if (it.every((d) => d.lifecycle !== undefined && IN_SERVICE_NOT_YET.has(d.lifecycle))) return out('notOpened', 'nothing in service');
  const pdus = cab.devices.filter((d) => d.kind === 'pdu');
  if (!pdus.some((d) => r.metered.has(d.id))) return out('invalid', pdus.length ? 'pdus never read' : 'no pdu');
  const ratedW = rated * 1000;
  const needHours = RACK_POWER_RULES.minHourCoverage * r.hours;
  let powerW = 0;
  let dirty: string | null = null;
  for (const p of pdus) {
    // No sample (silent this period, or never read beside a PDU that is): readings missing.
    const day = r.days.get(p.id);
    if (!day || day.hours < needHours) dirty ??= `missing ${p.id}`;
    if (!day) continue;
    powerW += day.sum / day.n;
    if (day.min < 0) dirty ??= `negative ${p.id}`;
    if (day.max > RACK_POWER_RULES.dirtyAboveRated * ratedW) dirty ??= `above 150% ${p.id}`;
  }
  if (!dirty && powerW > RACK_POWER_RULES.dirtyAboveRated * ratedW) dirty = 'mean above 150%';
  if (dirty) return out('dirty', dirty, powerW);
  const u = powerW / ratedW;
  if (u > RACK_POWER_RULES.overloadAboveRated) return out('abnormal', 'overload', powerW);
  if (u < RACK_POWER_RULES.noDrawBelowRated) return out('abnormal', 'no draw', powerW);
  return out('valid', null, powerW, u);
}

interface Acc {
  counts: Record<CabinetCategory, number> & { total: number };
  util: number;
  prevUtil: number;
  prevValid: number;
}

const newAcc = (): Acc => ({ counts: { total: 0, valid: 0, dirty: 0, invalid: 0, notOpened: 0, empty: 0, abnormal: 0 }, util: 0, prevUtil: 0, prevValid: 0 });

function finish(a: Acc): GroupResult {
  const c = a.counts;
  const utilisation = c.valid ? a.util / c.valid : null;
  const previousUtilisation = a.prevValid ? a.prevUtil / a.prevValid : null;
  return {
    counts: { ...c },
    validRate: c.total ? c.valid / c.total : null,
    utilisation,
    previousUtilisation,
    change: utilisation === null || previousUtilisation === null ? null : utilisation - previousUtilisation,
  };
}

/** The report's numbers: each cabinet's category, and per room, site and fleet the counts and averages. */
export function computeRackPower(inv: RackPowerInventory, day: PeriodReadings, previous: PeriodReadings): RackPowerResult {
  const siteOf = new Map(inv.rooms.map((r) => [r.id, r.siteId]));
  const rooms = new Map<string, Acc>(inv.rooms.map((r) => [r.id, newAcc()]));
  const sites = new Map<string, Acc>(inv.sites.map((s) => [s.id, newAcc()]));
  const all = newAcc();
  const cabinets: CabinetResult[] = [];
  for (const cab of inv.cabinets) {
    const siteId = siteOf.get(cab.roomId);
    const room = rooms.get(cab.roomId);
    const site = siteId === undefined ? undefined : sites.get(siteId);
    if (!room || !site) throw new RangeError(`rack power: cabinet ${cab.id} is in room ${cab.roomId}, which is not in the inventory's rooms and sites`);
    const res = classifyCabinet(cab, day);
    const prev = classifyCabinet(cab, previous);
    cabinets.push(res);
    for (const a of [room, site, all]) {
      a.counts.total++;
      a.counts[res.category]++;
      if (res.utilisation !== null) a.util += res.utilisation;
      if (prev.utilisation !== null) {
        a.prevUtil += prev.utilisation;
        a.prevValid++;
      }
    }
  }
  const done = (m: Map<string, Acc>): Map<string, GroupResult> => new Map([...m].map(([k, a]) => [k, finish(a)]));
  return { cabinets, rooms: done(rooms), sites: done(sites), all: finish(all) };
}

export interface RackPowerDocumentOptions {
  readonly locale: ReportLocale;
  readonly period: { readonly from: number; readonly to: number };
  readonly generatedAt: number;
  /** IANA zone the day is local to, for the dates in the title (default: this process's zone). */
  readonly timeZone?: string;
}

function localTime(ms: number, timeZone: string | undefined, withTime: boolean): string {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
  });
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}${withTime ? ` ${p.hour}:${p.minute}` : ''}`;
}

const COLUMN_KEYS = ['site', 'room', 'total', 'valid', 'dirty', 'invalid', 'notOpened', 'empty', 'abnormal', 'validRate', 'utilisation', 'change'] as const;

/** The ReportDocument of computed numbers: one table (rooms, site subtotals, the all row), one chart per room. */
export function rackPowerDocument(inv: RackPowerInventory, result: RackPowerResult, o: RackPowerDocumentOptions): ReportDocument {
  const t = rackPowerText(o.locale);
  const kindOf = (k: (typeof COLUMN_KEYS)[number]): ReportColumn['kind'] =>
    k === 'site' || k === 'room' ? 'text' : k === 'validRate' || k === 'utilisation' || k === 'change' ? 'percent' : 'int';
  const columns: ReportColumn[] = COLUMN_KEYS.map((key) => ({ key, label: t.columns[key], kind: kindOf(key), ...(kindOf(key) === 'percent' ? { decimals: 1 } : {}) }));
  const row = (site: string, room: string, g: GroupResult, level: ReportRow['level']): ReportRow => ({
    level,
    cells: {
      site, room, total: g.counts.total, valid: g.counts.valid, dirty: g.counts.dirty, invalid: g.counts.invalid, notOpened: g.counts.notOpened,
      empty: g.counts.empty, abnormal: g.counts.abnormal, validRate: g.validRate, utilisation: g.utilisation, change: g.change,
    },
  });
  const rows: ReportRow[] = [];
  const charts: ReportChart[] = [];
  for (const site of inv.sites) {
    const rooms = inv.rooms.filter((r) => r.siteId === site.id);
    for (const room of rooms) {
      const g = result.rooms.get(room.id)!;
      rows.push(row(site.name, room.name, g, 'detail'));
      charts.push({
        title: t.chartTitle(room.name),
        labels: CATEGORIES.map((c) => t.columns[c]),
        series: [{ name: t.chartSeries, values: CATEGORIES.map((c) => g.counts[c]) }],
      });
    }
    rows.push(row(site.name, t.subtotal, result.sites.get(site.id)!, 'site'));
  }
  rows.push(row(t.all, '', result.all, 'all'));
  const day = localTime(o.period.from, o.timeZone, false);
  return {
    kind: 'rack-power',
    title: `${t.title} ${day}`,
    subtitle: t.period(localTime(o.period.from, o.timeZone, true), localTime(o.period.to, o.timeZone, true)),
    locale: o.locale,
    generatedAt: o.generatedAt,
    period: { from: o.period.from, to: o.period.to },
    definitions: t.definitions,
    tables: [{ title: t.tableTitle, columns, rows }],
    charts,
  };
}

/** The inventory as the report needs it, from the store. */
export function rackPowerInventory(store: Pick<CoreStore, 'inventory'>): RackPowerInventory {
  const doc = store.inventory.document();
  const roomOfRow = new Map(doc.rows.map((r) => [r.id, r.roomId]));
  const devices = new Map<string, RackPowerCabinet['devices'][number][]>();
  for (const d of doc.devices) {
    let list = devices.get(d.cabinetId);
    if (!list) devices.set(d.cabinetId, (list = []));
    list.push({ id: d.id, kind: d.kind, lifecycle: d.lifecycle });
  }
  return {
    sites: doc.sites,
    rooms: doc.rooms,
    cabinets: doc.cabinets.map((c) => ({ id: c.id, name: c.name, roomId: roomOfRow.get(c.rowId) ?? '', ratedPowerKw: c.ratedPowerKw, devices: devices.get(c.id) ?? [] })),
  };
}

export interface RackPowerReportOptions {
  /** The local day as [from, to) in ms since the epoch. */
  readonly from: number;
  readonly to: number;
  /** The day before; default [from - (to - from), from). */
  readonly previous?: { readonly from: number; readonly to: number };
  readonly locale: ReportLocale;
  readonly timeZone?: string;
  readonly now?: () => number;
}

/** The rack power daily report for one day, from the store's inventory and `pdu.power_w` series. */
export function buildRackPowerReport(store: Pick<CoreStore, 'db' | 'metrics' | 'inventory'>, o: RackPowerReportOptions): { document: ReportDocument; result: RackPowerResult } {
  rackPowerText(o.locale); // refuses an unknown locale before any reading
  const prev = o.previous ?? { from: o.from - (o.to - o.from), to: o.from };
  const inv = rackPowerInventory(store);
  const pduIds = inv.cabinets.flatMap((c) => c.devices.filter((d) => d.kind === 'pdu').map((d) => d.id));
  const read = (from: number, to: number): PeriodReadings => ({ ...readPduDays(store, pduIds, from, to), hours: hourSlots(from, to) });
  const result = computeRackPower(inv, read(o.from, o.to), read(prev.from, prev.to));
  const document = rackPowerDocument(inv, result, { locale: o.locale, period: { from: o.from, to: o.to }, generatedAt: (o.now ?? Date.now)(), timeZone: o.timeZone });
  return { document, result };
}
