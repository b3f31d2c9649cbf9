// agent.activate (poll): makes the host run the target version and waits for it to be healthy,
// else puts the version before back and says why.
//  First call: reads `current` and `previous`. Already the target and healthy: done, nothing
//  touched. Otherwise `current` is pointed at the target (`previous` at the old current, when it
//  was another version), the agent stopped and started (supervisor, or the systemd unit:
//  agent-runner.ts). With rollback: true the target is what `previous` names (and previous
//  becomes the version rolled back from).
//  Each check: done once the agents capability has the agent connected with the target version
//  and a status result newer than the start (agent-runner.ts judge). Not within healthWindowMs:
//  the log's last meaningful line is read (why), `current` is pointed back at the previous
//  version, the agent restarted, and the checks go on until that version reports healthy; then
//  the task FAILS with AgentRolledBackError (the failed version, why, and that the host runs
//  the previous one again). With no previous version the agent is stopped and the task fails
//  with AgentNothingToRollBackError; a rollback that does not come healthy in the window
//  either fails with AgentRollbackFailedError naming both reasons. A stop or start command
//  that fails (the new build's supervisor broken) counts as a version that did not come up:
//  the next check rolls back at once, with the command's failure as the reason.
// The phase, the versions and the start times are the poll state, journaled after every check,
// so a console restart (kill -9) between checks resumes the same phase. A restart in the middle
// of a call runs the attempt again from its first call, which reads the host afresh: a host
// already switched to the target keeps its `previous` (never overwritten with the target) and
// the target is started again. That is why it is marked idempotent: running it again restarts
// the agent at most once more and converges on the same links.
import { z } from 'zod';
import { HEALTH_WINDOW_MS } from '../../../../src-shared/api/agents';
import { FleetDeckError } from '../../../../src-shared/errors';
import { tool, type ToolContext } from '../../workflows/tool';
import { agentRunner, judge, lastMeaningfulLine, viaFor, type Via } from './agent-runner';
import { baseFor, deviceOf, onHost, runtimeSum, SHA256, whereInputs, type DeployDeps } from './deploy-deps';
import { AgentNothingToRollBackError, AgentRollbackFailedError, AgentRolledBackError, HostCommandError, NoPreviousVersionError } from './errors';
import { VERSION_PATTERN } from './host-commands';
import { parseProbe } from './upload-tool';

export const DEFAULT_HEALTH_WINDOW_MS = HEALTH_WINDOW_MS.default;

const input = z.object({
  ...whereInputs,
  /** The version to run (agent.upload's output); not used with rollback. */
  version: z.string().regex(VERSION_PATTERN).optional(),
  /** Run what `previous` names instead (the agents view's rollback). */
  rollback: z.boolean().default(false),
  /** How long a started version has to report healthy before it is rolled back. */
  healthWindowMs: z.number().min(HEALTH_WINDOW_MS.min).max(HEALTH_WINDOW_MS.max).default(DEFAULT_HEALTH_WINDOW_MS),
  /** agent.upload's runtimeSha256; absent: the console's runtime. */
  runtimeSha256: SHA256.optional(),
});
type Input = z.output<typeof input>;

const output = z.object({
  /** What the host runs now. */
  version: z.string(),
  /** What `previous` names now (null: nothing). */
  previous: z.string().nullable(),
  /** False when it already ran the target, healthy: nothing was touched. */
  changed: z.boolean(),
  via: z.enum(['supervisor', 'systemd']),
  /** From the start to the first healthy check (0 when nothing changed). */
  healthyAfterMs: z.number(),
});

export interface ActivateState {
  readonly phase: 'starting' | 'rolling-back';
  readonly target: string;
  /** The version to fall back to (null: none). */
  readonly previous: string | null;
  readonly via: Via;
  /** When this phase's start was sent (console clock). */
  readonly since: number;
  /** rolling-back: why the target did not come up, and when its window began. */
  readonly reason?: string | null;
  readonly targetSince?: number;
  /** The stop or start command failed (its message): the next check goes on as if the window had passed. */
  readonly failedStart?: string | null;
  /** The last health note logged (each change logged once). */
  note?: string;
}

const readLink = (s: string): string | null => {
  const v = s.trim();
  return VERSION_PATTERN.test(v) ? v : null;
};

