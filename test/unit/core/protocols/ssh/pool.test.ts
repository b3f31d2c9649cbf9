// The SSH connection pool over fake connections: reuse, idle limits, session caps, shared connects.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SshConnection, SshTarget } from '../../../../../src-main/core/protocols/ssh/connection';
import { SshCancelledError, SshConnectError, SshPoolClosedError } from '../../../../../src-main/core/protocols/ssh/errors';
import { MemoryHostKeyStore } from '../../../../../src-main/core/protocols/ssh/known-hosts';
import { createSshPool, type SshPoolOptions } from '../../../../../src-main/core/protocols/ssh/pool';

/** A connection that only knows how to close: the pool never looks further. */
class FakeConnection implements SshConnection {
  readonly hostKeyFingerprint = 'SHA256:fake';
  closed = false;
  #listeners: Array<(err: Error | null) => void> = [];
  constructor(readonly host: string, readonly port: number) {}
  exec(): never {
    throw new Error('not in this test');
  }
  sftp(): never {
    throw new Error('not in this test');
  }
  onClose(l: (err: Error | null) => void): void {
    this.#listeners.push(l);
  }
  /** The peer went away. */
  drop(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.#listeners.splice(0)) l(new Error('reset'));
  }
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      for (const l of this.#listeners.splice(0)) l(null);
    }
    return Promise.resolve();
  }
}

function setup(over: Partial<SshPoolOptions> = {}) {
  const opened: FakeConnection[] = [];
  let failNext: Error | null = null;
  let gate: Promise<void> = Promise.resolve();
  const connect = vi.fn(async (t: SshTarget) => {
    await gate;
    if (failNext) {
      const e = failNext;
      failNext = null;
      throw e;
    }
    const c = new FakeConnection(t.host, t.port ?? 22);
    opened.push(c);
    return c;
  });
  const pool = createSshPool({
    hostKeys: new MemoryHostKeyStore(),
    credentials: () => ({ username: 'u', password: 'p' }),
    idleTimeoutMs: 10_000,
    maxSessionsPerConnection: 2,
    maxConnectionsPerHost: 2,
    connect,
    ...over,
  });
  return {
    pool, opened, connect,
    failNextWith: (e: Error) => void (failNext = e),
    hold: () => {
      let open!: () => void;
      gate = new Promise((r) => (open = r));
      return () => {
        gate = Promise.resolve();
        open();
      };
    },
  };
}

const A: SshTarget = { host: '10.0.0.1', credentialId: 'c' };
const B: SshTarget = { host: '10.0.0.2', port: 2222, credentialId: 'c' };

afterEach(() => {
  vi.useRealTimers();
});

