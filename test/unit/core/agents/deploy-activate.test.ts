// agent.activate through the workflow engine on a virtual clock, against a fake host that
// answers host-commands.ts's commands (fake-host.ts): an upgrade switches current and previous
// and finishes once the new version reports; a version that never reports is rolled back after
// the health window and the task fails with AgentRolledBackError naming the version, the log's
// crash line and the version running again; with nothing to fall back to the agent is stopped;
// a rollback that fails too names both; a build whose supervisor does not start is rolled back
// at once; the rollback action runs `previous`; an engine stopped
// between checks resumes the phase from the poll state, and a first call run again on a host
// already switched keeps its `previous`; on a systemd host (root) the unit is written and
// systemctl drives it.
import { describe, expect, it } from 'vitest';
import { agentActivateTool } from '../../../../src-main/core/agents/deploy/activate-tool';
import { UNIT_FILE } from '../../../../src-main/core/agents/deploy/host-commands';
import type { DeployDeps } from '../../../../src-main/core/agents/deploy/deploy-deps';
import { openStore, type Db } from '../../../../src-main/core/store/database';
import { WorkflowEngine } from '../../../../src-main/core/workflows/engine';
import { flush, settle, VirtualClock } from '../workflows/helpers';
import { DEV, fakeHost, SUM } from './fake-host';

const WINDOW = 10_000;
const template = (inputs: Record<string, unknown>) => ({
  id: 'activate', name: 'Activate', params: [],
  steps: [{ id: 'activate', tool: 'agent.activate', scope: 'host' as const, inputs: { deviceId: '${host.id}', runtimeSha256: SUM, healthWindowMs: WINDOW, ...inputs }, poll: { intervalMs: 1000, deadlineMs: 600_000 } }],
});

function engineOn(db: Db, clock: VirtualClock, deps: DeployDeps): WorkflowEngine {
  const engine = new WorkflowEngine({ db, tools: [agentActivateTool(deps)], baseUrl: null, hosts: (id) => (id === DEV.id ? DEV : undefined), clock });
  engine.start();
  return engine;
}

async function activate(opts: { good: string[]; current?: string | null; previous?: string | null; inputs: Record<string, unknown>; extra?: Partial<DeployDeps>; probe?: string; brokenStart?: string[] }) {
  const clock = new VirtualClock();
  const db = openStore(':memory:');
  const host = fakeHost({ good: new Set(opts.good), now: clock.now, current: opts.current, previous: opts.previous, probe: opts.probe, brokenStart: new Set(opts.brokenStart ?? []) });
  const engine = engineOn(db, clock, host.deps(opts.extra));
  engine.saveTemplate(template(opts.inputs), 'alice');
  const run = engine.launch('activate', {}, [DEV.id], 'alice');
  const task = () => engine.task(run.id, 'activate', DEV.id);
  await settle(clock, () => ['succeeded', 'failed'].includes(task().state), 'the activation ends');
  return { clock, db, host, engine, run, task: task() };
}

