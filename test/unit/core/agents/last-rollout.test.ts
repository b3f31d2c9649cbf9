// An agent's last rollout, as agents.list carries it, derived from workflow runs built by hand
// in the journal's shapes (the shipped agent-deploy and agent-rollback templates, a batch
// variant, a template that is no agent run). agent.activate's rolled-back error is read back
// from messages the error class itself makes (so the two cannot drift apart): version, why
// (null when the log said nothing; a reason holding '; ' intact) and the version run again;
// the other activation failures are failed, not rolled back. Per host: a rolled-back activate,
// a failed upload (named by step), a succeeded activate (ok, with the version it runs), a task
// still pending in a paused run (pending), a run revoked before the host's tasks ran (nothing
// decided: the deploy before it counts), a rollback run (kind rollback, the version it went
// back to). The index (rollout-index.ts) reads the journal when connected, follows progress
// events, names the devices whose last rollout changed (and not the others), reads an unseen
// run once, ignores runs of other templates, and drops a run once a newer one decided for
// every host it held.
import { describe, expect, it } from 'vitest';
import { AgentNothingToRollBackError, AgentRollbackFailedError, AgentRolledBackError, HostCommandError } from '../../../../src-main/core/agents/deploy/errors';
import { agentDeployTemplate, agentRollbackTemplate } from '../../../../src-main/core/agents/deploy/templates';
import { hostOutcome, lastRollout, parseRolledBack, runFacts, type AgentRunFacts } from '../../../../src-main/core/agents/last-rollout';
import { createRolloutIndex, type RolloutJournal } from '../../../../src-main/core/agents/rollout-index';
import type { WfProgress, WfRunDetail, WfRunState, WfTask, WfTaskState, WfTemplate } from '../../../../src-shared/domain/workflow';
import { toDisposable } from '../../../../src-shared/lifecycle';

const rolledBack = (host: string, reason: string | null) => new AgentRolledBackError(`lab-${host}`, '2.0.0-bad', reason, '1.0.0', 8000).message;

interface TaskSpec {
  state: WfTaskState;
  error?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  finishedAt?: number;
}
const task = (runId: string, stepId: string, host: string, s: TaskSpec): WfTask => ({
  runId, stepId, host, state: s.state, attempt: 1, inputs: s.inputs ?? null, outputs: s.outputs ?? null,
  failure: s.error ? 'error' : null, error: s.error ?? null, startedAt: 1, finishedAt: s.finishedAt ?? null,
});

function run(id: string, template: WfTemplate, state: WfRunState, createdAt: number, tasks: Record<string, Record<string, TaskSpec>>, params: Record<string, unknown> = {}): WfRunDetail {
  const hosts = Object.keys(tasks);
  return {
    id, templateId: template.id, templateVersion: 1, name: template.name, state, params, hosts, hostLabels: {},
    createdBy: 'oli', createdAt, finishedAt: null, done: 0, total: 0, failed: 0, template,
    tasks: hosts.flatMap((h) => Object.entries(tasks[h]).map(([stepId, s]) => task(id, stepId, h, s))),
  };
}
const facts = (d: WfRunDetail): AgentRunFacts => runFacts(d)!;

const ok1 = { state: 'succeeded' as const, outputs: { version: '1.0.0' }, finishedAt: 50 };
const deployed = (hosts: string[]) =>
  run('r-deploy', agentDeployTemplate(), 'succeeded', 10, Object.fromEntries(hosts.map((h) => [h, { upload: ok1, enrol: { state: 'succeeded' }, activate: { ...ok1, inputs: { version: '1.0.0' } } }])), { version: '1.0.0' });

/** The bad upgrade in batches of 2: h1 rolled back, h2's upload failed, h3 waits in the paused run. */
const badUpgrade = (state: WfRunState = 'paused') =>
  run('r-bad', agentDeployTemplate({ batchSize: 2, maxFailPct: 20 }), state, 100, {
    h1: { upload: { state: 'succeeded', outputs: { version: '2.0.0-bad' } }, enrol: { state: 'succeeded' }, activate: { state: 'failed', inputs: { version: '2.0.0-bad' }, error: rolledBack('h1', 'planted: bad build'), finishedAt: 130 } },
    h2: { upload: { state: 'failed', error: new HostCommandError('lab-h2', 'making the install folder', 'exit 1', 'no space left').message, finishedAt: 120 }, enrol: { state: 'pending' }, activate: { state: 'pending' } },
    h3: { upload: { state: 'succeeded', outputs: { version: '2.0.0-bad' } }, enrol: { state: 'pending' }, activate: { state: 'pending' } },
  }, { version: '2.0.0-bad' });