describe('SSH connection pool', () => {
  it('reuses one connection per host and closes it after the idle timeout, not before', async () => {
    vi.useFakeTimers();
    const { pool, opened, connect } = setup();
    const l1 = await pool.acquire(A);
    l1.release();
    const l2 = await pool.acquire(A);
    expect(l2.connection).toBe(l1.connection);
    expect(connect).toHaveBeenCalledTimes(1);
    l2.release();
    expect(pool.stats()).toMatchObject({ connections: 1, idle: 1, sessions: 0 });

    await vi.advanceTimersByTimeAsync(9_999);
    expect(opened[0].closed).toBe(false);
    // Use inside the idle window restarts the clock.
    (await pool.acquire(A)).release();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(opened[0].closed).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(opened[0].closed).toBe(true);
    expect(pool.stats()).toMatchObject({ hosts: 0, connections: 0 });

    // The next use opens a fresh connection.
    const l3 = await pool.acquire(A);
    expect(connect).toHaveBeenCalledTimes(2);
    expect(l3.connection).not.toBe(l1.connection);
    l3.release();
    await pool.dispose();
  });

  it('keeps at most maxIdleConnections idle across hosts, closing the longest idle first', async () => {
    const { pool, opened } = setup({ maxIdleConnections: 2 });
    const host = (n: number): SshTarget => ({ host: `10.0.1.${n}`, credentialId: 'c' });
    const busy = await pool.acquire(host(9)); // a connection in use never counts, nor is closed
    for (const n of [1, 2, 3]) (await pool.acquire(host(n))).release();
    const byHost = (n: number) => opened.find((c) => c.host === `10.0.1.${n}`)!;
    expect(byHost(1).closed).toBe(true);
    expect([byHost(2).closed, byHost(3).closed, byHost(9).closed]).toEqual([false, false, false]);
    expect(pool.stats()).toMatchObject({ connections: 3, idle: 2, sessions: 1 });
    // Using host 2 again makes host 3 the longest idle: the next idle connection evicts it.
    (await pool.acquire(host(2))).release();
    (await pool.acquire(host(4))).release();
    expect([byHost(2).closed, byHost(3).closed, byHost(4).closed]).toEqual([false, true, false]);
    busy.release();
    expect(byHost(2).closed).toBe(true);
    expect(pool.stats()).toMatchObject({ connections: 2, idle: 2 });
    await pool.dispose();
  });

  it('never closes a connection that still carries a session', async () => {
    vi.useFakeTimers();
    const { pool, opened } = setup({ idleTimeoutMs: 100 });
    const busy = await pool.acquire(A);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(opened[0].closed).toBe(false);
    busy.release();
    await vi.advanceTimersByTimeAsync(101);
    expect(opened[0].closed).toBe(true);
    await pool.dispose();
  });

  it('caps sessions per connection and connections per host; the rest wait their turn', async () => {
    const { pool, connect } = setup();
    const leases = await Promise.all([pool.acquire(A), pool.acquire(A), pool.acquire(A), pool.acquire(A)]);
    expect(connect).toHaveBeenCalledTimes(2); // 2 sessions on each of 2 connections
    expect(new Set(leases.map((l) => l.connection)).size).toBe(2);
    let fifth = false;
    const waiting = pool.acquire(A).then((l) => {
      fifth = true;
      return l;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(fifth).toBe(false);
    expect(pool.stats()).toMatchObject({ connections: 2, sessions: 4, waiting: 1 });
    leases[2].release();
    const l5 = await waiting;
    expect(l5.connection).toBe(leases[2].connection);
    expect(connect).toHaveBeenCalledTimes(2);
    // Another host is not held up by A's queue.
    (await pool.acquire(B)).release();
    expect(connect).toHaveBeenCalledTimes(3);
    for (const l of [...leases, l5]) l.release();
    await pool.dispose();
  });

  it('shares one connect between callers that arrive while it is in progress', async () => {
    const { pool, connect, hold } = setup({ maxConnectionsPerHost: 1 });
    const open = hold();
    const both = Promise.all([pool.acquire(A), pool.acquire(A)]);
    await new Promise((r) => setTimeout(r, 5));
    expect(pool.stats()).toMatchObject({ connecting: 1, sessions: 2 });
    open();
    const [x, y] = await both;
    expect(x.connection).toBe(y.connection);
    expect(connect).toHaveBeenCalledTimes(1);
    x.release();
    y.release();
    await pool.dispose();
  });

  it('a failed connect fails everyone waiting for that host, and the next caller tries again', async () => {
    const { pool, connect, failNextWith, hold } = setup({ maxConnectionsPerHost: 1, maxSessionsPerConnection: 1 });
    const open = hold();
    failNextWith(new SshConnectError(A.host, 22, 'ECONNREFUSED'));
    const calls = [pool.acquire(A), pool.acquire(A), pool.acquire(A)];
    open();
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const s of settled) expect((s as PromiseRejectedResult).reason).toBeInstanceOf(SshConnectError);
    expect(connect).toHaveBeenCalledTimes(1);
    expect(pool.stats()).toMatchObject({ hosts: 0, connections: 0, waiting: 0 });
    (await pool.acquire(A)).release();
    expect(connect).toHaveBeenCalledTimes(2);
    await pool.dispose();
  });

  it('drops a connection the peer closed and opens a new one for the next caller', async () => {
    const { pool, opened, connect } = setup();
    const l = await pool.acquire(A);
    l.release();
    opened[0].drop();
    expect(pool.stats().connections).toBe(0);
    const l2 = await pool.acquire(A);
    expect(l2.connection).toBe(opened[1]);
    expect(connect).toHaveBeenCalledTimes(2);
    l2.release();
    await pool.dispose();
  });

  it('a broken lease retires its connection once its other sessions end', async () => {
    const { pool, opened } = setup();
    const a = await pool.acquire(A);
    const b = await pool.acquire(A);
    expect(b.connection).toBe(a.connection);
    a.release({ broken: true });
    expect(opened[0].closed).toBe(false); // b still runs on it
    const c = await pool.acquire(A);
    expect(c.connection).not.toBe(a.connection); // but nothing new goes there
    b.release();
    expect(opened[0].closed).toBe(true);
    c.release();
    await pool.dispose();
  });

  it('a waiter can give up, and dispose closes everything and refuses new work', async () => {
    const { pool, opened } = setup({ maxConnectionsPerHost: 1, maxSessionsPerConnection: 1 });
    const held = await pool.acquire(A);
    const ac = new AbortController();
    const waiting = pool.acquire(A, { signal: ac.signal });
    ac.abort();
    await expect(waiting).rejects.toBeInstanceOf(SshCancelledError);
    const other = pool.acquire(A);
    await pool.dispose();
    await expect(other).rejects.toBeInstanceOf(SshPoolClosedError);
    expect(opened.every((c) => c.closed)).toBe(true);
    held.release(); // late release after dispose is harmless
    await expect(pool.acquire(A)).rejects.toBeInstanceOf(SshPoolClosedError);
    expect(pool.stats()).toMatchObject({ hosts: 0, connections: 0 });
  });

  it('use() runs again on a fresh connection when a reused one turns out dead, only then, only once', async () => {
    const { pool, opened } = setup();
    (await pool.acquire(A)).release();
    const dead = (c: SshConnection): never => {
      (c as FakeConnection).closed = true; // what exec finds when the host rebooted while we idled
      throw new SshConnectError(A.host, 22, 'the connection is closed');
    };
    const seen: SshConnection[] = [];
    await expect(pool.use(A, async (c) => {
      seen.push(c);
      return seen.length === 1 ? dead(c) : 'ran';
    })).resolves.toBe('ran');
    expect(seen).toEqual([opened[0], opened[1]]);
    // A fresh connection that dies is not retried (nothing says the host is back), nor is a second death.
    await pool.closeHost(A.host);
    await expect(pool.use(A, async (c) => dead(c))).rejects.toBeInstanceOf(SshConnectError);
    (await pool.acquire(A)).release();
    let calls = 0;
    await expect(pool.use(A, async (c) => {
      calls++;
      return dead(c);
    })).rejects.toBeInstanceOf(SshConnectError);
    expect(calls).toBe(2);
    await pool.dispose();
  });

  it('use() releases on success and on failure', async () => {
    const { pool } = setup();
    await expect(pool.use(A, async () => 7)).resolves.toBe(7);
    await expect(pool.use(A, async () => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(pool.stats()).toMatchObject({ sessions: 0, connections: 1, idle: 1 });
    await pool.dispose();
  });
});
