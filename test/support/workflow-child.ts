// A workflow engine in its own process for the crash test (test/integration/workflows): a
// 7-step per-host flow over 10 fake hosts on a file journal, killed with SIGKILL and restarted
// by the test. Usage: node --import tsx test/support/workflow-child.ts <db> <exec-log> <receiver-url>
// Every tool call appends one JSON line to <exec-log> before doing anything else, so the test
// can tell which attempt (and poll check) ran in which process. The child is also the outside
// world: its "installer" completes awaiting callbacks from their tokens in the journal (they
// survive restarts), and its "operator" retries tasks that failed as interrupted. It prints
// "ready" once started (open runs resumed) and "finished <state>" when the run is over and the
// outbox has delivered everything, then exits.
import { appendFileSync } from 'node:fs';
import { z } from 'zod';
import type { WfTemplate } from '../../src-shared/domain/workflow';
import { openStore } from '../../src-main/core/store/database';
import { tool, type Tool, type ToolContext } from '../../src-main/core/workflows/tool';
import { startWorkflows } from '../../src-main/core/workflows/workflows-module';

const [dbPath, execLog, receiverUrl] = process.argv.slice(2);
const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(t); reject(new Error('aborted')); }, { once: true });
});
const record = (name: string, ctx: ToolContext) =>
  appendFileSync(execLog, `${JSON.stringify({ pid: process.pid, step: ctx.stepId, tool: name, host: ctx.host?.id, attempt: ctx.attempt, check: ctx.check, at: Date.now() })}\n`);

function work(name: string, ms: number, idempotent: boolean): Tool {
  return tool({
    name, title: name, kind: 'sync', idempotent, input: z.object({}), output: z.object({ by: z.number() }),
    async run(ctx) {
      record(name, ctx);
      await sleep(ms, ctx.signal);
      return { status: 'done', output: { by: process.pid } };
    },
  }) as unknown as Tool;
}

function poll(name: string, checks: number): Tool {
  return tool({
    name, title: name, kind: 'poll', idempotent: true, input: z.object({}), output: z.object({ checks: z.number() }),
    async run(ctx) {
      record(name, ctx);
      const n = ((ctx.pollState as { n: number } | null)?.n ?? 0) + 1;
      return n < checks ? { status: 'pending', state: { n } } : { status: 'done', output: { checks: n } };
    },
  }) as unknown as Tool;
}

const installer = tool({
  name: 'crash.install', title: 'install', kind: 'callback', idempotent: true, input: z.object({ hostname: z.string() }), output: z.object({ release: z.string() }),
  async run(ctx) {
    record('crash.install', ctx);
    return { status: 'pending' };
  },
}) as unknown as Tool;

const template: WfTemplate = {
  id: 'crash-online', name: 'Server online (crash test)',
  params: [{ name: 'url', type: 'string', required: true }],
  steps: [
    { id: 'check_system', tool: 'crash.sys', scope: 'host', inputs: {}, fanOut: { concurrency: 4, batchSize: 10, maxFailPct: 100 } },
    { id: 'bmc_check', tool: 'crash.bmc', scope: 'host', inputs: {}, poll: { intervalMs: 120, deadlineMs: 600_000 } },
    { id: 'cmdb_check', tool: 'crash.cmdb_get', scope: 'host', inputs: {} },
    { id: 'cmdb_set', tool: 'crash.cmdb_set', scope: 'host', inputs: {}, fanOut: { concurrency: 3, batchSize: 10, maxFailPct: 100 } },
    { id: 'install_os', tool: 'crash.install', scope: 'host', inputs: { hostname: 'new-${host.hostname}' }, fanOut: { concurrency: 4, batchSize: 10, maxFailPct: 100 } },
    { id: 'ping', tool: 'crash.ping', scope: 'host', inputs: {}, poll: { intervalMs: 100, deadlineMs: 600_000 } },
    { id: 'callback', tool: 'http.callback', scope: 'host', inputs: { method: 'POST', url: '${params.url}', body: { host: '${host.id}', sn: '${host.sn}', release: '${steps.install_os.outputs.release}' } } },
  ],
};

const hosts = Array.from({ length: 10 }, (_, i) => ({ id: `h${String(i + 1).padStart(2, '0')}`, hostname: `srv-${i + 1}`, sn: `SN-${7000 + i}` }));
const db = openStore(dbPath);
const engine = startWorkflows({
  db, baseUrl: 'http://127.0.0.1:1', hosts: (id) => hosts.find((h) => h.id === id),
  tools: [work('crash.sys', 250, true), poll('crash.bmc', 3), work('crash.cmdb_get', 150, true), work('crash.cmdb_set', 300, false), installer, poll('crash.ping', 2)],
  outbox: { backoffMs: 50, maxBackoffMs: 200, timeoutMs: 2000 },
});

let runId = (db.prepare("SELECT id FROM wf_runs WHERE template_id = 'crash-online'").get() as { id: string } | undefined)?.id;
if (!runId) {
  engine.saveTemplate(template, 'test');
  runId = engine.launch('crash-online', { url: receiverUrl }, hosts.map((h) => h.id), 'test').id;
}
process.stdout.write('ready\n');

const awaiting = db.prepare<[number], { callback_token: string }>(`SELECT t.callback_token FROM wf_tasks t JOIN wf_attempts a
  ON a.run_id = t.run_id AND a.step_id = t.step_id AND a.host = t.host AND a.attempt = t.attempt
  WHERE t.state = 'awaiting-callback' AND a.started_at < ?`);
const interrupted = db.prepare<[], { run_id: string; step_id: string; host: string }>("SELECT run_id, step_id, host FROM wf_tasks WHERE state = 'failed' AND failure = 'interrupted'");
const unsent = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM wf_outbox WHERE sent_at IS NULL');

setInterval(() => {
  // The installer calls back 400 ms after the install started (a token from before a restart too).
  for (const { callback_token } of awaiting.all(Date.now() - 400)) {
    try {
      engine.callback(callback_token, { release: 'r2' });
    } catch (err) {
      process.stderr.write(`callback refused: ${(err as Error).message}\n`);
    }
  }
  // The operator retries what a restart left failed as interrupted (the non-idempotent step).
  for (const t of interrupted.all()) engine.retry(t.run_id, t.step_id, t.host, 'test-operator');
  const state = engine.summary(runId).state;
  if ((state === 'succeeded' || state === 'failed') && unsent.get()!.n === 0 && !interrupted.all().length) {
    process.stdout.write(`finished ${state}\n`);
    process.exit(0);
  }
}, 25);
