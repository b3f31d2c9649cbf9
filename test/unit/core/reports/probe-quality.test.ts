// The probe quality report on a ':memory:' store: raw UDP probe samples of the lab inventory's
// servers (slow minutes, drops, all-lost minutes, refusals; a DNS target and samples outside
// the day that must not count) go through the real minute aggregator into the real probe
// repository; the report's per-room, per-site and all figures and its worst pairs are matched
// against this file's own computation from the raw samples. The same day again once the
// minutes are rolled into hours (each hour counting 60 minutes; the hour rows are written with
// the repository's encoding, since its prune cannot roll more than one group: see rollIntoHours). zh-CN labels; generating the
// kind through reports.generate writes a CSV that parses and holds the all row's numbers.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProbeTarget } from '../../../../src-shared/agent-protocol';
import { DEFAULT_PROBE_THRESHOLDS } from '../../../../src-shared/domain/probe';
import { createMinuteAggregator } from '../../../../src-shared/probe/aggregate';
import { deriveTopology, indexTopology } from '../../../../src-shared/probe/topology';
import { parseCsv } from '../../../../src-main/core/inventory/csv';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { buildProbeQualityReport, type QualityFigures } from '../../../../src-main/core/reports/probe-quality';
import { reportToPdf } from '../../../../src-main/core/reports/pdf';
import { startReports } from '../../../../src-main/core/reports/reports-capability';
import { reportToXlsx } from '../../../../src-main/core/reports/xlsx';
import { openCoreStore } from '../../../../src-main/core/store/core-store';
import { emptyFold, foldColumn, foldedP50, type Folded } from '../../../../src-main/core/store/probe-repository';
import { FROM, HOUR, labInventory, TO } from './lab-day';

const MIN = 60_000;
const DAY_MS = 24 * HOUR;
const inv = labInventory();
const topo = deriveTopology(inv, new Map());
const hosts = topo.hosts;
const roomOf = new Map(hosts.map((h) => [h.deviceId, h.roomId]));
const siteOf = new Map(hosts.map((h) => [h.deviceId, h.siteId]));

interface Raw { src: string; dst: string; at: number; rtt: number; err: number }

/** Deterministic samples: each host probes three others six times a minute for 90 minutes. */
function rawSamples(): Raw[] {
  let seed = 42;
  const rand = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const out: Raw[] = [];
  const H = hosts.length;
  for (let m = 0; m < 90; m++) {
    const minute = FROM + 10 * HOUR + m * MIN;
    hosts.forEach((h, i) => {
      [1, 5, 11].forEach((step, k) => {
        const dst = hosts[(i + step) % H].deviceId;
        const p = i * 3 + k;
        for (let s = 0; s < 6; s++) {
          let rtt = 200 + Math.floor(rand() * 600);
          let err = 0;
          if (p % 7 === 0 && m % 10 < 3 && s % 2 === 0) rtt = 16_000 + Math.floor(rand() * 9000);
          if (p % 5 === 1 && m % 9 === 0 && s < 2) err = 1;
          if (p % 11 === 2 && m % 13 === 0) err = 1;
          if (p % 6 === 3 && m % 4 === 0 && s === 5) err = 2;
          out.push({ src: h.deviceId, dst, at: minute + s * 10_000, rtt: err ? 0 : rtt, err });
        }
      });
    });
  }
  return out;
}

const RAW = rawSamples();
const target = (id: string, kind: 'udp' | 'dns' = 'udp'): ProbeTarget => ({ id, addr: '10.0.0.1', port: 16702, kind, level: kind === 'dns' ? 'dns' : 'inter-tor', intervalMs: 10_000 });