export function agentActivateTool(deps: DeployDeps) {
  const now = deps.now ?? Date.now;

  return tool({
    name: 'agent.activate',
    title: 'Activate the agent',
    kind: 'poll',
    idempotent: true,
    input,
    output,
    async run(ctx, a) {
      if (ctx.check === 0 || ctx.pollState === null) return start(ctx, a);
      return check(ctx, a, ctx.pollState as ActivateState);
    },
  });

  async function host(ctx: ToolContext, a: Input) {
    const dev = deviceOf(deps, a.deviceId);
    const h = onHost(deps, dev, baseFor(a, dev), await runtimeSum(deps, a.runtimeSha256), ctx);
    return { dev, h };
  }

  async function start(ctx: ToolContext, a: Input) {
    const { dev, h } = await host(ctx, a);
    const current = readLink(await h.sh('reading the current version', h.cmd.currentVersion()));
    const kept = readLink(await h.sh('reading the previous version', h.cmd.previousVersion()));
    const via = viaFor(deps, parseProbe(await h.sh('probing the host', h.cmd.probe())), h.layout.base);
    let target: string;
    let previous: string | null;
    if (a.rollback) {
      if (!kept || kept === current) throw new NoPreviousVersionError(dev.hostname, current);
      target = kept;
      previous = current;
    } else {
      if (!a.version) throw new FleetDeckError('VALIDATION', 'agent.activate needs a version (or rollback: true)', { field: 'version' });
      target = a.version;
      previous = current && current !== target ? current : kept && kept !== target ? kept : null;
      const s = deps.agents.summary(dev.id);
      if (current === target && s?.health === 'healthy' && s.version === target) {
        ctx.log(`${dev.hostname} already runs agent ${target}, healthy: nothing to do`);
        return { status: 'done' as const, output: { version: target, previous: kept, changed: false, via, healthyAfterMs: 0 } };
      }
    }
    if (current !== target) await h.sh(`switching to ${target}`, h.cmd.switchTo(target, current && current !== target ? current : null));
    const since = now();
    const what = current === target ? `agent ${target} restarted` : `switched ${current ?? '(nothing)'} -> ${target}${a.rollback ? ' (rollback)' : ''}`;
    let failedStart: string | null = null;
    try {
      await agentRunner(deps, h, via, ctx).restart();
    } catch (err) {
      // The new build's supervisor would not stop or start: judged at the next check as a version that did not come up.
      if (!(err instanceof HostCommandError)) throw err;
      failedStart = err.message;
      ctx.log(`${dev.hostname}: ${what}, but ${err.message}`, 'error');
    }
    if (failedStart === null) {
      ctx.log(`${dev.hostname}: ${what} and started it (${via}); ${previous ? `falls back to ${previous}` : 'nothing to fall back to'} if it is not healthy within ${Math.round(a.healthWindowMs / 1000)} s`);
    }
    const state: ActivateState = { phase: 'starting', target, previous, via, since, failedStart };
    return { status: 'pending' as const, state };
  }

  async function check(ctx: ToolContext, a: Input, st: ActivateState) {
    const dev = deviceOf(deps, a.deviceId);
    const version = st.phase === 'starting' ? st.target : st.previous!;
    const health = judge(deps.agents.summary(dev.id), version, st.since);
    const at = now();
    if (health.ok) {
      if (st.phase === 'rolling-back') throw new AgentRolledBackError(dev.hostname, st.target, st.reason ?? null, version, a.healthWindowMs);
      ctx.log(`${dev.hostname}: agent ${version} is healthy (${health.note}) ${Math.round((at - st.since) / 100) / 10} s after the start`);
      return { status: 'done' as const, output: { version, previous: st.previous, changed: true, via: st.via, healthyAfterMs: at - st.since } };
    }
    if (!st.failedStart && health.note !== st.note) {
      st.note = health.note;
      ctx.log(`${dev.hostname}: agent ${version}: ${health.note}`);
    }
    if (!st.failedStart && at - st.since < a.healthWindowMs) return { status: 'pending' as const, state: st };

    const { h } = await host(ctx, a);
    const runner = agentRunner(deps, h, st.via, ctx);
    const reason = st.failedStart ?? lastMeaningfulLine(await runner.logTail().catch(() => ''), st.since);
    if (st.phase === 'rolling-back') {
      throw new AgentRollbackFailedError(dev.hostname, st.target, st.reason ?? null, version, reason, a.healthWindowMs);
    }
    if (!st.previous) {
      const stopped = await runner.stop().then(() => null, (err: unknown) => (err instanceof Error ? err.message : String(err)));
      throw new AgentNothingToRollBackError(dev.hostname, st.target, reason, a.healthWindowMs, stopped);
    }
    ctx.log(`${dev.hostname}: agent ${st.target} ${st.failedStart ? 'did not start' : `is not healthy after ${Math.round(a.healthWindowMs / 1000)} s (${health.note}`}; log: ${reason ?? 'nothing'}): rolling back to ${st.previous}`, 'warn');
    await h.sh(`switching back to ${st.previous}`, h.cmd.switchTo(st.previous, null));
    const since = now();
    let failedStart: string | null = null;
    try {
      await runner.restart();
    } catch (err) {
      if (!(err instanceof HostCommandError)) throw err;
      failedStart = err.message;
    }
    const next: ActivateState = { phase: 'rolling-back', target: st.target, previous: st.previous, via: st.via, since, reason, targetSince: st.since, failedStart };
    return { status: 'pending' as const, state: next };
  }
}
