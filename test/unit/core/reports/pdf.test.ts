// The PDF writer (src-main/core/reports/pdf.ts) read back with poppler (pdftotext, pdffonts,
// pdftoppm; poppler-utils is installed by .ci/run): a 43-row rack-power-like table in English
// and Chinese spans pages with its header on each, every row's name and numbers come back as
// the columns format them, the Chinese headers and definitions come back as the same
// characters from the embedded Noto Sans SC (no .notdef glyphs), every page renders and the
// first is not blank; bad input is refused with a ReportPdfError.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, matchesGlob, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportPdfError, reportToPdf } from '../../../../src-main/core/reports/pdf';
import { notoSansScDir } from '../../../../src-main/core/reports/pdf/fonts';
import type { ReportDocument } from '../../../../src-main/core/reports/report-document';
import { DEFINITIONS_EN, DEFINITIONS_ZH, fixtureDocument, fixtureRows, type FixtureRow } from './pdf-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function poppler(tool: string, args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${tool} not found: install poppler-utils (.ci/run does)`);
    throw e;
  }
}

async function writeTo(name: string, report: ReportDocument): Promise<{ file: string; bytes: Buffer }> {
  const bytes = await reportToPdf(report, { timeZone: 'UTC' });
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, bytes);
  return { file, bytes };
}

const pages = (file: string): number => Number(/Pages:\s+(\d+)/.exec(poppler('pdfinfo', [file]))?.[1]);
const layoutText = (file: string): string => poppler('pdftotext', ['-layout', file, '-']);
const plainText = (file: string): string => poppler('pdftotext', [file, '-']);
const squash = (s: string): string => s.replace(/\s+/g, '');

const fmt = (v: number, d: number): string => v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const pct = (v: number, d: number): string => `${fmt(v * 100, d)}%`;

/** The numbers of a fixture row as the PDF must print them, in column order. */
function expectedCells(r: FixtureRow, i: number): string[] {
  return [fmt(r.total, 0), fmt(r.valid, 0), String(i % 3), String(i % 2), '0', String(i % 4), i % 5 === 0 ? '1' : '0', pct(r.rate, 1), pct(r.util, 2), ...(r.change === null ? [] : [pct(r.change, 2)]), fmt(1000 + i * 37.25, 1)];
}

/** Rendered pages of a PDF as 8-bit grey images (PGM, what pdftoppm -gray writes). */
function renderGrey(file: string, name: string): { width: number; height: number; pixels: Buffer }[] {
  poppler('pdftoppm', ['-r', '50', '-gray', file, join(dir, name)]);
  return readdirSync(dir).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.pgm')).sort().map((f) => {
    const data = readFileSync(join(dir, f));
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'));
    if (!header) throw new Error(`${f}: not a PGM`);
    const width = Number(header[1]);
    const height = Number(header[2]);
    return { width, height, pixels: data.subarray(header[0].length, header[0].length + width * height) };
  });
}

const darkShare = (img: { pixels: Buffer }): number => img.pixels.reduce((n, p) => n + (p < 128 ? 1 : 0), 0) / img.pixels.length;

