// Workflows (the engine for every long job): templates read by anyone and saved by admins
// (configuration; the engine checks steps, tools and bindings and names the step and field it
// refuses), runs launched and steered by operators (retry a failed or waiting task with edited
// inputs, skip, approve, reject, pause, resume, revoke: each audited, naming its run, step and host), and read by
// anyone with their attempts, log lines and per-template statistics; progress streams as
// onDidProgressWorkflow. A per-host task is named by its device id; a run-scope task leaves
// `host` out.
import { z } from 'zod';
import { event, method, noArgs, optionalArgs, optInt, result, text } from './contract';
import { WF_RUN_STATES, type WfAttempt, type WfLogLine, type WfProgress, type WfRunDetail, type WfRunSummary, type WfTask, type WfTemplateInfo, type WfTemplateStats } from '../domain/workflow';
import type { WfToolInfo } from '../domain/workflow-tools';

const id = text(200);
const record = z.record(z.string(), z.unknown());
/** A task: its run, step and (per-host steps) host; absent host is the run-scope task. */
const taskRef = { runId: id, stepId: text(64), host: text(200).optional() };
type TaskRef = { runId: string; stepId: string; host?: string };

/** JSON of a value, cut to `max` characters (audit texts stay bounded). */
function brief(v: unknown, max: number): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** "run r1 step bmc host dev-1" (a run-scope task: "run r1 step notify (run scope)"). */
export const taskTarget = (a: TaskRef): string => `run ${a.runId} step ${a.stepId}${a.host ? ` host ${a.host}` : ' (run scope)'}`;

/** "server-online on 2 hosts (dev-1, dev-2); params {...}". */
export function launchTarget(a: { templateId: string; params: Record<string, unknown>; deviceIds: readonly string[] }): string {
  const n = a.deviceIds.length;
  const shown = a.deviceIds.slice(0, 10).join(', ');
  const hosts = n ? ` (${shown}${n > 10 ? `, … ${n - 10} more` : ''})` : '';
  return `${a.templateId} on ${n} ${n === 1 ? 'host' : 'hosts'}${hosts}; params ${brief(a.params, 400)}`;
}

const EXAMPLE_TEMPLATE = {
  id: 'notify-after-approval',
  name: 'Approve, then tell the ticket system',
  params: [{ name: 'ticketUrl', type: 'string', required: true }],
  steps: [
    { id: 'approve', tool: 'wf.approval', scope: 'run', inputs: { message: 'Go ahead?' } },
    { id: 'notify', tool: 'http.callback', scope: 'host', inputs: { method: 'POST', url: '${params.ticketUrl}', body: { host: '${host.hostname}' } } },
  ],
};

