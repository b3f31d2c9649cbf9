// The IPMI session to one BMC: logs in on first use (RMCP+ or IPMI 1.5, see session-login),
// runs requests one at a time from a queue, retries on timeout, keeps an idle session alive
// with Get Device ID, re-logs in after the BMC forgot us, and closes with Close Session.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { encodeCloseSession } from './codec/app-commands';
import { CMD, NETFN, PRIVILEGE, type PrivilegeLevel } from './codec/constants';
import { commandName, decodeResponse, encodeRequest, type IpmiResponse } from './codec/message';
import { decodeAsf, encodeAsfPing, type AsfPong } from './codec/rmcp';
import { IpmiCompletionCodeError, IpmiProtocolError, IpmiSessionClosedError, IpmiTimeoutError, toIpmiError } from './errors';
import { exchange, orIgnore, type ExchangeTarget } from './session-exchange';
import { login, type ActiveSession, type CipherSuiteChoice } from './session-login';
import { createUdpTransport, type IpmiTransport } from './transport';

export interface IpmiSessionOptions {
  host: string;
  /** 623 on real hardware. */
  port?: number;
  username: string;
  password: string;
  /** 'auto' tries 17 then 3. */
  cipherSuite?: CipherSuiteChoice;
  /** 'auto': RMCP+ when the BMC offers it, else IPMI 1.5 with MD5. */
  ipmiVersion?: 'auto' | '2.0' | '1.5';
  privilege?: PrivilegeLevel;
  /** Per attempt. */
  timeoutMs?: number;
  /** Resends after the first attempt. */
  retries?: number;
  /** Idle time after which a Get Device ID keeps the session open; 0 = never. */
  keepAliveMs?: number;
  /** BMC key for two-key logins. */
  kg?: Buffer;
  /** Shared transport (a sweep's); when absent the session makes and owns one. */
  transport?: IpmiTransport;
}

export interface RequestOptions {
  lun?: number;
  /** Leave non-zero completion codes to the caller instead of throwing. */
  allowCompletionCode?: boolean;
}

export interface IpmiSession {
  readonly host: string;
  readonly port: number;
  readonly state: 'idle' | 'active' | 'closed';
  readonly version: '2.0' | '1.5' | null;
  readonly cipherSuite: number | null;
  /** Logs in now (requests do so on their own). */
  open(): Promise<void>;
  /** Sends a command; resolves to the response data after the completion code. */
  request(netFn: number, cmd: number, data?: Buffer, opts?: RequestOptions): Promise<Buffer>;
  /** As request() but resolves to the whole response, whatever its completion code. */
  requestRaw(netFn: number, cmd: number, data?: Buffer, opts?: RequestOptions): Promise<IpmiResponse>;
  /** RMCP/ASF presence ping: no session needed. */
  ping(): Promise<AsfPong>;
  /** Closes the session on the BMC (best effort) and releases the transport if owned. Idempotent. */
  close(): Promise<void>;
}

const DEFAULTS = { port: 623, timeoutMs: 1000, retries: 3, keepAliveMs: 30_000 };

