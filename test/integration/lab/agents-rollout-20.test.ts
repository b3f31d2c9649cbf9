// Issue 13's rollout acceptance on 20 lab SSH hosts: the agent deployed as 1.0.0 on all of them
// through agent-deploy, then agents.upgrade to a planted bad version (2.0.0-bad: a bundle that
// cannot start) in batches of 5 pausing when more than 20 % of a batch fails. The first batch
// fails: each of its hosts rolls back and runs 1.0.0 again (healthy, reporting), each task's
// error says why (the version, what went wrong, the version it runs again), the run pauses, and
// the 15 hosts of later batches are never touched. The runtime shipped is a 3 MiB stand-in (the
// lab keeps files over 2 MiB as their checksum and never runs them): the real ~120 MB node goes
// to real hosts in deploy-sshd and netns-agents; here 20 copies of it would only time SFTP.
// Addresses 127.69.0.x, port 19028.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { Device } from '../../../src-shared/domain';
import type { WfRunDetail } from '../../../src-shared/domain/workflow';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { createLabAgents, type LabAgents } from '../../../src-main/lab/agents/lab-agents';
import { startLabSshHosts, type LabSshHosts } from '../../../src-main/lab/ssh/ssh-host';
import { until } from '../../support/handles';
import { oneCabinet } from '../../support/one-cabinet';

const PORT = 19028;
const PASSWORD = 'lab-rollout-secret';
const HEALTH_WINDOW_MS = 8000;
const COLLECT = { intervalMs: 1000, inventoryIntervalMs: 600_000, processes: [], files: [], maxCpuPct: 400, maxRssBytes: 2 * 1024 ** 3 };
const operator: CallContext = { actor: 'oli', role: 'operator' };
const admin: CallContext = { actor: 'ada', role: 'admin' };
const IDS = Array.from({ length: 20 }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const dev = (id: string, n: number): Device => ({
  id, cabinetId: 'c', kind: 'server', hostname: `lab-${id}`, sn: `SN-${id}`, uPosition: n, uHeight: 1, mgmtIp: `127.69.0.${10 + n}`, snmpPort: 16100 + n,
  bmcAddress: null, bmcPort: 623, sshPort: PORT, snmpCredential: null, sshCredential: 'lab-ssh', ipmiCredential: null, serviceTree: null,
});
const devices = IDS.map((id, i) => dev(id, i + 1));

let dir = '';
let core: Core | null = null;
let lab: LabSshHosts | null = null;
let agents: LabAgents | null = null;

async function ended(c: Core, runId: string, states: readonly string[], ms = 240_000): Promise<WfRunDetail> {
  return until(`run ${runId} to be ${states.join(' or ')}`, async () => {
    const r = await c.api.call(operator, 'workflows.run', { runId });
    return states.includes(r.state) ? r : false;
  }, ms, 200);
}
const task = (r: WfRunDetail, stepId: string, host: string) => r.tasks.find((t) => t.stepId === stepId && t.host === host)!;
const summary = async (c: Core, id: string) => (await c.api.call(operator, 'agents.list', undefined)).find((a) => a.id === id);
const errors = (r: WfRunDetail) => JSON.stringify(r.tasks.filter((t) => t.error).map((t) => `${t.stepId}/${t.host}: ${t.error}`));

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fd-lab-rollout-'));
  const build = (await import(pathToFileURL(path.resolve('scripts/build-daemons.mjs')).href)) as { buildDaemons(o: { outDir: string; version: string; quiet: boolean }): Promise<unknown> };
  const releases = path.join(dir, 'releases');
  for (const v of ['1.0.0', '2.0.0-bad']) await build.buildDaemons({ outDir: path.join(releases, v), version: v, quiet: true });
  writeFileSync(path.join(releases, '2.0.0-bad', 'agent.js'), 'console.error("planted: bad build"); process.exit(3);\n');
  const runtime = path.join(dir, 'node-stand-in');
  writeFileSync(runtime, randomBytes(3 * 1024 * 1024), { mode: 0o755 });

  agents = createLabAgents({ stateFile: path.join(dir, 'lab-state.json'), linkBackoffMs: { min: 200, max: 2000, refused: 2000 } });
  lab = await startLabSshHosts(devices.map((d) => ({
    id: d.id, hostname: d.hostname, address: d.mgmtIp, port: PORT, hostKeySeed: `rollout/${d.id}`, auth: { username: 'fleetdeck', password: PASSWORD },
  })), { agents });
  core = await createCore({
    storePath: path.join(dir, 'core.db'), secretKey: randomBytes(32), lab: false, bmcSensors: false, poller: { intervalMs: 600_000 },
    agents: { listen: { host: '127.0.0.1', port: await freePort() }, collect: COLLECT, bundleDir: path.join(releases, '1.0.0'), releasesDir: releases, runtimePath: runtime },
  });
  await core.api.call(admin, 'credentials.put', { id: 'lab-ssh', kind: 'ssh-password', name: 'lab SSH', secret: { username: 'fleetdeck', password: PASSWORD } });
  await core.api.call(admin, 'inventory.import', { format: 'json', text: JSON.stringify(oneCabinet(devices)), replace: null, dryRun: false });
}, 120_000);