describe("agent.activate's rolled-back error read back", () => {
  it('gives the version, why and the version run again, from the messages the error class makes', () => {
    expect(parseRolledBack(rolledBack('h1', 'planted: bad build'))).toEqual({ version: '2.0.0-bad', hostname: 'lab-h1', reason: 'planted: bad build', previous: '1.0.0' });
    expect(parseRolledBack(rolledBack('h1', null))).toMatchObject({ reason: null, previous: '1.0.0' });
    expect(parseRolledBack(rolledBack('h1', 'Error: x; y; rolled back: z'))).toMatchObject({ reason: 'Error: x; y; rolled back: z', previous: '1.0.0' });
  });
  it('is not fooled by the other activation failures', () => {
    expect(parseRolledBack(new AgentRollbackFailedError('lab-h1', '2.0.0-bad', 'boom', '1.0.0', 'boom too', 8000).message)).toBeNull();
    expect(parseRolledBack(new AgentNothingToRollBackError('lab-h1', '2.0.0-bad', 'boom', 8000).message)).toBeNull();
    expect(parseRolledBack(new HostCommandError('lab-h1', 'switching', 'exit 1', '').message)).toBeNull();
  });
});

describe('what one agent run decided for a host', () => {
  it('rolled back, failed at a step, or still pending in the paused run', () => {
    const r = facts(badUpgrade());
    expect(hostOutcome(r, 'h1')).toEqual({
      runId: 'r-bad', templateId: 'agent-deploy-b2-f20', kind: 'deploy', runState: 'paused', version: '2.0.0-bad', outcome: 'rolled-back',
      stepId: 'activate', reason: 'planted: bad build', runsAgain: '1.0.0', error: rolledBack('h1', 'planted: bad build'), at: 130,
    });
    expect(hostOutcome(r, 'h2')).toMatchObject({ outcome: 'failed', stepId: 'upload', version: '2.0.0-bad', reason: null, runsAgain: null, at: 120 });
    expect(hostOutcome(r, 'h2')?.error).toContain('no space left');
    expect(hostOutcome(r, 'h3')).toMatchObject({ outcome: 'pending', runState: 'paused', version: '2.0.0-bad', at: 100, error: null });
    expect(hostOutcome(r, 'h9')).toBeNull();
  });

  it('ok with the version it runs; a revoked run decided nothing, so the deploy before it counts', () => {
    expect(hostOutcome(facts(deployed(['h3'])), 'h3')).toMatchObject({ outcome: 'ok', kind: 'deploy', version: '1.0.0', at: 50 });
    const revoked = badUpgrade('revoked');
    const h3 = revoked.tasks.map((t) => (t.host === 'h3' && t.state === 'pending' ? { ...t, state: 'revoked' as const } : t));
    const r = facts({ ...revoked, tasks: h3 });
    expect(hostOutcome(r, 'h3')).toBeNull();
    expect(lastRollout([facts(deployed(['h1', 'h3'])), r], 'h3')).toMatchObject({ runId: 'r-deploy', outcome: 'ok' });
    expect(lastRollout([facts(deployed(['h1', 'h3'])), r], 'h1')).toMatchObject({ runId: 'r-bad', outcome: 'rolled-back' });
  });

  it('a rollback run: kind rollback, the version it went back to', () => {
    const back = facts(run('r-back', agentRollbackTemplate(), 'succeeded', 200, { h1: { activate: { state: 'succeeded', inputs: { rollback: true }, outputs: { version: '0.9.0' }, finishedAt: 220 } } }));
    expect(hostOutcome(back, 'h1')).toMatchObject({ kind: 'rollback', outcome: 'ok', version: '0.9.0' });
    expect(lastRollout([facts(badUpgrade()), back], 'h1')).toMatchObject({ runId: 'r-back' });
  });

  it('a template with no agent.activate step is no agent run', () => {
    const other: WfTemplate = { id: 'fleet-run', name: 'Run', params: [], steps: [{ id: 'run', tool: 'ssh.run', scope: 'host', inputs: {} }] };
    expect(runFacts(run('r-x', other, 'succeeded', 1, { h1: { run: { state: 'failed', error: 'exit 1' } } }))).toBeNull();
  });
});

