// Simplified Chinese strings of wall mode (views/wall). Spread into zh-cn.ts.
import type { enWall } from './en-wall';

export const zhCNWall: { readonly [K in keyof typeof enWall]: string } = {
  'wall.stale': '数据自 {time} 起未更新',
  'wall.tickerNone': '没有正在告警的告警',
  'wall.loading': '正在加载轮播列表…',
  'wall.deleted': '此轮播列表已被删除。请将此屏幕指向另一个列表。',
  'wall.action.playlist': '加载大屏轮播列表',
};
