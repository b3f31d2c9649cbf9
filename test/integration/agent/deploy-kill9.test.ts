// A console killed with SIGKILL in the middle of an agent upgrade resumes it from the journal:
// a real sshd on 127.0.0.1 (one host), agent 1.1.0 deployed by an in-process core, then a console
// in its own process (deploy-core-child.ts) upgrades it to 2.0.0-bad (agent.js exits at start
// with "planted: bad build"). The console is killed once while the activation waits in its
// 'starting' phase and once while it waits in its 'rolling-back' phase (both read from the
// journal's poll state), each time started again on the same store and agent port. The
// activation goes on where it was: the rollback happens once, the task fails with the rollback
// error naming the crash line and 1.1.0 running again, one attempt in all, the agent connects
// as 1.1.0, and the agent's log shows exactly three supervisor starts (1.1.0, 2.0.0-bad, 1.1.0).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import { createCore } from '../../../src-main/core/create-core';
import { sleep, until } from '../../support/handles';
import { oneCabinet } from '../../support/one-cabinet';
import { running, signal } from './sshd-rig';
import { sshdCheck, startSshd, type SshdPeer } from '../../interop/ssh/sshd-peer';

const check = sshdCheck();
const operator: CallContext = { actor: 'oli', role: 'operator' };
const admin: CallContext = { actor: 'ada', role: 'admin' };
// Long enough for the agent to find a console that came back (its link backs off 1 s doubling).
const HEALTH_WINDOW_MS = 30_000;
const COLLECT = { intervalMs: 1000, inventoryIntervalMs: 600_000, processes: [], files: [], maxCpuPct: 400, maxRssBytes: 2 * 1024 ** 3 };
const CHILD = path.resolve('test/integration/agent/deploy-core-child.ts');

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });


let dir = '';
let sshd: SshdPeer | null = null;
let installDir = '';
const children: ChildProcess[] = [];
const key = randomBytes(32);
let base: { storePath: string; secretKeyHex: string; agentsPort: number; bundleDir: string; releasesDir: string; collect: typeof COLLECT };

/** A console process; resolves once it printed ready (and the run id, when it launched one). */
async function startConsole(launch?: unknown): Promise<{ proc: ChildProcess; runId: string | null }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ ...base, launch })], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => void (err += d.toString()));
  return new Promise((resolve, reject) => {
    let runId: string | null = null;
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      for (const line of out.split('\n').slice(0, -1)) {
        const m = JSON.parse(line) as { launched?: string; ready?: boolean };
        if (m.launched) runId = m.launched;
        if (m.ready) resolve({ proc, runId });
      }
    });
    proc.once('exit', (code, sig) => reject(new Error(`the console child exited (${code ?? sig}) before it was ready: ${err}`)));
  });
}

async function kill9(proc: ChildProcess): Promise<void> {
  const gone = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGKILL');
  await gone;
}

