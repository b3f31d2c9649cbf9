// The server side of IPMI sessions for one lab BMC: RMCP+ (Open Session, RAKP 1-4, then
// integrity-checked, encrypted, replay-checked IPMI messages) and IPMI 1.5 (challenge,
// MD5 Activate Session). Anything that does not verify is dropped without an answer, as a
// real BMC does; nothing here throws on bad input (the simulator's guard is a backstop).
import { randomBytes } from 'node:crypto';
import {
  decodeActivateSessionRequest, decodeGetSessionChallengeRequest, encodeActivateSessionResponse, encodeSessionChallenge,
} from '../../core/protocols/ipmi/codec/app-commands';
import { codesEqual, deriveSessionKeys, suiteFor, type CipherSuite } from '../../core/protocols/ipmi/codec/cipher';
import { CMD, NETFN, PAYLOAD, PRIVILEGE } from '../../core/protocols/ipmi/codec/constants';
import { decodeIpmi15, encodeIpmi15, password16, verifyIpmi15 } from '../../core/protocols/ipmi/codec/ipmi15';
import { decodeRequest, encodeResponse } from '../../core/protocols/ipmi/codec/message';
import {
  decodeOpenSessionRequest, decodeRakp1, decodeRakp3, encodeOpenSessionResponse, encodeRakp2, encodeRakp4, rakp2AuthCode, rakp3AuthCode,
  rakp4IntegrityCheck, type RakpExchange,
} from '../../core/protocols/ipmi/codec/rakp';
import { ReplayWindow, nextSequence } from '../../core/protocols/ipmi/codec/replay-window';
import { decodeRmcpPlus, encodeRmcpPlus, openPayload, type RmcpPlusPacket, type SessionCrypto } from '../../core/protocols/ipmi/codec/rmcpplus';

export interface BmcUser {
  username: string;
  password: string;
  maxPrivilege: number;
}

export interface SessionTableOptions {
  users: readonly BmcUser[];
  guid: Buffer;
  cipherSuites: readonly number[];
  ipmi15: boolean;
  ipmi20: boolean;
  maxSessions: number;
  idleMs: number;
  now: () => number;
}

/** What a session's command handler sees of its session. */
export interface SessionView {
  id: number;
  privilege: number;
  maxPrivilege: number;
  setPrivilege(p: number): void;
}

/** Runs one request message; returns the response's completion code and data. */
export type Dispatch = (session: SessionView, netFn: number, cmd: number, data: Buffer) => { cc: number; data?: Buffer };

interface Session {
  id: number;
  consoleId: number;
  version: '2.0' | '1.5';
  stage: 'opened' | 'rakp2' | 'active';
  suite: CipherSuite | null;
  maxRequested: number;
  user: BmcUser | null;
  x: RakpExchange | null;
  crypto: SessionCrypto | null;
  pw16: Buffer | null;
  window: ReplayWindow;
  outSeq: number;
  privilege: number;
  lastSeen: number;
  cached: { request: Buffer; response: Buffer } | null;
  closing: boolean;
}

function randomId(taken: (id: number) => boolean): number {
  for (;;) {
    const v = randomBytes(4).readUInt32LE(0);
    if (v !== 0 && !taken(v)) return v;
  }
}

export class SessionTable {
  private sessions = new Map<number, Session>();
  private challenges = new Map<number, { challenge: Buffer; user: BmcUser; at: number }>();

  constructor(private readonly o: SessionTableOptions) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Sessions that completed a login (RAKP or IPMI 1.5 Activate Session) since start. */
  logins = 0;

  closeAll(): void {
    this.sessions.clear();
    this.challenges.clear();
  }

  /** Closes a session by the BMC's id (Close Session); false if there is none. */
  close(id: number): boolean {
    const s = this.sessions.get(id);
    if (!s) return false;
    s.closing = true;
    return true;
  }

  private expire(): void {
    const now = this.o.now();
    for (const [id, s] of this.sessions) if (now - s.lastSeen > this.o.idleMs) this.sessions.delete(id);
    for (const [id, c] of this.challenges) if (now - c.at > 30_000) this.challenges.delete(id);
  }

