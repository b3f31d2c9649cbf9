// Report documents for the PDF writer's tests (pdf.test.ts): a rack-power-like table of 42
// rows (rooms, a subtotal per site, an all row) in English and in Chinese, a chart per site
// and the definitions, with values the tests can print back the way the columns format them.
import type { ReportDocument, ReportRow, ReportTable } from '../../../../src-main/core/reports/report-document';

export const SITES = ['Shanghai', 'Beijing', 'Shenzhen'] as const;
const SITES_ZH = ['上海', '北京', '深圳'] as const;
export const ROOMS_PER_SITE = 13;

export interface FixtureRow {
  name: string;
  level: 'detail' | 'site' | 'all';
  total: number;
  valid: number;
  rate: number;
  util: number;
  change: number | null;
}

/** 39 rooms, 3 site rows and 1 all row (43 rows), deterministic. */
export function fixtureRows(locale: 'en' | 'zh-CN'): FixtureRow[] {
  const rows: FixtureRow[] = [];
  let allTotal = 0;
  let allValid = 0;
  SITES.forEach((site, s) => {
    const siteName = locale === 'en' ? site : SITES_ZH[s] ?? site;
    let total = 0;
    let valid = 0;
    for (let r = 0; r < ROOMS_PER_SITE; r++) {
      const t = 20 + ((s * 31 + r * 17) % 60);
      const v = t - ((r * 7 + s) % 5);
      total += t;
      valid += v;
      const util = 0.3 + ((s * 13 + r * 11) % 50) / 100 + 0.00123;
      rows.push({ name: locale === 'en' ? `${site} room ${String(r + 1).padStart(2, '0')}` : `${siteName}机房${r + 1}号`, level: 'detail', total: t, valid: v, rate: v / t, util, change: r === 4 ? null : ((r % 7) - 3) * 0.0137 });
    }
    rows.push({ name: locale === 'en' ? `${site} subtotal` : `${siteName}小计`, level: 'site', total, valid, rate: valid / total, util: 0.5123, change: 0.0042 });
    allTotal += total;
    allValid += valid;
  });
  rows.push({ name: locale === 'en' ? 'All sites' : '全部', level: 'all', total: allTotal, valid: allValid, rate: allValid / allTotal, util: 0.4987, change: -0.0101 });
  return rows;
}

function table(locale: 'en' | 'zh-CN'): ReportTable {
  const en = locale === 'en';
  return {
    title: en ? 'Rack power by room' : '各机房机柜功率',
    columns: [
      { key: 'room', label: en ? 'Room' : '机房', kind: 'text' },
      { key: 'total', label: en ? 'Cabinets in total' : '机柜总数', kind: 'int' },
      { key: 'valid', label: en ? 'Valid cabinets' : '有效机柜', kind: 'int' },
      { key: 'dirty', label: en ? 'Dirty data' : '脏数据', kind: 'int' },
      { key: 'invalid', label: en ? 'Invalid' : '无效', kind: 'int' },
      { key: 'unopened', label: en ? 'Not yet opened' : '未开通', kind: 'int' },
      { key: 'empty', label: en ? 'Empty' : '空机柜', kind: 'int' },
      { key: 'abnormal', label: en ? 'Abnormal' : '异常', kind: 'int' },
      { key: 'rate', label: en ? 'Valid-cabinet rate' : '有效机柜率', kind: 'percent', decimals: 1 },
      { key: 'util', label: en ? 'Average power utilisation' : '平均功率利用率', kind: 'percent', decimals: 2 },
      { key: 'change', label: en ? 'Change against the day before' : '较前一日变化', kind: 'percent', decimals: 2 },
      { key: 'power', label: en ? 'Average power' : '平均功率', kind: 'number', unit: 'kW', decimals: 1 },
    ],
    rows: fixtureRows(locale).map((r, i): ReportRow => ({
      level: r.level,
      cells: { room: r.name, total: r.total, valid: r.valid, dirty: i % 3, invalid: i % 2, unopened: 0, empty: i % 4, abnormal: i % 5 === 0 ? 1 : 0, rate: r.rate, util: r.util, change: r.change, power: 1000 + i * 37.25 },
    })),
  };
}

export const DEFINITIONS_ZH = [
  { term: '有效机柜', text: '当日所有读数齐全、非负且不超过额定功率150%的已开通机柜。' },
  { term: '脏数据', text: '读数缺失、为负或超过额定功率150%的机柜，不计入平均功率利用率。' },
  { term: '平均功率利用率', text: '有效机柜的平均功率除以其额定功率，再对有效机柜取平均。' },
] as const;

export const DEFINITIONS_EN = [
  { term: 'Valid cabinet', text: 'An opened cabinet whose readings for the day are all present, not negative and not above 150% of its rated power.' },
  { term: 'Dirty data', text: 'A cabinet with readings missing, negative, or above 150% of rated; it is left out of the average power utilisation, which is computed over valid cabinets only and compared with the same figure for the day before to give the change column.' },
  { term: 'Average power utilisation', text: 'The mean over valid cabinets of the cabinet average power divided by its rated power.' },
] as const;

export function fixtureDocument(locale: 'en' | 'zh-CN'): ReportDocument {
  const en = locale === 'en';
  const rows = fixtureRows(locale);
  return {
    kind: 'rack-power',
    title: en ? 'Rack power daily report' : '机柜功率日报',
    subtitle: en ? 'Lab fleet, all rooms' : '实验环境，全部机房',
    locale,
    generatedAt: Date.UTC(2026, 11, 3, 1, 5),
    period: { from: Date.UTC(2026, 11, 2), to: Date.UTC(2026, 11, 3) },
    definitions: en ? DEFINITIONS_EN : DEFINITIONS_ZH,
    tables: [table(locale)],
    charts: SITES.map((site, s) => {
      const rooms = rows.filter((r) => r.level === 'detail').slice(s * ROOMS_PER_SITE, s * ROOMS_PER_SITE + 6);
      return {
        title: en ? `${site}: utilisation by room` : `${SITES_ZH[s] ?? site}：各机房利用率`,
        labels: rooms.map((r, i) => (en ? `R${i + 1}` : `${i + 1}号`)),
        series: [
          { name: en ? 'Utilisation' : '利用率', values: rooms.map((r) => Math.round(r.util * 1000) / 10) },
          { name: en ? 'Valid rate' : '有效率', values: rooms.map((r, i) => (i === 2 ? null : Math.round(r.rate * 1000) / 10)) },
        ],
        unit: '%',
      };
    }),
  };
}
