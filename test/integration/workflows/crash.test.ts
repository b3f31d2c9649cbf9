// kill -9 at 20 points of a 7-step per-host run over 10 hosts (test/support/workflow-child.ts):
// the kills are spread by progress (18 at random levels of done tasks 0..69, and kills 3 and 4
// whenever the non-idempotent cmdb_set is in flight), the child is restarted after each, and at the end: the run finished
// with every host done; no attempt ran twice and nothing ran after its step succeeded (the
// tools' execution log says which attempt ran in which process); interrupted non-idempotent
// attempts failed as interrupted and were retried by the operator, interrupted idempotent ones
// re-ran; the receiver (a real HTTP server here, slow and failing 1 in 4) saw exactly one
// Idempotency-Key per host and identical bytes for every delivery of a key.
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CHILD = path.join(root, 'test/support/workflow-child.ts');
const KILLS = 20;
const TASKS = 70;
const dir = mkdtempSync(path.join(tmpdir(), 'wf-crash-'));
const dbPath = path.join(dir, 'journal.sqlite');
const execLog = path.join(dir, 'exec.log');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A seeded generator (mulberry32), so a failing run can be replayed by its seed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Child { proc: ChildProcess; ready: Promise<void>; finished: Promise<string>; exited: Promise<number | null> }

function startChild(url: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, execLog, url], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let onReady: () => void = () => {};
  let onFinished: (s: string) => void = () => {};
  const ready = new Promise<void>((r) => (onReady = r));
  const finished = new Promise<string>((r) => (onFinished = r));
  proc.stdout!.on('data', (d: Buffer) => {
    out += String(d);
    if (out.includes('ready\n')) onReady();
    const m = /finished (\w+)\n/.exec(out);
    if (m) onFinished(m[1]);
  });
  proc.stderr!.on('data', () => {});
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, ready, finished, exited };
}

