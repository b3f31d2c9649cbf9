// An import issue worded in the user's language from its code and params, falling back to
// the core's English message for a code this renderer does not know or params it cannot word.
// English reproduces the core's message exactly (the core's inventory decoders and validator: validate.ts,
// formats.ts, csv.ts, json-source.ts; a unit test compares them on the core's own issues).
// Field names, ids and values from the file stay as written. Pure.
import type { ImportIssue, ImportIssueCode } from '../../src-shared/domain';
import type { Lang } from './i18n';

export type WordableIssue = Pick<ImportIssue, 'code' | 'params' | 'message'>;

class Unworded extends Error {}

/** Typed reads of the params; a missing or mistyped one makes the issue fall back to its message. */
class P {
  constructor(private readonly p: Readonly<Record<string, unknown>>) {}
  s(k: string): string {
    const v = this.p[k];
    if (typeof v !== 'string') throw new Unworded(k);
    return v;
  }
  n(k: string): number {
    const v = this.p[k];
    if (typeof v !== 'number') throw new Unworded(k);
    return v;
  }
  b(k: string): boolean {
    return this.p[k] === true;
  }
  list(k: string): string[] {
    const v = this.p[k];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Unworded(k);
    return v as string[];
  }
  has(k: string): boolean {
    return this.p[k] !== undefined && this.p[k] !== null;
  }
}

type Words = Readonly<Record<ImportIssueCode, (p: P) => string>> & { who(p: P): string; where(p: P): string; syntax(p: P): string };

const q = JSON.stringify;

const EN_KIND: Readonly<Record<string, string>> = { site: 'site', room: 'room', row: 'row', cabinet: 'cabinet', device: 'device' };
const ZH_KIND: Readonly<Record<string, string>> = { site: '站点', room: '机房', row: '机柜排', cabinet: '机柜', device: '设备' };

const enFound = (p: P) => (p.s('found') === '' ? 'the end of the file' : q(p.s('found')));
const zhFound = (p: P) => (p.s('found') === '' ? '文件结尾' : q(p.s('found')));

function enJson(p: P): string {
  const type = p.s('type');
  if (type === 'string') return `the string ${q(p.s('value'))}`;
  if (type === 'number' || type === 'boolean') return `a ${type} (${p.s('value')})`;
  return `${type === 'object' || type === 'array' ? 'an' : 'a'} ${type}`;
}

const ZH_JSON_TYPE: Readonly<Record<string, string>> = { object: '对象', array: '数组', number: '数字', boolean: '布尔值', null: 'null' };
function zhJson(p: P): string {
  const type = p.s('type');
  if (type === 'string') return `字符串 ${q(p.s('value'))}`;
  if (type === 'number' || type === 'boolean') return `${ZH_JSON_TYPE[type]}（${p.s('value')}）`;
  return ZH_JSON_TYPE[type] ?? type;
}

function enRange(p: P): string {
  const max = p.has('max') ? p.n('max') : null;
  return max === null ? `${p.n('min')} or more` : `from ${p.n('min')} to ${max}`;
}

const HOSTNAME_RULE_EN = 'letters, digits and hyphens in dot-separated labels of 1-63 characters, no label starting or ending with a hyphen, 253 characters at most (RFC 1123)';
const HOSTNAME_RULE_ZH = '由字母、数字和连字符组成、以点分隔的标签，每个标签 1-63 个字符，不以连字符开头或结尾，总长不超过 253 个字符（RFC 1123）';

