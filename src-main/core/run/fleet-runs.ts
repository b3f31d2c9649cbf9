// fleet.run and fleet.cancelRun as runs of the workflow template fleet-run
// (fleet-run-template.ts): the devices asked for are sorted as before (unknown ones and those
// without an SSH credential are skipped up front and reported in the answer; an unbound
// credential fails its host without dialling, in ssh.run), the rest launched as the run's
// hosts under the caller (the run's launcher, so the journal says who ran what where), and
// the run's id answered. A cancel revokes the run. The per-host events the Run view follows
// are kept: each host's result goes out as onDidReceiveRunResult once the journal says how its
// task ended (the full result ssh.run reported, output included, held until then; or, for a
// task the engine ended itself, revoked, skipped, interrupted or timed out, a result saying
// so), and onDidFinishRun when the run is over, with its counts from the journal. Runs are
// followed from their launch here, or from the first ssh.run call in them (an operator's
// retry of a run from before a restart streams too).
import type { CallContext } from '../../../src-shared/api';
import type { Device, RunHostResult, RunStarted } from '../../../src-shared/domain';
import type { WfProgress, WfRunState, WfTask } from '../../../src-shared/domain/workflow';
import { FleetDeckError, NotFoundError, serializeError, ValidationError } from '../../../src-shared/errors';
import { toDisposable, type Disposable } from '../../../src-shared/lifecycle';
import type { Mutable } from '../../../src-shared/types';
import type { EventHub } from '../events/event-hub';
import { SshCancelledError, DEFAULT_SSH_PORT } from '../protocols/ssh';
import type { ToolContext } from '../workflows/tool';
import type { WorkflowsCapability } from '../workflows/workflows-capability';
import { commandProblem, DEFAULT_TIMEOUT_MS, FLEET_RUN_MAX_HOSTS, FLEET_RUN_TEMPLATE_ID, timeoutProblem } from './fleet-run-template';

/** What fleet runs need of the workflows capability: its handlers (called with the caller's context) and its engine's progress and reads. */
export type FleetRunWorkflows = Pick<WorkflowsCapability, 'api' | 'engine'>;

export interface FleetRunsDeps {
  device: (id: string) => Device | null;
  hub: EventHub;
  log?: (line: string) => void;
}

export interface FleetRunArgs {
  readonly deviceIds: readonly string[];
  readonly command: string;
  readonly timeoutMs?: number;
}

export interface FleetRuns {
  /** ssh.run's report of a host's full result, held until the journal says how the task ended. */
  report(ctx: ToolContext, result: RunHostResult): void;
  /** Connects the workflows capability (started after the run module: it needs ssh.run). */
  use(workflows: FleetRunWorkflows): Disposable;
  run(args: FleetRunArgs, ctx: CallContext): Promise<RunStarted>;
  /** Revokes a running (or paused) fleet run; cancelled: false when it had already finished. */
  cancel(runId: string, ctx: CallContext): Promise<{ cancelled: boolean }>;
}

/** A host whose task the engine ended without ssh.run's result: skipped, interrupted by a restart, past its deadline. */
export class FleetRunTaskError extends FleetDeckError {
  constructor(task: WfTask) {
    const why = task.state === 'skipped' ? 'skipped by an operator in the workflow run' : (task.error ?? `the task is ${task.state}`);
    super('UNAVAILABLE', why, { state: task.state, failure: task.failure });
    this.name = 'FleetRunTaskError';
  }
}

const ENDED: ReadonlySet<WfTask['state']> = new Set(['succeeded', 'failed', 'skipped', 'revoked']);
const OVER: ReadonlySet<WfRunState> = new Set(['succeeded', 'failed', 'revoked']);

interface Followed {
  /** Per host, the attempt and state last reported (a retry reports again). */
  readonly reported: Map<string, string>;
  /** Per host, ssh.run's result for an attempt, until its task's end is journaled. */
  readonly held: Map<string, { attempt: number; result: RunHostResult }>;
}

