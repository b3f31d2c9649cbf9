// The probe quality daily report's words in English and Chinese (zh-CN): title, column labels,
// row labels and the definitions written into the report. The definitions say exactly what
// probe-quality.ts computes; keep the two in step. Thresholds are filled in from the stored
// matrix thresholds (the "bad" ones) when the report is made.
import type { ProbeThresholds } from '../../../src-shared/domain/probe';
import type { ReportLocale } from './report-document';

export const GROUP_KEYS = ['site', 'room', 'minutes', 'ok', 'drops', 'failed', 'p50', 'p99', 'worstP99', 'dropRate', 'sla'] as const;
export const PAIR_KEYS = ['rank', 'src', 'srcRoom', 'dst', 'dstRoom', 'ok', 'p50', 'worstP99', 'dropRate', 'failed', 'badMinutes', 'sla'] as const;
type GroupKey = (typeof GROUP_KEYS)[number];
type PairKey = (typeof PAIR_KEYS)[number];

export interface ProbeQualityText {
  readonly title: string;
  readonly tableTitle: string;
  readonly pairsTitle: (n: number) => string;
  readonly chartTitle: string;
  readonly chartSeries: string;
  readonly columns: Readonly<Record<GroupKey, string>>;
  readonly pairColumns: Readonly<Record<PairKey, string>>;
  readonly subtotal: string;
  readonly all: string;
  readonly period: (from: string, to: string) => string;
  readonly definitions: (th: ProbeThresholds) => { readonly term: string; readonly text: string }[];
}

const ms = (us: number): string => String(us / 1000);
const pct = (f: number): string => String(Math.round(f * 100_000) / 1000);

const EN: ProbeQualityText = {
  title: 'Probe quality daily report',
  tableTitle: 'Probe quality per room',
  pairsTitle: (n) => `The ${n} worst server pairs`,
  chartTitle: 'SLA share per room',
  chartSeries: 'SLA share',
  columns: {
    site: 'Site', room: 'Room', minutes: 'Minutes with data', ok: 'Probes answered', drops: 'Drops', failed: 'Failed probes',
    p50: 'P50', p99: 'P99', worstP99: 'Worst-minute P99', dropRate: 'Drop rate', sla: 'SLA share',
  },
  pairColumns: {
    rank: '#', src: 'Source', srcRoom: 'Source room', dst: 'Destination', dstRoom: 'Destination room', ok: 'Probes answered', p50: 'P50',
    worstP99: 'Worst-minute P99', dropRate: 'Drop rate', failed: 'Failed probes', badMinutes: 'Minutes out of SLA', sla: 'SLA share',
  },
  subtotal: 'Subtotal',
  all: 'All',
  period: (from, to) => `Period ${from} to ${to} (end excluded)`,
  definitions: (th) => [
    { term: 'Source of the figures', text: 'The probe matrix\'s stored per-minute aggregates. A room\'s row is every probe sent from the room\'s servers to any server (room-level pairs with the room as source); a site\'s subtotal is the site-level pairs with the site as source; the all row is every site\'s. DNS and public-network targets are not included.' },
    { term: 'Minute figure', text: 'A room\'s (site\'s) minute folds its pairs of that minute as the matrix does: counts summed, P50 weighted by answered probes, P99 the worst pair\'s (percentiles do not add).' },
    { term: 'Probes answered, drops, failed', text: 'Summed over the day. A TCP probe answered after a SYN retransmission counts as answered and as a drop; a UDP, ICMP or DNS timeout is a drop when the pair had an answer that minute, else failed; a refused or errored probe is failed.' },
    { term: 'P50', text: 'The mean of the minutes\' P50s weighted by their answered probes (the matrix\'s rule for a window), in ms.' },
    { term: 'P99', text: 'The 99th percentile (nearest rank) of the day\'s minute P99s, each minute with an answered probe counting once; no latency histograms are stored, so this is the P99 of the minutes, not of every probe.' },
    { term: 'Worst-minute P99', text: 'The highest minute P99 of the day (what the matrix shows for the whole day).' },
    { term: 'Drop rate', text: 'Drops / answered probes (Pingmesh\'s definition, as the matrix); failed probes are counted apart.' },
    {
      term: 'SLA share',
      text: `Minutes within the SLA / minutes with data. A minute has data when a probe was answered or failed in it; it is within the SLA when a probe was answered, its P99 was under ${ms(th.p99BadUs)} ms and its drop rate under ${pct(th.dropBad)}% (the matrix's red thresholds, from the probe settings).`,
    },
    { term: 'Worst pairs', text: 'Server-to-server pairs ranked by minutes out of the SLA, then drop rate, then worst-minute P99. A pair\'s P50 and worst-minute P99 fold its minutes as the matrix does.' },
    { term: 'Older days', text: 'Minutes are kept for 2 days and then rolled into hours (the hour\'s P99 is its worst minute\'s). A day read from hours counts each hour with data as 60 minutes, so its SLA share is a lower bound.' },
  ],
};

