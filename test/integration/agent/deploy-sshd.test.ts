// The agent's deploy, upgrade and rollback through the whole core against two real OpenSSH
// sshd processes on 127.0.0.1 (child processes on their own ports, key login as this user; each
// host installs under its own temp folder, so the two share no files): releases built by
// scripts/build-daemons.mjs (1.0.0 built in, 1.1.0, and 2.0.0-bad whose agent.js exits at start
// with "planted: bad build"), the console's own node shipped as the runtime.
//  - agent-deploy of the built-in 1.0.0 on both: the runtime goes over once per host, the
//    agents enrol with keys made on the hosts, dial the console over TLS and are healthy;
//  - agents.upgrade to 1.1.0: only the bundle is shipped (bytes far below the first deploy's),
//    both healthy on 1.1.0, previous = 1.0.0;
//  - agents.upgrade to 2.0.0-bad in batches of 1 pausing on any failure: the first host's
//    activation fails with the rollback error naming the crash line and 1.1.0 running again
//    (agents.list: 1.1.0, healthy), the run pauses before the second host, which never ran the
//    bad build; the audit trail has the launches;
//  - the paused rollout revoked, agents.rollback puts the second host on its previous version
//    (1.0.0), an unknown agent skipped up front and named.
// Every supervisor the deploys started is stopped in afterAll by the pid its pid file names.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { Device } from '../../../src-shared/domain';
import type { WfRunDetail } from '../../../src-shared/domain/workflow';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { sleep, until } from '../../support/handles';
import { oneCabinet } from '../../support/one-cabinet';
import { sshdCheck, startSshd, type SshdPeer } from '../../interop/ssh/sshd-peer';

const check = sshdCheck();
const operator: CallContext = { actor: 'oli', role: 'operator' };
const admin: CallContext = { actor: 'ada', role: 'admin' };
const HEALTH_WINDOW_MS = 8000;
const COLLECT = { intervalMs: 1000, inventoryIntervalMs: 600_000, processes: ['sshd'], files: [], maxCpuPct: 400, maxRssBytes: 2 * 1024 ** 3 };

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Alive and not a zombie (PID 1 here does not reap orphans). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const dev = (id: string, n: number, port: number): Device => ({
  id, cabinetId: 'c', kind: 'server', hostname: `host-${id}`, sn: `SN-${id}`, uPosition: n, uHeight: 1, mgmtIp: '127.0.0.1', snmpPort: 16100 + n,
  bmcAddress: null, bmcPort: 623, sshPort: port, snmpCredential: null, sshCredential: `key-${id}`, ipmiCredential: null, serviceTree: null,
});

let dir = '';
let core: Core | null = null;
const peers: SshdPeer[] = [];
const installDirs: Record<string, string> = {};

async function ended(c: Core, runId: string, states: readonly string[], ms = 240_000): Promise<WfRunDetail> {
  return until(`run ${runId} to be ${states.join(' or ')}`, async () => {
    const r = await c.api.call(operator, 'workflows.run', { runId });
    return states.includes(r.state) ? r : false;
  }, ms, 200);
}
const task = (r: WfRunDetail, stepId: string, host: string) => r.tasks.find((t) => t.stepId === stepId && t.host === host)!;
const agent = async (c: Core, id: string) => (await c.api.call(operator, 'agents.list', undefined)).find((a) => a.id === id);

