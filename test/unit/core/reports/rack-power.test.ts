// The rack power daily report for a lab-like day (lab-day.ts) in a real ':memory:' store,
// checked against this file's own computation from the raw samples as written: every column
// of every room, site subtotal and the all row, the change against the day before, and each
// cabinet's category as planned. The same report again once the samples are folded into the
// minute and hour tiers (partly, then wholly). Chinese labels and definitions in zh-CN; bad
// input refused with clear errors; the hour slots of a daylight-saving day.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRackPowerReport, classifyCabinet, type RackPowerResult } from '../../../../src-main/core/reports/rack-power';
import type { ReportDocument, ReportRow } from '../../../../src-main/core/reports/report-document';
import { openCoreStore, type CoreStore } from '../../../../src-main/core/store/core-store';
import { hourSlots } from '../../../../src-main/core/reports/rack-power-readings';
import { FROM, HOUR, labInventory, labSamples, PLAN, PREV_FROM, TO, type RawDay } from './lab-day';

const open: CoreStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.dispose();
});

function labStore(): { store: CoreStore; day: RawDay; prev: RawDay } {
  const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
  open.push(store);
  store.inventory.upsert(labInventory());
  const { day, prev, all } = labSamples();
  store.metrics.append(all);
  return { store, day, prev };
}

// ---- the test's own computation, from the raw samples ----

type Cat = 'valid' | 'dirty' | 'invalid' | 'notOpened' | 'empty' | 'abnormal';

/** One cabinet on one day, straight from the plan's inventory and the raw samples. */
function expectedCabinet(c: (typeof PLAN)[number], raw: RawDay, from: number): { cat: Cat; util: number | null } {
  const inv = labInventory();
  const devs = inv.devices.filter((d) => d.cabinetId === c.id);
  const it = devs.filter((d) => d.kind !== 'pdu' && d.lifecycle !== 'retired');
  if (it.length === 0) return { cat: 'empty', util: null };
  if (c.rated === 0 || it.every((d) => d.lifecycle === 'racked' || d.lifecycle === 'provisioning')) return { cat: 'notOpened', util: null };
  const pdus = devs.filter((d) => d.kind === 'pdu');
  const metered = pdus.filter((d) => raw.has(d.id));
  if (metered.length === 0) return { cat: 'invalid', util: null };
  if (metered.length < pdus.length) return { cat: 'dirty', util: null };
  const ratedW = c.rated * 1000;
  let sum = 0;
  let dirty = false;
  for (const p of metered) {
    const xs = raw.get(p.id)!;
    const hours = new Set(xs.map((s) => Math.floor((s.ts - from) / HOUR))).size;
    if (hours / 24 < 0.9) dirty = true;
    if (xs.some((s) => s.value < 0 || s.value > 1.5 * ratedW)) dirty = true;
    if (xs.length) sum += xs.reduce((a, s) => a + s.value, 0) / xs.length;
  }
  if (dirty || sum > 1.5 * ratedW) return { cat: 'dirty', util: null };
  if (sum / ratedW > 1 || sum / ratedW < 0.01) return { cat: 'abnormal', util: null };
  return { cat: 'valid', util: sum / ratedW };
}

interface Expected {
  counts: Record<Cat | 'total', number>;
  validRate: number | null;
  utilisation: number | null;
  change: number | null;
}

function expectedGroup(cabinets: readonly (typeof PLAN)[number][], day: RawDay, prev: RawDay): Expected {
  const counts: Record<Cat | 'total', number> = { total: 0, valid: 0, dirty: 0, invalid: 0, notOpened: 0, empty: 0, abnormal: 0 };
  const utils: number[] = [];
  const prevUtils: number[] = [];
  for (const c of cabinets) {
    const d = expectedCabinet(c, day, FROM);
    const p = expectedCabinet(c, prev, PREV_FROM);
    counts.total++;
    counts[d.cat]++;
    if (d.util !== null) utils.push(d.util);
    if (p.util !== null) prevUtils.push(p.util);
  }
  const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const u = mean(utils);
  const pu = mean(prevUtils);
  return { counts, validRate: counts.total ? counts.valid / counts.total : null, utilisation: u, change: u === null || pu === null ? null : u - pu };
}