export function createIpmiSession(opts: IpmiSessionOptions): IpmiSession {
  const port = opts.port ?? DEFAULTS.port;
  const ownTransport = !opts.transport;
  const transport = opts.transport ?? createUdpTransport();
  const privilege = opts.privilege ?? PRIVILEGE.ADMINISTRATOR;
  let address: string | null = isIP(opts.host) ? opts.host : null;
  let active: ActiveSession | null = null;
  let opening: Promise<ActiveSession> | null = null;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  let rqSeq = 0;
  let keepAlive: NodeJS.Timeout | undefined;

  const target = (): ExchangeTarget => ({
    host: opts.host, address: address ?? opts.host, port, transport,
    timeoutMs: opts.timeoutMs ?? DEFAULTS.timeoutMs, retries: opts.retries ?? DEFAULTS.retries,
  });

  async function resolveAddress(): Promise<void> {
    if (address) return;
    try {
      address = (await lookup(opts.host)).address;
    } catch (err) {
      throw new IpmiTimeoutError(opts.host, port, 'name lookup', 0, err);
    }
  }

  function ensureOpen(): Promise<ActiveSession> {
    if (closed) return Promise.reject(new IpmiSessionClosedError(opts.host));
    if (active) return Promise.resolve(active);
    if (!opening) {
      opening = (async () => {
        await resolveAddress();
        return login(target(), {
          username: opts.username, password: opts.password, privilege,
          cipherSuite: opts.cipherSuite ?? 'auto', ipmiVersion: opts.ipmiVersion ?? 'auto', kg: opts.kg,
        });
      })().then(async (s) => {
        opening = null;
        if (closed) throw new IpmiSessionClosedError(opts.host);
        active = s;
        // Sessions start at User level; ask for the level we want.
        if (privilege > PRIVILEGE.USER) await send(s, NETFN.APP, CMD.SET_SESSION_PRIVILEGE, Buffer.from([privilege]), {});
        return s;
      }, (err) => {
        opening = null;
        throw toIpmiError(err, opts.host);
      });
    }
    return opening;
  }

  function armKeepAlive(): void {
    if (keepAlive) clearTimeout(keepAlive);
    const ms = opts.keepAliveMs ?? DEFAULTS.keepAliveMs;
    if (!ms || closed) return;
    keepAlive = setTimeout(() => {
      if (!active || closed) return;
      void enqueue(() => run(NETFN.APP, CMD.GET_DEVICE_ID, Buffer.alloc(0), { allowCompletionCode: true })).catch(() => {});
    }, ms);
    keepAlive.unref();
  }

  async function send(s: ActiveSession, netFn: number, cmd: number, data: Buffer, ro: RequestOptions): Promise<IpmiResponse> {
    rqSeq = (rqSeq + 1) & 0x3f;
    const seq = rqSeq;
    const message = encodeRequest({ netFn, cmd, data, rqSeq: seq, rsLun: ro.lun ?? 0 });
    const name = commandName(netFn, cmd);
    try {
      const res = await exchange(target(), name, () => s.wrap(message), (packet) => {
        const m = s.unwrap(packet);
        if (!m) return undefined;
        return orIgnore(() => {
          const r = decodeResponse(m);
          return r.rqSeq === seq && r.cmd === cmd && r.netFn === (netFn & 0x3e) ? r : undefined;
        });
      });
      armKeepAlive();
      return res;
    } catch (err) {
      // No answer inside a session: the BMC may have dropped it (reboot, timeout). Log in afresh next time.
      if (err instanceof IpmiTimeoutError && active === s) active = null;
      throw err;
    }
  }

  async function run(netFn: number, cmd: number, data: Buffer, ro: RequestOptions): Promise<IpmiResponse> {
    const s = await ensureOpen();
    const res = await send(s, netFn, cmd, data, ro);
    if (res.completionCode !== 0 && !ro.allowCompletionCode) throw new IpmiCompletionCodeError(opts.host, commandName(netFn, cmd), res.completionCode);
    return res;
  }

  function enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const p = queue.then(() => {
      if (closed) throw new IpmiSessionClosedError(opts.host);
      return fn();
    });
    queue = p.catch(() => {});
    return p.catch((err: unknown) => {
      throw toIpmiError(err, opts.host);
    });
  }

  return {
    host: opts.host,
    port,
    get state() {
      return closed ? 'closed' : active ? 'active' : 'idle';
    },
    get version() {
      return active?.version ?? null;
    },
    get cipherSuite() {
      return active?.cipherSuite ?? null;
    },
    async open() {
      await enqueue(() => ensureOpen());
    },
    async request(netFn, cmd, data = Buffer.alloc(0), ro = {}) {
      return (await enqueue(() => run(netFn, cmd, data, ro))).data;
    },
    requestRaw(netFn, cmd, data = Buffer.alloc(0), ro = {}) {
      return enqueue(() => run(netFn, cmd, data, { ...ro, allowCompletionCode: true }));
    },
    async ping() {
      if (closed) throw new IpmiSessionClosedError(opts.host);
      await resolveAddress();
      const tag = Math.floor(Math.random() * 255);
      const pong = await exchange(target(), 'ASF Presence Ping', () => encodeAsfPing(tag), (packet) =>
        orIgnore(() => {
          const m = decodeAsf(packet);
          return m.type === 'pong' && m.tag === tag ? m : undefined;
        }));
      if (pong.type !== 'pong') throw new IpmiProtocolError('ASF answer is not a pong', opts.host);
      return pong;
    },
    async close() {
      if (closed) return;
      if (keepAlive) clearTimeout(keepAlive);
      // Let queued work finish, then say goodbye once (no retries: a dead BMC must not hold us up).
      await queue;
      const s = active;
      closed = true;
      active = null;
      if (s) {
        const seq = (rqSeq = (rqSeq + 1) & 0x3f);
        const message = encodeRequest({ netFn: NETFN.APP, cmd: CMD.CLOSE_SESSION, data: encodeCloseSession(s.bmcSessionId), rqSeq: seq });
        await exchange(target(), 'Close Session', () => s.wrap(message), (packet) => (s.unwrap(packet) ? true : undefined), { retries: 0 }).catch(() => {});
      }
      if (ownTransport) await transport.close();
    },
  };
}