export function createFleetRuns(d: FleetRunsDeps): FleetRuns {
  let wf: FleetRunWorkflows | null = null;
  const followed = new Map<string, Followed>();

  const follow = (runId: string): Followed => {
    let f = followed.get(runId);
    if (!f) followed.set(runId, (f = { reported: new Map(), held: new Map() }));
    return f;
  };

  const need = (): FleetRunWorkflows => {
    if (!wf) throw new FleetDeckError('UNAVAILABLE', 'fleet.run: the workflow engine is not running');
    return wf;
  };

  function resultOf(runId: string, f: Followed, t: WfTask): RunHostResult {
    const held = f.held.get(t.host);
    f.held.delete(t.host);
    if (held && held.attempt === t.attempt && (t.state === 'succeeded' || (t.state === 'failed' && t.failure === 'error'))) return held.result;
    const dev = d.device(t.host);
    const ok = t.state === 'succeeded';
    const err = ok ? null : t.state === 'revoked' ? new SshCancelledError(dev?.mgmtIp ?? t.host, dev?.sshPort ?? DEFAULT_SSH_PORT, 'Fleet run') : new FleetRunTaskError(t);
    const exitCode = typeof t.outputs?.exitCode === 'number' ? t.outputs.exitCode : null;
    return {
      runId, deviceId: t.host, hostname: dev?.hostname ?? t.host, ok, exitCode, signal: null, stdout: '', stderr: '',
      truncated: t.outputs?.truncated === true, error: err ? `${err.name}: ${err.message}` : null, failure: err ? serializeError(err) : null,
      ms: t.startedAt !== null && t.finishedAt !== null ? t.finishedAt - t.startedAt : 0,
    };
  }

  function finish(runId: string): void {
    followed.delete(runId);
    let detail;
    try {
      detail = need().engine.run(runId);
    } catch (err) {
      d.log?.(`fleet.run ${runId}: its end could not be read: ${(err as Error).message}`);
      return;
    }
    const hosts = detail.tasks.filter((t) => t.host !== '');
    const succeeded = hosts.filter((t) => t.state === 'succeeded').length;
    d.hub.emit('onDidFinishRun', { runId, succeeded, failed: hosts.length - succeeded, cancelled: detail.state === 'revoked', ms: (detail.finishedAt ?? Date.now()) - detail.createdAt });
  }

  function onProgress(p: WfProgress): void {
    const f = followed.get(p.runId);
    if (!f) return;
    for (const t of p.tasks) {
      if (t.host === '' || !ENDED.has(t.state)) continue;
      const mark = `${t.attempt}:${t.state}`;
      if (f.reported.get(t.host) === mark) continue;
      f.reported.set(t.host, mark);
      d.hub.emit('onDidReceiveRunResult', resultOf(p.runId, f, t));
    }
    if (OVER.has(p.state)) finish(p.runId);
  }

  return {
    report(ctx, result) {
      follow(ctx.runId).held.set(ctx.host?.id ?? result.deviceId, { attempt: ctx.attempt, result });
    },

    use(workflows) {
      wf = workflows;
      const sub = workflows.engine.onProgress(onProgress);
      return toDisposable(() => {
        sub.dispose();
        followed.clear();
        if (wf === workflows) wf = null;
      });
    },

    async run(a, ctx) {
      const w = need();
      const { deviceIds, command } = a;
      const timeoutMs = a.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      if (!Array.isArray(deviceIds) || deviceIds.length === 0) throw new ValidationError('fleet.run: choose at least one device');
      if (deviceIds.length > FLEET_RUN_MAX_HOSTS) throw new ValidationError(`fleet.run: at most ${FLEET_RUN_MAX_HOSTS} devices in one run`);
      const bad = commandProblem(command) ?? timeoutProblem(timeoutMs);
      if (bad) throw new ValidationError(`fleet.run: ${bad}`);

      const skipped: Mutable<RunStarted['skipped'][number]>[] = [];
      const targets: string[] = [];
      for (const id of new Set(deviceIds)) {
        const dev = typeof id === 'string' ? d.device(id) : null;
        if (!dev) skipped.push({ deviceId: String(id), reason: 'no such device', code: 'no-device' });
        else if (!dev.sshCredential) skipped.push({ deviceId: id, reason: 'no SSH credential', code: 'no-ssh-credential' });
        else targets.push(id);
      }
      if (targets.length === 0) throw new FleetDeckError('VALIDATION', 'fleet.run: none of the chosen devices can be reached over SSH', { skipped });

      const run = await w.api['workflows.launch']({ templateId: FLEET_RUN_TEMPLATE_ID, params: { command, timeoutMs }, deviceIds: targets }, ctx);
      follow(run.id);
      return { runId: run.id, hosts: targets.length, skipped };
    },

    async cancel(runId, ctx) {
      const w = need();
      let state: WfRunState;
      try {
        const s = w.engine.summary(runId);
        if (s.templateId !== FLEET_RUN_TEMPLATE_ID) throw new NotFoundError('run', runId);
        state = s.state;
      } catch (err) {
        if (err instanceof FleetDeckError && err.code === 'NOT_FOUND') throw new NotFoundError('run', runId);
        throw err;
      }
      if (!OVER.has(state)) {
        try {
          await w.api['workflows.revoke']({ runId }, ctx);
          return { cancelled: true };
        } catch (err) {
          // It finished between the read and the revoke: nothing left to cancel.
          if (!(err instanceof FleetDeckError && err.code === 'CONFLICT' && OVER.has(w.engine.summary(runId).state))) throw err;
        }
      }
      return { cancelled: false };
    },
  };
}