const EN_SYNTAX: Readonly<Record<string, (p: P) => string>> = {
  empty: () => 'the file is empty',
  trailing: (p) => `unexpected ${enFound(p)} after the end of the document`,
  'bad-unicode-escape': () => '\\u must be followed by 4 hex digits',
  'bad-escape': (p) => `invalid escape \\${p.s('escape')} in a string`,
  'unclosed-string': () => 'this string is never closed (missing ")',
  'string-line-break': () => 'this string is not closed before the end of its line (missing ", or a line break to write as \\n)',
  'control-char': () => 'control character inside a string; escape it',
  'unexpected-end': () => 'unexpected end of the file: a value was expected',
  'too-deep': (p) => `nested more than ${p.n('max')} levels deep`,
  'value-expected': (p) => `unexpected ${enFound(p)}: a value was expected`,
  'name-expected': (p) => `unexpected ${enFound(p)}: a property name in double quotes was expected`,
  'colon-expected': (p) => `unexpected ${enFound(p)}: ":" was expected after the property name`,
  'object-comma': (p) => `unexpected ${enFound(p)}: "," or "}" was expected (the object opened on line ${p.n('openLine')})`,
  'array-comma': (p) => `unexpected ${enFound(p)}: "," or "]" was expected (the array opened on line ${p.n('openLine')})`,
  'duplicate-property': (p) => `duplicate property "${p.s('name')}" (also on line ${p.n('otherLine')})`,
};

const ZH_SYNTAX: Readonly<Record<string, (p: P) => string>> = {
  empty: () => '文件为空',
  trailing: (p) => `文档结束之后出现了意外的 ${zhFound(p)}`,
  'bad-unicode-escape': () => '\\u 之后必须是 4 位十六进制数字',
  'bad-escape': (p) => `字符串中的转义 \\${p.s('escape')} 无效`,
  'unclosed-string': () => '此字符串没有结束（缺少 "）',
  'string-line-break': () => '此字符串在行尾之前没有结束（缺少 "，或应写作 \\n 的换行）',
  'control-char': () => '字符串中有控制字符，请转义',
  'unexpected-end': () => '文件意外结束：此处应为一个值',
  'too-deep': (p) => `嵌套超过 ${p.n('max')} 层`,
  'value-expected': (p) => `意外的 ${zhFound(p)}：此处应为一个值`,
  'name-expected': (p) => `意外的 ${zhFound(p)}：此处应为双引号括起的属性名`,
  'colon-expected': (p) => `意外的 ${zhFound(p)}：属性名之后应为 ":"`,
  'object-comma': (p) => `意外的 ${zhFound(p)}：此处应为 "," 或 "}"（对象始于第 ${p.n('openLine')} 行）`,
  'array-comma': (p) => `意外的 ${zhFound(p)}：此处应为 "," 或 "]"（数组始于第 ${p.n('openLine')} 行）`,
  'duplicate-property': (p) => `属性 "${p.s('name')}" 重复（第 ${p.n('otherLine')} 行也有）`,
};