  /** Room for one more: a full table gives up its oldest half-open session (an Open Session flood must not lock users out). */
  private room(): boolean {
    this.expire();
    if (this.sessions.size < this.o.maxSessions) return true;
    let oldest: Session | null = null;
    for (const s of this.sessions.values()) if (s.stage !== 'active' && (!oldest || s.lastSeen < oldest.lastSeen)) oldest = s;
    if (!oldest) return false;
    this.sessions.delete(oldest.id);
    return true;
  }

  private newSession(consoleId: number, version: '2.0' | '1.5'): Session {
    const s: Session = {
      id: randomId((v) => this.sessions.has(v) || this.challenges.has(v)), consoleId, version, stage: 'opened', suite: null, maxRequested: PRIVILEGE.ADMINISTRATOR,
      user: null, x: null, crypto: null, pw16: null, window: new ReplayWindow(), outSeq: 0, privilege: PRIVILEGE.USER, lastSeen: this.o.now(), cached: null, closing: false,
    };
    this.sessions.set(s.id, s);
    return s;
  }

  private run(s: Session, message: Buffer, dispatch: Dispatch): Buffer | null {
    let req;
    try {
      req = decodeRequest(message);
    } catch {
      return null;
    }
    const view: SessionView = {
      id: s.id,
      privilege: s.privilege,
      maxPrivilege: Math.min(s.maxRequested, s.user?.maxPrivilege ?? PRIVILEGE.USER),
      setPrivilege: (p) => {
        s.privilege = p;
      },
    };
    const res = dispatch(view, req.netFn, req.cmd, req.data);
    return encodeResponse(req, res.cc, res.data);
  }