describe('PDF writer: English rack power report', () => {
  let file = '';
  let bytes: Buffer = Buffer.alloc(0);
  beforeAll(async () => {
    ({ file, bytes } = await writeTo('en', fixtureDocument('en')));
    console.log(`en PDF: ${bytes.length} bytes, ${pages(file)} pages`);
  });

  it('is a PDF of more than one A4 page, landscape for the wide table, of a sane size', () => {
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pages(file)).toBeGreaterThan(1);
    expect(poppler('pdfinfo', [file])).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
    expect(bytes.length).toBeLessThan(400_000);
  });

  it('holds the title, subtitle, period and generation time, and page numbers in the footers', () => {
    const text = layoutText(file);
    expect(text).toContain('Rack power daily report');
    expect(text).toContain('Lab fleet, all rooms');
    expect(text).toContain('Period: 2026-12-02 00:00 – 2026-12-03 00:00');
    expect(text).toContain('Generated: 2026-12-03 01:05');
    const n = pages(file);
    for (let p = 1; p <= n; p++) expect(text).toContain(`Page ${p} of ${n}`);
  });

  it("holds every row's name with its numbers formatted as the columns say, on one line", () => {
    const lines = layoutText(file).split('\n');
    fixtureRows('en').forEach((r, i) => {
      const line = lines.find((l) => l.trimStart().startsWith(`${r.name} `));
      expect(line, r.name).toBeDefined();
      const cells = (line ?? '').slice((line ?? '').indexOf(r.name) + r.name.length).trim().split(/\s+/);
      expect(cells, r.name).toEqual(expectedCells(r, i));
    });
  });

  it('repeats the header row on every page the table runs onto', () => {
    const byPage = layoutText(file).split('\f');
    const tablePages = byPage.filter((p) => fixtureRows('en').some((r) => p.includes(`${r.name} `)));
    expect(tablePages.length).toBeGreaterThan(1);
    for (const p of tablePages) {
      // The header wraps to three lines: its last line starts with Room and ends with the unit.
      expect(p).toContain('Cabinets in');
      expect(p).toMatch(/^\s*Room\s+total\s+cabinets\s+data\s+Invalid\s+opened\s+Empty\s+Abnormal\s+rate\s+utilisation\s+day before\s+power \(kW\)$/m);
    }
    expect(byPage[1]).toContain('Rack power by room (continued)');
  });

  it('holds the chart titles and the definitions', () => {
    const text = squash(plainText(file));
    for (const site of ['Shanghai', 'Beijing', 'Shenzhen']) expect(text).toContain(squash(`${site}: utilisation by room (%)`));
    expect(text).toContain('Definitions');
    for (const d of DEFINITIONS_EN) {
      expect(text).toContain(squash(d.term));
      expect(text).toContain(squash(d.text));
    }
  });

  it('renders every page with pdftoppm, and the first page is not blank', () => {
    const images = renderGrey(file, 'en');
    expect(images).toHaveLength(pages(file));
    for (const img of images) expect(img.width).toBeGreaterThan(img.height);
    const first = images[0];
    if (!first) throw new Error('no page rendered');
    expect(darkShare(first)).toBeGreaterThan(0.01);
  });
});

