// Simplified Chinese strings of the device lifecycle (CMDB status). Spread into zh-cn.ts.
import type { enLifecycle } from './en-lifecycle';

export const zhCNLifecycle: { readonly [K in keyof typeof enLifecycle]: string } = {
  'lifecycle.racked': '已上架',
  'lifecycle.provisioning': '装机中',
  'lifecycle.online': '在线',
  'lifecycle.offline': '已下线',
  'lifecycle.maintenance': '维护中',
  'lifecycle.retired': '已退役',
  'lifecycle.title': '生命周期（CMDB 状态）',
  'lifecycle.changed': '自 {time} 起，由 {actor} 设置',
  'lifecycle.neverChanged': '自控制台开始记录以来未变更。',
  'lifecycle.moveTo': '变更为',
  'lifecycle.move': '变更',
  'lifecycle.moving': '正在变更为{state}…',
  'lifecycle.moved': '已变更为{state}。',
  'lifecycle.roleNote': '变更状态需要{required}角色；当前会话为{role}。',
  'lifecycle.counts': '生命周期',
  'action.setLifecycle': '变更设备生命周期状态',
  'action.lifecycleCounts': '加载生命周期统计',
  'err.lifecycle.refused': '未变更为{to}，未做任何修改：{what}',
  'err.lifecycle.notAllowed': '{host} 当前为{from}，只能变更为{next}',
  'err.lifecycle.notExpected': '{host} 当前为{from}，而不是{expected}：已被他人变更',
  'err.lifecycle.more': '；另有 {n} 台',
  'err.lifecycle.sep': '；',
  'err.lifecycle.listSep': '、',
  'err.lifecycle.or': '或',
};