  /** RMCP+ datagram -> answer datagram (or null: drop). */
  rmcpPlus(packet: Buffer, dispatch: Dispatch): Buffer | null {
    if (!this.o.ipmi20) return null;
    let p: RmcpPlusPacket;
    try {
      p = decodeRmcpPlus(packet);
    } catch {
      return null;
    }
    const pre = (payloadType: number, payload: Buffer): Buffer => encodeRmcpPlus({ payloadType, sessionId: 0, sequence: 0, payload });
    if (p.payloadType === PAYLOAD.OPEN_SESSION_REQUEST) {
      let q;
      try {
        q = decodeOpenSessionRequest(p.payload);
      } catch {
        return null;
      }
      const suite = q.auth && q.integrity && q.confidentiality ? suiteFor(q.auth, q.integrity, q.confidentiality) : undefined;
      const refuse = (status: number): Buffer => pre(PAYLOAD.OPEN_SESSION_RESPONSE, encodeOpenSessionResponse({ tag: q.tag, status, maxPrivilege: 0, consoleSessionId: q.consoleSessionId, bmcSessionId: 0 }));
      if (!q.auth) return refuse(0x04);
      if (!q.integrity) return refuse(0x05);
      if (!q.confidentiality) return refuse(0x10);
      if (!suite || !this.o.cipherSuites.includes(suite.id)) return refuse(0x11);
      if (q.maxPrivilege > PRIVILEGE.ADMINISTRATOR) return refuse(0x09);
      const existing = [...this.sessions.values()].find((s) => s.version === '2.0' && s.stage === 'opened' && s.consoleId === q.consoleSessionId && s.cached?.request.equals(p.payload));
      if (existing) return existing.cached!.response;
      if (!this.room()) return refuse(0x01);
      const s = this.newSession(q.consoleSessionId, '2.0');
      s.suite = suite;
      s.maxRequested = q.maxPrivilege || PRIVILEGE.ADMINISTRATOR;
      const response = pre(PAYLOAD.OPEN_SESSION_RESPONSE, encodeOpenSessionResponse({
        tag: q.tag, status: 0, maxPrivilege: s.maxRequested, consoleSessionId: q.consoleSessionId, bmcSessionId: s.id, auth: suite.auth, integrity: suite.integrity, confidentiality: suite.confidentiality,
      }));
      s.cached = { request: Buffer.from(p.payload), response };
      return response;
    }
    if (p.payloadType === PAYLOAD.RAKP1) {
      let r;
      try {
        r = decodeRakp1(p.payload);
      } catch {
        return null;
      }
      const s = this.sessions.get(r.bmcSessionId);
      if (!s || s.version !== '2.0' || !s.suite) return null;
      if (s.stage === 'rakp2' && s.cached?.request.equals(p.payload)) return s.cached.response;
      if (s.stage !== 'opened') return null;
      s.lastSeen = this.o.now();
      const refuse = (status: number): Buffer => {
        this.sessions.delete(s.id);
        return pre(PAYLOAD.RAKP2, encodeRakp2({ tag: r.tag, status, consoleSessionId: s.consoleId, bmcRandom: Buffer.alloc(0), bmcGuid: Buffer.alloc(0), authCode: Buffer.alloc(0) }));
      };
      const user = this.o.users.find((u) => Buffer.from(u.username, 'utf8').equals(r.username));
      if (!user) return refuse(0x0d);
      const priv = r.role & 0x0f;
      if (priv < PRIVILEGE.CALLBACK || priv > PRIVILEGE.ADMINISTRATOR) return refuse(0x09);
      if (priv > user.maxPrivilege || priv > s.maxRequested) return refuse(0x0a);
      s.user = user;
      s.x = { suite: s.suite, consoleSessionId: s.consoleId, bmcSessionId: s.id, consoleRandom: r.consoleRandom, bmcRandom: randomBytes(16), bmcGuid: this.o.guid, role: r.role, username: r.username };
      s.maxRequested = Math.min(s.maxRequested, priv);
      s.stage = 'rakp2';
      const response = pre(PAYLOAD.RAKP2, encodeRakp2({
        tag: r.tag, status: 0, consoleSessionId: s.consoleId, bmcRandom: s.x.bmcRandom, bmcGuid: s.x.bmcGuid, authCode: rakp2AuthCode(s.x, Buffer.from(user.password, 'utf8')),
      }));
      s.cached = { request: Buffer.from(p.payload), response };
      return response;
    }
    if (p.payloadType === PAYLOAD.RAKP3) {
      const sid = p.payload.length >= 8 ? p.payload.readUInt32LE(4) : 0;
      const s = this.sessions.get(sid);
      if (!s || s.version !== '2.0' || !s.suite || !s.x || !s.user) return null;
      if (s.stage === 'active' && s.cached?.request.equals(p.payload)) return s.cached.response;
      if (s.stage !== 'rakp2') return null;
      let r;
      try {
        r = decodeRakp3(p.payload, s.suite.auth);
      } catch {
        return null;
      }
      const kuid = Buffer.from(s.user.password, 'utf8');
      if (r.status !== 0 || !codesEqual(r.authCode, rakp3AuthCode(s.x, kuid))) {
        this.sessions.delete(s.id);
        return r.status !== 0 ? null : pre(PAYLOAD.RAKP4, encodeRakp4({ tag: r.tag, status: 0x0f, consoleSessionId: s.consoleId, integrityCheck: Buffer.alloc(0) }));
      }
      const keys = deriveSessionKeys(s.suite.auth, kuid, s.x.consoleRandom, s.x.bmcRandom, s.x.role, s.x.username);
      s.crypto = { integrity: s.suite.integrity, confidentiality: s.suite.confidentiality, k1: keys.k1, k2: keys.k2 };
      s.stage = 'active';
      this.logins++;
      s.privilege = Math.min(PRIVILEGE.USER, s.maxRequested);
      s.lastSeen = this.o.now();
      const response = pre(PAYLOAD.RAKP4, encodeRakp4({ tag: r.tag, status: 0, consoleSessionId: s.consoleId, integrityCheck: rakp4IntegrityCheck(s.x, keys.sik) }));
      s.cached = { request: Buffer.from(p.payload), response };
      return response;
    }
    if (p.payloadType !== PAYLOAD.IPMI || p.sessionId === 0) return null;
    const s = this.sessions.get(p.sessionId);
    if (!s || s.version !== '2.0' || s.stage !== 'active' || !s.crypto) return null;
    let message: Buffer;
    try {
      message = openPayload(p, s.crypto);
    } catch {
      return null;
    }
    if (!s.window.accept(p.sequence)) return null;
    s.lastSeen = this.o.now();
    const reply = this.run(s, message, dispatch);
    if (!reply) return null;
    s.outSeq = nextSequence(s.outSeq);
    const out = encodeRmcpPlus({ payloadType: PAYLOAD.IPMI, sessionId: s.consoleId, sequence: s.outSeq, payload: reply, crypto: s.crypto });
    if (s.closing) this.sessions.delete(s.id);
    return out;
  }