/** A journal the index reads, with progress events sent by hand. */
function fakeJournal(details: WfRunDetail[]) {
  const byId = new Map(details.map((d) => [d.id, d]));
  const listeners = new Set<(p: WfProgress) => void>();
  const reads: string[] = [];
  const journal: RolloutJournal = {
    templates: () => [...new Map(details.map((d) => [d.templateId, { id: d.templateId, version: 1, name: d.name, savedBy: 'fleetdeck', savedAt: 0, template: d.template }])).values()],
    runs: (f) => [...byId.values()].filter((d) => d.templateId === f.templateId),
    run: (id) => {
      reads.push(id);
      return byId.get(id)!;
    },
    onProgress: (l) => {
      listeners.add(l);
      return toDisposable(() => listeners.delete(l));
    },
  };
  return {
    journal, reads,
    put: (d: WfRunDetail) => byId.set(d.id, d),
    send: (runId: string, state: WfRunState, tasks: WfTask[]) => listeners.forEach((l) => l({ runId, state, done: 0, total: 0, failed: 0, tasks })),
  };
}

describe('the index of last rollouts', () => {
  it('reads the journal, follows progress, names the devices that changed, and drops runs that no longer count', () => {
    const j = fakeJournal([deployed(['h1', 'h2', 'h3'])]);
    const changes: string[][] = [];
    const index = createRolloutIndex({ onChange: (ids) => changes.push([...ids]) });
    const use = index.use(j.journal);
    expect(['h1', 'h2', 'h3'].map((h) => index.of(h)?.outcome)).toEqual(['ok', 'ok', 'ok']);
    expect(index.of('h4')).toBeUndefined();

    // A new run's first progress: read once, whole.
    j.put(badUpgrade());
    j.send('r-bad', 'paused', []);
    expect(j.reads.filter((id) => id === 'r-bad')).toHaveLength(1);
    expect(changes).toEqual([['h1', 'h2', 'h3']]);
    expect(['h1', 'h2', 'h3'].map((h) => index.of(h)?.outcome)).toEqual(['rolled-back', 'failed', 'pending']);

    // The operator revokes the run: h3's tasks end revoked, and its deploy counts again; h1 and h2 keep their outcome (the run's state moved).
    j.send('r-bad', 'revoked', [task('r-bad', 'enrol', 'h3', { state: 'revoked' }), task('r-bad', 'activate', 'h3', { state: 'revoked' })]);
    expect(index.of('h3')).toMatchObject({ runId: 'r-deploy', outcome: 'ok' });
    expect(index.of('h1')).toMatchObject({ runId: 'r-bad', outcome: 'rolled-back', runState: 'revoked' });
    expect(changes[1].sort()).toEqual(['h1', 'h2', 'h3']);

    // A later task change of a host names that host only.
    const fixed = run('r-fix', agentDeployTemplate(), 'running', 300, { h2: { upload: { state: 'running' }, enrol: { state: 'pending' }, activate: { state: 'pending' } } });
    j.put(fixed);
    j.send('r-fix', 'running', []);
    expect(changes[2]).toEqual(['h2']);
    j.send('r-fix', 'running', [task('r-fix', 'activate', 'h2', { state: 'succeeded', inputs: { version: '1.0.1' }, outputs: { version: '1.0.1' }, finishedAt: 330 })]);
    expect(changes[3]).toEqual(['h2']);
    expect(index.of('h2')).toMatchObject({ runId: 'r-fix', outcome: 'ok', version: '1.0.1', at: 330 });

    // Runs of other templates are read once and ignored after.
    const other: WfTemplate = { id: 'fleet-run', name: 'Run', params: [], steps: [{ id: 'run', tool: 'ssh.run', scope: 'host', inputs: {} }] };
    j.put(run('r-other', other, 'running', 400, { h1: { run: { state: 'running' } } }));
    j.send('r-other', 'running', []);
    j.send('r-other', 'succeeded', [task('r-other', 'run', 'h1', { state: 'failed', error: 'exit 1' })]);
    expect(j.reads.filter((id) => id === 'r-other')).toHaveLength(1);
    expect(changes).toHaveLength(4);

    // r-deploy no longer counts for h1 (r-bad decided) nor h2 (r-fix did), but still does for h3: kept.
    // Once r-bad's host h3 is decided by a newer finished run as well, r-deploy is gone: a progress of it reads it again.
    j.put(run('r-h3', agentDeployTemplate(), 'succeeded', 500, { h3: { upload: ok1, enrol: { state: 'succeeded' }, activate: { ...ok1, finishedAt: 510 } } }));
    j.send('r-h3', 'succeeded', []);
    const before = j.reads.filter((id) => id === 'r-deploy').length;
    j.send('r-deploy', 'succeeded', []);
    expect(j.reads.filter((id) => id === 'r-deploy').length).toBe(before + 1);
    expect(index.of('h3')).toMatchObject({ runId: 'r-h3' });

    use.dispose();
    j.send('r-fix', 'running', [task('r-fix', 'activate', 'h2', { state: 'running' })]);
    expect(index.of('h2')).toMatchObject({ outcome: 'ok' });
  });
});
