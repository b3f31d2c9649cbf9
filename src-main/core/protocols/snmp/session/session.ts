// The SNMP session: one net-snmp session (one UDP socket) per peer, v2c or v3 USM, with
// promise-returning get / getNext / getBulk / walk / set and every failure as a named error.
// The socket comes from `dgramModule` (node:dgram by default, see ../transport), so tests and
// the lab can inject their own. dispose() settles every outstanding request: net-snmp alone
// leaves a request hanging when its datagram was still queued behind the socket's bind.
import * as snmp from 'net-snmp';
import type { AsyncDisposable } from '../../../../../src-shared/lifecycle';
import { compareOids, decodeVarbind, encodeSetVarbind, isException, isUnder, normalizeOid, type SetValue, type TypedVarbind } from '../codec';
import { SnmpInvalidResponseError, SnmpSessionClosedError, SnmpTimeoutError, toSnmpError } from '../errors';
import type { DgramModule } from '../transport';
import { netSnmpUser, type SnmpCredentials } from './credentials';

export interface SnmpSessionOptions {
  host: string;
  port?: number;
  credentials: SnmpCredentials;
  timeoutMs?: number;
  /** Retransmissions after the first send. */
  retries?: number;
  /** Timeout multiplier per retransmission (>= 1). */
  backoff?: number;
  /** Default max-repetitions for GetBulk walks. */
  maxRepetitions?: number;
  /** Injected transport: an object with createSocket(type) like node:dgram. */
  dgramModule?: DgramModule;
  sourceAddress?: string;
  /** Every request runs inside gate(send): the poller's request caps (see ./request-limiter). */
  gate?: <T>(send: () => Promise<T>) => Promise<T>;
}

export interface WalkOptions {
  maxRepetitions?: number;
  /** Stop after this many varbinds (a guard against endless tables). */
  maxVarbinds?: number;
}

export interface SnmpSession extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  readonly version: '2c' | '3';
  readonly closed: boolean;
  get(oids: readonly string[]): Promise<TypedVarbind[]>;
  getNext(oids: readonly string[]): Promise<TypedVarbind[]>;
  /** Raw GetBulk: the non-repeaters' varbinds, then each repeater's column of up to maxRepetitions. */
  getBulk(oids: readonly string[], opts?: { nonRepeaters?: number; maxRepetitions?: number }): Promise<{ nonRepeaters: TypedVarbind[]; repeaters: TypedVarbind[][] }>;
  /** Every varbind under `root`, in order, by GetBulk. A scalar instance given as root is fetched by get, like snmpwalk does. */
  walk(root: string, opts?: WalkOptions): Promise<TypedVarbind[]>;
  /** As walk(), streaming: `onVarbinds` gets each response's batch; resolves to the count. */
  walkEach(root: string, onVarbinds: (batch: TypedVarbind[]) => void, opts?: WalkOptions): Promise<number>;
  set(values: readonly SetValue[]): Promise<TypedVarbind[]>;
  /** Closes the socket; outstanding requests reject with SnmpSessionClosedError. Idempotent. */
  dispose(): Promise<void>;
  /** The same as dispose(). */
  close(): Promise<void>;
}

export const DEFAULT_MAX_REPETITIONS = 25;
const DEFAULT_MAX_VARBINDS = 1_000_000;
const EXCEPTION = { endOfMibView: snmp.ObjectType.EndOfMibView, noSuchObject: snmp.ObjectType.NoSuchObject, noSuchInstance: snmp.ObjectType.NoSuchInstance } as const;

// net-snmp's Session, as far as this module uses it.
interface NetSession {
  get(oids: string[], cb: (err: Error | null, vbs?: snmp.Varbind[]) => void): void;
  getNext(oids: string[], cb: (err: Error | null, vbs?: snmp.Varbind[]) => void): void;
  getBulk(oids: string[], nonRepeaters: number, maxRepetitions: number, cb: (err: Error | null, vbs?: (snmp.Varbind | snmp.Varbind[])[]) => void): void;
  set(vbs: snmp.Varbind[], cb: (err: Error | null, vbs?: snmp.Varbind[]) => void): void;
  close(): void;
  on(event: string, cb: (...args: unknown[]) => void): void;
}