function loadedStore() {
  const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
  store.inventory.upsert(inv);
  const agg = createMinuteAggregator(indexTopology(topo));
  for (const r of RAW) agg.add(r.src, target(r.dst), r.at, r.rtt, r.err);
  // Not counted: a DNS target (server rows only) and samples outside the day.
  agg.add(hosts[0].deviceId, target('dns-1', 'dns'), FROM + 10 * HOUR, 5_000_000, 0);
  agg.add(hosts[0].deviceId, target(hosts[1].deviceId), FROM - 30_000, 90_000, 0);
  agg.add(hosts[0].deviceId, target(hosts[1].deviceId), TO + 30_000, 90_000, 1);
  store.probes.putMinutes(agg.flush(TO + 10 * MIN));
  return store;
}

/**
 * The minutes rolled into hours as ProbeRepository.prune stores them (counts summed, P50 weighted
 * and rounded, P90/P99 the worst), written here with the repository's encoding: prune itself
 * throws "connection is busy" as soon as it rolls more than one (level, hour, source) group, since
 * it writes an hour while still iterating the minutes (reported; not this report's file).
 */
function rollIntoHours(store: ReturnType<typeof loadedStore>): void {
  const acc = new Map<string, { level: string; hour: number; src: string; byDst: Map<string, Folded> }>();
  for (const level of ['server', 'tor', 'room', 'site'] as const) {
    for (const r of store.probes.window(level, 0, TO + DAY_MS)) {
      const hour = Math.floor(r.at / HOUR) * HOUR;
      const k = `${level}|${hour}|${r.src}`;
      let g = acc.get(k);
      if (!g) acc.set(k, (g = { level, hour, src: r.src, byDst: new Map() }));
      r.dst.forEach((d, i) => {
        let f = g.byDst.get(d);
        if (!f) g.byDst.set(d, (f = emptyFold()));
        foldColumn(f, r, i);
      });
    }
  }
  const put = store.db.prepare('INSERT INTO probe_hours (level, hour, src, n, data) VALUES (?, ?, ?, ?, ?)');
  for (const g of acc.values()) {
    const f = [...g.byDst.values()];
    const cols = { dst: [...g.byDst.keys()], p50Us: f.map(foldedP50), p90Us: f.map((x) => x.p90Us), p99Us: f.map((x) => x.p99Us), ok: f.map((x) => x.ok), drops: f.map((x) => x.drops), failed: f.map((x) => x.failed) };
    put.run(g.level, g.hour, g.src, cols.dst.length, deflateRawSync(JSON.stringify(cols)));
  }
  store.db.exec('DELETE FROM probe_minutes');
}

// ---- the test's own computation from RAW ----

const rank = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
interface Cell { ok: number; p50: number; p99: number; drops: number; failed: number }

/** Per (src key, dst key, minute): the aggregator's figures from the raw samples, server pairs deciding drop vs failed. */
function minuteCells(key: (host: string) => string): Map<string, Cell> {
  const pairs = new Map<string, { rtts: number[]; timeouts: number; failed: number }>();
  for (const r of RAW) {
    const k = `${r.src}|${r.dst}|${Math.floor(r.at / MIN) * MIN}`;
    let p = pairs.get(k);
    if (!p) pairs.set(k, (p = { rtts: [], timeouts: 0, failed: 0 }));
    if (r.err === 0) p.rtts.push(r.rtt);
    else if (r.err === 1) p.timeouts++;
    else p.failed++;
  }
  const groups = new Map<string, { rtts: number[]; drops: number; failed: number }>();
  for (const [k, p] of pairs) {
    const [src, dst, at] = k.split('|');
    const g = `${key(src)}|${key(dst)}|${at}`;
    let x = groups.get(g);
    if (!x) groups.set(g, (x = { rtts: [], drops: 0, failed: 0 }));
    x.rtts.push(...p.rtts);
    if (p.rtts.length) x.drops += p.timeouts;
    else x.failed += p.timeouts;
    x.failed += p.failed;
  }
  const out = new Map<string, Cell>();
  for (const [k, x] of groups) {
    const s = [...x.rtts].sort((a, b) => a - b);
    out.set(k, { ok: s.length, p50: s.length ? rank(s, 0.5) : 0, p99: s.length ? rank(s, 0.99) : 0, drops: x.drops, failed: x.failed });
  }
  return out;
}