describe('PDF writer: Chinese rack power report', () => {
  let file = '';
  let bytes: Buffer = Buffer.alloc(0);
  beforeAll(async () => {
    ({ file, bytes } = await writeTo('zh', fixtureDocument('zh-CN')));
    console.log(`zh-CN PDF: ${bytes.length} bytes, ${pages(file)} pages`);
  });

  it('embeds Noto Sans SC subsets (regular and bold) and no other font', () => {
    const fonts = poppler('pdffonts', [file]).split('\n').slice(2).filter((l) => l.trim() !== '');
    expect(fonts.length).toBeGreaterThan(0);
    for (const l of fonts) expect(l).toMatch(/^[A-Z]{6}\+NotoSansSC-(Regular|Bold)\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    expect(fonts.some((l) => l.includes('NotoSansSC-Regular'))).toBe(true);
    expect(fonts.some((l) => l.includes('NotoSansSC-Bold'))).toBe(true);
    expect(bytes.length).toBeLessThan(600_000);
  });

  it('gives back the Chinese title, headers, rows, footers and definitions as the same characters', () => {
    const text = layoutText(file);
    for (const s of ['机柜功率日报', '实验环境，全部机房', '统计周期', '生成时间', '各机房机柜功率', '机柜总数', '有效机柜率', '平均功率利用率', '较前一日变化', '平均功率 (kW)', '指标定义', '上海：各机房利用率 (%)']) expect(text).toContain(s);
    const n = pages(file);
    for (let p = 1; p <= n; p++) expect(text).toContain(`第 ${p} 页，共 ${n} 页`);
    const lines = text.split('\n');
    fixtureRows('zh-CN').forEach((r, i) => {
      const line = lines.find((l) => l.trimStart().startsWith(`${r.name} `));
      expect(line, r.name).toBeDefined();
      expect((line ?? '').slice((line ?? '').indexOf(r.name) + r.name.length).trim().split(/\s+/), r.name).toEqual(expectedCells(r, i));
    });
    const flat = squash(plainText(file));
    for (const d of DEFINITIONS_ZH) {
      expect(flat).toContain(d.term);
      expect(flat).toContain(squash(d.text));
    }
  });

  it('draws real glyphs for the Chinese text, not .notdef (tofu)', async () => {
    // Every character of the headers and definitions has a glyph in the slice the writer picks.
    type Font = { glyphForCodePoint(cp: number): { id: number } };
    const fontkit = createRequire(import.meta.url)('fontkit') as { create(buf: Buffer): Font };
    const unicode = JSON.parse(readFileSync(join(notoSansScDir(), 'unicode.json'), 'utf8')) as Record<string, string>;
    const sample = [...new Set([...DEFINITIONS_ZH.map((d) => d.term + d.text).join(''), ...'机柜总数平均功率利用率较前一日变化'])].filter((c) => c.codePointAt(0)! > 0x2e80);
    for (const ch of sample) {
      const cp = ch.codePointAt(0)!;
      const key = Object.entries(unicode).find(([, spec]) => spec.split(',').some((r) => {
        const [a, b] = r.trim().slice(2).split('-').map((h) => parseInt(h, 16));
        return cp >= a! && cp <= (b ?? a!);
      }))?.[0].replace(/^\[|\]$/g, '');
      expect(key, ch).toBeDefined();
      const font = fontkit.create(readFileSync(join(notoSansScDir(), 'files', `noto-sans-sc-${key}-400-normal.woff`)));
      expect(font.glyphForCodePoint(cp).id, ch).toBeGreaterThan(0);
    }
    // And the PDF draws them as different shapes: two lines of different characters render
    // differently (.notdef boxes would render the same).
    const line = (title: string): ReportDocument => ({ ...fixtureDocument('zh-CN'), title, subtitle: undefined, tables: [], charts: [], definitions: [] });
    const a = renderGrey((await writeTo('tofu-a', line('机柜功率'))).file, 'tofu-a')[0];
    const b = renderGrey((await writeTo('tofu-b', line('有效数据'))).file, 'tofu-b')[0];
    expect(a && b && darkShare(a) > 0).toBe(true);
    expect(a?.pixels.equals(b?.pixels ?? Buffer.alloc(0))).toBe(false);
  });

  it('renders every page with pdftoppm, and the first page is not blank', () => {
    const images = renderGrey(file, 'zh');
    expect(images).toHaveLength(pages(file));
    const first = images[0];
    if (!first) throw new Error('no page rendered');
    expect(darkShare(first)).toBeGreaterThan(0.01);
  });
});

describe('PDF writer: layout choices and bad input', () => {
  it('uses portrait A4 for a narrow table', async () => {
    const narrow: ReportDocument = { ...fixtureDocument('en'), charts: [], tables: [{ title: 'Two columns', columns: [{ key: 'a', label: 'Name', kind: 'text' }, { key: 'b', label: 'Power', kind: 'number', unit: 'kW', decimals: 2 }], rows: [{ cells: { a: 'x', b: 1.005 } }, { cells: { a: 'y', b: null } }, { level: 'all', cells: { a: 'All', b: 1234.5 } }] }] };
    const { file } = await writeTo('narrow', narrow);
    expect(poppler('pdfinfo', [file])).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const text = layoutText(file);
    expect(text).toMatch(/All\s+1,234\.50/);
    expect(text).toMatch(/^\s*y\s*$/m);
  });

  it('draws a chart per room (ten) in a grid, with each chart title, category label and bar value', async () => {
    const labels = ['Valid', 'Dirty data', 'Invalid', 'Not opened', 'Empty', 'Abnormal'];
    const charts = Array.from({ length: 10 }, (_, i) => ({ title: `Room ${i + 1}: cabinets by category`, labels, series: [{ name: 'Cabinets', values: [30 + i, 3, 2, null, 1, 0] }] }));
    const { file } = await writeTo('charts', { ...fixtureDocument('en'), charts });
    const text = squash(plainText(file));
    for (const c of charts) expect(text).toContain(squash(c.title));
    for (const l of ['Valid', 'Invalid', 'Empty', 'Abnormal']) expect(text).toContain(l);
    for (let i = 0; i < 10; i++) expect(plainText(file)).toMatch(new RegExp(`\\b${30 + i}\\b`));
    expect(renderGrey(file, 'charts')).toHaveLength(pages(file));
  });

  it('refuses a cell for a column the table does not have, naming table, row and column', async () => {
    const doc = fixtureDocument('en');
    const table = doc.tables[0]!;
    const bad: ReportDocument = { ...doc, tables: [{ ...table, rows: [...table.rows.slice(0, 2), { cells: { room: 'x', nope: 1 } }] }] };
    await expect(reportToPdf(bad)).rejects.toThrow(ReportPdfError);
    await expect(reportToPdf(bad)).rejects.toThrow(/row 3: cell 'nope' is not one of its columns/);
  });

  it('refuses NaN and infinite numbers (null is the way to say no value)', async () => {
    const doc = fixtureDocument('en');
    const table = doc.tables[0]!;
    const nan: ReportDocument = { ...doc, tables: [{ ...table, rows: [{ cells: { room: 'x', total: Number.NaN } }] }] };
    await expect(reportToPdf(nan)).rejects.toThrow(/row 1, column 'total': NaN is not a number to print/);
    const chart = doc.charts[0]!;
    const inf: ReportDocument = { ...doc, charts: [{ ...chart, series: [{ name: 's', values: chart.labels.map(() => Number.POSITIVE_INFINITY) }] }] };
    await expect(reportToPdf(inf)).rejects.toThrow(ReportPdfError);
  });
});

describe('PDF writer: the font at runtime', () => {
  const ROOT = resolve(__dirname, '../../../..');

  it('finds Noto Sans SC in the runtime dependency @fontsource/noto-sans-sc', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['@fontsource/noto-sans-sc']).toBeDefined();
    expect(pkg.dependencies.pdfkit).toBeDefined();
    expect(relative(ROOT, notoSansScDir())).toBe(join('node_modules', '@fontsource', 'noto-sans-sc'));
  });

  it('writes the Chinese report from only the files electron-builder.yml packs into the app', async () => {
    // js-yaml is in node_modules (electron-builder reads YAML with it); it has no types here.
    const yaml = createRequire(join(ROOT, 'package.json'))('js-yaml') as { load(text: string): unknown };
    const files = (yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as { files: string[] }).files;
    const excluded = files.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    const src = notoSansScDir();
    const kept = join(dir, 'packed-font');
    mkdirSync(join(kept, 'files'), { recursive: true });
    let count = 0;
    for (const name of ['package.json', 'unicode.json', 'LICENSE', ...readdirSync(join(src, 'files')).map((f) => `files/${f}`)]) {
      const inApp = `node_modules/@fontsource/noto-sans-sc/${name}`;
      if (excluded.some((p) => matchesGlob(inApp, p))) continue;
      copyFileSync(join(src, name), join(kept, name));
      count++;
    }
    expect(count).toBeLessThan(250);
    const bytes = await reportToPdf(fixtureDocument('zh-CN'), { timeZone: 'UTC', fontDir: kept });
    const file = join(dir, 'packed.pdf');
    writeFileSync(file, bytes);
    expect(layoutText(file)).toContain('平均功率利用率');
    expect(poppler('pdffonts', [file])).toContain('NotoSansSC-Bold');
  });
});