describe('agent.activate', () => {
  it('an upgrade switches current (previous = the old one), restarts, and is done once the new version reports', async () => {
    const r = await activate({ good: ['1.0.0', '1.1.0'], current: '1.0.0', inputs: { version: '1.1.0' } });
    expect(r.task).toMatchObject({ state: 'succeeded', outputs: { version: '1.1.0', previous: '1.0.0', changed: true, via: 'supervisor' } });
    expect(r.task.outputs?.healthyAfterMs).toBeGreaterThanOrEqual(500);
    expect(r.host.state).toMatchObject({ current: '1.1.0', previous: '1.0.0', running: '1.1.0', starts: ['1.1.0'] });
    expect(r.host.state.commands.indexOf(r.host.cmd.stop()), 'stopped before it starts').toBeLessThan(r.host.state.commands.indexOf(r.host.cmd.start()));
    await r.engine.dispose();
  });

  it('a version that does not come healthy is rolled back; the task fails with AgentRolledBackError saying why', async () => {
    const r = await activate({ good: ['1.1.0'], current: '1.1.0', previous: '1.0.0', inputs: { version: '2.0.0-bad' } });
    expect(r.task).toMatchObject({ state: 'failed', failure: 'error' });
    expect(r.task.error).toBe('agent 2.0.0-bad did not come healthy on web-01 within 10 s: planted: 2.0.0-bad crashed; rolled back: web-01 runs 1.1.0 again');
    expect(r.host.state).toMatchObject({ current: '1.1.0', previous: '1.1.0', running: '1.1.0', starts: ['2.0.0-bad', '1.1.0'] });
    const logs = r.engine.logs(r.run.id, { stepId: 'activate' }).map((l) => l.line);
    expect(logs.some((l) => l.includes('is not healthy after 10 s') && l.includes('rolling back to 1.1.0'))).toBe(true);
    await r.engine.dispose();
  });

  it('the error thrown is an AgentRolledBackError with the versions and the reason as params', async () => {
    const clock = new VirtualClock();
    const host = fakeHost({ good: new Set(['1.1.0']), now: clock.now, current: '1.1.0' });
    const tool = agentActivateTool(host.deps());
    const ctx = { runId: 'r', stepId: 's', host: DEV, attempt: 1, signal: new AbortController().signal, log: () => {}, callbackUrl: null, actor: 'alice' };
    const input = tool.input.parse({ deviceId: DEV.id, version: '2.0.0-bad', runtimeSha256: SUM, healthWindowMs: WINDOW });
    let r = await tool.run({ ...ctx, pollState: null, check: 0 }, input);
    clock.t += WINDOW + 1;
    r = await tool.run({ ...ctx, pollState: (r as { state: unknown }).state, check: 1 }, input);
    clock.t += 600;
    const err = await tool.run({ ...ctx, pollState: (r as { state: unknown }).state, check: 2 }, input).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AgentRolledBackError', code: 'UNAVAILABLE', params: { hostname: 'web-01', version: '2.0.0-bad', previous: '1.1.0', reason: 'planted: 2.0.0-bad crashed' } });
  });

  it("a build whose supervisor does not start is rolled back at once, the command's failure as the reason", async () => {
    const r = await activate({ good: ['1.1.0', '2.0.0-bad'], brokenStart: ['2.0.0-bad'], current: '1.1.0', inputs: { version: '2.0.0-bad' } });
    expect(r.task.error).toBe('agent 2.0.0-bad did not come healthy on web-01 within 10 s: web-01: starting the agent failed (exit 1): supervise: 2.0.0-bad: SyntaxError: Unexpected token; rolled back: web-01 runs 1.1.0 again');
    expect(r.host.state).toMatchObject({ current: '1.1.0', running: '1.1.0', starts: ['1.1.0'] });
    expect(r.task.finishedAt! - r.task.startedAt!, 'no health window spent waiting').toBeLessThan(WINDOW);
    await r.engine.dispose();
  });

  it('with nothing to roll back to the agent is stopped and the task says so', async () => {
    const r = await activate({ good: [], inputs: { version: '2.0.0-bad' } });
    expect(r.task.error).toBe('agent 2.0.0-bad did not come healthy on web-01 within 10 s: planted: 2.0.0-bad crashed; there was nothing to roll back to: the agent is stopped');
    expect(r.host.state).toMatchObject({ current: '2.0.0-bad', previous: null, running: null });
    await r.engine.dispose();
  });

  it('a rollback that does not come healthy either fails naming both', async () => {
    const r = await activate({ good: [], current: '1.1.0', inputs: { version: '2.0.0-bad' } });
    expect(r.task.error).toBe(
      'agent 2.0.0-bad did not come healthy on web-01 within 10 s: planted: 2.0.0-bad crashed; the rollback to 1.1.0 did not come healthy either: planted: 1.1.0 crashed (its supervisor keeps restarting it)',
    );
    await r.engine.dispose();
  });

  it('already the target and healthy: done without touching anything', async () => {
    const clock = new VirtualClock();
    const host = fakeHost({ good: new Set(['1.1.0']), now: clock.now, current: '1.1.0', previous: '1.0.0' });
    const tool = agentActivateTool(host.deps());
    host.state.running = '1.1.0';
    host.state.startedAt = clock.t - 5000;
    const input = tool.input.parse({ deviceId: DEV.id, version: '1.1.0', runtimeSha256: SUM });
    const r = await tool.run({ runId: 'r', stepId: 's', host: DEV, attempt: 1, signal: new AbortController().signal, log: () => {}, callbackUrl: null, actor: 'a', pollState: null, check: 0 }, input);
    expect(r).toMatchObject({ status: 'done', output: { version: '1.1.0', previous: '1.0.0', changed: false } });
    expect(host.state.starts).toEqual([]);
    expect(host.state.commands).not.toContain(host.cmd.stop());
  });

  it('rollback: true runs what previous names, and previous becomes the version rolled back from', async () => {
    const r = await activate({ good: ['1.0.0', '1.1.0'], current: '1.1.0', previous: '1.0.0', inputs: { rollback: true } });
    expect(r.task).toMatchObject({ state: 'succeeded', outputs: { version: '1.0.0', previous: '1.1.0', changed: true } });
    const none = await activate({ good: ['1.0.0'], current: '1.0.0', previous: '1.0.0', inputs: { rollback: true } });
    expect(none.task).toMatchObject({ state: 'failed', error: 'web-01 keeps no version to roll back to (it runs 1.0.0)' });
    await r.engine.dispose();
    await none.engine.dispose();
  });

  it('an engine stopped while rolling back resumes the rollback phase from the poll state', async () => {
    const clock = new VirtualClock();
    const db = openStore(':memory:');
    const host = fakeHost({ good: new Set(['1.1.0']), now: clock.now, current: '1.1.0' });
    let engine = engineOn(db, clock, host.deps());
    engine.saveTemplate(template({ version: '2.0.0-bad' }), 'alice');
    const run = engine.launch('activate', {}, [DEV.id], 'alice');
    await settle(clock, () => host.state.starts.length === 2, 'the rollback starts 1.1.0');
    await settle(clock, () => engine.task(run.id, 'activate', DEV.id).state === 'waiting', 'the check after the rollback is journaled');
    await engine.dispose();
    engine = engineOn(db, clock, host.deps());
    await flush();
    await settle(clock, () => engine.task(run.id, 'activate', DEV.id).state === 'failed', 'the resumed check ends it');
    expect(engine.task(run.id, 'activate', DEV.id).error).toMatch(/rolled back: web-01 runs 1\.1\.0 again$/);
    expect(host.state.starts, 'nothing started again after the restart').toEqual(['2.0.0-bad', '1.1.0']);
    await engine.dispose();
  });

  it('a first call run again on a host already switched to the target keeps its previous', async () => {
    const r = await activate({ good: ['1.0.0'], current: '2.0.0-bad', previous: '1.0.0', inputs: { version: '2.0.0-bad' } });
    expect(r.task.error).toMatch(/rolled back: web-01 runs 1\.0\.0 again$/);
    expect(r.host.state.commands.some((c) => c.includes('previous') && c.startsWith('ln')), 'previous never rewritten').toBe(false);
    await r.engine.dispose();
  });

  it('on a systemd host with a root login, the unit is written and systemctl restarts it', async () => {
    const units: unknown[] = [];
    const r = await activate({
      good: ['1.1.0'], current: '1.0.0', inputs: { version: '1.1.0' }, probe: 'Linux x86_64\nsystemd\n0\nbooted\n',
      extra: { systemdUnit: (o) => (units.push(o), `[Service]\nExecStart=${o.execStart.join(' ')}\n`) },
    });
    expect(r.task).toMatchObject({ state: 'succeeded', outputs: { version: '1.1.0', via: 'systemd' } });
    expect(units).toEqual([{ execStart: ['/opt/fleetdeck/runtime/node-abababababab/node', '/opt/fleetdeck/agent/current/agent.js', 'run', '--config', '/opt/fleetdeck/agent.json'], workingDirectory: '/opt/fleetdeck', description: 'FleetDeck agent' }]);
    expect(r.host.state.uploads.get(UNIT_FILE)?.mode).toBe(0o644);
    expect(r.host.state.commands).toContain(r.host.cmd.unitRestart());
    expect(r.host.state.commands).not.toContain(r.host.cmd.start());
    // Without the unit text the same host runs the supervisor.
    const plain = await activate({ good: ['1.1.0'], current: '1.0.0', inputs: { version: '1.1.0' }, probe: 'Linux x86_64\nsystemd\n0\nbooted\n' });
    expect(plain.task.outputs?.via).toBe('supervisor');
    await r.engine.dispose();
    await plain.engine.dispose();
  });
});
