// Workflow engine benchmark (printed, not asserted): 1,000 concurrent runs of the 7-step
// server-online flow (check system, BMC status, check CMDB, change CMDB, install OS as a
// callback step, ping as a poll step, HTTP callback through the outbox to a local receiver)
// with instant fake tools on a file journal. Prints engine overhead per step (wall and CPU),
// SQLite write statements per step, RSS, outbox drain time, and the time to resume 1,000 runs
// after the process running them is killed with SIGKILL (a child process), beside the goals.
// Usage: node --import tsx test/bench/workflows.ts [--runs 1000]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { WfTemplate } from '../../src-shared/domain/workflow';
import { openStore, type Db } from '../../src-main/core/store/database';
import type { WorkflowEngine } from '../../src-main/core/workflows/engine';
import { tool, type Tool } from '../../src-main/core/workflows/tool';
import { startWorkflows } from '../../src-main/core/workflows/workflows-module';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1000' }, child: { type: 'string' }, url: { type: 'string' } } });
const RUNS = Number(values.runs);
const STEPS = 7;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const flow: WfTemplate = {
  id: 'server-online', name: 'Server online', params: [{ name: 'url', type: 'string', required: true }],
  steps: [
    { id: 'check_system', tool: 'b.sys', scope: 'host', inputs: {} },
    { id: 'bmc_check', tool: 'b.bmc', scope: 'host', inputs: { address: 'bmc-${host.hostname}' } },
    { id: 'cmdb_check', tool: 'b.cmdb_get', scope: 'host', inputs: { sn: '${host.sn}' } },
    { id: 'cmdb_set', tool: 'b.cmdb_set', scope: 'host', inputs: { sn: '${host.sn}', status: 'provisioning' } },
    { id: 'install_os', tool: 'b.install', scope: 'host', inputs: { power: '${steps.bmc_check.outputs.power}' } },
    { id: 'ping', tool: 'b.ping', scope: 'host', inputs: {}, poll: { intervalMs: 1, deadlineMs: 600_000 } },
    { id: 'callback', tool: 'http.callback', scope: 'host', inputs: { method: 'POST', url: '${params.url}', body: { sn: '${host.sn}', release: '${steps.install_os.outputs.release}' } } },
  ],
};

function tools(engine: () => WorkflowEngine | undefined): Tool[] {
  const sync = (name: string, input: z.ZodObject, output: Record<string, unknown>, idempotent = true) =>
    tool({ name, title: name, kind: 'sync', idempotent, input, output: z.object({ ok: z.boolean(), power: z.boolean().optional() }), run: async () => ({ status: 'done', output: output as { ok: boolean } }) }) as unknown as Tool;
  return [
    sync('b.sys', z.object({}), { ok: true }),
    sync('b.bmc', z.object({ address: z.string() }), { ok: true, power: true }),
    sync('b.cmdb_get', z.object({ sn: z.string() }), { ok: true }),
    sync('b.cmdb_set', z.object({ sn: z.string(), status: z.string() }), { ok: true }, false),
    tool({
      name: 'b.install', title: 'install', kind: 'callback', idempotent: true, input: z.object({ power: z.boolean() }), output: z.object({ release: z.string() }),
      async run(ctx) {
        // The installer calls back at once (after the step is journaled as awaiting it).
        const token = ctx.callbackUrl!.split('/').pop()!;
        setImmediate(() => engine()?.callback(token, { release: 'r2' }));
        return { status: 'pending' };
      },
    }) as unknown as Tool,
    tool({
      name: 'b.ping', title: 'ping', kind: 'poll', idempotent: true, input: z.object({}), output: z.object({ rttMs: z.number() }),
      async run(ctx) {
        return ctx.check === 0 ? { status: 'pending' } : { status: 'done', output: { rttMs: 0.2 } };
      },
    }) as unknown as Tool,
  ];
}

const hostList = Array.from({ length: RUNS }, (_, i) => ({ id: `d${String(i + 1).padStart(5, '0')}`, hostname: `srv-${i + 1}`, sn: `SN${100000 + i}` }));
const hostById = new Map(hostList.map((h) => [h.id, h]));

function start(db: Db): WorkflowEngine {
  const engine: WorkflowEngine = startWorkflows({ db, baseUrl: 'http://127.0.0.1:1', hosts: (id) => hostById.get(id), tools: tools(() => engine), maxConcurrent: 256, outbox: { concurrency: 32, backoffMs: 100 } });
  return engine;
}

const open = (db: Db) => (db.prepare("SELECT COUNT(*) AS n FROM wf_runs WHERE state IN ('running','paused')").get() as { n: number }).n;