/** Cells into buckets of bucketMs (an hour: counts summed, P50 the ok-weighted mean rounded, P99 the worst), as stored rows. */
function bucketed(cells: Map<string, Cell>, bucketMs: number): Map<string, Cell> {
  if (bucketMs === MIN) return cells;
  const acc = new Map<string, Cell & { p50Sum: number }>();
  for (const [k, c] of cells) {
    const [s, d, at] = k.split('|');
    const b = `${s}|${d}|${Math.floor(Number(at) / bucketMs) * bucketMs}`;
    let x = acc.get(b);
    if (!x) acc.set(b, (x = { ok: 0, p50: 0, p99: 0, drops: 0, failed: 0, p50Sum: 0 }));
    x.ok += c.ok;
    x.p50Sum += c.p50 * c.ok;
    x.p99 = Math.max(x.p99, c.p99);
    x.drops += c.drops;
    x.failed += c.failed;
  }
  return new Map([...acc].map(([k, x]) => [k, { ...x, p50: x.ok ? Math.round(x.p50Sum / x.ok) : 0 }]));
}

/** A group's day: its buckets folded over destinations, then the report's definitions. */
function expectedFigures(cells: Map<string, Cell>, srcOk: (src: string) => boolean, weight: number): QualityFigures {
  const th = DEFAULT_PROBE_THRESHOLDS;
  const byAt = new Map<string, Cell & { p50Sum: number }>();
  for (const [k, c] of cells) {
    const [src, , at] = k.split('|');
    if (!srcOk(src)) continue;
    let x = byAt.get(at);
    if (!x) byAt.set(at, (x = { ok: 0, p50: 0, p99: 0, drops: 0, failed: 0, p50Sum: 0 }));
    x.ok += c.ok;
    x.p50Sum += c.p50 * c.ok;
    x.p99 = Math.max(x.p99, c.p99);
    x.drops += c.drops;
    x.failed += c.failed;
  }
  const ms = [...byAt.values()];
  const sum = (f: (x: Cell & { p50Sum: number }) => number): number => ms.reduce((a, x) => a + f(x), 0);
  const ok = sum((x) => x.ok);
  const drops = sum((x) => x.drops);
  const withData = ms.filter((x) => x.ok + x.failed > 0);
  const goodOnes = withData.filter((x) => x.ok > 0 && x.p99 < th.p99BadUs && x.drops / x.ok < th.dropBad);
  const p99s = withData.filter((x) => x.ok > 0).flatMap((x) => Array<number>(weight).fill(x.p99)).sort((a, b) => a - b);
  return {
    minutes: withData.length * weight, goodMinutes: goodOnes.length * weight, ok, drops, failed: sum((x) => x.failed),
    p50Us: ok ? Math.round(sum((x) => x.p50Sum) / ok) : null,
    p99Us: p99s.length ? rank(p99s, 0.99) : null,
    worstP99Us: p99s.length ? p99s[p99s.length - 1] : null,
    dropRate: ok ? drops / ok : null,
    sla: withData.length ? goodOnes.length / withData.length : null,
  };
}

function expectReport(bucketMs: number, result: ReturnType<typeof buildProbeQualityReport>['result']): void {
  const w = bucketMs / MIN;
  const rooms = bucketed(minuteCells((h) => roomOf.get(h)!), bucketMs);
  const sites = bucketed(minuteCells((h) => siteOf.get(h)!), bucketMs);
  for (const room of inv.rooms) expect(result.rooms.get(room.id), room.id).toEqual(expectedFigures(rooms, (s) => s === room.id, w));
  for (const site of inv.sites) expect(result.sites.get(site.id), site.id).toEqual(expectedFigures(sites, (s) => s === site.id, w));
  expect(result.all).toEqual(expectedFigures(sites, () => true, w));
  // Worst pairs: every server pair's day, ranked as the report says.
  const servers = bucketed(minuteCells((h) => h), bucketMs);
  const pairIds = [...new Set([...servers.keys()].map((k) => k.split('|').slice(0, 2).join('|')))];
  const ranked = pairIds.map((id) => {
    const [src, dst] = id.split('|');
    const only = new Map([...servers].filter(([k]) => k.startsWith(`${id}|`)));
    const { p99Us: _p99, ...day } = expectedFigures(only, () => true, w);
    return { src, dst, ...day };
  }).sort((a, b) => (b.minutes - b.goodMinutes) - (a.minutes - a.goodMinutes) || (b.dropRate ?? 0) - (a.dropRate ?? 0)
    || (b.worstP99Us ?? 0) - (a.worstP99Us ?? 0) || a.src.localeCompare(b.src) || a.dst.localeCompare(b.dst));
  expect(result.pairs).toEqual(ranked.slice(0, 10));
}