describe('workflow engine under kill -9', () => {
  it('resumes 20 times and finishes with nothing run twice and one callback per host', async () => {
    const seed = Number(process.env.WF_CRASH_SEED ?? Date.now() % 100_000);
    const rand = rng(seed);
    const deliveries: { key: string; method: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        deliveries.push({ key: String(req.headers['idempotency-key']), method: req.method!, body });
        // Slow (a kill can land between the delivery and its being marked sent) and failing 1 in 4.
        setTimeout(() => {
          res.statusCode = rand() < 0.25 ? 503 : 200;
          res.end();
        }, 100);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

    // Kill points: distinct progress levels (done tasks), sorted; kills 3 and 4 wait for cmdb_set to be in flight instead.
    const levels = new Set<number>();
    while (levels.size < KILLS) levels.add(Math.floor(rand() * (TASKS - 1)));
    const targets = [...levels].sort((a, b) => a - b);
    const kills: { done: number; cmdbInFlight: boolean }[] = [];
    const readers: Database.Database[] = [];
    const progress = () => {
      if (!readers.length) readers.push(new Database(dbPath, { readonly: true, fileMustExist: true }));
      const r = readers[0].prepare("SELECT SUM(state = 'succeeded') AS done, SUM(step_id = 'cmdb_set' AND state = 'running') AS cmdb FROM wf_tasks").get() as { done: number | null; cmdb: number | null };
      return { done: r.done ?? 0, cmdb: (r.cmdb ?? 0) > 0 };
    };

    try {
      for (let k = 0; k < KILLS; k++) {
        const child = startChild(url);
        await Promise.race([child.ready, child.exited]);
        const wantCmdb = k === 2 || k === 3;
        for (let i = 0; i < 2000; i++) {
          const p = progress();
          if (wantCmdb ? p.cmdb : p.done >= targets[k]) break;
          await sleep(5);
        }
        if (!wantCmdb) await sleep(Math.floor(rand() * 80));
        const at = progress();
        expect(child.proc.exitCode, `the child ended by itself before kill ${k + 1} (seed ${seed})`).toBeNull();
        process.kill(child.proc.pid!, 'SIGKILL');
        await child.exited;
        kills.push({ done: at.done, cmdbInFlight: at.cmdb });
      }
      const last = startChild(url);
      const state = await Promise.race([last.finished, sleep(30_000).then(() => 'timeout')]);
      await last.exited;
      expect(state, `seed ${seed}`).toBe('succeeded');
    } finally {
      for (const r of readers) r.close();
      await new Promise<void>((r) => server.close(() => r()));
    }

    const db = new Database(dbPath, { readonly: true });
    const run = db.prepare('SELECT id, state FROM wf_runs').get() as { id: string; state: string };
    const tasks = db.prepare('SELECT step_id, host, state, attempt FROM wf_tasks WHERE run_id = ?').all(run.id) as { step_id: string; host: string; state: string; attempt: number }[];
    const attempts = db.prepare('SELECT step_id, host, attempt, state, failure, error, by FROM wf_attempts WHERE run_id = ? ORDER BY step_id, host, attempt').all(run.id) as { step_id: string; host: string; attempt: number; state: string; failure: string | null; error: string | null; by: string }[];
    const outbox = db.prepare('SELECT idempotency_key, sent_at FROM wf_outbox').all() as { idempotency_key: string; sent_at: number | null }[];
    db.close();
    const execs = readFileSync(execLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { pid: number; step: string; host: string; attempt: number; check: number });

    const why = `seed ${seed}, kills at done=${kills.map((k) => k.done).join(',')}`;
    // Every kill landed mid-run (the child exits only when the run is over and the outbox delivered); every host went through every step.
    expect(kills[2].cmdbInFlight && kills[3].cmdbInFlight, `cmdb_set was in flight at kills 3 and 4 (${why})`).toBe(true);
    expect(run.state).toBe('succeeded');
    expect(tasks).toHaveLength(TASKS);
    expect(tasks.filter((t) => t.state !== 'succeeded')).toEqual([]);

    const polls = new Set(['bmc_check', 'ping']);
    for (const t of tasks) {
      // http.callback is the engine's own tool (no execution log); its once-ness is the receiver's to judge, below.
      if (t.step_id === 'callback') continue;
      const mine = execs.filter((e) => e.step === t.step_id && e.host === t.host);
      // Nothing ran after the attempt that succeeded; that attempt ran (at least one check of a poll).
      expect(mine.filter((e) => e.attempt > t.attempt), `${t.step_id}@${t.host} ran after it succeeded (${why})`).toEqual([]);
      expect(mine.some((e) => e.attempt === t.attempt), `${t.step_id}@${t.host}: its succeeded attempt ${t.attempt} left no execution line (${why}): ${JSON.stringify(mine)}`).toBe(true);
      // No attempt ran twice (a re-run is always a new attempt); a poll check may repeat only if the process died during it.
      const seen = new Map<string, number>();
      for (const e of mine) {
        const key = polls.has(t.step_id) ? `${e.attempt}/${e.check}/${e.pid}` : String(e.attempt);
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      expect([...seen.values()].every((n) => n === 1), `${t.step_id}@${t.host} ran an attempt twice (${why}): ${JSON.stringify(mine)}`).toBe(true);
    }

    // Failed attempts are only interruptions; the non-idempotent step's were retried by the operator, the others re-ran.
    const failed = attempts.filter((a) => a.state === 'failed');
    expect(failed.filter((a) => a.failure !== 'interrupted'), why).toEqual([]);
    const cmdbInterrupted = failed.filter((a) => a.step_id === 'cmdb_set');
    expect(cmdbInterrupted.length, why).toBeGreaterThanOrEqual(1);
    for (const a of cmdbInterrupted) {
      expect(a.error).toMatch(/is not idempotent, so it is not run again/);
      expect(attempts.find((b) => b.step_id === a.step_id && b.host === a.host && b.attempt === a.attempt + 1)?.by).toBe('test-operator');
    }
    for (const a of failed.filter((x) => x.step_id !== 'cmdb_set')) expect(a.error).toMatch(/it is run again/);

    // One Idempotency-Key per host, every delivery of a key identical, all marked sent.
    const keys = new Set(deliveries.map((d) => d.key));
    expect([...keys].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `${run.id}/callback/h${String(i + 1).padStart(2, '0')}`));
    for (const key of keys) expect(new Set(deliveries.filter((d) => d.key === key).map((d) => `${d.method} ${d.body}`)).size).toBe(1);
    expect(outbox.filter((o) => o.sent_at === null)).toEqual([]);
    console.log(`crash test (seed ${seed}): ${KILLS} kills at done=${kills.map((k) => k.done).join(',')}; ${failed.length} interrupted attempts (${cmdbInterrupted.length} of cmdb_set); ${execs.length} tool calls; ${deliveries.length} deliveries for ${keys.size} keys`);
  }, 120_000);
});
