// IPMI sensor types (v2.0 table 42-3) and units (table 43-15) worded in the user's
// language from the codes the core sends. English keeps the BMC's own wording (what
// ipmitool prints); zh-CN words the type from its code and shows the unit as its symbol
// where one exists. Sensor names ("Inlet Temp") are the BMC's data and stay as sent. Pure.
import type { Lang } from './i18n';

const ZH_TYPES: readonly string[] = [
  '保留', '温度', '电压', '电流', '风扇', '物理安全', '平台安全', '处理器', '电源模块', '电源单元', '散热设备', '其他', '内存',
  '驱动器槽位', '开机自检内存调整', '系统固件', '事件日志已禁用', '看门狗 1', '系统事件', '关键中断', '按钮/开关', '模块/主板',
  '微控制器', '扩展卡', '机箱', '芯片组', '其他可更换部件', '线缆/互连', '终结器', '系统启动已发起', '启动错误', '操作系统启动',
  '操作系统严重停止', '插槽/连接器', '系统 ACPI 电源状态', '看门狗 2', '平台告警', '实体存在', '监控芯片', '局域网',
  '管理子系统健康', '电池', '会话审计', '版本变更', '可更换部件状态',
];

/** Unit symbols (or words) by unit code; '' where the unit adds nothing (unspecified, reserved). */
const ZH_UNITS: readonly string[] = [
  '', '°C', '°F', 'K', 'V', 'A', 'W', 'J', 'C', 'VA', '尼特', 'lm', 'lx', 'cd', 'kPa', 'PSI', 'N', 'CFM', 'RPM', 'Hz', 'μs',
  'ms', 's', '分钟', '小时', '天', '周', '密耳', '英寸', '英尺', '立方英寸', '立方英尺', 'mm', 'cm', 'm', 'cm³', 'm³', 'L',
  '液量盎司', 'rad', 'sr', '转', '周期', 'g', '盎司', '磅', '英尺·磅', '盎司·英寸', 'Gs', 'Gb', 'H', 'mH', 'F', 'μF', 'Ω',
  'S', 'mol', 'Bq', 'ppm', '', 'dB', 'dBA', 'dBC', 'Gy', 'Sv', 'K（色温）', '比特', 'kbit', 'Mbit', 'Gbit', '字节', 'KB', 'MB',
  'GB', '字', '双字', '四字', '行', '次命中', '次未命中', '次重试', '次复位', '次溢出', '次欠载', '次冲突', '个数据包', '条消息',
  '个字符', '个错误', '个可纠正错误', '个不可纠正错误', '个致命错误', 'g',
];

/** The number of codes each table words (the unit tests check them against the core's tables). */
export const WORDED_TYPE_CODES = ZH_TYPES.length;
export const WORDED_UNIT_CODES = ZH_UNITS.length;

export function sensorTypeText(lang: Lang, typeCode: number, bmcType: string): string {
  if (lang === 'en') return bmcType;
  if (Number.isInteger(typeCode) && typeCode >= 0 && typeCode < ZH_TYPES.length) return ZH_TYPES[typeCode];
  return typeCode >= 0xc0 ? '厂商自定义' : '未知类型';
}

export function unitText(lang: Lang, unitCode: number, bmcUnit: string): string {
  if (lang === 'en') return bmcUnit;
  if (Number.isInteger(unitCode) && unitCode >= 0 && unitCode < ZH_UNITS.length) return ZH_UNITS[unitCode];
  return '';
}

/** A reading with its unit: "23 °C", "5400 RPM"; the number alone when the unit says nothing. */
export function sensorValueText(lang: Lang, value: string, unitCode: number, bmcUnit: string): string {
  const unit = unitText(lang, unitCode, bmcUnit);
  return unit === '' ? value : `${value} ${unit}`;
}
