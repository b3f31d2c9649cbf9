// Connections per host, shared and reused: an SSH handshake costs far more than a channel,
// so "run this on 500 hosts" twice should not pay it twice. A host gets up to
// maxConnectionsPerHost connections, each carrying up to maxSessionsPerConnection channels
// at once (sshd's MaxSessions is 10); callers beyond that wait in a queue. A connection
// with no session for idleTimeoutMs is closed. A failed connect rejects everyone waiting
// for that host: a host that is down fails fast, not once per queued caller.
import { SshCancelledError, SshConnectError, SshPoolClosedError } from './errors';
import { connectSsh, DEFAULT_SSH_PORT, type SshConnectOptions, type SshConnection, type SshTarget } from './connection';
import type { AsyncDisposable } from '../../../../src-shared/lifecycle';

export interface SshPoolOptions extends SshConnectOptions {
  /** Close a connection after it carried no session for this long. Default 30 s. */
  idleTimeoutMs?: number;
  /** Channels open at once on one connection. Default 8. */
  maxSessionsPerConnection?: number;
  /** Connections to one host (and credential) at once. Default 2. */
  maxConnectionsPerHost?: number;
  /**
   * Idle connections kept across all hosts (a run on 5,000 hosts must not leave 5,000 open
   * for the idle timeout): past this, the longest idle is closed. Default 256.
   */
  maxIdleConnections?: number;
  /** Opens a connection; replaceable so tests can count and fake them. Default connectSsh. */
  connect?: (target: SshTarget, opts: SshConnectOptions, signal?: AbortSignal) => Promise<SshConnection>;
}

export interface SshLease {
  readonly connection: SshConnection;
  /** The connection carried sessions before this one (it may have died since, unnoticed). */
  readonly reused: boolean;
  /**
   * Gives the sessions back. `broken`: something on this connection may be wedged (a timed
   * out or cancelled command); it takes no new sessions and closes once the others finish.
   */
  release(opts?: { broken?: boolean }): void;
}

export interface SshPoolStats {
  hosts: number;
  connections: number;
  connecting: number;
  idle: number;
  sessions: number;
  waiting: number;
}

export interface SshPool extends AsyncDisposable {
  /** Reserves `sessions` channels (default 1) on a connection to the target. */
  acquire(target: SshTarget, opts?: { signal?: AbortSignal; sessions?: number }): Promise<SshLease>;
  /**
   * Runs fn with a lease and releases it after, marking it broken if fn threw one of
   * `brokenOn`. When fn fails with SshConnectError because a reused connection had died
   * (the host rebooted while it sat idle), fn runs once more on a fresh connection: nothing
   * reached the host, since a channel could not even be opened.
   */
  use<T>(target: SshTarget, fn: (conn: SshConnection) => Promise<T>, opts?: { signal?: AbortSignal; sessions?: number; brokenOn?: (err: unknown) => boolean }): Promise<T>;
  /** Closes every connection to host:port (e.g. after its key was re-pinned). */
  closeHost(host: string, port?: number): Promise<void>;
  stats(): SshPoolStats;
}

interface Entry {
  conn: SshConnection | null;
  ready: Promise<SshConnection>;
  sessions: number;
  /** Leases handed out so far. */
  uses: number;
  broken: boolean;
  idleTimer: NodeJS.Timeout | null;
}

interface Waiter {
  sessions: number;
  grant(entry: Entry): void;
  fail(err: Error): void;
}

interface Bucket {
  target: SshTarget;
  port: number;
  entries: Entry[];
  waiters: Waiter[];
}

