// fleet.run as a workflow run, through the real core (createCore, no lab, a store file) against
// OpenSSH's sshd on 127.63.0.1:19322 (a child process; the devices are its logins): a run is a
// run of the shipped fleet-run template launched by the caller, with one task per host in the
// journal (exit status, duration, output sizes; the output itself streamed to operators only,
// never in what a viewer reads), hosts without SSH skipped up front as before, an unbound
// credential failing its host without dialling, a non-zero exit failing its host, the runs
// list and the statistics counting it; fleet.cancelRun revokes it; and a core closed in the
// middle of a run and opened again on the same store shows the hosts it cut off as
// failed(interrupted) and does not run the command again (each execution appends a line to a
// marker file) until an operator retries one host (it runs once more) and skips the other.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { Device, RunFinished, RunHostResult } from '../../../src-shared/domain';
import type { WfProgress } from '../../../src-shared/domain/workflow';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { until } from '../../support/handles';
import { oneCabinet } from '../../support/one-cabinet';
import { sshdCheck, startSshd, type SshdPeer } from '../../interop/ssh/sshd-peer';

const check = sshdCheck();
const AT = { address: '127.63.0.1', port: 19322 };
const KEY = randomBytes(32);
const viewer: CallContext = { actor: 'test-viewer', role: 'viewer' };
const operator: CallContext = { actor: 'test-operator', role: 'operator' };
const admin: CallContext = { actor: 'test-admin', role: 'admin' };

const dev = (id: string, n: number, sshCredential: string | null): Device => ({
  id, cabinetId: 'c', kind: 'server', hostname: id, sn: `SN-${id}`, uPosition: n, uHeight: 1, mgmtIp: AT.address, snmpPort: 16100 + n,
  bmcAddress: null, bmcPort: 623, sshPort: AT.port, snmpCredential: null, sshCredential, ipmiCredential: null, serviceTree: null,
});

let sshd: SshdPeer;
let dir: string;
let storePath: string;
const open: Core[] = [];

async function openCore(): Promise<Core> {
  const core = await createCore({ storePath, secretKey: KEY, lab: false, bmcSensors: false, poller: { intervalMs: 600_000 } });
  open.push(core);
  return core;
}
async function closeCore(core: Core): Promise<void> {
  open.splice(open.indexOf(core), 1);
  await core.dispose();
}

/** The operator's stream: each host's result and each run's end. */
function listen(core: Core) {
  const results: RunHostResult[] = [];
  const finished: RunFinished[] = [];
  const progress: WfProgress[] = [];
  core.api.on(operator, 'onDidReceiveRunResult', (r) => results.push(r));
  core.api.on(operator, 'onDidFinishRun', (f) => finished.push(f));
  core.api.on(viewer, 'onDidProgressWorkflow', (p) => progress.push(p));
  const ended = (runId: string) => until(`the end of run ${runId}`, () => finished.find((f) => f.runId === runId));
  const of = (runId: string) => results.filter((r) => r.runId === runId);
  return { results, finished, progress, ended, of };
}

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
const byHost = <T extends { host: string }>(tasks: readonly T[]) => Object.fromEntries(tasks.map((t) => [t.host, t]));

