// A BMC event log (SEL) entry worded in the user's language from the codes the core sends:
// the sensor from its type (v2.0 table 42-3, worded by sensor-text.ts) and number, the event
// from its event/reading type and offset (tables 42-2 and 42-3). The English tables are the
// core's own (src-shared/ipmi-sel-words.ts), so an English entry reads exactly as the core's
// text; where a table has no word for a code, English shows the core's text and zh-CN a wording of the code. Pure.
import type { SelEntry } from '../../src-shared/domain';
import { GENERIC_EVENTS, SENSOR_SPECIFIC_EVENTS, THRESHOLD_EVENTS } from '../../src-shared/ipmi-sel-words';
import type { Lang } from './i18n';
import { sensorTypeText } from './sensor-text';

export type WordableSel = Pick<SelEntry, 'sensor' | 'sensorType' | 'sensorNumber' | 'eventType' | 'offset' | 'event'>;

interface Tables {
  threshold: readonly string[];
  generic: Readonly<Record<number, readonly string[]>>;
  sensorSpecific: Readonly<Record<number, readonly string[]>>;
}

const EN: Tables = { threshold: THRESHOLD_EVENTS, generic: GENERIC_EVENTS, sensorSpecific: SENSOR_SPECIFIC_EVENTS };

const ZH: Tables = {
  threshold: [
    '低于非严重下限（下降）', '低于非严重下限（回升）', '低于严重下限（下降）', '低于严重下限（回升）',
    '低于不可恢复下限（下降）', '低于不可恢复下限（回升）', '超过非严重上限（回落）', '超过非严重上限（上升）',
    '超过严重上限（回落）', '超过严重上限（上升）', '超过不可恢复上限（回落）', '超过不可恢复上限（上升）',
  ],
  generic: {
    0x02: ['转为空闲', '转为活动', '转为繁忙'],
    0x03: ['状态解除', '状态触发'],
    0x04: ['预测性故障解除', '预测性故障'],
    0x05: ['未超出限值', '超出限值'],
    0x06: ['性能达标', '性能滞后'],
    0x07: ['转为正常', '由正常转为非严重', '由较轻状态转为严重', '由较轻状态转为不可恢复', '由较重状态转为非严重', '由不可恢复转为严重', '转为不可恢复', '监视', '信息'],
    0x08: ['设备不在位', '设备在位'],
    0x09: ['设备已禁用', '设备已启用'],
    0x0a: ['转为运行', '转为测试中', '转为断电', '转为在线', '转为离线', '转为停用', '转为降级', '转为节能', '安装错误'],
    0x0b: ['完全冗余', '冗余丢失', '冗余降级', '非冗余：由冗余转为资源充足', '非冗余：由资源不足转为资源充足', '非冗余：资源不足', '由完全冗余转为冗余降级', '由非冗余转为冗余降级'],
    0x0c: ['设备电源状态 0', '设备电源状态 1', '设备电源状态 2', '设备电源状态 3'],
  },
  sensorSpecific: {
    0x05: ['机箱被打开', '驱动器托架被打开', '扩展卡区域被打开', '处理器区域被打开', '系统已断开局域网', '未授权的扩展坞', '风扇区域被打开'],
    0x07: [
      '处理器内部错误', '过热保护停机', '内置自检失败', '开机自检挂起', '处理器启动或初始化失败', '配置错误',
      '不可纠正的处理器复合体错误', '检测到在位', '已禁用', '检测到终结器在位', '已降频', '不可纠正的机器检查异常', '可纠正的机器检查错误',
    ],
    0x08: ['检测到在位', '检测到故障', '预测性故障', '电源模块交流输入丢失', '交流输入丢失或超出范围', '交流输入超出范围但仍在位', '配置错误'],
    0x09: ['断电/关机', '电源循环', '240 伏安断电', '联锁断电', '交流电丢失', '软电源控制失败', '检测到故障', '预测性故障'],
    0x0c: ['可纠正的内存校验错误', '不可纠正的内存校验错误', '奇偶校验错误', '内存巡检错误', '内存设备已禁用', '可纠正内存校验错误的记录已达上限', '检测到在位', '配置错误', '备用', '已降频', '严重过热'],
    0x10: ['可纠正内存错误的记录已禁用', '事件记录已禁用', '日志区已重置/清除', '所有事件记录已禁用', '日志已满', '日志将满'],
    0x12: ['系统已重新配置', '厂商自定义启动事件', '未确定的系统硬件故障', '已添加辅助日志条目', '平台事件过滤动作', '时间戳时钟同步'],
    0x1d: ['由上电发起', '由硬复位发起', '由热复位发起', '用户请求 PXE 启动', '自动启动诊断'],
  },
};

function tableWord(t: Tables, eventType: number, sensorType: number, offset: number): string | null {
  const table = eventType === 0x01 ? t.threshold : eventType === 0x6f ? t.sensorSpecific[sensorType] : t.generic[eventType];
  return table?.[offset] ?? null;
}

/** The sensor: its type worded with its number ("温度 #2"); English keeps the core's text. */
export function selSensorText(lang: Lang, e: WordableSel): string {
  if (lang === 'en') return e.sensor;
  if (e.sensorType === null || e.sensorNumber === null) return '厂商自定义';
  return `${sensorTypeText(lang, e.sensorType, '')} #${e.sensorNumber}`;
}

/** The event: the offset's word for its event type; else the core's English, or a wording of the code. */
export function selEventText(lang: Lang, e: WordableSel): string {
  const coded = e.eventType !== null && e.offset !== null;
  const word = coded ? tableWord(lang === 'en' ? EN : ZH, e.eventType!, e.sensorType ?? -1, e.offset!) : null;
  if (word !== null) return word;
  if (lang === 'en') return e.event;
  if (!coded) return '厂商自定义记录';
  if (e.eventType! >= 0x70 && e.eventType! <= 0x7f) return '厂商自定义事件';
  return `未定义事件（偏移 ${e.offset}）`;
}

/** Every (event type, sensor type, offset) the tables word, per language (for the unit tests). */
export function wordedSelOffsets(lang: Lang): { eventType: number; sensorType: number | null; offset: number; text: string }[] {
  const t = lang === 'en' ? EN : ZH;
  const rows = (eventType: number, sensorType: number | null, list: readonly string[]) => list.map((text, offset) => ({ eventType, sensorType, offset, text }));
  return [
    ...rows(0x01, null, t.threshold),
    ...Object.entries(t.generic).flatMap(([type, list]) => rows(Number(type), null, list)),
    ...Object.entries(t.sensorSpecific).flatMap(([type, list]) => rows(0x6f, Number(type), list)),
  ];
}
