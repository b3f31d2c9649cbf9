// A fleet run through a kill -9: serve mode (`node out/main/serve.js --no-lab`, built first:
// npm run build) runs a command line over SSH on two devices whose logins are OpenSSH's sshd
// on 127.63.0.2:19323 (a child process); while both commands are running, the serve process
// is sent SIGKILL and started again on the same data dir. The run is there after the restart,
// its two hosts failed as interrupted (the command line is not idempotent), and the command is
// not run again by itself (each execution appends a line to a marker file); an operator's
// retry of one host runs it once more there, and its result streams to the operator.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device, RunHostResult } from '../../../src-shared/domain';
import { until } from '../../support/handles';
import { oneCabinet } from '../../support/one-cabinet';
import { SERVE_ENTRY, startServe, type ServeProcess } from '../../support/serve-process';
import { connect, type TestClient } from '../../support/ws-client';
import { sshdCheck, startSshd, type SshdPeer } from '../../interop/ssh/sshd-peer';

const check = sshdCheck();
const built = existsSync(SERVE_ENTRY);
if (!built && process.env.CI) throw new Error(`${SERVE_ENTRY} is missing: npm test builds it before vitest`);
const AT = { address: '127.63.0.2', port: 19323 };
const ARGS = ['--no-lab', '--poll-interval-ms', '600000'];

const dev = (id: string, n: number): Device => ({
  id, cabinetId: 'c', kind: 'server', hostname: id, sn: `SN-${id}`, uPosition: n, uHeight: 1, mgmtIp: AT.address, snmpPort: 16200 + n,
  bmcAddress: null, bmcPort: 623, sshPort: AT.port, snmpCredential: null, sshCredential: 'sshd-key', ipmiCredential: null, serviceTree: null,
});
const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

let sshd: SshdPeer;
let work: string;
const serves: ServeProcess[] = [];
const clients: TestClient[] = [];

async function serveOn(dataDir?: string): Promise<ServeProcess> {
  const s = await startServe(dataDir ? [...ARGS, '--rotate-tokens'] : ARGS, { dataDir });
  serves.push(s);
  return s;
}
async function client(s: ServeProcess, role: 'viewer' | 'operator' | 'admin'): Promise<TestClient> {
  const c = await connect(s.url, s.tokens[role]);
  clients.push(c);
  return c;
}

const skip = check.skip || !built;
const why = !built ? `${SERVE_ENTRY} is missing: npm run build` : check.reason;

describe.skipIf(skip)(`fleet run through a kill -9 of serve mode${skip ? ` (skipped: ${why})` : ''}`, () => {
  beforeAll(async () => {
    if (check.missing.length) throw new Error(`CI needs sshd: ${check.reason}`);
    sshd = await startSshd(AT);
    work = mkdtempSync(join(tmpdir(), 'fd-fleet-kill9-'));
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    for (const s of serves) await s.stop();
    await sshd?.stop();
    for (const s of serves) rmSync(s.dataDir, { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the hosts a kill -9 cut off are failed(interrupted) after the restart, and run again only when an operator retries', async () => {
    const count = join(work, 'count');
    const release = join(work, 'release');
    const command = `echo ran >> ${count}; while [ ! -e ${release} ]; do sleep 0.1; done; echo released`;

    const first = await serveOn();
    const admin = await client(first, 'admin');
    await admin.call('credentials.put', { id: 'sshd-key', kind: 'ssh-key', name: 'sshd peer', secret: { username: sshd.username, privateKey: sshd.clientKey.privateKey } });
    await admin.call('inventory.import', { format: 'json', text: JSON.stringify(oneCabinet([dev('srv-a', 1), dev('srv-b', 2)])), replace: null, dryRun: false });
    const operator = await client(first, 'operator');
    const started = await operator.call('fleet.run', { deviceIds: ['srv-a', 'srv-b'], command, timeoutMs: 120_000 });
    await until('both commands running', () => lines(count).length === 2);
    first.child.kill('SIGKILL');
    expect(await first.stop()).toBeNull();

    const second = await serveOn(first.dataDir);
    const viewer = await client(second, 'viewer');
    const run = await viewer.call('workflows.run', { runId: started.runId });
    expect(run).toMatchObject({ templateId: 'fleet-run', state: 'failed', hosts: ['srv-a', 'srv-b'], params: { command, timeoutMs: 120_000 } });
    expect(run.createdBy).toBe(operator.actor);
    for (const t of run.tasks) {
      expect(t).toMatchObject({ stepId: 'run', state: 'failed', failure: 'interrupted', attempt: 1 });
      expect(t.error).toContain('not idempotent');
    }
    // The run is over: nothing is left to start, so the command ran once per host.
    expect(lines(count)).toEqual(['ran', 'ran']);

    const operator2 = await client(second, 'operator');
    await operator2.call('workflows.retry', { runId: started.runId, stepId: 'run', host: 'srv-a' });
    await until('the retried command running', () => lines(count).length === 3);
    writeFileSync(release, '');
    const streamed = await until('the retried host streamed', () =>
      operator2.events.find((e) => e.event === 'onDidReceiveRunResult' && (e.payload as RunHostResult).runId === started.runId)?.payload as RunHostResult | undefined);
    expect(streamed).toMatchObject({ deviceId: 'srv-a', ok: true, exitCode: 0, stdout: 'released\n' });
    const after = await viewer.call('workflows.run', { runId: started.runId });
    expect(after.tasks.map((t) => `${t.host} ${t.state} ${t.attempt} ${t.failure}`)).toEqual(['srv-a succeeded 2 null', 'srv-b failed 1 interrupted']);
    expect(lines(count)).toEqual(['ran', 'ran', 'ran']);
  });
});