const ZH: ProbeQualityText = {
  title: '网络探测质量日报',
  tableTitle: '探测质量（按机房）',
  pairsTitle: (n) => `最差的 ${n} 个服务器对`,
  chartTitle: '各机房 SLA 达标率',
  chartSeries: 'SLA 达标率',
  columns: {
    site: '站点', room: '房间号', minutes: '有数据分钟数', ok: '成功探测数', drops: '丢包数', failed: '失败探测数',
    p50: 'P50', p99: 'P99', worstP99: '最差分钟 P99', dropRate: '丢包率', sla: 'SLA 达标率',
  },
  pairColumns: {
    rank: '序号', src: '源', srcRoom: '源机房', dst: '目的', dstRoom: '目的机房', ok: '成功探测数', p50: 'P50',
    worstP99: '最差分钟 P99', dropRate: '丢包率', failed: '失败探测数', badMinutes: '未达标分钟数', sla: 'SLA 达标率',
  },
  subtotal: '合计',
  all: '全部',
  period: (from, to) => `统计区间 ${from} 至 ${to}（不含结束时刻）`,
  definitions: (th) => [
    { term: '数据来源', text: '探测矩阵按分钟存储的聚合数据。机房行为该机房服务器发往任意服务器的全部探测（以该机房为源的机房级对）；站点合计为以该站点为源的站点级对；全部行为所有站点之和。不含 DNS 与公网目标。' },
    { term: '分钟值', text: '机房（站点）某分钟的值按矩阵规则合并该分钟的各对：计数相加，P50 按成功探测数加权，P99 取最差的一对（百分位数不能相加）。' },
    { term: '成功、丢包、失败', text: '全天求和。TCP 探测经 SYN 重传后成功，计为成功并计一次丢包；UDP、ICMP、DNS 超时在该对当分钟有成功时计为丢包，否则计为失败；被拒绝或出错的探测计为失败。' },
    { term: 'P50', text: '各分钟 P50 按成功探测数加权的平均值（矩阵对时间窗的规则），单位 ms。' },
    { term: 'P99', text: '全天各分钟 P99 的第 99 百分位（最近秩），每个有成功探测的分钟计一次；未存储时延直方图，故为分钟值的 P99，而非全部探测的 P99。' },
    { term: '最差分钟 P99', text: '全天最高的分钟 P99（矩阵显示全天时的值）。' },
    { term: '丢包率', text: '丢包数 / 成功探测数（Pingmesh 的定义，与矩阵一致）；失败探测单独统计。' },
    {
      term: 'SLA 达标率',
      text: `达标分钟数 / 有数据分钟数。某分钟有成功或失败的探测即为有数据；该分钟有成功探测、P99 低于 ${ms(th.p99BadUs)} ms 且丢包率低于 ${pct(th.dropBad)}%（矩阵的红色阈值，取自探测设置）即为达标。`,
    },
    { term: '最差服务器对', text: '服务器到服务器的探测对，按未达标分钟数、丢包率、最差分钟 P99 依次排序。对的 P50 与最差分钟 P99 按矩阵规则合并其各分钟。' },
    { term: '较早的日期', text: '分钟数据保留 2 天，之后汇总为小时（小时 P99 取最差分钟）。按小时数据统计的日期，每个有数据的小时计为 60 分钟，故 SLA 达标率为下限。' },
  ],
};

export function probeQualityText(locale: ReportLocale): ProbeQualityText {
  if (locale === 'en') return EN;
  if (locale === 'zh-CN') return ZH;
  throw new RangeError(`probe quality: no text for locale ${JSON.stringify(locale)} (en or zh-CN)`);
}