afterAll(async () => {
  await core?.dispose();
  await lab?.close();
  await agents?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('a rollout of a bad agent version over 20 lab hosts', () => {
  it('pauses after the first batch, whose hosts roll back and run the previous version; the rest are untouched', async () => {
    const c = core!;
    let t0 = Date.now();
    const deploy = await c.api.call(operator, 'workflows.launch', { templateId: 'agent-deploy', params: { healthWindowMs: HEALTH_WINDOW_MS }, deviceIds: IDS });
    const r1 = await ended(c, deploy.id, ['succeeded', 'failed', 'paused']);
    expect(r1.state, errors(r1)).toBe('succeeded');
    const deployMs = Date.now() - t0;
    for (const id of IDS) expect(await summary(c, id)).toMatchObject({ connected: true, version: '1.0.0', health: 'healthy' });

    t0 = Date.now();
    const bad = await c.api.call(operator, 'agents.upgrade', { agentIds: IDS, version: '2.0.0-bad', batchSize: 5, maxFailPct: 20, healthWindowMs: HEALTH_WINDOW_MS });
    expect(bad).toMatchObject({ hosts: 20, skipped: [] });
    const r2 = await ended(c, bad.runId, ['paused', 'failed', 'succeeded']);
    const badMs = Date.now() - t0;
    expect(r2.state, errors(r2)).toBe('paused');
    const firstBatch = IDS.slice(0, 5);
    for (const id of firstBatch) {
      const t = task(r2, 'activate', id);
      expect(t.state, `${id}: ${t.error}`).toBe('failed');
      // What the run view shows for the host: which version failed, why, and what runs now.
      expect(t.error).toMatch(new RegExp(`^agent 2\\.0\\.0-bad did not come healthy on lab-${id} within 8 s: .*banner.*; rolled back: lab-${id} runs 1\\.0\\.0 again$`));
    }
    for (const id of IDS.slice(5)) {
      expect(await c.api.call(operator, 'workflows.attempts', { runId: bad.runId, stepId: 'activate', host: id }), `${id} is in a later batch`).toEqual([]);
    }
    await until('the first batch healthy on 1.0.0 again', async () => {
      const list = await c.api.call(operator, 'agents.list', undefined);
      return firstBatch.every((id) => list.some((a) => a.id === id && a.health === 'healthy' && a.version === '1.0.0'));
    }, 30_000);
    const running = new Map(agents!.running().map((a) => [a.agentId, a.version]));
    expect(IDS.map((id) => running.get(id))).toEqual(IDS.map(() => '1.0.0'));
    const trail = await c.api.call(admin, 'audit.list', { action: 'agents.upgrade', limit: 5 });
    expect(trail[0]).toMatchObject({ actor: 'oli', outcome: 'succeeded' });
    await c.api.call(operator, 'workflows.revoke', { runId: bad.runId });
    console.log(`lab rollout of 20 hosts: deploy 1.0.0 ${deployMs} ms; bad upgrade until the pause after batch 1 ${badMs} ms`);
  }, 600_000);
});
