// Workflow engine benchmark with REAL tools on the lab fleet (printed, not asserted): issue 12's
// figures as test/bench/workflows.ts prints them for instant fake tools, here for 1,000
// concurrent runs (one lab server each) of a 7-step read-only flow: cmdb.check, bmc.status
// (IPMI to the server's lab BMC), system.check (SSH on the lab's SSH hosts, "no OS answering"
// on the rest), bmc.status again, host.ping (TCP to the SSH port), cmdb.check again, and
// http.callback through the outbox to a receiver on 127.0.0.1. The lab (3,000 devices; its servers
// with a BMC) runs as this process's child; the core's workflow part (workflows-lab-core.ts: the
// store on a file journal, BMC service with no sensor sweep, SSH pool, provisioning tools,
// workflows capability, api; no SNMP poller) has every tool's run() timed. The template is
// saved by an admin and the runs launched by an operator through the api.
// Engine overhead per step is measured against a tools-only baseline: the same tool calls on
// the same hosts at the same concurrency (the engine's maxConcurrent), with no engine
// (toolsOnly); overhead = (engine pass - baseline pass) / steps, as CPU (user+sys of this
// process; the lab is another process) and as wall time. The baseline runs before (cold: BMC
// logins, SSH connects) and after the engine pass; the one after is the one compared (warm
// like the engine pass). Then the resume part: a child process runs 1,000 more runs (other
// servers) on its own journal and is SIGKILLed at 40 % of the steps; this process reopens the
// journal and starts the engine (time to resume) and waits for the runs to finish.
// Last, test/bench/workflows.ts runs as a child at the same run count and its figures are printed
// beside these (--no-instant skips it).
// Usage: node --import tsx test/bench/workflows-lab.ts [--runs 1000] [--max-concurrent 64] [--no-instant]
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CallContext } from '../../src-shared/api';
import type { Device } from '../../src-shared/domain';
import { startLab, type LabLink } from '../../src-main/core/lab-link/lab-link';
import { openStore } from '../../src-main/core/store/database';
import { LAB_FLOW, LAB_FLOW_STEPS, pingOf, seedLabStore, startBenchCore, ToolClock, toolsOnly, type BenchCore } from './workflows-lab-core';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '1000' }, 'max-concurrent': { type: 'string', default: '64' }, 'no-instant': { type: 'boolean', default: false }, child: { type: 'string' }, url: { type: 'string' }, hosts: { type: 'string' } },
});
const RUNS = Number(values.runs);
const MAX_CONCURRENT = Number(values['max-concurrent']);
const STEPS = LAB_FLOW_STEPS;
const LAB_ENTRY = fileURLToPath(new URL('../../src-main/lab/lab-process.ts', import.meta.url));
const admin: CallContext = { actor: 'ada-admin', role: 'admin' };
const operator: CallContext = { actor: 'oscar-noc', role: 'operator' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

async function launchAll(core: BenchCore, hosts: readonly Device[], url: string): Promise<void> {
  await core.api.call(admin, 'workflows.saveTemplate', { template: { ...LAB_FLOW } });
  for (const d of hosts) await core.api.call(operator, 'workflows.launch', { templateId: LAB_FLOW.id, params: { url, ping: pingOf(d) }, deviceIds: [d.id] });
}

async function untilDone(core: BenchCore): Promise<void> {
  while (core.engine.metrics().openRuns > 0) await sleep(10);
}

function outcome(core: BenchCore): { succeeded: number; failed: number; firstError: string } {
  const runs = core.engine.runs({ templateId: LAB_FLOW.id, limit: 5000 });
  const failed = runs.filter((r) => r.state === 'failed');
  let firstError = '';
  if (failed[0]) firstError = core.engine.run(failed[0].id).tasks.find((t) => t.state === 'failed')?.error ?? '?';
  return { succeeded: runs.filter((r) => r.state === 'succeeded').length, failed: failed.length, firstError };
}

/** The resume part's child: the same core on its own journal, launching every host, until SIGKILL. */
async function child(dbPath: string, url: string, hostIds: string[]): Promise<void> {
  const core = startBenchCore({ storePath: dbPath, secretKey: Buffer.from(process.env.WF_LAB_BENCH_KEY!, 'hex'), clock: new ToolClock(), maxConcurrent: MAX_CONCURRENT });
  const hosts = hostIds.map((id) => core.store.inventory.device(id)!);
  await launchAll(core, hosts, url);
  process.stdout.write('launched\n');
  await new Promise(() => {});
}

interface Figures {
  overheadCpu: number;
  overheadWall: number;
  writes: number;
  rss: number;
  resumeMs: number;
  finishS: number;
  rssResumed: number;
}

async function main(): Promise<Figures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wf-lab-bench-'));
  const keys = new Map<string, number>();
  const server = createServer((req, res) => {
    const key = String(req.headers['idempotency-key'] ?? '');
    req.resume();
    req.on('end', () => {
      keys.set(key, (keys.get(key) ?? 0) + 1);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const flowKeys = () => [...keys.keys()].filter((k) => !k.startsWith('baseline/'));
  const secretKey = randomBytes(32);
  let lab: LabLink | null = null;
  let proc: ChildProcess | null = null;
  try {
    lab = await startLab({ entry: LAB_ENTRY, seed: 1, addressPrefix: '127.63', snmpPort: 16863, loopback: 'aliases' }, () => {});
    const servers = lab.inventory.devices.filter((d) => d.kind === 'server' && d.bmcAddress && d.ipmiCredential);
    const setA = servers.slice(0, RUNS);
    const setB = servers.length >= 2 * RUNS ? servers.slice(RUNS, 2 * RUNS) : setA;
    console.log(`lab: ${lab.inventory.devices.length} devices, ${servers.length} servers with a BMC, up in ${lab.startMs} ms; runs: ${RUNS}, ${setA.filter((d) => d.sshCredential).length} of them on SSH hosts; maxConcurrent ${MAX_CONCURRENT}`);
    const steps = RUNS * STEPS;

    // 1. Baseline (cold), 1,000 concurrent runs through the engine, baseline (warm): one core, one journal.
    const dbA = path.join(dir, 'a.sqlite');
    seedLabStore(dbA, secretKey, lab);
    const clock = new ToolClock();
    const core = startBenchCore({ storePath: dbA, secretKey, clock, maxConcurrent: MAX_CONCURRENT });
    const pass = async <T>(what: () => Promise<T>) => {
      clock.reset();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await what();
      const wall = performance.now() - t0;
      const c = process.cpuUsage(cpu0);
      return { r, wall, cpu: (c.user + c.system) / 1000, toolMs: clock.ms, toolCalls: clock.calls, byTool: new Map(clock.byTool) };
    };
    const cold = await pass(() => toolsOnly(core.tools, setA, url, MAX_CONCURRENT));
    const w0 = core.engine.metrics().writes;
    const eng = await pass(async () => {
      await launchAll(core, setA, url);
      await untilDone(core);
    });
    const writes = core.engine.metrics().writes - w0;
    const rss = rssMb();
    const t1 = performance.now();
    while (flowKeys().length < RUNS && performance.now() - t1 < 30_000) await sleep(10);
    const drainedMs = eng.wall + performance.now() - t1;
    const resA = outcome(core);
    const warm = await pass(() => toolsOnly(core.tools, setA, url, MAX_CONCURRENT));
    const sentTwice = flowKeys().filter((k) => keys.get(k)! > 1).length;
    const deliveredA = flowKeys().length;
    await core.dispose();

    // 2. Resume after SIGKILL: a child runs 1,000 runs on other servers; this process resumes them.
    const dbB = path.join(dir, 'b.sqlite');
    seedLabStore(dbB, secretKey, lab);
    proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--runs', String(RUNS), '--max-concurrent', String(MAX_CONCURRENT), '--child', dbB, '--url', url, '--hosts', setB.map((d) => d.id).join(',')], {
      stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, WF_LAB_BENCH_KEY: secretKey.toString('hex') },
    });
    let childExited = false;
    const exited = new Promise<void>((r) => proc!.once('exit', () => {
      childExited = true;
      r();
    }));
    await new Promise<void>((r, reject) => {
      proc!.stdout!.on('data', (d: Buffer) => String(d).includes('launched') && r());
      void exited.then(() => reject(new Error('the child exited before launching')));
    });
    const peek = openStore(dbB);
    const doneTasks = () => (peek.prepare("SELECT COUNT(*) AS n FROM wf_tasks WHERE state = 'succeeded'").get() as { n: number }).n;
    const openRuns = () => (peek.prepare("SELECT COUNT(*) AS n FROM wf_runs WHERE state IN ('running','paused')").get() as { n: number }).n;
    while (doneTasks() < steps * 0.4 && !childExited) await sleep(5);
    proc.kill('SIGKILL');
    await exited;
    const atKill = Object.fromEntries((peek.prepare('SELECT state, COUNT(*) AS n FROM wf_tasks GROUP BY state').all() as { state: string; n: number }[]).map((r) => [r.state, r.n]));
    const openAtKill = openRuns();
    peek.close();
    const clock2 = new ToolClock();
    const r0 = performance.now();
    const core2 = startBenchCore({ storePath: dbB, secretKey, clock: clock2, maxConcurrent: MAX_CONCURRENT });
    const resumeMs = performance.now() - r0;
    const rssResumed = rssMb();
    await untilDone(core2);
    const finishMs = performance.now() - r0;
    const resB = outcome(core2);
    const t2 = performance.now();
    while (flowKeys().length < deliveredA + RUNS && performance.now() - t2 < 30_000) await sleep(10);
    const sentTwiceB = flowKeys().filter((k) => keys.get(k)! > 1).length - sentTwice;
    const deliveredB = flowKeys().length - deliveredA;
    const toolCallsResumed = clock2.calls;
    await core2.dispose();

    const row = (what: string, value: string, goal = '') => console.log(`  ${what.padEnd(52)} ${value.padStart(16)}  ${goal}`);
    const ms = (x: number, d = 3) => `${x.toFixed(d)} ms`;
    console.log(`\nworkflows-lab: ${RUNS} concurrent runs x ${STEPS} steps, real tools on the lab, file journal (WAL), maxConcurrent ${MAX_CONCURRENT}`);
    row('runs succeeded / failed', `${resA.succeeded} / ${resA.failed}`, resA.firstError && `first error: ${resA.firstError}`);
    row('wall time, all runs (launch to last run done)', `${(eng.wall / 1000).toFixed(2)} s`);
    row('tool calls / tool run() time summed', `${eng.toolCalls} / ${(eng.toolMs / 1000).toFixed(1)} s`, `(${(eng.toolMs / eng.wall).toFixed(1)} calls in flight on average)`);
    row('core CPU (user+sys) per step, engine pass', ms(eng.cpu / steps));
    row('core CPU per step, tools only (warm; cold)', `${ms(warm.cpu / steps)}; ${ms(cold.cpu / steps, 2)}`);
    row('engine overhead per step, CPU (engine - warm) / steps', ms((eng.cpu - warm.cpu) / steps), 'goal <= 2 ms');
    row('engine overhead per step, wall (engine - warm) / steps', ms((eng.wall - warm.wall) / steps), `(wall: engine ${(eng.wall / 1000).toFixed(2)} s, tools only ${(warm.wall / 1000).toFixed(2)} s warm, ${(cold.wall / 1000).toFixed(2)} s cold)`);
    row('baseline failures (warm; cold)', `${warm.r.failed}; ${cold.r.failed}`, warm.r.firstError ?? cold.r.firstError ?? '');
    row('SQLite write statements per step (journal)', (writes / steps).toFixed(2));
    row('core RSS after the runs', `${rss.toFixed(0)} MB`);
    row('outbox: all callbacks delivered after', `${(drainedMs / 1000).toFixed(2)} s`, `${deliveredA} keys, ${sentTwice} sent twice`);
    console.log('  tool run() time per call, engine pass: ' + [...eng.byTool].map(([n, b]) => `${n} ${(b.ms / b.calls).toFixed(1)} ms x${b.calls}`).join(', '));
    console.log(`resume after SIGKILL: ${openAtKill} open runs, tasks at the kill ${JSON.stringify(atKill)}`);
    row('time to resume (open store + core start)', ms(resumeMs, 0), 'goal <= 2000 ms');
    row('  of which the engine start (journal read, resume)', ms(core2.engineStartMs, 0));
    row('core RSS after resuming', `${rssResumed.toFixed(0)} MB`);
    row('resumed runs finished after', `${(finishMs / 1000).toFixed(2)} s`, `${toolCallsResumed} tool calls after the restart`);
    row('resumed runs succeeded / failed', `${resB.succeeded} / ${resB.failed}`, resB.firstError && `first error: ${resB.firstError}`);
    row('callbacks of the resumed part delivered / sent twice', `${deliveredB} / ${sentTwiceB}`);
    return { overheadCpu: (eng.cpu - warm.cpu) / steps, overheadWall: (eng.wall - warm.wall) / steps, writes: writes / steps, rss, resumeMs, finishS: finishMs / 1000, rssResumed };
  } finally {
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    server.close();
    await lab?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** test/bench/workflows.ts (instant fake tools) at the same run count, as a child; its figures by label. */
async function instant(): Promise<Map<string, number>> {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./workflows.ts', import.meta.url)), '--runs', String(RUNS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += String(d)));
  await new Promise((r) => proc.once('exit', r));
  const figures = new Map<string, number>();
  for (const m of out.matchAll(/^ {2}(\S.*?\S)\s{2,}(\d[\d.]*) ?(?:ms|s|MB)?\b/gm)) figures.set(m[1], Number(m[2]));
  return figures;
}

if (values.child) await child(values.child, values.url!, values.hosts!.split(','));
else {
  const lab = await main();
  if (!values['no-instant']) {
    const fast = await instant();
    const f = (label: string, d: number) => (fast.has(label) ? fast.get(label)!.toFixed(d) : '?');
    const line = (what: string, a: string, b: string, goal = '') => console.log(`  ${what.padEnd(40)} ${a.padStart(14)} ${b.padStart(16)}  ${goal}`);
    console.log(`\nbeside test/bench/workflows.ts (instant fake tools, maxConcurrent 256, same run count):`);
    line('', 'lab, real tools', 'instant tools');
    line('engine overhead per step, CPU', `${lab.overheadCpu.toFixed(3)} ms`, `${f('engine CPU per step (user+sys / steps)', 3)} ms`, 'goal <= 2 ms');
    line('engine overhead per step, wall', `${lab.overheadWall.toFixed(3)} ms`, `${f('engine overhead per step (wall / steps)', 3)} ms`, 'goal <= 2 ms');
    line('SQLite write statements per step', lab.writes.toFixed(2), f('SQLite write statements per step', 2));
    line('core RSS after the runs', `${lab.rss.toFixed(0)} MB`, `${f('RSS after the runs', 0)} MB`);
    line('time to resume after SIGKILL', `${lab.resumeMs.toFixed(0)} ms`, `${f('time to resume (open store + start())', 0)} ms`, 'goal <= 2000 ms');
    line('resumed runs finished after', `${lab.finishS.toFixed(2)} s`, `${f('resumed runs finished after', 2)} s`);
    line('core RSS after resuming', `${lab.rssResumed.toFixed(0)} MB`, `${f('RSS after resuming', 0)} MB`);
  }
}