const roomOf = (c: (typeof PLAN)[number]): string => labInventory().rows.find((r) => r.id === c.row)!.roomId;

function expectRow(row: ReportRow | undefined, e: Expected, site: string, room: string, level: ReportRow['level']): void {
  expect(row, `${site} / ${room}`).toBeDefined();
  const cells = row!.cells;
  expect(row!.level).toBe(level);
  expect([cells.site, cells.room]).toEqual([site, room]);
  for (const k of ['total', 'valid', 'dirty', 'invalid', 'notOpened', 'empty', 'abnormal'] as const) expect(cells[k], `${room} ${k}`).toBe(e.counts[k]);
  for (const k of ['validRate', 'utilisation', 'change'] as const) {
    if (e[k] === null) expect(cells[k], `${room} ${k}`).toBeNull();
    else expect(cells[k] as number, `${room} ${k}`).toBeCloseTo(e[k]!, 9);
  }
}

/** Every row of the document against the computation from the raw samples. */
function expectDocumentMatches(doc: ReportDocument, day: RawDay, prev: RawDay): void {
  const inv = labInventory();
  const rows = doc.tables[0].rows;
  let i = 0;
  for (const site of inv.sites) {
    const rooms = inv.rooms.filter((r) => r.siteId === site.id);
    for (const room of rooms) expectRow(rows[i++], expectedGroup(PLAN.filter((c) => roomOf(c) === room.id), day, prev), site.name, room.name, 'detail');
    const inSite = PLAN.filter((c) => rooms.some((r) => r.id === roomOf(c)));
    expectRow(rows[i++], expectedGroup(inSite, day, prev), site.name, 'Subtotal', 'site');
  }
  expectRow(rows[i++], expectedGroup(PLAN, day, prev), 'All', '', 'all');
  expect(rows).toHaveLength(i);
}

const categories = (r: RackPowerResult): Record<string, string> => Object.fromEntries(r.cabinets.map((c) => [c.cabinetId, c.category]));