const EN: Words = {
  who: (p) => (p.s('recordId') ? `${EN_KIND[p.s('recordKind')]} "${p.s('recordId')}"` : `this ${EN_KIND[p.s('recordKind')]}`),
  where: (p) => (p.has('otherLine') ? `line ${p.n('otherLine')}` : `entry ${p.n('otherEntry')} of ${p.s('otherCollection')}`),
  syntax: (p) => `JSON syntax: ${EN_SYNTAX[p.s('syntax')](p)}`,
  'csv-unclosed-quote': (p) => `field ${p.n('column')} opens a quote on line ${p.n('quoteLine')} that is never closed: the rest of the file was read as one field`,
  'csv-text-after-quote': (p) => `field ${p.n('column')} has text after its closing quote (${q(p.s('text'))}); a quote inside a quoted field must be doubled ("")`,
  'csv-stray-quote': (p) => `field ${p.n('column')} contains a quote but is not quoted; write it as "${p.s('value').replaceAll('"', '""')}"`,
  'csv-unknown-column': (p) => `unknown column "${p.s('name')}" in the header`,
  'csv-duplicate-column': (p) => `column "${p.s('name')}" appears twice in the header`,
  'csv-missing-columns': (p) => `the header lacks ${p.list('missing').join(', ')}; the first line must be ${p.s('header')}`,
  'csv-empty': (p) => `the file is empty: the first line must be the header ${p.s('header')}`,
  'csv-field-count': (p) => `this record has ${p.n('fields')} fields; the header has ${p.n('expected')}`,
  'csv-bad-record': (p) => `record must be one of ${p.list('kinds').join(', ')} (got ${q(p.s('value'))})`,
  'json-syntax': (p) => EN.syntax(p),
  'json-not-object': () => 'the file must hold one JSON object: { "format": "fleetdeck-inventory", "version": 1, "sites": [...], ... }',
  'json-bad-format': () => '"format" must be "fleetdeck-inventory"',
  'json-format-missing': () => '"format" must be "fleetdeck-inventory" (it is missing)',
  'json-bad-version': (p) => `version ${p.s('version')} is not supported; this FleetDeck reads version 1`,
  'json-version-missing': () => '"version": 1 is missing',
  'json-unknown-top-property': (p) => `unknown property "${p.s('name')}" at the top level`,
  'json-not-array': (p) => `"${p.s('collection')}" must be an array`,
  'json-not-record': (p) => `each entry of "${p.s('collection')}" must be a ${EN_KIND[p.s('kind')]} object`,
  'json-unknown-property': (p) => `unknown property "${p.s('name')}" in a ${EN_KIND[p.s('kind')]}`,
  'not-a-number': (p) => `${p.s('field')} must be a number (got ${q(p.s('value'))})`,
  'bad-service-tree': (p) => `${p.s('field')} must be company/department/product/cluster/service, five non-empty parts (got ${q(p.s('value'))})`,
  'json-not-a-string': (p) => `${p.s('field')} must be a string${p.b('nullable') ? ' or null' : ''}, not ${enJson(p)}`,
  'json-not-a-number': (p) => `${p.s('field')} must be a number, not ${enJson(p)}${p.b('unquote') ? ' (drop the quotes)' : ''}`,
  'json-bad-service-tree': (p) => `${p.s('field')} must be null or { "company", "department", "product", "cluster", "service" }, each a non-empty string`,
  required: (p) => `${p.s('field')} is required`,
  'id-spaces': () => 'the id has leading or trailing spaces',
  'duplicate-id': (p) => `duplicate ${EN_KIND[p.s('recordKind')]} id: the same id is on ${EN.where(p)}`,
  'unknown-parent': (p) => `unknown ${EN_KIND[p.s('parentKind')]} "${p.s('parent')}": it is neither in this file nor in the inventory`,
  'out-of-range': (p) => `${p.s('field')} must be ${p.b('integer') ? 'a whole number' : 'a number'} ${enRange(p)} (got ${p.s('value')})`,
  'cabinet-too-short': (p) => `${p.s('field')} ${p.n('height')} leaves device "${p.s('device')}" (U ${p.n('from')}-${p.n('to')}, already in the inventory) outside the cabinet`,
  'bad-kind': (p) => `${p.s('field')} "${p.s('value')}" is not one of ${p.list('kinds').join(', ')}`,
  'bad-hostname': (p) => `${p.s('field')} ${q(p.s('value'))} is not a host name: ${HOSTNAME_RULE_EN}`,
  'bad-ip': (p) => `${p.s('field')} "${p.s('value')}" is not an IPv4 or IPv6 address`,
  'bad-bmc-address': (p) => `${p.s('field')} "${p.s('value')}" must be empty or an IPv4 or IPv6 address`,
  'sn-taken': (p) => `${p.s('field')} "${p.s('value')}" already belongs to device "${p.s('device')}" in the inventory`,
  'duplicate-sn': (p) => `${p.s('field')} "${p.s('value')}" is also the serial number of device "${p.s('device')}" on ${EN.where(p)}`,
  'zero-u-not-pdu': (p) => `zero-U (${p.s('uField')} 0, ${p.s('hField')} 0) is only allowed for PDUs, not for a ${p.s('kind')}`,
  'zero-u-mixed': (p) => `${p.s('uField')} and ${p.s('hField')} must both be 0 (a zero-U PDU) or both at least 1 (got ${p.n('u')} and ${p.n('h')})`,
  'above-cabinet': (p) => `occupies U ${p.n('from')}-${p.n('to')} but cabinet "${p.s('cabinet')}" is only ${p.n('height')}U tall`,
  'u-overlap': (p) =>
    `U ${p.n('from')}-${p.n('to')} overlaps device "${p.s('device')}" (U ${p.n('deviceFrom')}-${p.n('deviceTo')}, ${p.b('stored') ? 'already in the inventory' : EN.where(p)}) in cabinet "${p.s('cabinet')}"`,
  'unknown-credential': (p) => `${p.s('field')} "${p.s('value')}" is not a stored credential (add it under Credentials first)`,
  'credential-wrong-kind': (p) => `${p.s('field')} "${p.s('value')}" is a ${p.s('kind')} credential; this column takes ${p.list('kinds').join(' or ')}`,
  'snmp-endpoint-taken': (p) => `management address ${p.s('address')} with SNMP port ${p.n('port')} is already device "${p.s('device')}"'s in the inventory`,
  'duplicate-snmp-endpoint': (p) => `management address ${p.s('address')} with SNMP port ${p.n('port')} is also device "${p.s('device')}"'s on ${EN.where(p)}`,
  'bmc-endpoint-taken': (p) => `BMC ${p.s('address')} port ${p.n('port')} is already device "${p.s('device')}"'s in the inventory`,
  'duplicate-bmc-endpoint': (p) => `BMC ${p.s('address')} port ${p.n('port')} is also device "${p.s('device')}"'s on ${EN.where(p)}`,
  'hostname-taken': (p) => `hostname "${p.s('value')}" already belongs to device "${p.s('device')}" in the inventory (confirmations name the host: it must be unique)`,
  'duplicate-hostname': (p) =>
    `hostname "${p.s('value')}" is also the hostname of device "${p.s('device')}" on ${EN.where(p)} (confirmations name the host: it must be unique)`,
  'confirm-hostname': (p) => `the confirmation must name the host "${p.s('expected')}"`,
  'confirm-name': (p) => `the confirmation must be the ${EN_KIND[p.s('recordKind')]}'s name "${p.s('expected')}"`,
  'unknown-replace-scope': (p) => `the ${EN_KIND[p.s('kind')]} "${p.s('id')}" to replace is neither in the inventory nor in this file`,
  'bad-choice': (p) => `${p.s('field')} "${p.s('value')}" is not one of ${p.list('choices').join(', ')}`,
  'row-outside-room': (p) =>
    `its cabinets cover x ${p.n('x0')}-${p.n('x1')} m, y ${p.n('y0')}-${p.n('y1')} m, outside room "${p.s('room')}" (${p.n('widthM')} x ${p.n('depthM')} m)`,
};

