// The rack power daily report's words in English and Chinese (zh-CN, the seed's own terms):
// title, column labels, row labels, category names and the definitions written into the report.
// The definitions say exactly what rack-power.ts computes; keep the two in step.
import type { ReportLocale } from './report-document';

export interface RackPowerText {
  readonly title: string;
  readonly tableTitle: string;
  readonly chartTitle: (room: string) => string;
  readonly chartSeries: string;
  readonly columns: {
    readonly site: string;
    readonly room: string;
    readonly total: string;
    readonly valid: string;
    readonly dirty: string;
    readonly invalid: string;
    readonly notOpened: string;
    readonly empty: string;
    readonly abnormal: string;
    readonly validRate: string;
    readonly utilisation: string;
    readonly change: string;
  };
  readonly subtotal: string;
  readonly all: string;
  readonly period: (from: string, to: string) => string;
  readonly definitions: readonly { readonly term: string; readonly text: string }[];
}

const EN: RackPowerText = {
  title: 'Rack power daily report',
  tableTitle: 'Rack power per room',
  chartTitle: (room) => `${room}: cabinets by category`,
  chartSeries: 'Cabinets',
  columns: {
    site: 'Site',
    room: 'Room',
    total: 'Cabinets',
    valid: 'Valid',
    dirty: 'Dirty data',
    invalid: 'Invalid',
    notOpened: 'Not yet opened',
    empty: 'Empty (no devices)',
    abnormal: 'Abnormal',
    validRate: 'Valid-cabinet rate',
    utilisation: 'Avg. power utilisation (valid)',
    change: 'Change vs day before',
  },
  subtotal: 'Subtotal',
  all: 'All',
  period: (from, to) => `Period ${from} to ${to} (end excluded)`,
  definitions: [
    { term: 'Cabinet power', text: "The sum of the cabinet's PDUs' pdu.power_w readings; over the day, the sum of each PDU's mean reading." },
    { term: 'Category', text: 'Every cabinet is in exactly one category, tested in this order: empty, not yet opened, invalid, dirty data, abnormal, valid.' },
    { term: 'Empty (no devices)', text: 'The cabinet holds no device other than PDUs (retired devices do not count).' },
    { term: 'Not yet opened', text: 'The cabinet has no rated power (0 kW), or none of its devices is in service yet (every one is racked or provisioning).' },
    { term: 'Invalid', text: 'The cabinet cannot be metered: it has no PDU, or none of its PDUs has ever stored a power reading.' },
    {
      term: 'Dirty data',
      text: 'A PDU of the cabinet has readings missing (samples in fewer than 90% of the hours of the day; a PDU never read beside one that is, too), a negative reading, or a reading above 150% of the cabinet rating; or the cabinet power averages above 150% of its rating.',
    },
    { term: 'Abnormal', text: 'The readings are clean but the cabinet power averages above 100% of its rating (overload) or below 1% of it (no draw: tripped or switched off).' },
    { term: 'Valid', text: 'Every other cabinet: in service, metered, clean readings, average load between 1% and 100% of its rating.' },
    { term: 'Valid-cabinet rate', text: 'Valid cabinets / all cabinets of the room, site or fleet.' },
    { term: 'Power utilisation', text: "A valid cabinet's average power over the day / its rated power. The average is over the valid cabinets, each counting once." },
    {
      term: 'Change vs day before',
      text: 'This day\'s average utilisation minus the day before\'s (each day over its own valid cabinets, with today\'s inventory), in percentage points; empty when either day has no valid cabinet.',
    },
  ],
};

const ZH: RackPowerText = {
  title: '资源数据日报-机柜电力',
  tableTitle: '机柜电力（按机房）',
  chartTitle: (room) => `${room}：机柜分类`,
  chartSeries: '机柜数',
  columns: {
    site: '站点',
    room: '房间号',
    total: '机柜总数',
    valid: '有效机柜数',
    dirty: '脏数据机柜数',
    invalid: '无效机柜数',
    notOpened: '未开通机柜数',
    empty: '空机柜数(无设备)',
    abnormal: '异常机柜数',
    validRate: '有效机柜率',
    utilisation: '有效机柜平均电力利用率',
    change: '利用率差值(日)',
  },
  subtotal: '合计',
  all: '全部',
  period: (from, to) => `统计区间 ${from} 至 ${to}（不含结束时刻）`,
  definitions: [
    { term: '机柜功率', text: '机柜内各 PDU 的 pdu.power_w 读数之和；全天取每个 PDU 读数的平均值再求和。' },
    { term: '分类', text: '每个机柜只属于一类，按以下顺序判定：空机柜、未开通、无效、脏数据、异常、有效。' },
    { term: '空机柜(无设备)', text: '机柜内除 PDU 外没有任何设备（已退役的设备不计）。' },
    { term: '未开通', text: '机柜额定功率为 0 kW，或机柜内没有任何设备投入使用（全部处于已上架或装机中）。' },
    { term: '无效', text: '机柜无法计量：没有 PDU，或其 PDU 从未存储过功率读数。' },
    { term: '脏数据', text: '机柜某个 PDU 读数缺失（当天有读数的小时不足 90%；同柜其他 PDU 有读数而它从未有读数，也算缺失）、出现负值或超过机柜额定功率 150% 的读数；或机柜全天平均功率超过额定功率的 150%。' },
    { term: '异常', text: '读数正常，但机柜全天平均功率超过额定功率的 100%（过载）或低于 1%（无负载：跳闸或断电）。' },
    { term: '有效', text: '其余机柜：已投入使用、可计量、读数正常、平均负载在额定功率的 1% 到 100% 之间。' },
    { term: '有效机柜率', text: '有效机柜数 / 机房（站点、全部）机柜总数。' },
    { term: '电力利用率', text: '有效机柜全天平均功率 / 额定功率；平均值按有效机柜计算，每个机柜权重相同。' },
    { term: '利用率差值(日)', text: '当天平均利用率减去前一天的平均利用率（各自按当天的有效机柜，使用当前资产信息），单位为百分点；任一天没有有效机柜时为空。' },
  ],
};

export function rackPowerText(locale: ReportLocale): RackPowerText {
  if (locale === 'en') return EN;
  if (locale === 'zh-CN') return ZH;
  throw new RangeError(`rack power: no text for locale ${JSON.stringify(locale)} (en or zh-CN)`);
}