  /** IPMI 1.5 datagram inside a session, or the 1.5 handshake. Sessionless requests are the simulator's. */
  ipmi15(packet: Buffer, dispatch: Dispatch): Buffer | null {
    let p;
    try {
      p = decodeIpmi15(packet);
    } catch {
      return null;
    }
    if (p.sessionId === 0) return null;
    const challenge = this.challenges.get(p.sessionId);
    if (challenge) return this.activate(p, challenge);
    const s = this.sessions.get(p.sessionId);
    if (!s || s.version !== '1.5' || !s.pw16) return null;
    try {
      verifyIpmi15(p, s.pw16);
    } catch {
      return null;
    }
    if (p.authType === 0 || !s.window.accept(p.sequence)) return null;
    s.lastSeen = this.o.now();
    const reply = this.run(s, p.message, dispatch);
    if (!reply) return null;
    s.outSeq = nextSequence(s.outSeq);
    const out = encodeIpmi15({ authType: 'md5', sequence: s.outSeq, sessionId: s.id, message: reply, password: s.pw16 });
    if (s.closing) this.sessions.delete(s.id);
    return out;
  }

  /** Get Session Challenge (sessionless): a temporary session ID and a challenge string. */
  challenge(data: Buffer): { cc: number; data?: Buffer } {
    if (!this.o.ipmi15) return { cc: 0xc1 };
    let q;
    try {
      q = decodeGetSessionChallengeRequest(data);
    } catch {
      return { cc: 0xc7 };
    }
    if (q.authType !== 2) return { cc: 0xcc };
    const user = this.o.users.find((u) => Buffer.from(u.username, 'utf8').equals(q.username));
    if (!user) return { cc: 0x81 };
    this.expire();
    if (this.challenges.size >= this.o.maxSessions) return { cc: 0xc0 };
    const id = randomId((v) => this.sessions.has(v) || this.challenges.has(v));
    const c = randomBytes(16);
    this.challenges.set(id, { challenge: c, user, at: this.o.now() });
    return { cc: 0, data: encodeSessionChallenge(id, c) };
  }

  private activate(p: ReturnType<typeof decodeIpmi15>, c: { challenge: Buffer; user: BmcUser }): Buffer | null {
    const pw = password16(c.user.password);
    try {
      verifyIpmi15(p, pw);
    } catch {
      return null;
    }
    let req;
    try {
      req = decodeRequest(p.message);
    } catch {
      return null;
    }
    if (req.netFn !== NETFN.APP || req.cmd !== CMD.ACTIVATE_SESSION || p.authType !== 2) return null;
    const tempId = p.sessionId;
    const reply = (cc: number, data?: Buffer): Buffer => encodeIpmi15({ authType: 'md5', sequence: 0, sessionId: tempId, message: encodeResponse(req, cc, data), password: pw });
    let a;
    try {
      a = decodeActivateSessionRequest(req.data);
    } catch {
      return reply(0xc7);
    }
    if (!a.challenge.equals(c.challenge)) return null;
    if (a.maxPrivilege > c.user.maxPrivilege) return reply(0x86);
    if (!this.room()) return reply(0x81);
    this.challenges.delete(tempId);
    const s = this.newSession(0, '1.5');
    s.pw16 = pw;
    s.user = c.user;
    s.stage = 'active';
    this.logins++;
    s.maxRequested = a.maxPrivilege || c.user.maxPrivilege;
    s.outSeq = (a.initialOutboundSequence - 1) >>> 0;
    const inbound = randomBytes(4).readUInt32LE(0) || 1;
    s.window.accept(inbound - 1 || 0xffffffff);
    return reply(0, encodeActivateSessionResponse({ authType: 2, sessionId: s.id, initialInboundSequence: inbound, maxPrivilege: s.maxRequested }));
  }
}
