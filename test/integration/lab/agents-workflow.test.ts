// The lab's "deploy" goes through the same workflow and SFTP path (issue 13, "The lab"): a core
// (no embedded lab, its agent server on loopback) deploys, upgrades and rolls back the agent on
// three in-process lab SSH hosts through agent-deploy / agents.upgrade, exactly as on sshd
// (test/integration/agent/deploy-sshd.test.ts): the console's own node (~120 MB) is the runtime
// and goes to each host once, where the lab keeps it as its checksum (the hosts' files hold the
// bundles, well under 2 MiB each, one copy of each bundle between them); the lab's agents enrol,
// report healthy as 1.0.0 then 1.1.0; a bundle without a banner (2.0.0-bad) does not start, the
// first host rolls back naming why and the rollout pauses before the others.
// Addresses 127.68.0.x, port 19027.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
import { internedBlobs } from '../../../src-main/lab/ssh/ssh-files';
import { factsFor } from '../../../src-main/lab/ssh/ssh-host-facts';
import { startLabSshHosts, type LabSshHosts } from '../../../src-main/lab/ssh/ssh-host';
import { until } from '../../support/handles';
import { oneCabinet } from '../../support/one-cabinet';

const PORT = 19027;
const PASSWORD = 'lab-workflow-secret';
const HEALTH_WINDOW_MS = 8000;
const COLLECT = { intervalMs: 1000, inventoryIntervalMs: 600_000, processes: [], files: [], maxCpuPct: 400, maxRssBytes: 2 * 1024 ** 3 };
const operator: CallContext = { actor: 'oli', role: 'operator' };
const admin: CallContext = { actor: 'ada', role: 'admin' };
const IDS = ['a', 'b', 'c'];

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const dev = (id: string, n: number): Device => ({
  id, cabinetId: 'c', kind: 'server', hostname: `lab-${id}`, sn: `SN-${id}`, uPosition: n, uHeight: 1, mgmtIp: `127.68.0.${10 + n}`, snmpPort: 16100 + n,
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
  dir = mkdtempSync(path.join(os.tmpdir(), 'fd-lab-agents-wf-'));
  const build = (await import(pathToFileURL(path.resolve('scripts/build-daemons.mjs')).href)) as { buildDaemons(o: { outDir: string; version: string; quiet: boolean }): Promise<unknown> };
  const releases = path.join(dir, 'releases');
  for (const v of ['1.0.0', '1.1.0', '2.0.0-bad']) await build.buildDaemons({ outDir: path.join(releases, v), version: v, quiet: true });
  writeFileSync(path.join(releases, '2.0.0-bad', 'agent.js'), 'console.error("planted: bad build"); process.exit(3);\n');

  agents = createLabAgents({ stateFile: path.join(dir, 'lab-state.json'), linkBackoffMs: { min: 200, max: 2000, refused: 2000 } });
  lab = await startLabSshHosts(devices.map((d) => ({
    id: d.id, hostname: d.hostname, address: d.mgmtIp, port: PORT, hostKeySeed: `wf/${d.id}`, auth: { username: 'fleetdeck', password: PASSWORD },
  })), { agents });
  core = await createCore({
    storePath: path.join(dir, 'core.db'), secretKey: randomBytes(32), lab: false, bmcSensors: false, poller: { intervalMs: 600_000 },
    agents: { listen: { host: '127.0.0.1', port: await freePort() }, collect: COLLECT, bundleDir: path.join(releases, '1.0.0'), releasesDir: releases, runtimePath: process.execPath },
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

describe('the agent deploy workflow on lab SSH hosts', () => {
  it('deploys, upgrades, and rolls a bad build back, pausing the rollout', async () => {
    const c = core!;
    const figures: string[] = [];
    const rss0 = process.memoryUsage.rss();

    let t0 = Date.now();
    const first = await c.api.call(operator, 'workflows.launch', { templateId: 'agent-deploy', params: { healthWindowMs: HEALTH_WINDOW_MS }, deviceIds: IDS });
    const r1 = await ended(c, first.id, ['succeeded', 'failed', 'paused']);
    expect(r1.state, errors(r1)).toBe('succeeded');
    figures.push(`deploy 1.0.0 on ${IDS.length} lab hosts: ${Date.now() - t0} ms, process RSS ${((process.memoryUsage.rss() - rss0) / 2 ** 20).toFixed(0)} MiB more`);
    for (const d of devices) {
      const up = task(r1, 'upload', d.id).outputs!;
      expect(up).toMatchObject({ version: '1.0.0', runtimeShipped: true, systemd: false, root: false });
      expect(up.bytesShipped as number).toBeGreaterThan(statSync(process.execPath).size);
      expect(task(r1, 'activate', d.id).outputs).toMatchObject({ version: '1.0.0', previous: null, changed: true, via: 'supervisor' });
      expect(await summary(c, d.id)).toMatchObject({ id: d.id, deviceId: d.id, connected: true, version: '1.0.0', hostname: d.hostname });
      // The runtime went over, but the host keeps only its checksum: what it holds is the bundles and small files.
      expect(lab!.hosts.get(d.id)!.keptBytes).toBeLessThan(2 * 2 ** 20);
    }
    figures.push(`each lab host keeps ${(lab!.hosts.get('a')!.keptBytes / 1024).toFixed(0)} KiB after a ${(statSync(process.execPath).size / 2 ** 20).toFixed(0)} MiB runtime and the bundles`);
    // The hosts' own figures reach the console's store: each host's simulated MemTotal.
    for (const d of devices) {
      const [m] = await until(`${d.id}'s metrics in the store`, async () => {
        const got = await c.api.call(operator, 'agents.results', { agentId: d.id, kind: 'metrics', limit: 1 });
        return got.length > 0 && got;
      }, 20_000);
      expect(m.data).toMatchObject({ kind: 'metrics', memTotalBytes: factsFor(d.id).memKb * 1024 });
    }
    expect(agents!.running().map((a) => `${a.agentId}@${a.version}`).sort()).toEqual(IDS.map((id) => `${id}@1.0.0`));

    t0 = Date.now();
    const up = await c.api.call(operator, 'agents.upgrade', { agentIds: IDS, version: '1.1.0', healthWindowMs: HEALTH_WINDOW_MS });
    const r2 = await ended(c, up.runId, ['succeeded', 'failed', 'paused']);
    expect(r2.state, errors(r2)).toBe('succeeded');
    figures.push(`upgrade to 1.1.0: ${Date.now() - t0} ms`);
    for (const d of devices) {
      const o = task(r2, 'upload', d.id).outputs!;
      expect(o).toMatchObject({ version: '1.1.0', runtimeShipped: false }); // sha256sum answered from the kept hash
      expect(o.bytesShipped as number).toBeLessThanOrEqual(2 * 1024 * 1024);
      expect(task(r2, 'activate', d.id).outputs).toMatchObject({ version: '1.1.0', previous: '1.0.0', changed: true });
    }
    // Two agent.js versions on three hosts: two buffers (the supervisors and the bad build are too small to share).
    expect(internedBlobs().count).toBe(2);

    t0 = Date.now();
    const bad = await c.api.call(operator, 'agents.upgrade', { agentIds: IDS, version: '2.0.0-bad', batchSize: 1, maxFailPct: 0, healthWindowMs: HEALTH_WINDOW_MS });
    const r3 = await ended(c, bad.runId, ['paused', 'failed', 'succeeded']);
    figures.push(`bad upgrade, first host rolled back and the run paused: ${Date.now() - t0} ms`);
    expect(r3.state).toBe('paused');
    const failed = task(r3, 'activate', 'a');
    expect(failed).toMatchObject({ state: 'failed', failure: 'error' });
    expect(failed.error).toMatch(/^agent 2\.0\.0-bad did not come healthy on lab-a within 8 s: .*agent\.js has no \/\* fleetdeck-agent <version> \*\/ banner.*; rolled back: lab-a runs 1\.1\.0 again$/);
    for (const id of ['b', 'c']) expect(await c.api.call(operator, 'workflows.attempts', { runId: bad.runId, stepId: 'activate', host: id })).toEqual([]);
    await until('agent a healthy on 1.1.0 after the bad upgrade', async () => {
      const s = await summary(c, 'a');
      return s?.health === 'healthy' && s.version === '1.1.0';
    });
    await c.api.call(operator, 'workflows.revoke', { runId: bad.runId });
    console.log(`lab agents-workflow figures:\n  ${figures.join('\n  ')}`);
  }, 600_000);
});