const root = mkdtempSync(join(tmpdir(), 'fd-probe-quality-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('probe quality report', () => {
  it('matches the computation from the raw samples: every room, site, the all row and the worst pairs', async () => {
    const store = loadedStore();
    const { result, document } = buildProbeQualityReport(store, { from: FROM, to: TO, locale: 'en', timeZone: 'UTC', now: () => TO });
    expectReport(MIN, result);
    // The data is not trivial: some minutes are out of the SLA, some probes dropped and failed.
    expect(result.all.minutes).toBe(90);
    expect(result.all.goodMinutes).toBeLessThan(90);
    expect(result.all.drops).toBeGreaterThan(0);
    expect(result.all.failed).toBeGreaterThan(0);
    expect(result.pairs[0].minutes - result.pairs[0].goodMinutes).toBeGreaterThan(0);
    expect(result.rooms.get('m4')).toMatchObject({ minutes: 0, ok: 0, p50Us: null, p99Us: null, dropRate: null, sla: null });
    const table = document.tables[0];
    expect(table.rows.map((r) => [r.level ?? 'detail', r.cells.room])).toEqual([
      ['detail', 'CQ-2C'], ['detail', 'CQ-5D'], ['site', 'Subtotal'], ['detail', '=1+2'], ['detail', 'GH-302'], ['site', 'Subtotal'],
      ['detail', 'SH-101'], ['site', 'Subtotal'], ['all', ''],
    ]);
    expect(table.rows.at(-1)!.cells).toMatchObject({ ok: result.all.ok, p99: result.all.p99Us! / 1000, sla: result.all.sla });
    expect(document.tables[1].rows).toHaveLength(10);
    const worst = result.pairs[0];
    expect(document.tables[1].rows[0].cells).toEqual({
      rank: 1, src: worst.src, srcRoom: inv.rooms.find((r) => r.id === roomOf.get(worst.src))!.name, dst: worst.dst, dstRoom: inv.rooms.find((r) => r.id === roomOf.get(worst.dst))!.name,
      ok: worst.ok, p50: worst.p50Us! / 1000, worstP99: worst.worstP99Us! / 1000, dropRate: worst.dropRate, failed: worst.failed, badMinutes: worst.minutes - worst.goodMinutes, sla: worst.sla,
    });
    expect(document.charts[0].labels).toEqual(['CQ-2C', 'CQ-5D', '=1+2', 'GH-302', 'SH-101']);
    expect(document.charts[0].series[0].values[3]).toBeNull();
    expect(document.definitions.find((d) => d.term === 'SLA share')!.text).toContain('under 15 ms and its drop rate under 2%');
    await store.dispose();
  });

  it('reads the same day from the hours its minutes were rolled into, each hour counting 60 minutes', async () => {
    const store = loadedStore();
    rollIntoHours(store);
    expect(store.probes.range('room')).toBeNull();
    const { result } = buildProbeQualityReport(store, { from: FROM, to: TO, locale: 'en', timeZone: 'UTC' });
    expectReport(HOUR, result);
    expect(result.all.minutes).toBe(120);
    await store.dispose();
  });

  it('uses the stored thresholds, writes zh-CN labels and refuses a bad period or locale', async () => {
    const store = loadedStore();
    store.probes.setThresholds({ p99WarnUs: 1000, p99BadUs: 30_000, dropWarn: 0.1, dropBad: 0.9 });
    const { result, document } = buildProbeQualityReport(store, { from: FROM, to: TO, locale: 'zh-CN', timeZone: 'UTC' });
    // Only a pair's all-lost minutes (failed, nothing answered: m % 13 === 0, 7 of 90) are out of the SLA now.
    expect(result.all.goodMinutes).toBe(result.all.minutes);
    expect(result.pairs[0]).toMatchObject({ minutes: 90, goodMinutes: 83 });
    expect(document.title).toBe('网络探测质量日报 2026-11-20');
    expect(document.tables[0].columns.map((c) => c.label)).toContain('SLA 达标率');
    expect(document.definitions.find((d) => d.term === 'SLA 达标率')!.text).toContain('低于 30 ms 且丢包率低于 90%');
    expect(() => buildProbeQualityReport(store, { from: TO, to: FROM, locale: 'en' })).toThrow(/from < to/);
    expect(() => buildProbeQualityReport(store, { from: FROM, to: TO, locale: 'fr' as 'en' })).toThrow(/no text for locale "fr"/);
    await store.dispose();
  });

  it('is generated through reports.generate as a CSV that parses and holds the all row', async () => {
    const store = loadedStore();
    const cap = await startReports({ store, hub: new EventHub(), folder: root, timeZone: 'UTC', clock: () => TO + HOUR, tickMs: 0 });
    const job = await cap.api['reports.generate']({ kind: 'probe-quality', day: '2026-11-20', format: 'csv', locale: 'en' }, { actor: 'olga', role: 'operator' });
    await cap.idle();
    const done = (await cap.api['reports.jobs'](undefined, { actor: 'olga', role: 'operator' })).find((j) => j.id === job.id)!;
    expect(done).toMatchObject({ state: 'done', file: 'probe-quality-2026-11-20.en.csv', error: null });
    const parsed = parseCsv(readFileSync(join(root, done.file!), 'utf8'));
    expect(parsed.issues).toEqual([]);
    const records = parsed.records.map((r) => r.fields.map((f) => f.value));
    const header = records.findIndex((r) => r[0] === 'Site');
    const all = records.find((r) => r[0] === 'All')!;
    const { result } = buildProbeQualityReport(store, { from: FROM, to: TO, locale: 'en', timeZone: 'UTC' });
    expect(records[header].slice(0, 4)).toEqual(['Site', 'Room', 'Minutes with data', 'Probes answered']);
    expect(all.slice(2, 6)).toEqual([String(result.all.minutes), String(result.all.ok), String(result.all.drops), String(result.all.failed)]);
    expect(all[10]).toBe((result.all.sla! * 100).toFixed(1));
    expect((await cap.api['reports.history'](undefined, { actor: 'olga', role: 'operator' })).map((f) => f.kind)).toContain('probe-quality');
    await cap.dispose();
    await store.dispose();
  });

  it('renders as a zh-CN PDF pdftotext reads in Chinese and an XLSX exceljs reads with the same numbers', async () => {
    const store = loadedStore();
    const zh = buildProbeQualityReport(store, { from: FROM, to: TO, locale: 'zh-CN', timeZone: 'UTC' });
    const file = join(root, 'probe-quality.zh-CN.pdf');
    writeFileSync(file, await reportToPdf(zh.document, { timeZone: 'UTC' }));
    execFileSync('pdftoppm', ['-r', '50', '-png', file, join(root, 'page')]);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(text).toContain('网络探测质量日报');
    expect(text).toContain('CQ-2C');
    expect(text).toContain('最差的 10 个服务器对');
    const bytes = await reportToXlsx(zh.document);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const values: unknown[] = [];
    wb.worksheets[0].eachRow((r) => values.push(r.getCell(4).value));
    expect(values).toContain(zh.result.all.ok);
    await store.dispose();
  });
});
