// The bounded fleet-wide SSH run over fake hosts: concurrency, streamed results, cancel.
import { describe, expect, it } from 'vitest';
import { SshCancelledError, SshConnectError } from '../../../../../src-main/core/protocols/ssh/errors';
import type { ExecResult } from '../../../../../src-main/core/protocols/ssh/exec';
import { runOnHosts, type FleetHostResult, type FleetTarget } from '../../../../../src-main/core/protocols/ssh/fleet-run';

const targets = (n: number): FleetTarget[] => Array.from({ length: n }, (_, i) => ({ id: `dev-${i}`, host: `10.1.${i >> 8}.${i & 255}`, credentialId: 'c' }));

const result = (t: FleetTarget, exitCode: number, stdout = ''): ExecResult => ({
  host: t.host, port: 22, command: 'x', exitCode, signal: null, stdout, stderr: '',
  stdoutTruncated: false, stderrTruncated: false, stdoutBytes: stdout.length, stderrBytes: 0, ms: 1,
});

/** A task whose hosts finish when the test says so; tracks how many run at once. */
function controlled() {
  let active = 0;
  let peak = 0;
  const running = new Map<string, { finish: (code: number) => void; fail: (e: Error) => void; signal: AbortSignal }>();
  const task = (t: FleetTarget, signal: AbortSignal): Promise<ExecResult> => {
    active++;
    peak = Math.max(peak, active);
    return new Promise<ExecResult>((resolve, reject) => {
      const done = (): void => {
        active--;
        running.delete(t.id!);
      };
      running.set(t.id!, {
        finish: (code) => { done(); resolve(result(t, code, t.id)); },
        fail: (e) => { done(); reject(e); },
        signal,
      });
      signal.addEventListener('abort', () => {
        if (!running.has(t.id!)) return;
        done();
        reject(new SshCancelledError(t.host, 22, 'Command'));
      }, { once: true });
    });
  };
  return { task, running, get active() { return active; }, get peak() { return peak; } };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('fleet run', () => {
  it('never has more than `concurrency` hosts in flight, and fills every slot', async () => {
    const c = controlled();
    const run = runOnHosts(targets(50), c.task, { concurrency: 7 });
    const seen: FleetHostResult[] = [];
    const consume = (async () => {
      for await (const r of run) seen.push(r);
    })();
    // Finish hosts one at a time, oldest first, checking the bound at every step.
    for (let i = 0; i < 50; i++) {
      await tick();
      expect(c.active).toBe(Math.min(7, 50 - i));
      const [, first] = [...c.running.entries()][0];
      first.finish(i % 5 === 0 ? 1 : 0);
    }
    await consume;
    expect(c.peak).toBe(7);
    expect(seen).toHaveLength(50);
    expect(new Set(seen.map((r) => r.id)).size).toBe(50);
    expect(await run.done).toMatchObject({ total: 50, ok: 40, failed: 10, errors: 0, cancelled: false });
  });

  it('streams each result as its host finishes, in finishing order, with errors as results', async () => {
    const c = controlled();
    const ts = targets(3);
    const run = runOnHosts(ts, c.task, { concurrency: 3 });
    const it = run[Symbol.asyncIterator]();
    await tick();
    c.running.get('dev-2')!.finish(0);
    const first = await it.next();
    expect(first.value).toMatchObject({ id: 'dev-2', index: 2, exitCode: 0, stdout: 'dev-2', error: null, started: true });
    c.running.get('dev-0')!.fail(new SshConnectError(ts[0].host, 22, 'ECONNREFUSED'));
    const second = await it.next();
    expect(second.value).toMatchObject({ id: 'dev-0', exitCode: null, started: true });
    expect(second.value.error).toBeInstanceOf(SshConnectError);
    c.running.get('dev-1')!.finish(3);
    expect((await it.next()).value).toMatchObject({ id: 'dev-1', exitCode: 3 });
    expect((await it.next()).done).toBe(true);
    expect(await run.done).toMatchObject({ ok: 1, failed: 1, errors: 1 });
  });

  it('cancel aborts hosts in flight and reports the rest as never started: one result per target', async () => {
    const c = controlled();
    const ac = new AbortController();
    const run = runOnHosts(targets(20), c.task, { concurrency: 4, signal: ac.signal });
    const results: FleetHostResult[] = [];
    const consume = (async () => {
      for await (const r of run) results.push(r);
    })();
    await tick();
    c.running.get('dev-0')!.finish(0);
    c.running.get('dev-1')!.finish(0);
    await tick();
    ac.abort();
    await consume;
    expect(results).toHaveLength(20);
    expect(results.filter((r) => r.error === null)).toHaveLength(2);
    const cancelled = results.filter((r) => r.error instanceof SshCancelledError);
    expect(cancelled).toHaveLength(18);
    expect(cancelled.filter((r) => r.started)).toHaveLength(4); // the ones in flight when cancelled
    expect(c.peak).toBe(4);
    expect(await run.done).toMatchObject({ total: 20, ok: 2, cancelled: true });
  });

  it('a consumer that stops iterating cancels the run', async () => {
    const c = controlled();
    const run = runOnHosts(targets(10), c.task, { concurrency: 2 });
    await tick();
    c.running.get('dev-0')!.finish(0);
    for await (const r of run) {
      expect(r.id).toBe('dev-0');
      break;
    }
    const summary = await run.done;
    expect(summary.cancelled).toBe(true);
    expect(c.active).toBe(0);
  });

  it('delivers to onResult without buffering, and survives a throwing listener', async () => {
    const c = controlled();
    const got: string[] = [];
    const run = runOnHosts(targets(5), c.task, {
      concurrency: 5,
      onResult: (r) => {
        got.push(r.id!);
        throw new Error('listener bug');
      },
    });
    expect(() => run[Symbol.asyncIterator]()).toThrow(/onResult/);
    await tick();
    for (const id of ['dev-4', 'dev-3', 'dev-2', 'dev-1', 'dev-0']) c.running.get(id)!.finish(0);
    expect((await run.done).ok).toBe(5);
    expect(got).toEqual(['dev-4', 'dev-3', 'dev-2', 'dev-1', 'dev-0']);
  });

  it('an empty target list finishes at once', async () => {
    const run = runOnHosts([], controlled().task);
    const all = [];
    for await (const r of run) all.push(r);
    expect(all).toEqual([]);
    expect(await run.done).toMatchObject({ total: 0, ok: 0 });
  });
});