const ZH: Words = {
  who: (p) => (p.s('recordId') ? `${ZH_KIND[p.s('recordKind')]} "${p.s('recordId')}"` : `此${ZH_KIND[p.s('recordKind')]}`),
  where: (p) => (p.has('otherLine') ? `第 ${p.n('otherLine')} 行` : `${p.s('otherCollection')} 的第 ${p.n('otherEntry')} 项`),
  syntax: (p) => `JSON 语法错误：${ZH_SYNTAX[p.s('syntax')](p)}`,
  'csv-unclosed-quote': (p) => `第 ${p.n('column')} 个字段在第 ${p.n('quoteLine')} 行开始的引号没有闭合：文件其余部分都被读成了一个字段`,
  'csv-text-after-quote': (p) => `第 ${p.n('column')} 个字段的结束引号之后还有文本（${q(p.s('text'))}）；带引号字段中的引号必须写两次（""）`,
  'csv-stray-quote': (p) => `第 ${p.n('column')} 个字段含有引号但没有用引号括起；请写作 "${p.s('value').replaceAll('"', '""')}"`,
  'csv-unknown-column': (p) => `表头中有未知的列 "${p.s('name')}"`,
  'csv-duplicate-column': (p) => `列 "${p.s('name')}" 在表头中出现了两次`,
  'csv-missing-columns': (p) => `表头缺少 ${p.list('missing').join('、')}；第一行必须是 ${p.s('header')}`,
  'csv-empty': (p) => `文件为空：第一行必须是表头 ${p.s('header')}`,
  'csv-field-count': (p) => `此记录有 ${p.n('fields')} 个字段，而表头有 ${p.n('expected')} 个`,
  'csv-bad-record': (p) => `记录类型必须是 ${p.list('kinds').join('、')} 之一（实际为 ${q(p.s('value'))}）`,
  'json-syntax': (p) => ZH.syntax(p),
  'json-not-object': () => '文件必须包含一个 JSON 对象：{ "format": "fleetdeck-inventory", "version": 1, "sites": [...], ... }',
  'json-bad-format': () => '"format" 必须是 "fleetdeck-inventory"',
  'json-format-missing': () => '"format" 必须是 "fleetdeck-inventory"（缺少此项）',
  'json-bad-version': (p) => `不支持版本 ${p.s('version')}；此 FleetDeck 读取版本 1`,
  'json-version-missing': () => '缺少 "version": 1',
  'json-unknown-top-property': (p) => `顶层有未知属性 "${p.s('name')}"`,
  'json-not-array': (p) => `"${p.s('collection')}" 必须是数组`,
  'json-not-record': (p) => `"${p.s('collection')}" 的每一项都必须是${ZH_KIND[p.s('kind')]}对象`,
  'json-unknown-property': (p) => `${ZH_KIND[p.s('kind')]}中有未知属性 "${p.s('name')}"`,
  'not-a-number': (p) => `${p.s('field')} 必须是数字（实际为 ${q(p.s('value'))}）`,
  'bad-service-tree': (p) => `${p.s('field')} 必须是 company/department/product/cluster/service 五个非空部分（实际为 ${q(p.s('value'))}）`,
  'json-not-a-string': (p) => `${p.s('field')} 必须是字符串${p.b('nullable') ? '或 null' : ''}，而不是${zhJson(p)}`,
  'json-not-a-number': (p) => `${p.s('field')} 必须是数字，而不是${zhJson(p)}${p.b('unquote') ? '（去掉引号）' : ''}`,
  'json-bad-service-tree': (p) => `${p.s('field')} 必须是 null 或 { "company", "department", "product", "cluster", "service" }，每项为非空字符串`,
  required: (p) => `${p.s('field')} 为必填项`,
  'id-spaces': () => '标识的开头或结尾有空格',
  'duplicate-id': (p) => `${ZH_KIND[p.s('recordKind')]}标识重复：${ZH.where(p)}已有相同标识`,
  'unknown-parent': (p) => `未知的${ZH_KIND[p.s('parentKind')]} "${p.s('parent')}"：它既不在此文件中，也不在资产清单中`,
  'out-of-range': (p) => {
    const max = p.has('max') ? p.n('max') : null;
    const range = max === null ? `不小于 ${p.n('min')}` : `在 ${p.n('min')} 到 ${max} 之间`;
    return `${p.s('field')} 必须是${range}的${p.b('integer') ? '整数' : '数字'}（实际为 ${p.s('value')}）`;
  },
  'cabinet-too-short': (p) => `${p.s('field')} 为 ${p.n('height')} 时，资产清单中已有的设备 "${p.s('device')}"（U ${p.n('from')}-${p.n('to')}）会超出机柜`,
  'bad-kind': (p) => `${p.s('field')} "${p.s('value')}" 不是 ${p.list('kinds').join('、')} 之一`,
  'bad-hostname': (p) => `${p.s('field')} ${q(p.s('value'))} 不是有效的主机名：${HOSTNAME_RULE_ZH}`,
  'bad-ip': (p) => `${p.s('field')} "${p.s('value')}" 不是 IPv4 或 IPv6 地址`,
  'bad-bmc-address': (p) => `${p.s('field')} "${p.s('value')}" 必须为空或是 IPv4 或 IPv6 地址`,
  'sn-taken': (p) => `${p.s('field')} "${p.s('value')}" 已属于资产清单中的设备 "${p.s('device')}"`,
  'duplicate-sn': (p) => `${p.s('field')} "${p.s('value')}" 也是${ZH.where(p)}设备 "${p.s('device')}" 的序列号`,
  'zero-u-not-pdu': (p) => `零 U 安装（${p.s('uField')} 0，${p.s('hField')} 0）只允许用于 PDU，不能用于 ${p.s('kind')}`,
  'zero-u-mixed': (p) => `${p.s('uField')} 和 ${p.s('hField')} 必须都为 0（零 U 的 PDU）或都不小于 1（实际为 ${p.n('u')} 和 ${p.n('h')}）`,
  'above-cabinet': (p) => `占用 U ${p.n('from')}-${p.n('to')}，但机柜 "${p.s('cabinet')}" 只有 ${p.n('height')}U 高`,
  'u-overlap': (p) =>
    `U ${p.n('from')}-${p.n('to')} 与机柜 "${p.s('cabinet')}" 中的设备 "${p.s('device')}"（U ${p.n('deviceFrom')}-${p.n('deviceTo')}，${p.b('stored') ? '资产清单中已有' : ZH.where(p)}）重叠`,
  'unknown-credential': (p) => `${p.s('field')} "${p.s('value')}" 不是已保存的凭据（请先在“凭据”页添加）`,
  'credential-wrong-kind': (p) => `${p.s('field')} "${p.s('value')}" 是 ${p.s('kind')} 类型的凭据；此列只接受 ${p.list('kinds').join(' 或 ')}`,
  'snmp-endpoint-taken': (p) => `管理地址 ${p.s('address')} 加 SNMP 端口 ${p.n('port')} 已属于资产清单中的设备 "${p.s('device')}"`,
  'duplicate-snmp-endpoint': (p) => `管理地址 ${p.s('address')} 加 SNMP 端口 ${p.n('port')} 也是${ZH.where(p)}设备 "${p.s('device')}" 的`,
  'bmc-endpoint-taken': (p) => `BMC ${p.s('address')} 端口 ${p.n('port')} 已属于资产清单中的设备 "${p.s('device')}"`,
  'duplicate-bmc-endpoint': (p) => `BMC ${p.s('address')} 端口 ${p.n('port')} 也是${ZH.where(p)}设备 "${p.s('device')}" 的`,
  'hostname-taken': (p) => `主机名 "${p.s('value')}" 已属于资产清单中的设备 "${p.s('device')}"（确认操作以主机名为准，必须唯一）`,
  'duplicate-hostname': (p) => `主机名 "${p.s('value')}" 也是${ZH.where(p)}设备 "${p.s('device')}" 的主机名（确认操作以主机名为准，必须唯一）`,
  'confirm-hostname': (p) => `确认必须输入主机名 "${p.s('expected')}"`,
  'confirm-name': (p) => `确认必须输入此${ZH_KIND[p.s('recordKind')]}的名称 "${p.s('expected')}"`,
  'unknown-replace-scope': (p) => `要替换的${ZH_KIND[p.s('kind')]} "${p.s('id')}" 未知：它既不在此文件中，也不在资产清单中`,
  'bad-choice': (p) => `${p.s('field')} "${p.s('value')}" 不是 ${p.list('choices').join('、')} 之一`,
  'row-outside-room': (p) =>
    `其机柜占据 x ${p.n('x0')}-${p.n('x1')} 米、y ${p.n('y0')}-${p.n('y1')} 米，超出了机房 "${p.s('room')}"（${p.n('widthM')} x ${p.n('depthM')} 米）的范围`,
};

/** Codes whose issue is about one record: their wording starts with the record. */
const ABOUT_A_RECORD = (p: P) => p.has('recordKind');

const WORDS: Readonly<Record<Lang, Words>> = { en: EN, 'zh-CN': ZH };

/** The codes each language words (for the unit tests). */
export function wordedIssueCodes(lang: Lang): string[] {
  return Object.keys(WORDS[lang]).filter((k) => k !== 'who' && k !== 'where' && k !== 'syntax');
}

export function importIssueText(lang: Lang, issue: WordableIssue): string {
  const words = WORDS[lang];
  const code = issue.code as string | undefined;
  if (typeof code !== 'string' || !Object.prototype.hasOwnProperty.call(words, code) || code === 'who' || code === 'where' || code === 'syntax') {
    return issue.message;
  }
  if (typeof issue.params !== 'object' || issue.params === null) return issue.message;
  const p = new P(issue.params);
  try {
    const text = words[code as ImportIssueCode](p);
    if (!ABOUT_A_RECORD(p)) return text;
    return `${words.who(p)}${lang === 'en' ? ': ' : '：'}${text}`;
  } catch (err) {
    if (err instanceof Unworded || err instanceof TypeError) return issue.message;
    throw err;
  }
}