export const workflowMethods = {
  /** Every template at its latest version. */
  'workflows.templates': method({ role: 'viewer', args: noArgs, result: result<WfTemplateInfo[]>(), example: undefined }),
  /** The registered tools a template's steps may name, by name: kind, idempotency, input and output fields (types as bindings are checked); `name` narrows to one. */
  'workflows.tools': method({
    role: 'viewer',
    args: optionalArgs({ name: text(100).optional() }),
    result: result<WfToolInfo[]>(),
    example: { name: 'bmc.status' },
  }),
  /** One template: its latest version, or the one asked for. */
  'workflows.template': method({
    role: 'viewer',
    args: z.strictObject({ id, version: optInt(1, 1_000_000_000) }),
    result: result<WfTemplateInfo>(),
    example: { id: 'server-online', version: 1 },
  }),
  /** Saves a new version (configuration: admin). Refused with VALIDATION naming the step and field (params.step, params.field, params.issues). */
  'workflows.saveTemplate': method({
    role: 'admin',
    args: z.strictObject({ template: record }),
    result: result<WfTemplateInfo>(),
    audit: (a) => `template ${typeof a.template.id === 'string' ? a.template.id.slice(0, 80) : brief(a.template.id, 80)}`,
    example: { template: EXAMPLE_TEMPLATE },
  }),
  /** Launches the template's latest version over the devices; progress streams as onDidProgressWorkflow. */
  'workflows.launch': method({
    role: 'operator',
    confirm: 'always',
    args: z.strictObject({ templateId: id, params: record.default({}), deviceIds: z.array(id).max(100_000) }),
    result: result<WfRunSummary>(),
    audit: launchTarget,
    example: { templateId: 'server-online', params: { sn: 'SN1001' }, deviceIds: ['dev-1', 'dev-2'] },
  }),
  /** Newest first. */
  'workflows.runs': method({
    role: 'viewer',
    args: optionalArgs({ templateId: id.optional(), state: z.enum(WF_RUN_STATES).optional(), limit: optInt(1, 5000) }),
    result: result<WfRunSummary[]>(),
    example: { templateId: 'server-online', state: 'running', limit: 100 },
  }),
  'workflows.run': method({ role: 'viewer', args: z.strictObject({ runId: id }), result: result<WfRunDetail>(), example: { runId: 'run-1' } }),
  /** A run's attempts, oldest first; stepId and host narrow them (both attempts of an edited retry are kept). */
  'workflows.attempts': method({
    role: 'viewer',
    args: z.strictObject({ runId: id, stepId: text(64).optional(), host: text(200).optional() }),
    result: result<WfAttempt[]>(),
    example: { runId: 'run-1', stepId: 'bmc', host: 'dev-1' },
  }),
  /** Timestamped log lines after afterId (0: from the start), oldest first. */
  'workflows.logs': method({
    role: 'viewer',
    args: z.strictObject({ runId: id, stepId: text(64).optional(), host: text(200).optional(), afterId: optInt(0, Number.MAX_SAFE_INTEGER), limit: optInt(1, 10_000) }),
    result: result<WfLogLine[]>(),
    example: { runId: 'run-1', stepId: 'bmc', host: 'dev-1', afterId: 0, limit: 500 },
  }),
  /**
   * Retries a failed or waiting task (a poll or callback wait, an approval, an automatic
   * retry's backoff); `inputs` are edits over the step's inputs (checked like the template's;
   * the audit names them). A waiting task's open attempt is cut first: closed as 'cancelled'
   * (cancelledBy, finishedAt), its tool's call aborted, its one-time callback URL spent (a late
   * call is answered CONFLICT and changes nothing); the new attempt starts with the inputs and
   * both are kept. A running task (its call in flight) is refused with CONFLICT naming its state.
   */
  'workflows.retry': method({
    role: 'operator',
    args: z.strictObject({ ...taskRef, inputs: record.optional() }),
    result: result<WfTask>(),
    audit: (a) => `${taskTarget(a)}${a.inputs ? `; edited inputs ${brief(a.inputs, 400)}` : ''}`,
    example: { runId: 'run-1', stepId: 'bmc', host: 'dev-1', inputs: { address: '10.0.0.9' } },
  }),
  /** Skips a task that has not finished (failed, waiting or not started); an open attempt is cut as for a retry (cancelled, its URL refused after). */
  'workflows.skip': method({ role: 'operator', args: z.strictObject(taskRef), result: result<WfTask>(), audit: taskTarget, example: { runId: 'run-1', stepId: 'bmc', host: 'dev-1' } }),
  'workflows.approve': method({
    role: 'operator',
    args: z.strictObject({ ...taskRef, note: text(2000).optional() }),
    result: result<WfTask>(),
    audit: (a) => `${taskTarget(a)}${a.note ? `; note ${brief(a.note, 200)}` : ''}`,
    example: { runId: 'run-1', stepId: 'approve', note: 'change window open' },
  }),
  'workflows.reject': method({
    role: 'operator',
    args: z.strictObject({ ...taskRef, reason: text(2000).optional() }),
    result: result<WfTask>(),
    audit: (a) => `${taskTarget(a)}${a.reason ? `; reason ${brief(a.reason, 200)}` : ''}`,
    example: { runId: 'run-1', stepId: 'approve', reason: 'not in the change window' },
  }),
  'workflows.pause': method({ role: 'operator', args: z.strictObject({ runId: id }), result: result<WfRunSummary>(), audit: (a) => `run ${a.runId}`, example: { runId: 'run-1' } }),
  'workflows.resume': method({ role: 'operator', args: z.strictObject({ runId: id }), result: result<WfRunSummary>(), audit: (a) => `run ${a.runId}`, example: { runId: 'run-1' } }),
  /** Cancels a run: in-flight attempts are aborted, everything left is marked revoked. */
  'workflows.revoke': method({ role: 'operator', args: z.strictObject({ runId: id }), result: result<WfRunSummary>(), audit: (a) => `run ${a.runId}`, example: { runId: 'run-1' } }),
  /**
   * Per template (every template, or the one named), the runs launched in [from, to) (ms since
   * the epoch) that the journal still keeps: finished runs past its retention
   * (WorkflowsConfig.retentionMs, default 180 days after they finished) are deleted and no
   * longer counted.
   */
  'workflows.stats': method({
    role: 'viewer',
    args: z.strictObject({ from: z.number().int().min(0), to: z.number().int().min(0), templateId: id.optional() }),
    result: result<WfTemplateStats[]>(),
    example: { from: 1_700_000_000_000, to: 1_800_000_000_000, templateId: 'server-online' },
  }),
};

export const workflowEvents = {
  /** A run moved: its counters and the tasks that changed since the last event (batched, ~10 a second per run at most). */
  onDidProgressWorkflow: event({ role: 'viewer', payload: result<WfProgress>() }),
};