export function createSnmpSession(opts: SnmpSessionOptions): SnmpSession {
  const host = opts.host;
  const port = opts.port ?? 161;
  const defaultReps = Math.max(1, opts.maxRepetitions ?? DEFAULT_MAX_REPETITIONS);
  const common = {
    port,
    retries: opts.retries ?? 1,
    timeout: opts.timeoutMs ?? 2000,
    backoff: Math.max(1, opts.backoff ?? 1),
    transport: 'udp4' as const,
    sourceAddress: opts.sourceAddress,
    dgramModule: opts.dgramModule,
    // Walks check OID order themselves (and name the host when they fail).
    backwardsGetNexts: true,
  };
  const c = opts.credentials;
  const net = (c.version === '3'
    ? snmp.createV3Session(host, netSnmpUser(c.user), { ...common, version: snmp.Version3, context: c.context })
    : snmp.createSession(host, c.community, { ...common, version: snmp.Version2c })) as unknown as NetSession;

  let closed = false;
  let closing: Promise<void> | null = null;
  // Every timeout and retransmission net-snmp may spend, and a second more.
  const giveUpMs = Array.from({ length: common.retries + 1 }, (_, i) => common.timeout * common.backoff ** i).reduce((a, b) => a + b, 0) + 1000;
  // net-snmp's socket listener can throw on a response it cannot handle (a hostile or broken
  // agent), which would take the process down: each listener runs guarded. The request it
  // was for ends on the backstop timer in request().
  const socket = (net as unknown as { dgram: { listeners(e: string): Array<(...a: unknown[]) => void>; off(e: string, l: unknown): void; on(e: string, l: unknown): void } }).dgram;
  for (const listener of socket.listeners('message')) {
    socket.off('message', listener);
    socket.on('message', (...args: unknown[]) => {
      try {
        listener(...args);
      } catch {
        // dropped: see above
      }
    });
  }
  const pending = new Set<(err: Error) => void>();
  const closedPromise = new Promise<void>((resolve) => net.on('close', () => resolve()));
  // A socket error (say, EPERM on send) reaches requests through their callbacks; an 'error'
  // event with no listener would throw, so one is always attached.
  net.on('error', () => {});

  /**
   * Runs one net-snmp request as a promise that dispose() can always settle, through the gate
   * (the poller's request caps) when there is one. The gate's slot is held until the answer,
   * the timeout or close(), whichever comes first.
   */
  function request<T>(oids: readonly string[], start: (cb: (err: Error | null, value?: T) => void) => void): Promise<T> {
    if (closed) return Promise.reject(new SnmpSessionClosedError(host));
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let backstop: ReturnType<typeof setTimeout> | undefined;
      let release: (() => void) | undefined;
      const settle = (): void => {
        settled = true;
        pending.delete(fail);
        if (backstop) clearTimeout(backstop);
        release?.();
      };
      const fail = (err: Error): void => {
        if (settled) return;
        settle();
        reject(err);
      };
      pending.add(fail);
      const go = (): void => {
        if (settled) return;
        // The backstop: net-snmp forgets a request whose response it choked on (see above).
        backstop = setTimeout(() => fail(new SnmpTimeoutError(host, oids[0] ?? null)), giveUpMs);
        try {
          start((err, value) => {
            if (settled) return;
            if (err) return fail(toSnmpError(err, host, oids));
            settle();
            resolve(value as T);
          });
        } catch (err) {
          fail(toSnmpError(err, host, oids));
        }
      };
      if (!opts.gate) return go();
      // The gate's slot is held until settle() releases it.
      opts.gate(() => new Promise<void>((done) => {
        release = done;
        go();
        if (settled) done();
      })).catch((err: unknown) => fail(toSnmpError(err, host, oids)));
    });
  }

  const decodeAll = (vbs: snmp.Varbind[] | undefined): TypedVarbind[] => (vbs ?? []).map(decodeVarbind);

  /** GetBulk on already-normalised OIDs. */
  async function bulk(list: string[], nonRepeaters: number, reps: number) {
    const raw = await request<(snmp.Varbind | snmp.Varbind[])[]>(list, (cb) => net.getBulk(list, nonRepeaters, reps, cb));
    const out = { nonRepeaters: [] as TypedVarbind[], repeaters: [] as TypedVarbind[][] };
    for (const item of raw ?? []) {
      if (Array.isArray(item)) out.repeaters.push(item.map(decodeVarbind));
      else out.nonRepeaters.push(decodeVarbind(item));
    }
    return out;
  }

  async function getBulk(oids: readonly string[], o: { nonRepeaters?: number; maxRepetitions?: number } = {}) {
    const list = oids.map(normalizeOid);
    const nonRepeaters = Math.max(0, Math.min(o.nonRepeaters ?? 0, list.length));
    return bulk(list, nonRepeaters, Math.max(1, o.maxRepetitions ?? defaultReps));
  }

  async function walkEach(rootOid: string, onVarbinds: (batch: TypedVarbind[]) => void, o: WalkOptions = {}): Promise<number> {
    const root = normalizeOid(rootOid);
    const reps = Math.max(1, o.maxRepetitions ?? defaultReps);
    const limit = o.maxVarbinds ?? DEFAULT_MAX_VARBINDS;
    let cursor = root;
    let count = 0;
    for (;;) {
      // The hot loop of every table read: net-snmp's varbinds are checked where they lie and
      // decoded only once they are known to belong to the walk.
      const list = [cursor];
      const raw = await request<(snmp.Varbind | snmp.Varbind[])[]>(list, (cb) => net.getBulk(list, 0, Math.min(reps, Math.max(1, limit - count)), cb));
      const first = raw?.[0];
      const column = Array.isArray(first) ? first : first ? [first] : [];
      const batch: TypedVarbind[] = [];
      let done = column.length === 0;
      for (const vb of column) {
        const oid = vb.oid;
        if (vb.type === EXCEPTION.endOfMibView || vb.type === EXCEPTION.noSuchObject || vb.type === EXCEPTION.noSuchInstance || typeof oid !== 'string' || !isUnder(oid, root)) {
          done = true;
          break;
        }
        if (compareOids(oid, cursor) <= 0) {
          throw new SnmpInvalidResponseError(host, `walk of ${root}: ${oid} does not follow ${cursor}`);
        }
        batch.push(decodeVarbind(vb));
        cursor = oid;
      }
      count += batch.length;
      if (batch.length) onVarbinds(batch);
      if (count >= limit) done = true;
      if (done) break;
    }
    if (count === 0) {
      // snmpwalk's rule: a walk that finds nothing under its root gets the root itself.
      const [vb] = await api.get([root]);
      if (vb && !isException(vb)) {
        onVarbinds([vb]);
        count = 1;
      }
    }
    return count;
  }

  const api: SnmpSession = {
    host,
    port,
    version: c.version,
    get closed() {
      return closed;
    },
    async get(oids) {
      const list = oids.map(normalizeOid);
      return decodeAll(await request<snmp.Varbind[]>(list, (cb) => net.get(list, cb)));
    },
    async getNext(oids) {
      const list = oids.map(normalizeOid);
      return decodeAll(await request<snmp.Varbind[]>(list, (cb) => net.getNext(list, cb)));
    },
    getBulk,
    async walk(root, o) {
      const out: TypedVarbind[] = [];
      await walkEach(root, (batch) => {
        for (const vb of batch) out.push(vb);
      }, o);
      return out;
    },
    walkEach,
    async set(values) {
      const vbs = values.map(encodeSetVarbind);
      const oids = vbs.map((v) => v.oid);
      return decodeAll(await request<snmp.Varbind[]>(oids, (cb) => net.set(vbs, cb)));
    },
    dispose() {
      if (!closing) {
        closed = true;
        for (const fail of [...pending]) fail(new SnmpSessionClosedError(host));
        closing = closedPromise;
        try {
          net.close();
        } catch {
          // already closed underneath us: no 'close' event will come
          closing = Promise.resolve();
        }
      }
      return closing;
    },
    close() {
      return api.dispose();
    },
  };
  return api;
}