describe('rack power daily report', () => {
  it('matches a computation from the raw readings: every column of every room, site subtotal and the all row, and the change vs the day before', () => {
    const { store, day, prev } = labStore();
    const { document: doc, result } = buildRackPowerReport(store, { from: FROM, to: TO, locale: 'en', timeZone: 'UTC', now: () => TO + HOUR });
    expect(categories(result)).toEqual(Object.fromEntries(PLAN.map((c) => [c.id, c.expected.day])));
    expectDocumentMatches(doc, day, prev);
    // Spot figures worked out by hand: all = 20 cabinets, 6 valid; room CQ-2C 2 valid of 7; GH-302 has none.
    const all = doc.tables[0].rows.at(-1)!.cells;
    expect([all.total, all.valid, all.dirty, all.invalid, all.notOpened, all.empty, all.abnormal]).toEqual([20, 6, 6, 2, 2, 2, 2]);
    const gh = doc.tables[0].rows.find((r) => r.cells.room === 'GH-302')!.cells;
    expect([gh.total, gh.validRate, gh.utilisation, gh.change]).toEqual([0, null, null, null]);
    expect(doc).toMatchObject({ kind: 'rack-power', title: 'Rack power daily report 2026-11-20', locale: 'en', generatedAt: TO + HOUR, period: { from: FROM, to: TO } });
    expect(doc.subtitle).toBe('Period 2026-11-20 00:00 to 2026-11-21 00:00 (end excluded)');
  });

  it('the day before is classified on its own readings', () => {
    const { store } = labStore();
    const { result } = buildRackPowerReport(store, { from: PREV_FROM, to: FROM, previous: { from: PREV_FROM - 86_400_000, to: PREV_FROM }, locale: 'en' });
    expect(categories(result)).toEqual(Object.fromEntries(PLAN.map((c) => [c.id, c.expected.prev])));
    expect(result.all.previousUtilisation).toBeNull(); // nothing stored two days before
    expect(result.all.change).toBeNull();
  });

  it('gives the same report once the samples are folded into the minute and hour tiers and the raw ones expired', () => {
    const { store, day, prev } = labStore();
    const opts = { from: FROM, to: TO, locale: 'en' as const, timeZone: 'UTC', now: () => 0 };
    const before = buildRackPowerReport(store, opts).document;
    // Midday: hour tier before noon, minute tier to 12:30, raw after; the day before all hours.
    const mid = store.metrics.rollup(FROM + 12.5 * HOUR);
    expect(mid.deleted).toBeGreaterThan(0);
    const partly = buildRackPowerReport(store, opts).document;
    expectDocumentMatches(partly, day, prev);
    // Three days on: raw and minute rows are gone, only the hour tier holds both days.
    store.metrics.rollup(TO + 3 * 86_400_000);
    expect(store.db.prepare('SELECT count(*) AS n FROM samples_raw WHERE ts < ?').get(TO)).toEqual({ n: 0 });
    expect(store.db.prepare('SELECT count(*) AS n FROM samples_1m WHERE ts < ?').get(TO)).toEqual({ n: 0 });
    const hourly = buildRackPowerReport(store, opts).document;
    expectDocumentMatches(hourly, day, prev);
    for (const d of [partly, hourly]) {
      d.tables[0].rows.forEach((r, i) => {
        for (const [k, v] of Object.entries(r.cells)) {
          const was = before.tables[0].rows[i].cells[k];
          if (typeof v === 'number') expect(v).toBeCloseTo(was as number, 9);
          else expect(v).toBe(was);
        }
      });
    }
  });

  it('writes Chinese labels, row names and definitions in the zh-CN document, and one category chart per room', () => {
    const { store } = labStore();
    const { document: doc } = buildRackPowerReport(store, { from: FROM, to: TO, locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    expect(doc.title).toBe('资源数据日报-机柜电力 2026-11-20');
    expect(doc.subtitle).toContain('2026-11-20 08:00');
    expect(doc.tables[0].columns.map((c) => c.label)).toEqual([
      '站点', '房间号', '机柜总数', '有效机柜数', '脏数据机柜数', '无效机柜数', '未开通机柜数', '空机柜数(无设备)', '异常机柜数', '有效机柜率', '有效机柜平均电力利用率', '利用率差值(日)',
    ]);
    expect(doc.tables[0].rows.filter((r) => r.level === 'site').map((r) => r.cells.room)).toEqual(['合计', '合计', '合计']);
    expect(doc.tables[0].rows.at(-1)!.cells.site).toBe('全部');
    expect(doc.definitions.map((d) => d.term)).toEqual(expect.arrayContaining(['脏数据', '未开通', '无效', '异常', '有效机柜率', '利用率差值(日)']));
    expect(doc.definitions.find((d) => d.term === '脏数据')!.text).toContain('150%');
    expect(doc.charts.map((c) => c.title)).toEqual(['CQ-2C：机柜分类', 'CQ-5D：机柜分类', '=1+2：机柜分类', 'GH-302：机柜分类', 'SH-101：机柜分类']);
    expect(doc.charts[0].series[0].values).toEqual([2, 3, 0, 1, 1, 0]); // valid, dirty, invalid, not opened, empty, abnormal in CQ-2C
  });

  it('counts the hour slots of a local day, 23 or 25 across a daylight-saving change', () => {
    const spring = { from: Date.UTC(2026, 2, 28, 23), to: Date.UTC(2026, 2, 29, 22) }; // Europe/Berlin, 29 March 2026
    const autumn = { from: Date.UTC(2026, 9, 24, 22), to: Date.UTC(2026, 9, 25, 23) }; // 25 October 2026
    expect([hourSlots(spring.from, spring.to), hourSlots(FROM, TO), hourSlots(autumn.from, autumn.to)]).toEqual([23, 24, 25]);
  });

  it('refuses bad input with clear errors', () => {
    const { store } = labStore();
    expect(() => buildRackPowerReport(store, { from: TO, to: FROM, locale: 'en' })).toThrow(/from < to/);
    expect(() => buildRackPowerReport(store, { from: FROM, to: TO, locale: 'fr' as 'en' })).toThrow(/no text for locale "fr"/);
    const cab = { id: 'x', name: 'x', roomId: 'm1', ratedPowerKw: -2, devices: [{ id: 'x-s', kind: 'server' as const }] };
    expect(() => classifyCabinet(cab, { metered: new Set(), days: new Map(), hours: 24 })).toThrow(/cabinet x has a rated power of -2 kW/);
  });
});
