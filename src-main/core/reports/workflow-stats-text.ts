// The workflow statistics report's words in English and Chinese (zh-CN): title, column labels
// and the definitions written into the report. The definitions say what the engine's own
// statistics compute (src-main/core/workflows/stats.ts); keep the three in step.
import type { ReportLocale } from './report-document';

export const TEMPLATE_KEYS = ['template', 'name', 'total', 'succeeded', 'failed', 'running', 'revoked', 'successRate', 'meanS', 'p90S'] as const;
export const STEP_KEYS = ['template', 'step', 'failures', 'topError', 'meanS'] as const;

export interface WorkflowStatsText {
  readonly title: string;
  readonly tableTitle: string;
  readonly stepsTitle: string;
  readonly chartTitle: string;
  readonly chartSeries: readonly [string, string];
  readonly columns: Readonly<Record<(typeof TEMPLATE_KEYS)[number], string>>;
  readonly stepColumns: Readonly<Record<(typeof STEP_KEYS)[number], string>>;
  readonly all: string;
  readonly period: (from: string, to: string) => string;
  readonly definitions: readonly { readonly term: string; readonly text: string }[];
}

const EN: WorkflowStatsText = {
  title: 'Workflow statistics',
  tableTitle: 'Runs per template',
  stepsTitle: 'Steps per template',
  chartTitle: 'Runs per template',
  chartSeries: ['Succeeded', 'Failed'],
  columns: {
    template: 'Template id', name: 'Template', total: 'Runs', succeeded: 'Succeeded', failed: 'Failed', running: 'Running',
    revoked: 'Revoked', successRate: 'Success rate', meanS: 'Mean duration', p90S: 'P90 duration',
  },
  stepColumns: { template: 'Template id', step: 'Step', failures: 'Failed attempts', topError: 'Most frequent error', meanS: 'Mean succeeded attempt' },
  all: 'All',
  period: (from, to) => `Runs launched from ${from} to ${to} (end excluded)`,
  definitions: [
    { term: 'Runs', text: 'Runs of the template launched in the period that the journal still keeps (finished runs past the journal\'s retention are deleted and not counted).' },
    { term: 'Running', text: 'Runs not finished when the report was made; a paused run counts as running.' },
    { term: 'Revoked', text: 'Runs an operator cancelled (revoked); they are in the total only.' },
    { term: 'Success rate', text: 'Succeeded / (succeeded + failed); empty when no run finished.' },
    { term: 'Mean and P90 duration', text: 'From launch to finish, over the succeeded and failed runs; P90 is the nearest-rank 90th percentile. In seconds.' },
    { term: 'Failed attempts', text: 'Every failed attempt of the step, retried ones too; attempts cut by an operator (retry, skip or revoke while waiting) are not failures.' },
    { term: 'Most frequent error', text: 'The error text of the step\'s failed attempts that occurs most often.' },
    { term: 'Mean succeeded attempt', text: 'The mean time from start to finish of the step\'s succeeded attempts, in seconds.' },
    { term: 'All', text: 'The sums of the templates\' runs; its success rate is over all finished runs; its durations are empty (they are not kept per run here).' },
  ],
};

const ZH: WorkflowStatsText = {
  title: '工作流统计',
  tableTitle: '各模板运行情况',
  stepsTitle: '各模板步骤情况',
  chartTitle: '各模板运行数',
  chartSeries: ['成功', '失败'],
  columns: {
    template: '模板 ID', name: '模板', total: '运行数', succeeded: '成功', failed: '失败', running: '运行中',
    revoked: '已撤销', successRate: '成功率', meanS: '平均耗时', p90S: 'P90 耗时',
  },
  stepColumns: { template: '模板 ID', step: '步骤', failures: '失败次数', topError: '最常见错误', meanS: '成功尝试平均耗时' },
  all: '全部',
  period: (from, to) => `统计 ${from} 至 ${to}（不含结束时刻）发起的运行`,
  definitions: [
    { term: '运行数', text: '统计区间内发起、且仍保存在日志中的该模板运行（超过日志保留期的已结束运行已删除，不计入）。' },
    { term: '运行中', text: '生成报表时尚未结束的运行；已暂停的运行计为运行中。' },
    { term: '已撤销', text: '被操作员撤销的运行；只计入总数。' },
    { term: '成功率', text: '成功 / （成功 + 失败）；没有已结束的运行时为空。' },
    { term: '平均耗时与 P90 耗时', text: '从发起到结束，按成功和失败的运行统计；P90 为最近秩第 90 百分位。单位为秒。' },
    { term: '失败次数', text: '该步骤每次失败的尝试，包括已重试的；操作员中断的尝试（等待时重试、跳过或撤销）不算失败。' },
    { term: '最常见错误', text: '该步骤失败尝试中出现次数最多的错误信息。' },
    { term: '成功尝试平均耗时', text: '该步骤成功尝试从开始到结束的平均时间，单位为秒。' },
    { term: '全部', text: '各模板运行数之和；成功率按全部已结束的运行计算；耗时为空（此处不按运行保存）。' },
  ],
};

export function workflowStatsText(locale: ReportLocale): WorkflowStatsText {
  if (locale === 'en') return EN;
  if (locale === 'zh-CN') return ZH;
  throw new RangeError(`workflow statistics: no text for locale ${JSON.stringify(locale)} (en or zh-CN)`);
}
