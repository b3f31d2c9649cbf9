// 规模视图的简体中文文字：未监控与不可达计数、搜索框、批量导入导出、控制操作的进行中状态。键与 en-scale.ts 一一对应。
import type { ScaleDictionary } from './en-scale';

export const zhCNScale: ScaleDictionary = {
  // 大规模总览
  'scale.total.unreachable': '不可达',
  'scale.total.notMonitored': '未监控',
  'scale.total.notMonitoredHint': '没有 SNMP 凭据：从未轮询，不计为故障',
  'scale.col.unreachable': '不可达',
  'scale.col.notMonitored': '未监控',
  'scale.site.notMonitored': '未监控：本站点没有设备配置 SNMP 凭据',
  'scale.site.someNotMonitored': '{n} 台未监控',
  'scale.site.unreachable': '{n} 台不可达',
  'scale.site.answeringOfMonitored': '{answering} / {monitored} 台受监控设备在线',
  // 搜索
  'scale.search.label': '搜索设备',
  'scale.search.placeholder': '搜索序列号、主机名、IP（/）',
  'scale.search.searching': '正在搜索…',
  'scale.search.none': '没有与“{q}”匹配的设备',
  'scale.search.hint': '↑ ↓ 选择，回车打开，Esc 关闭',
  'scale.search.where': '{site} · {room} · {cabinet} · 第 {u} U',
  'scale.search.match.exact': '完全匹配',
  'scale.search.match.prefix': '前缀匹配',
  'scale.search.match.typo': '一处差异',
  'scale.search.field.sn': '序列号',
  'scale.search.field.hostname': '主机名',
  'scale.search.field.mgmtIp': '管理 IP',
  'scale.search.field.bmcAddress': 'BMC IP',
  'scale.search.results': '{n} 条结果',
  // 批量传输
  'scale.transfer.download': '正在下载：{loaded} / {total}（{percent}%）',
  'scale.transfer.downloadUnknown': '正在下载：{loaded}',
  'scale.transfer.upload': '正在上传 {file}：{loaded} / {total}（{percent}%）',
  'scale.transfer.uploaded': '{file} 已上传，核心正在校验并导入…',
  'scale.transfer.cancelExport': '取消导出',
  'scale.transfer.exportCancelled': '导出已取消，未保存文件。',
  'scale.transfer.uploadStopped': '{file} 在完整发送之前已停止上传：没有导入任何内容。',
  // 控制操作进行中
  'scale.pending.off': '正在关机…',
  'scale.pending.on': '正在开机…',
  'scale.pending.restart': '正在重启…',
  'scale.pending.title': '等待轮询确认{action}操作（自 {time} 起）',
};
