// The request queue: at most `global` SNMP requests in flight fleet-wide and `perDevice` to
// any one device. Waiters are served first come, first served, except that a waiter whose
// device is at its cap lets the ones behind it (for other devices) go first. Sessions take
// it as their `gate`, so every request (a get, one GetBulk step of a walk or a table read)
// passes through it.
export interface RequestLimiter {
  /** Runs `send` once a global slot and a slot for `key` are free. */
  run<T>(key: string, send: () => Promise<T>): Promise<T>;
  /** A session gate bound to one device. */
  gate(key: string): <T>(send: () => Promise<T>) => Promise<T>;
  /** Requests in flight: fleet-wide, and for one key. */
  inFlight(key?: string): number;
  /** Requests waiting for a slot. */
  waiting(): number;
  /** Highest fleet-wide and single-key in-flight counts seen (for tests and stats). */
  peaks(): { global: number; perDevice: number };
  /** Rejects every waiter with `reason`; later run() calls reject at once. */
  close(reason: Error): void;
}

interface Waiter {
  key: string;
  start: () => void;
  fail: (err: Error) => void;
}

export function createRequestLimiter(opts: { global: number; perDevice: number }): RequestLimiter {
  const global = Math.max(1, Math.floor(opts.global));
  const perDevice = Math.max(1, Math.floor(opts.perDevice));
  const active = new Map<string, number>();
  const queue: Waiter[] = [];
  let running = 0;
  let peakGlobal = 0;
  let peakDevice = 0;
  let closed: Error | null = null;

  const release = (key: string): void => {
    running--;
    const n = (active.get(key) ?? 1) - 1;
    if (n) active.set(key, n);
    else active.delete(key);
    pump();
  };

  const take = (key: string): void => {
    running++;
    const n = (active.get(key) ?? 0) + 1;
    active.set(key, n);
    peakGlobal = Math.max(peakGlobal, running);
    peakDevice = Math.max(peakDevice, n);
  };

  function pump(): void {
    for (let i = 0; i < queue.length && running < global; ) {
      const w = queue[i];
      if ((active.get(w.key) ?? 0) >= perDevice) {
        i++;
        continue;
      }
      queue.splice(i, 1);
      take(w.key);
      w.start();
    }
  }

  function run<T>(key: string, send: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(closed);
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        let p: Promise<T>;
        try {
          p = send();
        } catch (err) {
          p = Promise.reject(err);
        }
        p.then(resolve, reject).finally(() => release(key));
      };
      queue.push({ key, start, fail: reject });
      pump();
    });
  }

  return {
    run,
    gate: (key) => (send) => run(key, send),
    inFlight: (key) => (key === undefined ? running : (active.get(key) ?? 0)),
    waiting: () => queue.length,
    peaks: () => ({ global: peakGlobal, perDevice: peakDevice }),
    close(reason) {
      closed = reason;
      for (const w of queue.splice(0)) w.fail(reason);
    },
  };
}
