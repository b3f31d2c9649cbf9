// agents.upgrade and agents.rollback: the agents view's actions as runs of the shipped
// templates. The chosen agents are sorted first (no such agent, no device, the device gone,
// no SSH credential, revoked: skipped up front and named in the answer), the rest launched as
// the run's hosts under the caller, through workflows.launch's handler, so the run records
// its launcher and role; the caller's call is audited by the api as agents.upgrade or
// agents.rollback. Batch settings other than the defaults run the variant template that names
// them (templates.ts says why), saved on first use by the shipped templates' author.
import type { CallContext } from '../../../../src-shared/api';
import type { AgentRollout, AgentRollbackArgs, AgentUpgradeArgs } from '../../../../src-shared/api/agents';
import type { Device } from '../../../../src-shared/domain';
import type { AgentSummary } from '../../../../src-shared/domain/agent';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';
import { FleetDeckError, NotFoundError } from '../../../../src-shared/errors';
import { toDisposable, type Disposable } from '../../../../src-shared/lifecycle';
import { SHIPPED_BY, type WorkflowsCapability } from '../../workflows/workflows-capability';
import { agentDeployTemplate, agentRollbackTemplate, DEFAULT_BATCH, type BatchSettings } from './templates';

export type RolloutWorkflows = Pick<WorkflowsCapability, 'api' | 'engine'>;

export interface RolloutDeps {
  summary(agentId: string): AgentSummary | null;
  device(id: string): Device | null;
}

export interface Rollouts {
  use(w: RolloutWorkflows): Disposable;
  upgrade(a: AgentUpgradeArgs, ctx: CallContext): Promise<AgentRollout>;
  rollback(a: AgentRollbackArgs, ctx: CallContext): Promise<AgentRollout>;
}

type Where = Pick<AgentUpgradeArgs, 'installDir' | 'installDirs' | 'healthWindowMs' | 'batchSize' | 'maxFailPct'>;

export function createRollouts(d: RolloutDeps): Rollouts {
  let wf: RolloutWorkflows | null = null;
  const need = (): RolloutWorkflows => {
    if (!wf) throw new FleetDeckError('UNAVAILABLE', 'agent rollouts: the workflow engine is not running');
    return wf;
  };

  /** The template, saved as its first version when the engine does not hold it yet. */
  const ensure = (w: RolloutWorkflows, t: WfTemplate): string => {
    try {
      w.engine.template(t.id);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      w.engine.saveTemplate(t, SHIPPED_BY);
    }
    return t.id;
  };

  const hostsOf = (agentIds: readonly string[], rollback: boolean) => {
    const skipped: { agentId: string; reason: string }[] = [];
    const deviceIds: string[] = [];
    for (const id of new Set(agentIds)) {
      const s = d.summary(id);
      const dev = s?.deviceId ? d.device(s.deviceId) : null;
      if (!s) skipped.push({ agentId: id, reason: 'no such agent' });
      else if (s.state === 'revoked') skipped.push({ agentId: id, reason: `revoked by ${s.revokedBy ?? '?'}` });
      else if (!s.deviceId) skipped.push({ agentId: id, reason: 'enrolled by hand: no device to deploy to' });
      else if (!dev) skipped.push({ agentId: id, reason: `its device ${s.deviceId} is not in the inventory` });
      else if (!dev.sshCredential) skipped.push({ agentId: id, reason: 'its device has no SSH credential' });
      else if (!deviceIds.includes(dev.id)) deviceIds.push(dev.id);
    }
    if (deviceIds.length === 0) throw new FleetDeckError('VALIDATION', `agents.${rollback ? 'rollback' : 'upgrade'}: none of the chosen agents can be reached (${skipped.map((s) => `${s.agentId}: ${s.reason}`).join('; ')})`, { field: 'agentIds', skipped });
    return { deviceIds, skipped };
  };

  const params = (a: Where): Record<string, unknown> => {
    const p: Record<string, unknown> = {};
    if (a.installDir !== undefined) p.installDir = a.installDir;
    if (a.installDirs !== undefined) p.installDirs = a.installDirs;
    if (a.healthWindowMs !== undefined) p.healthWindowMs = a.healthWindowMs;
    return p;
  };
  const batch = (a: Where): BatchSettings => ({ batchSize: a.batchSize ?? DEFAULT_BATCH.batchSize, maxFailPct: a.maxFailPct ?? DEFAULT_BATCH.maxFailPct });

  async function launch(template: WfTemplate, p: Record<string, unknown>, agentIds: readonly string[], rollback: boolean, ctx: CallContext): Promise<AgentRollout> {
    const w = need();
    const { deviceIds, skipped } = hostsOf(agentIds, rollback);
    const templateId = ensure(w, template);
    const run = await w.api['workflows.launch']({ templateId, params: p, deviceIds }, ctx);
    return { runId: run.id, templateId, hosts: deviceIds.length, skipped };
  }

  return {
    use(w) {
      wf = w;
      return toDisposable(() => {
        if (wf === w) wf = null;
      });
    },
    upgrade: (a, ctx) => launch(agentDeployTemplate(batch(a)), { version: a.version ?? '', ...params(a) }, a.agentIds, false, ctx),
    rollback: (a, ctx) => launch(agentRollbackTemplate(batch(a)), params(a), a.agentIds, true, ctx),
  };
}
