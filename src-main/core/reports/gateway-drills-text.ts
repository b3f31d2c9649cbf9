// The gateway failover drills report's words in English and Chinese (zh-CN): title, column
// labels, the drill kinds and phases as the report names them, and the definitions written
// into the report. The definitions say what a drill measures (src-main/core/gateways/
// gateway-drill.ts, GatewayDrill in src-shared/domain/gateway.ts); keep them in step.
import type { GatewayDrillKind, GatewayDrillPhase } from '../../../src-shared/domain/gateway';
import type { ReportLocale } from './report-document';

export const DRILL_KEYS = [
  'startedAt', 'cluster', 'kind', 'actor', 'killed', 'sessions', 'lossPercent', 'lossMs', 'windowMs',
  'switched', 'lost', 'misses', 'failbackMs', 'failbackMisses', 'phase', 'note',
] as const;
export const SUMMARY_KEYS = ['drills', 'clean', 'longestWindowMs'] as const;

export interface GatewayDrillsText {
  readonly title: string;
  readonly tableTitle: string;
  readonly summaryTitle: string;
  readonly columns: Readonly<Record<(typeof DRILL_KEYS)[number], string>>;
  readonly summaryColumns: Readonly<Record<(typeof SUMMARY_KEYS)[number], string>>;
  readonly kinds: Readonly<Record<GatewayDrillKind, string>>;
  readonly phases: Readonly<Record<GatewayDrillPhase, string>>;
  readonly period: (from: string, to: string) => string;
  readonly definitions: readonly { readonly term: string; readonly text: string }[];
}

const EN: GatewayDrillsText = {
  title: 'Gateway failover drills',
  tableTitle: 'Drills of the day',
  summaryTitle: 'Summary',
  columns: {
    startedAt: 'Started', cluster: 'Cluster', kind: 'Drill', actor: 'By', killed: 'Killed nodes', sessions: 'Sessions',
    lossPercent: 'Sync loss', lossMs: 'Sync loss duration', windowMs: 'Failover window', switched: 'Switched', lost: 'Lost',
    misses: 'Misses', failbackMs: 'Failback', failbackMisses: 'Failback misses', phase: 'Phase', note: 'Note',
  },
  summaryColumns: { drills: 'Drills', clean: 'Drills with 0 misses', longestWindowMs: 'Longest failover window' },
  kinds: { 'kill-one': 'Kill one node', 'kill-two': 'Kill two nodes', 'sync-loss': 'Sync loss, then kill' },
  phases: {
    sessions: 'Making sessions', replicating: 'Replicating', fault: 'Fault', measuring: 'Measuring',
    failback: 'Failback', done: 'Done', failed: 'Failed',
  },
  period: (from, to) => `Drills started from ${from} to ${to} (end excluded)`,
  definitions: [
    { term: 'Started', text: 'When the drill started, in the report\'s time zone; the drills are listed oldest first.' },
    { term: 'Drill', text: 'Kill one node or two (kill -9 of the busiest nodes; two needs R >= 3), or loss on every node\'s sync link while half the sessions are made, then one node killed.' },
    { term: 'Sessions', text: 'Test sessions made through the VIP before the fault.' },
    { term: 'Sync loss', text: 'The share of sync datagrams dropped on every node, and for how long (ms); 100% cuts the link. Empty for the kill drills.' },
    { term: 'Failover window', text: 'From the kill until every session was answered in one round, in ms; empty when it was not measured.' },
    { term: 'Switched', text: 'Sessions answered by another backend than their own after the kill.' },
    { term: 'Lost', text: 'Sessions not answered after the failover window.' },
    { term: 'Misses', text: 'Switched + lost: the drill\'s figure; 0 means no session noticed the failover.' },
    { term: 'Failback', text: 'From the kill until every killed node was back, resynced and ready, in ms; empty when it did not come back.' },
    { term: 'Failback misses', text: 'Sessions that switched backend or went silent once the killed nodes took traffic again.' },
    { term: 'Phase', text: 'How far the drill got: Done, Failed, or the phase a stopped console left it in.' },
    { term: 'Summary', text: 'The number of drills, how many of them had 0 misses (a drill not measured is not counted), and the longest failover window measured.' },
  ],
};

const ZH: GatewayDrillsText = {
  title: '网关故障切换演练',
  tableTitle: '当日演练',
  summaryTitle: '汇总',
  columns: {
    startedAt: '开始时间', cluster: '集群', kind: '演练类型', actor: '发起人', killed: '被杀节点', sessions: '会话数',
    lossPercent: '同步丢包率', lossMs: '丢包时长', windowMs: '切换窗口', switched: '切换会话', lost: '丢失会话',
    misses: '受影响会话', failbackMs: '回切耗时', failbackMisses: '回切受影响会话', phase: '阶段', note: '备注',
  },
  summaryColumns: { drills: '演练次数', clean: '零影响演练', longestWindowMs: '最长切换窗口' },
  kinds: { 'kill-one': '杀死一个节点', 'kill-two': '杀死两个节点', 'sync-loss': '同步丢包后杀死节点' },
  phases: {
    sessions: '建立会话', replicating: '等待复制', fault: '注入故障', measuring: '测量中',
    failback: '回切中', done: '完成', failed: '失败',
  },
  period: (from, to) => `统计 ${from} 至 ${to}（不含结束时刻）开始的演练`,
  definitions: [
    { term: '开始时间', text: '演练开始的时间（报表时区）；按时间先后排列。' },
    { term: '演练类型', text: '杀死一个或两个节点（对最繁忙的节点 kill -9；两个节点需要 R >= 3），或在建立一半会话期间对所有节点的同步链路注入丢包，然后杀死一个节点。' },
    { term: '会话数', text: '故障前经 VIP 建立的测试会话数。' },
    { term: '同步丢包率', text: '每个节点同步报文被丢弃的比例及持续时间（毫秒）；100% 即断开同步链路。杀节点演练为空。' },
    { term: '切换窗口', text: '从杀死节点到所有会话在一轮内全部得到应答的时间，单位毫秒；未测得时为空。' },
    { term: '切换会话', text: '杀死节点后由其他后端而非原后端应答的会话。' },
    { term: '丢失会话', text: '切换窗口结束后仍无应答的会话。' },
    { term: '受影响会话', text: '切换会话 + 丢失会话，即演练的结果；0 表示没有会话察觉到切换。' },
    { term: '回切耗时', text: '从杀死节点到所有被杀节点恢复、完成重新同步并就绪的时间，单位毫秒；未恢复时为空。' },
    { term: '回切受影响会话', text: '被杀节点重新承接流量后切换了后端或无应答的会话。' },
    { term: '阶段', text: '演练进行到的阶段：完成、失败，或控制台停止时所处的阶段。' },
    { term: '汇总', text: '演练次数、其中受影响会话为 0 的次数（未测得的演练不计入），以及测得的最长切换窗口。' },
  ],
};

export function gatewayDrillsText(locale: ReportLocale): GatewayDrillsText {
  if (locale === 'en') return EN;
  if (locale === 'zh-CN') return ZH;
  throw new RangeError(`gateway drills: no text for locale ${JSON.stringify(locale)} (en or zh-CN)`);
}
