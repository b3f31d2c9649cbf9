// The workflows capability: the engine (workflows-module.ts) on the core's store, with the
// tools the other capabilities contribute, hosts resolved from the inventory (device id ->
// id, hostname, SN), the shipped templates saved as version 1 when absent, its slice of the
// contract (src-shared/api/workflows.ts: the caller's actor is the engine's actor), progress
// published on the event hub as onDidProgressWorkflow, and the one-time callback for serve
// mode's POST /wf/callback/<token>. A launch records the caller's role on the run in the same
// transaction (launch.ts), and every tool is called with it as ctx.role, so what a tool audits
// carries the launcher's real role. workflows.tools lists the registered tools and their
// fields. The journal's retention (prune.ts) runs with the engine (retentionMs).
import type { CallContext, Capability } from '../../../src-shared/api';
import type { WfTask, WfTemplate } from '../../../src-shared/domain/workflow';
import type { WfToolInfo } from '../../../src-shared/domain/workflow-tools';
import { FleetDeckError, NotFoundError } from '../../../src-shared/errors';
import type { EventHub } from '../events/event-hub';
import type { Db } from '../store/database';
import type { InventoryRepository } from '../store/inventory-repository';
import type { Clock } from './clock';
import type { EngineDeps } from './engine';
import { LauncherRoles, withLauncherRole } from './launch';
import { toolInfo, type Tool, type ToolHost } from './tool';
import { registeredTools, startWorkflows, type WorkflowEngine } from './workflows-module';

export type WorkflowMethod =
  | 'workflows.templates' | 'workflows.tools' | 'workflows.template' | 'workflows.saveTemplate' | 'workflows.launch' | 'workflows.runs' | 'workflows.run'
  | 'workflows.attempts' | 'workflows.logs' | 'workflows.retry' | 'workflows.skip' | 'workflows.approve' | 'workflows.reject'
  | 'workflows.pause' | 'workflows.resume' | 'workflows.revoke' | 'workflows.stats';

/** Who saves the shipped templates. */
export const SHIPPED_BY = 'fleetdeck';

export interface WorkflowsCapability extends Capability<WorkflowMethod> {
  readonly engine: WorkflowEngine;
  /** The one-time callback URL was called: completes its step (NOT_FOUND unknown, CONFLICT spent, VALIDATION a body that does not fit). */
  callback(token: string, body: unknown): WfTask;
}

export interface WorkflowsCapabilityDeps {
  readonly store: { readonly db: Db; readonly inventory: Pick<InventoryRepository, 'device'> };
  readonly hub: EventHub;
  /** Tools beside the built-ins (provisioning's, as the capabilities contribute them). */
  readonly tools: readonly Tool[];
  /** Saved as version 1 when no template of that id is stored yet; a refused one stops the start. */
  readonly templates: readonly WfTemplate[];
  readonly callbackBaseUrl: EngineDeps['baseUrl'];
  readonly maxConcurrent?: number;
  /** Finished runs are kept this long after they finished (default 180 days; prune.ts). */
  readonly retentionMs?: number;
  /** The engine's and the retention's time (tests); wall time by default. */
  readonly clock?: Clock;
  readonly log?: (line: string) => void;
}

export function startWorkflowsCapability(d: WorkflowsCapabilityDeps): WorkflowsCapability {
  const hosts = (id: string): ToolHost | undefined => {
    const dev = d.store.inventory.device(id);
    return dev ? { id: dev.id, hostname: dev.hostname, sn: dev.sn } : undefined;
  };
  const roles = new LauncherRoles(d.store.db);
  const tools = registeredTools(d.tools).map((t) => withLauncherRole(t, roles));
  const catalogue: readonly WfToolInfo[] = tools.map(toolInfo).sort((a, b) => a.name.localeCompare(b.name));
  const engine = startWorkflows({
    db: d.store.db, tools, baseUrl: d.callbackBaseUrl, hosts, log: d.log, maxConcurrent: d.maxConcurrent, clock: d.clock,
    prune: { retentionMs: d.retentionMs },
  });
  // The run and its launcher's role in one transaction (the engine's joins it); its tools start on a later microtask.
  const launch = d.store.db.transaction((templateId: string, params: unknown, deviceIds: readonly string[], ctx: CallContext) => {
    const run = engine.launch(templateId, params, deviceIds, ctx.actor);
    roles.record(run.id, ctx.role);
    return run;
  });
  const sub = engine.onProgress((p) => d.hub.emit('onDidProgressWorkflow', p));
  const dispose = async (): Promise<void> => {
    sub.dispose();
    await engine.dispose();
  };
  try {
    const stored = new Set(engine.templates().map((t) => t.id));
    for (const t of d.templates) {
      if (stored.has(t.id)) continue;
      try {
        engine.saveTemplate(t, SHIPPED_BY);
      } catch (err) {
        throw new FleetDeckError('INTERNAL', `The shipped workflow template ${t.id} is refused: ${(err as Error).message}`, { template: t.id }, { cause: err });
      }
      stored.add(t.id);
    }
  } catch (err) {
    void dispose();
    throw err;
  }
  /** NOT_FOUND for an unknown run (an empty list would hide a mistyped id). */
  const known = (runId: string): string => engine.summary(runId).id;
  return {
    engine,
    callback: (token, body) => engine.callback(token, body),
    api: {
      'workflows.templates': () => engine.templates(),
      'workflows.tools': (a) => {
        if (a.name === undefined) return [...catalogue];
        const one = catalogue.find((t) => t.name === a.name);
        if (!one) throw new NotFoundError('workflow tool', a.name);
        return [one];
      },
      'workflows.template': (a) => engine.template(a.id, a.version),
      'workflows.saveTemplate': (a, ctx) => engine.saveTemplate(a.template, ctx.actor),
      'workflows.launch': (a, ctx) => launch(a.templateId, a.params, a.deviceIds, ctx),
      'workflows.runs': (a) => engine.runs({ templateId: a.templateId, state: a.state, limit: a.limit }),
      'workflows.run': (a) => engine.run(a.runId),
      'workflows.attempts': (a) => engine.attempts(known(a.runId), a.stepId, a.host),
      'workflows.logs': (a) => engine.logs(known(a.runId), { stepId: a.stepId, host: a.host, afterId: a.afterId, limit: a.limit }),
      'workflows.retry': (a, ctx) => engine.retry(a.runId, a.stepId, a.host ?? '', ctx.actor, a.inputs),
      'workflows.skip': (a, ctx) => engine.skip(a.runId, a.stepId, a.host ?? '', ctx.actor),
      'workflows.approve': (a, ctx) => engine.approve(a.runId, a.stepId, a.host ?? '', ctx.actor, a.note),
      'workflows.reject': (a, ctx) => engine.reject(a.runId, a.stepId, a.host ?? '', ctx.actor, a.reason),
      'workflows.pause': (a, ctx) => engine.pause(a.runId, ctx.actor),
      'workflows.resume': (a, ctx) => engine.resume(a.runId, ctx.actor),
      'workflows.revoke': (a, ctx) => engine.revoke(a.runId, ctx.actor),
      'workflows.stats': (a) => (a.templateId ? [engine.template(a.templateId)] : engine.templates()).map((t) => engine.stats(t.id, a.from, a.to)),
    },
    dispose,
  };
}