async function child(dbPath: string, url: string): Promise<void> {
  const db = openStore(dbPath);
  const engine = start(db);
  engine.saveTemplate(flow, 'bench');
  for (const h of hostList) engine.launch('server-online', { url }, [h.id], 'bench');
  process.stdout.write('launched\n');
  await new Promise(() => {});
}

/** Calls back every step awaiting it (the installer, after a restart). */
function sweepCallbacks(db: Db, engine: WorkflowEngine): void {
  for (const r of db.prepare("SELECT callback_token FROM wf_tasks WHERE state = 'awaiting-callback'").all() as { callback_token: string }[]) {
    try { engine.callback(r.callback_token, { release: 'r2' }); } catch { /* completed meanwhile */ }
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wf-bench-'));
  let received = 0;
  const server = createServer((req, res) => { req.resume(); req.on('end', () => { received++; res.end(); }); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  try {
    // 1. 1,000 concurrent runs in this process.
    const db = openStore(path.join(dir, 'a.sqlite'));
    const engine = start(db);
    engine.saveTemplate(flow, 'bench');
    const w0 = engine.metrics().writes;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const h of hostList) engine.launch('server-online', { url }, [h.id], 'bench');
    while (open(db) > 0) await sleep(5);
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const writes = engine.metrics().writes - w0;
    const rss = process.memoryUsage().rss / 2 ** 20;
    while (received < RUNS) await sleep(5);
    const drained = performance.now() - t0;
    const succeeded = engine.runs({ state: 'succeeded', limit: 5000 }).length;
    await engine.dispose();
    db.close();
    const steps = RUNS * STEPS;

    // 2. Resume 1,000 runs after SIGKILL of the process running them.
    const dbPath = path.join(dir, 'b.sqlite');
    const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--runs', String(RUNS), '--child', dbPath, '--url', url], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((r) => proc.stdout!.on('data', (d: Buffer) => String(d).includes('launched') && r()));
    const peek = openStore(dbPath);
    const doneTasks = () => (peek.prepare("SELECT COUNT(*) AS n FROM wf_tasks WHERE state = 'succeeded'").get() as { n: number }).n;
    while (doneTasks() < steps * 0.4) await sleep(2);
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    const atKill = Object.fromEntries((peek.prepare('SELECT state, COUNT(*) AS n FROM wf_tasks GROUP BY state').all() as { state: string; n: number }[]).map((r) => [r.state, r.n]));
    const openAtKill = open(peek);
    peek.close();
    const r0 = performance.now();
    const db2 = openStore(dbPath);
    const engine2 = start(db2);
    const resumeMs = performance.now() - r0;
    const rssResumed = process.memoryUsage().rss / 2 ** 20;
    sweepCallbacks(db2, engine2);
    while (open(db2) > 0) await sleep(5);
    const finishMs = performance.now() - r0;
    const succeeded2 = engine2.runs({ state: 'succeeded', limit: 5000 }).length;
    const failed2 = engine2.runs({ state: 'failed', limit: 5000 }).length;
    await engine2.dispose();
    db2.close();

    const row = (what: string, value: string, goal = '') => console.log(`  ${what.padEnd(44)} ${value.padStart(14)}  ${goal}`);
    console.log(`workflows: ${RUNS} concurrent runs x ${STEPS} steps, instant fake tools, file journal (WAL)`);
    row('runs succeeded', `${succeeded} / ${RUNS}`);
    row('wall time, all runs', `${(wall / 1000).toFixed(2)} s`);
    row('engine overhead per step (wall / steps)', `${(wall / steps).toFixed(3)} ms`, 'goal <= 2 ms');
    row('engine CPU per step (user+sys / steps)', `${((cpu.user + cpu.system) / 1000 / steps).toFixed(3)} ms`);
    row('SQLite write statements per step', (writes / steps).toFixed(2));
    row('RSS after the runs', `${rss.toFixed(0)} MB`);
    row('outbox: all callbacks delivered after', `${(drained / 1000).toFixed(2)} s`);
    console.log(`resume after SIGKILL: ${openAtKill} open runs, tasks at the kill ${JSON.stringify(atKill)}`);
    row('time to resume (open store + start())', `${resumeMs.toFixed(0)} ms`, 'goal <= 2000 ms');
    row('RSS after resuming', `${rssResumed.toFixed(0)} MB`);
    row('resumed runs finished after', `${(finishMs / 1000).toFixed(2)} s`);
    row('resumed runs succeeded / failed (interrupted)', `${succeeded2} / ${failed2}`);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.child) await child(values.child, values.url!);
else await main();
