// The provisioning flows through the real workflow engine (startWorkflows) on the rig's store:
// the shipped templates with test timings (polls every 300 ms, short deadlines and backoffs;
// steps, tools and bindings unchanged), the engine's one-time callback URLs served on
// 127.0.0.1 (the lab's installer calls them), and waiting for a run to finish.
import type { WfRetry, WfTemplate, WfTemplateStep } from '../../../src-shared/domain/workflow';
import { PROVISIONING_TEMPLATES } from '../../../src-main/core/provisioning';
import type { WorkflowEngine } from '../../../src-main/core/workflows/engine';
import { startWorkflows } from '../../../src-main/core/workflows/workflows-module';
import { until } from '../../support/handles';
import { startReceiver, type CallbackReceiver } from '../lab/install/support';
import { startCallbackServer, startRig, type CallbackServer, type Rig } from './support';

export interface Timings {
  readonly intervalMs?: number;
  readonly deadlineMs?: number;
  readonly backoffMs?: number;
  /** Per step: fields of the step replaced (retry, poll, onTimeout...). */
  readonly steps?: Readonly<Record<string, Partial<WfTemplateStep>>>;
}

/** A shipped template with test timings; everything else as shipped. */
export function fastTemplate(id: string, t: Timings = {}): WfTemplate {
  const shipped = PROVISIONING_TEMPLATES.find((x) => x.id === id);
  if (!shipped) throw new Error(`no shipped template ${id}`);
  const retry = (r: WfRetry | undefined): WfRetry | undefined => (r ? { ...r, backoffMs: t.backoffMs ?? 200, maxBackoffMs: (t.backoffMs ?? 200) * 4 } : undefined);
  return {
    ...shipped,
    steps: shipped.steps.map((s) => ({
      ...s,
      retry: retry(s.retry),
      ...(s.poll ? { poll: { intervalMs: t.intervalMs ?? 300, deadlineMs: t.deadlineMs ?? 30_000 } } : {}),
      ...t.steps?.[s.id],
    })),
  };
}

export interface Flow {
  readonly engine: WorkflowEngine;
  readonly callbacks: CallbackServer;
  /** Engine log lines (outbox deliveries, refusals). */
  readonly log: string[];
  close(): Promise<void>;
}

export async function startFlow(rig: Rig): Promise<Flow> {
  let engine: WorkflowEngine | null = null;
  const callbacks = await startCallbackServer(() => engine!);
  const log: string[] = [];
  engine = startWorkflows({
    db: rig.db,
    tools: rig.tools,
    baseUrl: callbacks.base,
    hosts: (id) => {
      const d = rig.inventory.device(id);
      return d ? { id: d.id, hostname: d.hostname, sn: d.sn } : undefined;
    },
    log: (l) => log.push(l),
    outbox: { backoffMs: 100, maxBackoffMs: 400 },
  });
  const e = engine;
  return {
    engine: e, callbacks, log,
    async close() {
      await e.dispose();
      await callbacks.close();
    },
  };
}

export interface FlowRig {
  rig: Rig;
  flow: Flow;
  receiver: CallbackReceiver;
}

/** A test file's lab rig, a flow engine on it and the flows' callback receiver, started together. */
export async function startFlowRig(o: Parameters<typeof startRig>[0]): Promise<FlowRig> {
  const rig = await startRig(o);
  const flow = await startFlow(rig);
  return { rig, flow, receiver: await startReceiver() };
}

/** Closes what startFlowRig started (whatever of it did start), engine first. */
export async function closeFlowRig(r: Partial<FlowRig>): Promise<void> {
  await r.flow?.close();
  await r.receiver?.close();
  await r.rig?.close();
}

/** Waits until the run is over (succeeded, failed or revoked) and the outbox idle; returns its detail. */
export async function finished(engine: WorkflowEngine, runId: string, timeoutMs = 50_000): Promise<ReturnType<WorkflowEngine['run']>> {
  await until(`run ${runId} over`, () => ['succeeded', 'failed', 'revoked'].includes(engine.summary(runId).state) || undefined, timeoutMs, 100);
  await engine.outboxIdle();
  return engine.run(runId);
}

/** step@host -> state, for compact assertions. */
export const taskStates = (engine: WorkflowEngine, runId: string, host: string): Record<string, string> =>
  Object.fromEntries(engine.run(runId).tasks.filter((t) => t.host === host).map((t) => [t.stepId, t.state]));