describe.skipIf(check.skip)(`fleet.run is a workflow run (sshd on ${AT.address}:${AT.port})${check.skip ? ` (skipped: ${check.reason})` : ''}`, () => {
  beforeAll(async () => {
    if (check.missing.length) throw new Error(`CI needs sshd: ${check.reason}`);
    sshd = await startSshd(AT);
    dir = mkdtempSync(join(tmpdir(), 'fd-fleet-run-'));
    storePath = join(dir, 'core.db');
    const core = await openCore();
    await core.api.call(admin, 'credentials.put', { id: 'sshd-key', kind: 'ssh-key', name: 'sshd peer', secret: { username: sshd.username, privateKey: sshd.clientKey.privateKey } });
    // An admin's import binds the credentials to the endpoints; a device an operator adds is unbound.
    await core.api.call(admin, 'inventory.import', { format: 'json', text: JSON.stringify(oneCabinet([dev('srv-a', 1, 'sshd-key'), dev('srv-b', 2, 'sshd-key'), dev('srv-nossh', 3, null)])), replace: null, dryRun: false });
    await core.api.call(operator, 'inventory.putDevice', { device: dev('srv-unbound', 4, 'sshd-key') });
    const bound = async (id: string) => (await core.api.call(operator, 'credentials.bindings', { deviceId: id })).find((b) => b.role === 'ssh')?.bound;
    expect([await bound('srv-a'), await bound('srv-b'), await bound('srv-unbound')]).toEqual([true, true, false]);
    await closeCore(core);
  }, 60_000);

  afterAll(async () => {
    for (const c of open.splice(0)) await c.dispose();
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('journals a run of fleet-run per host: who, what, where, each result; output streamed to operators only', async () => {
    const core = await openCore();
    const live = listen(core);
    const from = Date.now() - 1;
    const command = 'echo "fd-$((6*7))"; echo note >&2';
    const started = await core.api.call(operator, 'fleet.run', { deviceIds: ['srv-a', 'srv-b', 'srv-unbound', 'srv-nossh', 'no-such-device'], command });
    expect(started.hosts).toBe(3);
    expect(started.skipped).toEqual([
      { deviceId: 'srv-nossh', reason: 'no SSH credential', code: 'no-ssh-credential' },
      { deviceId: 'no-such-device', reason: 'no such device', code: 'no-device' },
    ]);
    expect(await live.ended(started.runId)).toMatchObject({ succeeded: 2, failed: 1, cancelled: false });

    // The operators' stream: one result per host, output included.
    const results = Object.fromEntries(live.of(started.runId).map((r) => [r.deviceId, r]));
    expect(Object.keys(results).sort()).toEqual(['srv-a', 'srv-b', 'srv-unbound']);
    for (const h of ['srv-a', 'srv-b']) expect(results[h]).toMatchObject({ hostname: h, ok: true, exitCode: 0, signal: null, stdout: 'fd-42\n', stderr: 'note\n', error: null, failure: null });
    expect(results['srv-unbound']).toMatchObject({ ok: false, exitCode: null, failure: { name: 'CredentialUnboundError', code: 'CONFLICT' } });
    expect(results['srv-unbound'].error).toBe(`CredentialUnboundError: the SSH credential sshd-key of srv-unbound is not bound to ${AT.address}:${AT.port}; an admin must bind it`);

    // The journal, as a viewer reads it: the run of fleet-run, its launcher and params, a task per host.
    const [listed] = await core.api.call(viewer, 'workflows.runs', { templateId: 'fleet-run' });
    expect(listed).toMatchObject({ id: started.runId, templateId: 'fleet-run', state: 'failed', createdBy: 'test-operator', params: { command, timeoutMs: 60_000 }, hosts: ['srv-a', 'srv-b', 'srv-unbound'], done: 2, failed: 1, total: 3 });
    const detail = await core.api.call(viewer, 'workflows.run', { runId: started.runId });
    const tasks = byHost(detail.tasks);
    for (const h of ['srv-a', 'srv-b']) {
      expect(tasks[h]).toMatchObject({ stepId: 'run', state: 'succeeded', attempt: 1, inputs: { deviceId: h, command, timeoutMs: 60_000 } });
      expect(tasks[h].outputs).toEqual({ exitCode: 0, signal: null, ms: expect.any(Number), truncated: false, stdoutBytes: 6, stderrBytes: 5 });
    }
    expect(tasks['srv-unbound']).toMatchObject({ state: 'failed', failure: 'error', outputs: null });
    expect(tasks['srv-unbound'].error).toContain('is not bound to');
    const attempts = await core.api.call(viewer, 'workflows.attempts', { runId: started.runId });
    expect(attempts.map((a) => `${a.host} ${a.attempt} ${a.state} ${a.by}`).sort()).toEqual(['srv-a 1 succeeded engine', 'srv-b 1 succeeded engine', 'srv-unbound 1 failed engine']);
    const logs = await core.api.call(viewer, 'workflows.logs', { runId: started.runId });
    expect(logs.find((l) => l.host === 'srv-a')?.line).toMatch(/^exit 0 after \d+ ms; stdout 6 bytes, stderr 5 bytes$/);
    // Command output never reaches what a viewer reads: not the journal, not the progress stream.
    const viewed = JSON.stringify([listed, detail, attempts, logs, live.progress]);
    expect(viewed).not.toContain('fd-42');
    expect(viewed).not.toContain('note\\n');

    // A non-zero exit fails its host (the output still streams), and names the exit status in the journal.
    const failing = await core.api.call(operator, 'fleet.run', { deviceIds: ['srv-a', 'srv-b'], command: 'echo out; exit 3', timeoutMs: 5000 });
    expect(await live.ended(failing.runId)).toMatchObject({ succeeded: 0, failed: 2, cancelled: false });
    for (const r of live.of(failing.runId)) expect(r).toMatchObject({ ok: false, exitCode: 3, stdout: 'out\n', error: null });
    const failed = await core.api.call(viewer, 'workflows.run', { runId: failing.runId });
    expect(failed.tasks.map((t) => `${t.host} ${t.state} ${t.error}`)).toEqual(['srv-a failed the command exited with 3', 'srv-b failed the command exited with 3']);

    // The statistics count both runs, with the step's failures and its most frequent error.
    const [stats] = await core.api.call(viewer, 'workflows.stats', { from, to: Date.now() + 1, templateId: 'fleet-run' });
    expect(stats).toMatchObject({ templateId: 'fleet-run', total: 2, succeeded: 0, failed: 2, running: 0 });
    expect(stats.steps).toEqual([expect.objectContaining({ stepId: 'run', failures: 3, topError: 'the command exited with 3' })]);

    // fleet.run is audited as before, under the caller.
    const audit = await core.api.call(admin, 'audit.list', { action: 'fleet.run' });
    expect(audit.map((e) => [e.actor, e.outcome, e.target])).toEqual([
      ['test-operator', 'succeeded', '2 hosts: echo out; exit 3'],
      ['test-operator', 'succeeded', `5 hosts: ${command}`],
    ]);
    // Validation as before.
    await expect(core.api.call(operator, 'fleet.run', { deviceIds: ['srv-a'], command: '   ' })).rejects.toMatchObject({ code: 'VALIDATION', message: 'fleet.run: the command is empty' });
    await expect(core.api.call(operator, 'fleet.run', { deviceIds: ['srv-a'], command: 'a\0b' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(core.api.call(operator, 'fleet.run', { deviceIds: ['srv-nossh'], command: 'true' })).rejects.toMatchObject({ code: 'VALIDATION', params: { skipped: [{ deviceId: 'srv-nossh', code: 'no-ssh-credential' }] } });
    await expect(core.api.call(viewer, 'fleet.run', { deviceIds: ['srv-a'], command: 'true' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await closeCore(core);
  });

  it('fleet.cancelRun revokes the run: the commands are stopped, every host reported cancelled', async () => {
    const core = await openCore();
    const live = listen(core);
    const count = join(dir, 'cancel.count');
    const started = await core.api.call(operator, 'fleet.run', { deviceIds: ['srv-a', 'srv-b'], command: `echo ran >> ${count}; while [ ! -e ${join(dir, 'never')} ]; do sleep 0.1; done`, timeoutMs: 120_000 });
    await until('both commands running', () => lines(count).length === 2);
    expect((await core.api.call(viewer, 'workflows.run', { runId: started.runId })).tasks.map((t) => t.state)).toEqual(['running', 'running']);
    expect(await core.api.call(operator, 'fleet.cancelRun', { runId: started.runId })).toEqual({ cancelled: true });
    expect(await live.ended(started.runId)).toMatchObject({ succeeded: 0, failed: 2, cancelled: true });
    expect(live.of(started.runId).map((r) => `${r.deviceId} ${r.ok} ${r.failure?.name}`).sort()).toEqual(['srv-a false SshCancelledError', 'srv-b false SshCancelledError']);
    const detail = await core.api.call(viewer, 'workflows.run', { runId: started.runId });
    expect(detail.state).toBe('revoked');
    expect(detail.tasks.map((t) => t.state)).toEqual(['revoked', 'revoked']);
    // A finished run has nothing left to cancel; an unknown one is not found.
    expect(await core.api.call(operator, 'fleet.cancelRun', { runId: started.runId })).toEqual({ cancelled: false });
    await expect(core.api.call(operator, 'fleet.cancelRun', { runId: 'no-such-run' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await core.api.call(admin, 'audit.list', { action: 'fleet.cancelRun' })).map((e) => [e.actor, e.outcome])).toEqual([
      ['test-operator', 'failed'],
      ['test-operator', 'succeeded'],
      ['test-operator', 'succeeded'],
    ]);
    expect(lines(count)).toEqual(['ran', 'ran']);
    // The remote loops end here whatever became of the KILL signal request (OpenSSH may leave a
    // command without a pty running after its channel closes: seen as orphans in CI).
    writeFileSync(join(dir, 'never'), '');
    await closeCore(core);
  });

  it('a core closed mid-run and opened again: the cut-off hosts are failed(interrupted), not run again until an operator retries', async () => {
    const count = join(dir, 'crash.count');
    const release = join(dir, 'crash.release');
    const command = `echo ran >> ${count}; while [ ! -e ${release} ]; do sleep 0.1; done; echo released`;
    let core = await openCore();
    const started = await core.api.call(operator, 'fleet.run', { deviceIds: ['srv-a', 'srv-b'], command, timeoutMs: 120_000 });
    await until('both commands running', () => lines(count).length === 2);
    await closeCore(core);

    core = await openCore();
    const live = listen(core);
    const detail = await core.api.call(viewer, 'workflows.run', { runId: started.runId });
    expect(detail.state).toBe('failed');
    for (const t of detail.tasks) {
      expect(t).toMatchObject({ state: 'failed', failure: 'interrupted', attempt: 1 });
      expect(t.error).toContain('not idempotent');
    }
    const attempts = await core.api.call(viewer, 'workflows.attempts', { runId: started.runId });
    expect(attempts.map((a) => `${a.host} ${a.attempt} ${a.failure}`)).toEqual(['srv-a 1 interrupted', 'srv-b 1 interrupted']);
    // Nothing runs by itself: every task of the run is over, and the command ran once per host.
    expect(lines(count)).toEqual(['ran', 'ran']);

    // The operator retries srv-a (the command runs once more there) and skips srv-b.
    await core.api.call(operator, 'workflows.retry', { runId: started.runId, stepId: 'run', host: 'srv-a' });
    await until('the retried command running', () => lines(count).length === 3);
    writeFileSync(release, '');
    const retried = await until('the retry streamed', () => live.of(started.runId).find((r) => r.deviceId === 'srv-a'));
    expect(retried).toMatchObject({ ok: true, exitCode: 0, stdout: 'released\n' });
    await core.api.call(operator, 'workflows.skip', { runId: started.runId, stepId: 'run', host: 'srv-b' });
    const after = await core.api.call(viewer, 'workflows.run', { runId: started.runId });
    expect(after.state).toBe('succeeded');
    expect(byHost(after.tasks)['srv-a']).toMatchObject({ state: 'succeeded', attempt: 2 });
    expect(byHost(after.tasks)['srv-b']).toMatchObject({ state: 'skipped', attempt: 1 });
    expect((await core.api.call(viewer, 'workflows.attempts', { runId: started.runId, host: 'srv-a' })).map((a) => `${a.attempt} ${a.state} ${a.by}`)).toEqual(['1 failed engine', '2 succeeded test-operator']);
    expect(lines(count)).toEqual(['ran', 'ran', 'ran']);
    await closeCore(core);
  });
});