describe.skipIf(check.skip)(`agent deploy, upgrade and rollback over SSH (two sshd on 127.0.0.1)${check.skip ? ` (skipped: ${check.reason})` : ''}`, () => {
  beforeAll(async () => {
    if (check.missing.length) throw new Error(`CI needs sshd: ${check.reason}`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'fd-deploy-sshd-'));
    const build = (await import(pathToFileURL(path.resolve('scripts/build-daemons.mjs')).href)) as { buildDaemons(o: { outDir: string; version: string; quiet: boolean }): Promise<unknown> };
    const releases = path.join(dir, 'releases');
    for (const v of ['1.0.0', '1.1.0', '2.0.0-bad']) await build.buildDaemons({ outDir: path.join(releases, v), version: v, quiet: true });
    writeFileSync(path.join(releases, '2.0.0-bad', 'agent.js'), 'console.error("planted: bad build"); process.exit(3);\n');

    for (const id of ['a', 'b']) {
      peers.push(await startSshd({ address: '127.0.0.1', port: await freePort() }));
      installDirs[id] = path.join(dir, `host-${id}`, 'fleetdeck');
      mkdirSync(path.dirname(installDirs[id]), { recursive: true });
    }
    core = await createCore({
      storePath: path.join(dir, 'core.db'), secretKey: randomBytes(32), lab: false, bmcSensors: false, poller: { intervalMs: 600_000 },
      agents: { listen: { host: '127.0.0.1', port: await freePort() }, collect: COLLECT, bundleDir: path.join(releases, '1.0.0'), releasesDir: releases, runtimePath: process.execPath },
    });
    for (const [i, id] of ['a', 'b'].entries()) {
      await core.api.call(admin, 'credentials.put', { id: `key-${id}`, kind: 'ssh-key', name: `sshd ${id}`, secret: { username: peers[i].username, privateKey: peers[i].clientKey.privateKey } });
    }
    await core.api.call(admin, 'inventory.import', { format: 'json', text: JSON.stringify(oneCabinet([dev('a', 1, peers[0].port), dev('b', 2, peers[1].port)])), replace: null, dryRun: false });
  }, 120_000);

  afterAll(async () => {
    // Every supervisor a deploy started (and its agent), by the pids their pid files name.
    const pids: number[] = [];
    for (const base of Object.values(installDirs)) {
      for (const f of ['supervisor.pid', 'supervisor.pid.child']) {
        const file = path.join(base, f);
        const pid = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : NaN;
        if (Number.isInteger(pid) && pid > 0 && running(pid)) pids.push(pid);
      }
    }
    for (const pid of pids) process.kill(pid, 'SIGTERM');
    const end = Date.now() + 15_000;
    while (pids.some(running) && Date.now() < end) await sleep(100);
    for (const pid of pids.filter(running)) process.kill(pid, 'SIGKILL');
    await core?.dispose();
    for (const p of peers) await p.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('deploys, upgrades, and rolls a bad build back, pausing the rollout', async () => {
    const c = core!;
    const figures: string[] = [];

    // 1. Install the built-in 1.0.0 on both hosts.
    let t0 = Date.now();
    const first = await c.api.call(operator, 'workflows.launch', { templateId: 'agent-deploy', params: { installDirs, healthWindowMs: HEALTH_WINDOW_MS }, deviceIds: ['a', 'b'] });
    const r1 = await ended(c, first.id, ['succeeded', 'failed', 'paused']);
    expect(r1.state, JSON.stringify(r1.tasks.filter((t) => t.error).map((t) => t.error))).toBe('succeeded');
    figures.push(`deploy 1.0.0 on 2 hosts: ${Date.now() - t0} ms`);
    for (const h of ['a', 'b']) {
      const up = task(r1, 'upload', h).outputs!;
      expect(up).toMatchObject({ version: '1.0.0', runtimeShipped: true, systemd: false });
      expect(up.bytesShipped as number).toBeGreaterThan(statSync(process.execPath).size);
      figures.push(`host ${h}: first deploy shipped ${up.bytesShipped} bytes`);
      expect(task(r1, 'activate', h).outputs).toMatchObject({ version: '1.0.0', previous: null, changed: true, via: 'supervisor' });
      expect(statSync(path.join(installDirs[h], 'agent.json')).mode & 0o777, 'agent.json is 0600').toBe(0o600);
      expect(statSync(path.join(installDirs[h], 'state', 'agent.key')).mode & 0o777, 'the key made on the host is 0600').toBe(0o600);
      const run = JSON.parse(readFileSync(path.join(installDirs[h], 'agent.json'), 'utf8')) as { agentId: string; console: { port: number; fingerprint256: string } };
      expect(run).toMatchObject({ agentId: h, console: { port: (await c.api.call(operator, 'agents.identity', undefined)).listen!.port, fingerprint256: (await c.api.call(operator, 'agents.identity', undefined)).fingerprint256 } });
      expect(await agent(c, h)).toMatchObject({ id: h, deviceId: h, connected: true, version: '1.0.0', enrolledBy: 'oli' });
    }

    // 2. Upgrade to 1.1.0: the runtime is kept by its checksum, only the bundle goes.
    t0 = Date.now();
    const up = await c.api.call(operator, 'agents.upgrade', { agentIds: ['a', 'b'], version: '1.1.0', installDirs, healthWindowMs: HEALTH_WINDOW_MS });
    expect(up).toMatchObject({ templateId: 'agent-deploy', hosts: 2, skipped: [] });
    const r2 = await ended(c, up.runId, ['succeeded', 'failed', 'paused']);
    expect(r2.state, JSON.stringify(r2.tasks.filter((t) => t.error).map((t) => t.error))).toBe('succeeded');
    figures.push(`upgrade to 1.1.0 on 2 hosts: ${Date.now() - t0} ms`);
    for (const h of ['a', 'b']) {
      const o = task(r2, 'upload', h).outputs!;
      expect(o).toMatchObject({ version: '1.1.0', runtimeShipped: false });
      expect(o.bytesShipped as number, 'an upgrade ships only the bundle (<= 2 MB)').toBeLessThanOrEqual(2 * 1024 * 1024);
      expect((o.bytesShipped as number) * 20).toBeLessThan(task(r1, 'upload', h).outputs!.bytesShipped as number);
      figures.push(`host ${h}: upgrade shipped ${o.bytesShipped} bytes`);
      expect(task(r2, 'activate', h).outputs).toMatchObject({ version: '1.1.0', previous: '1.0.0', changed: true });
      await until(`agent ${h} healthy on 1.1.0`, async () => {
        const s = await agent(c, h);
        return s?.health === 'healthy' && s.version === '1.1.0';
      });
    }

    // 3. A bad build, one host per batch, pause on any failure.
    t0 = Date.now();
    const bad = await c.api.call(operator, 'agents.upgrade', { agentIds: ['a', 'b'], version: '2.0.0-bad', batchSize: 1, maxFailPct: 0, installDirs, healthWindowMs: HEALTH_WINDOW_MS });
    expect(bad.templateId).toBe('agent-deploy-b1-f0');
    const r3 = await ended(c, bad.runId, ['paused', 'failed', 'succeeded']);
    figures.push(`bad upgrade, first host rolled back and the run paused: ${Date.now() - t0} ms`);
    expect(r3.state).toBe('paused');
    const failed = task(r3, 'activate', 'a');
    expect(failed).toMatchObject({ state: 'failed', failure: 'error' });
    expect(failed.error).toBe(`agent 2.0.0-bad did not come healthy on host-a within ${HEALTH_WINDOW_MS / 1000} s: planted: bad build; rolled back: host-a runs 1.1.0 again`);
    // The stop rule opens the next batch's gate but the paused run starts nothing: no attempt on the second host.
    expect(task(r3, 'activate', 'b'), 'the second host is not activated').toMatchObject({ state: expect.stringMatching(/^(pending|ready)$/), attempt: 0, startedAt: null });
    expect(await c.api.call(operator, 'workflows.attempts', { runId: bad.runId, stepId: 'activate', host: 'b' })).toEqual([]);
    expect(readlinkSync(path.join(installDirs.b, 'agent', 'current'))).toBe('1.1.0');
    expect(readlinkSync(path.join(installDirs.a, 'agent', 'current'))).toBe('1.1.0');
    for (const h of ['a', 'b']) {
      await until(`agent ${h} healthy on 1.1.0 after the bad upgrade`, async () => {
        const s = await agent(c, h);
        return s?.health === 'healthy' && s.version === '1.1.0';
      });
    }
    const logs = await c.api.call(operator, 'workflows.logs', { runId: bad.runId, stepId: 'activate', host: 'a' });
    expect(logs.some((l) => /rolling back to 1\.1\.0/.test(l.line))).toBe(true);

    // 4. The paused rollout is cancelled; the agents view's rollback puts host b on its previous version (1.0.0).
    await c.api.call(operator, 'workflows.revoke', { runId: bad.runId });
    t0 = Date.now();
    const back = await c.api.call(operator, 'agents.rollback', { agentIds: ['b', 'zz'], installDirs, healthWindowMs: HEALTH_WINDOW_MS });
    expect(back).toMatchObject({ templateId: 'agent-rollback', hosts: 1, skipped: [{ agentId: 'zz', reason: 'no such agent' }] });
    const r4 = await ended(c, back.runId, ['succeeded', 'failed', 'paused']);
    expect(r4.state, JSON.stringify(r4.tasks.map((t) => t.error))).toBe('succeeded');
    figures.push(`rollback of host b to its previous version: ${Date.now() - t0} ms`);
    expect(task(r4, 'activate', 'b').outputs).toMatchObject({ version: '1.0.0', previous: '1.1.0', changed: true });
    await until('agent b healthy on 1.0.0', async () => {
      const s = await agent(c, 'b');
      return s?.health === 'healthy' && s.version === '1.0.0';
    });

    const trail = await c.api.call(admin, 'audit.list', { limit: 200 });
    const launches = trail.filter((e) => e.action === 'agents.upgrade' && e.actor === 'oli' && e.outcome === 'succeeded');
    expect(launches.map((e) => e.target).sort()).toEqual(['agents a, b to 1.1.0', 'agents a, b to 2.0.0-bad']);
    expect(trail.some((e) => e.action === 'workflows.launch' && e.actor === 'oli' && e.outcome === 'succeeded')).toBe(true);
    expect(trail.some((e) => e.action === 'agents.rollback' && e.actor === 'oli' && e.target === 'agents b, zz to their previous version' && e.outcome === 'succeeded')).toBe(true);
    expect(trail.filter((e) => e.action === 'agent.enrol' && e.actor === 'oli').length).toBeGreaterThanOrEqual(4);
    console.log(`deploy-sshd figures:\n  ${figures.join('\n  ')}`);
  }, 600_000);
});