describe.skipIf(check.skip)(`agent upgrade across console kill -9 (sshd on 127.0.0.1)${check.skip ? ` (skipped: ${check.reason})` : ''}`, () => {
  beforeAll(async () => {
    if (check.missing.length) throw new Error(`CI needs sshd: ${check.reason}`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'fd-deploy-kill9-'));
    const build = (await import(pathToFileURL(path.resolve('scripts/build-daemons.mjs')).href)) as { buildDaemons(o: { outDir: string; version: string; quiet: boolean }): Promise<unknown> };
    const releasesDir = path.join(dir, 'releases');
    for (const v of ['1.1.0', '2.0.0-bad']) await build.buildDaemons({ outDir: path.join(releasesDir, v), version: v, quiet: true });
    writeFileSync(path.join(releasesDir, '2.0.0-bad', 'agent.js'), 'console.error("planted: bad build"); process.exit(3);\n');
    sshd = await startSshd({ address: '127.0.0.1', port: await freePort() });
    installDir = path.join(dir, 'host', 'fleetdeck');
    mkdirSync(path.dirname(installDir), { recursive: true });
    base = { storePath: path.join(dir, 'core.db'), secretKeyHex: key.toString('hex'), agentsPort: await freePort(), bundleDir: path.join(releasesDir, '1.1.0'), releasesDir, collect: COLLECT };

    // 1.1.0 on the host, by a console in this process.
    const core = await createCore({
      storePath: base.storePath, secretKey: key, lab: false, bmcSensors: false, poller: { intervalMs: 600_000 },
      agents: { listen: { host: '127.0.0.1', port: base.agentsPort }, collect: COLLECT, bundleDir: base.bundleDir, releasesDir, runtimePath: process.execPath },
    });
    try {
      await core.api.call(admin, 'credentials.put', { id: 'key-a', kind: 'ssh-key', name: 'sshd', secret: { username: sshd.username, privateKey: sshd.clientKey.privateKey } });
      await core.api.call(admin, 'inventory.import', {
        format: 'json', replace: null, dryRun: false,
        text: JSON.stringify(oneCabinet([{
          id: 'a', cabinetId: 'c', kind: 'server', hostname: 'host-a', sn: 'SN-a', uPosition: 1, uHeight: 1, mgmtIp: '127.0.0.1', snmpPort: 16101,
          bmcAddress: null, bmcPort: 623, sshPort: sshd.port, snmpCredential: null, sshCredential: 'key-a', ipmiCredential: null, serviceTree: null,
        }])),
      });
      const run = await core.api.call(operator, 'workflows.launch', { templateId: 'agent-deploy', params: { installDir, healthWindowMs: HEALTH_WINDOW_MS }, deviceIds: ['a'] });
      const done = await until('the 1.1.0 deploy', async () => {
        const r = await core.api.call(operator, 'workflows.run', { runId: run.id });
        return ['succeeded', 'failed', 'paused'].includes(r.state) ? r : false;
      }, 240_000, 200);
      expect(done.state, JSON.stringify(done.tasks.map((t) => t.error))).toBe('succeeded');
    } finally {
      await core.dispose();
    }
  }, 300_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) await kill9(c);
    const pids: number[] = [];
    for (const f of ['supervisor.pid', 'supervisor.pid.child']) {
      const file = path.join(installDir, f);
      const pid = installDir && existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : NaN;
      if (Number.isInteger(pid) && pid > 0 && running(pid)) pids.push(pid);
    }
    for (const pid of pids) signal(pid, 'SIGTERM');
    const end = Date.now() + 15_000;
    while (pids.some(running) && Date.now() < end) await sleep(100);
    for (const pid of pids.filter(running)) signal(pid, 'SIGKILL');
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('resumes the activation in the phase the journal kept, after each kill', async () => {
    const db = new Database(base.storePath, { readonly: true, fileMustExist: true });
    try {
      const row = (runId: string) =>
        db.prepare<[string], { state: string; poll_state: string | null; error: string | null; attempt: number }>("SELECT state, poll_state, error, attempt FROM wf_tasks WHERE run_id = ? AND step_id = 'activate' AND host = 'a'").get(runId);
      const phase = (runId: string, want: string) => {
        const r = row(runId);
        return r?.state === 'waiting' && r.poll_state !== null && (JSON.parse(r.poll_state) as { phase: string }).phase === want;
      };

      const first = await startConsole({ agentIds: ['a'], version: '2.0.0-bad', installDirs: { a: installDir }, healthWindowMs: HEALTH_WINDOW_MS });
      const runId = first.runId!;
      await until('the bad build started (waiting in its starting phase)', () => phase(runId, 'starting'), 120_000);
      expect(readlinkSync(path.join(installDir, 'agent', 'current'))).toBe('2.0.0-bad');
      await kill9(first.proc);

      const second = await startConsole();
      await until('the rollback started (waiting in its rolling-back phase)', () => phase(runId, 'rolling-back'), 120_000);
      expect(readlinkSync(path.join(installDir, 'agent', 'current'))).toBe('1.1.0');
      await kill9(second.proc);

      const third = await startConsole();
      const end = await until('the activation ends', () => (['failed', 'succeeded'].includes(row(runId)?.state ?? '') ? row(runId) : false), 120_000);
      expect(end).toMatchObject({ state: 'failed', attempt: 1 });
      expect(end.error).toBe(`agent 2.0.0-bad did not come healthy on host-a within ${HEALTH_WINDOW_MS / 1000} s: planted: bad build; rolled back: host-a runs 1.1.0 again`);
      const attempts = db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM wf_attempts WHERE run_id = ? AND step_id = 'activate'").get(runId)!;
      expect(attempts.n, 'one attempt: the kills landed between checks, each resumed').toBe(1);
      expect(db.prepare<[], { version: string }>("SELECT version FROM agents WHERE id = 'a'").get()?.version).toBe('1.1.0');
      const starts = readFileSync(path.join(installDir, 'agent.log'), 'utf8').split('\n').filter((l) => /supervisor\[\d+\]: supervising: /.test(l));
      expect(starts, 'three supervisor starts: 1.1.0, 2.0.0-bad, 1.1.0 again; none added by a restart').toHaveLength(3);
      const exited = new Promise<number | null>((r) => third.proc.once('exit', (code) => r(code)));
      third.proc.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      db.close();
    }
  }, 400_000);
});