export function createSshPool(opts: SshPoolOptions): SshPool {
  const idleTimeoutMs = opts.idleTimeoutMs ?? 30_000;
  const maxSessions = opts.maxSessionsPerConnection ?? 8;
  const maxConnections = opts.maxConnectionsPerHost ?? 2;
  const connect = opts.connect ?? connectSsh;
  const maxIdle = Math.max(0, opts.maxIdleConnections ?? 256);
  const buckets = new Map<string, Bucket>();
  /** Idle entries, longest idle first (a Map keeps insertion order). */
  const idle = new Map<Entry, { key: string; bucket: Bucket }>();
  const closing = new Set<Promise<void>>();
  let disposed = false;

  const keyOf = (t: SshTarget): string => `${t.host}\u0000${t.port ?? DEFAULT_SSH_PORT}\u0000${t.credentialId}`;

  const closeConn = (conn: SshConnection): void => {
    const p = conn.close().catch(() => undefined);
    closing.add(p);
    void p.finally(() => closing.delete(p));
  };

  const remove = (key: string, bucket: Bucket, entry: Entry): void => {
    const i = bucket.entries.indexOf(entry);
    if (i >= 0) bucket.entries.splice(i, 1);
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = null;
    idle.delete(entry);
    if (entry.conn && !entry.conn.closed) closeConn(entry.conn);
    pump(key, bucket);
  };

  const settle = (key: string, bucket: Bucket, entry: Entry): void => {
    if (!entry.conn || entry.sessions > 0) return;
    if (entry.broken || entry.conn.closed || disposed) return remove(key, bucket, entry);
    entry.idleTimer = setTimeout(() => {
      entry.idleTimer = null;
      if (entry.sessions === 0) remove(key, bucket, entry);
    }, idleTimeoutMs);
    entry.idleTimer.unref();
    idle.set(entry, { key, bucket });
    for (const [e, at] of idle) {
      if (idle.size <= maxIdle) break;
      remove(at.key, at.bucket, e);
    }
  };

  /** An entry (open or opening) with room for n more sessions, or a new one if allowed. */
  const take = (key: string, bucket: Bucket, n: number): Entry | null => {
    const room = bucket.entries.find((e) => !e.broken && !e.conn?.closed && e.sessions + n <= maxSessions);
    if (room) {
      room.sessions += n;
      if (room.idleTimer) clearTimeout(room.idleTimer);
      room.idleTimer = null;
      idle.delete(room);
      return room;
    }
    if (bucket.entries.length >= maxConnections) return null;
    const entry: Entry = { conn: null, ready: null as unknown as Promise<SshConnection>, sessions: n, uses: 0, broken: false, idleTimer: null };
    entry.ready = connect(bucket.target, opts).then(
      (conn) => {
        entry.conn = conn;
        conn.onClose(() => remove(key, bucket, entry));
        if (disposed) {
          remove(key, bucket, entry);
          throw new SshPoolClosedError(bucket.target.host, bucket.port);
        }
        return conn;
      },
      (err: Error) => {
        const i = bucket.entries.indexOf(entry);
        if (i >= 0) bucket.entries.splice(i, 1);
        for (const w of bucket.waiters.splice(0)) w.fail(err);
        drop(key, bucket);
        throw err;
      },
    );
    bucket.entries.push(entry);
    return entry;
  };

  const pump = (key: string, bucket: Bucket): void => {
    while (bucket.waiters.length > 0) {
      const entry = take(key, bucket, bucket.waiters[0].sessions);
      if (!entry) break;
      bucket.waiters.shift()!.grant(entry);
    }
    drop(key, bucket);
  };

  const drop = (key: string, bucket: Bucket): void => {
    if (bucket.entries.length === 0 && bucket.waiters.length === 0 && buckets.get(key) === bucket) buckets.delete(key);
  };

  const lease = (key: string, bucket: Bucket, entry: Entry, n: number, conn: SshConnection): SshLease => {
    let released = false;
    return {
      connection: conn,
      reused: entry.uses++ > 0,
      release: (o) => {
        if (released) return;
        released = true;
        entry.sessions -= n;
        if (o?.broken) entry.broken = true;
        settle(key, bucket, entry);
        pump(key, bucket);
      },
    };
  };

  const acquire: SshPool['acquire'] = async (target, o = {}) => {
    const port = target.port ?? DEFAULT_SSH_PORT;
    if (disposed) throw new SshPoolClosedError(target.host, port);
    const n = Math.min(Math.max(1, o.sessions ?? 1), maxSessions);
    const signal = o.signal;
    if (signal?.aborted) throw new SshCancelledError(target.host, port, 'Waiting for an SSH session');
    const key = keyOf(target);
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { target: { ...target }, port, entries: [], waiters: [] };
      buckets.set(key, bucket);
    }
    const b = bucket;
    const entry = b.waiters.length === 0 ? take(key, b, n) : null;
    const granted = entry ?? await new Promise<Entry>((resolve, reject) => {
      const onAbort = (): void => {
        const i = b.waiters.indexOf(waiter);
        if (i >= 0) b.waiters.splice(i, 1);
        drop(key, b);
        reject(new SshCancelledError(target.host, port, 'Waiting for an SSH session'));
      };
      const waiter: Waiter = {
        sessions: n,
        grant: (e) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(e);
        },
        fail: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      b.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    let conn: SshConnection;
    try {
      conn = await granted.ready;
    } catch (err) {
      granted.sessions -= n;
      throw err;
    }
    if (signal?.aborted) {
      lease(key, b, granted, n, conn).release();
      throw new SshCancelledError(target.host, port, 'Waiting for an SSH session');
    }
    return lease(key, b, granted, n, conn);
  };

  return {
    acquire,
    async use(target, fn, o = {}) {
      for (let attempt = 0; ; attempt++) {
        const l = await acquire(target, o);
        try {
          const v = await fn(l.connection);
          l.release();
          return v;
        } catch (err) {
          const stale = err instanceof SshConnectError && l.reused && l.connection.closed;
          l.release({ broken: stale || (o.brokenOn?.(err) ?? false) });
          if (!stale || attempt > 0) throw err;
        }
      }
    },
    async closeHost(host, port = DEFAULT_SSH_PORT) {
      const waits: Promise<unknown>[] = [];
      for (const [key, b] of buckets) {
        if (b.target.host !== host || b.port !== port) continue;
        for (const e of [...b.entries]) {
          e.broken = true;
          waits.push(e.ready.then((c) => c.close(), () => undefined));
          if (e.sessions === 0) remove(key, b, e);
        }
      }
      await Promise.all(waits);
    },
    stats() {
      const s: SshPoolStats = { hosts: buckets.size, connections: 0, connecting: 0, idle: 0, sessions: 0, waiting: 0 };
      for (const b of buckets.values()) {
        s.waiting += b.waiters.length;
        for (const e of b.entries) {
          if (!e.conn) s.connecting++;
          else s.connections++;
          if (e.conn && e.sessions === 0) s.idle++;
          s.sessions += e.sessions;
        }
      }
      return s;
    },
    async dispose() {
      if (disposed) return Promise.all([...closing]).then(() => undefined);
      disposed = true;
      const pending: Promise<unknown>[] = [];
      for (const [key, b] of buckets) {
        for (const w of b.waiters.splice(0)) w.fail(new SshPoolClosedError(b.target.host, b.port));
        for (const e of [...b.entries]) {
          if (e.conn) remove(key, b, e);
          else pending.push(e.ready.catch(() => undefined));
        }
      }
      await Promise.all(pending);
      await Promise.all([...closing]);
    },
  };
}
