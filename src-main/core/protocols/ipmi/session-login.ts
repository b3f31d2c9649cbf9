// Session establishment: Get Channel Authentication Capabilities, then either RMCP+
// (Open Session, RAKP 1-4, Set Session Privilege Level) or, where the BMC offers nothing
// else, an IPMI 1.5 MD5 session (Get Session Challenge, Activate Session). Each returns an
// ActiveSession that wraps outgoing messages and unwraps (verifies, decrypts, replay-checks)
// incoming ones.
import { randomBytes } from 'node:crypto';
import {
  decodeActivateSessionResponse, decodeChannelAuthCapabilities, decodeSessionChallenge, encodeActivateSession,
  encodeGetChannelAuthCapabilities, encodeGetSessionChallenge, type ChannelAuthCapabilities,
} from './codec/app-commands';
import { CIPHER_SUITES, codesEqual, deriveSessionKeys, passwordKey, type CipherSuite } from './codec/cipher';
import { AUTH_TYPE, CMD, NETFN, PAYLOAD, type PrivilegeLevel } from './codec/constants';
import { decodeIpmi15, encodeIpmi15, password16, verifyIpmi15 } from './codec/ipmi15';
import { decodeResponse, encodeRequest, type IpmiResponse } from './codec/message';
import {
  RAKP_ALGORITHM_STATUSES, SHORT_ERROR, decodeOpenSessionResponse, decodeRakp2, decodeRakp4, encodeOpenSessionRequest, encodeRakp1, encodeRakp3,
  rakp2AuthCode, rakp3AuthCode, rakp4IntegrityCheck, rakpStatusText, type RakpExchange,
} from './codec/rakp';
import { ReplayWindow, nextSequence } from './codec/replay-window';
import { classifyPacket } from './codec/rmcp';
import { decodeRmcpPlus, encodeRmcpPlus, openPayload, type SessionCrypto } from './codec/rmcpplus';
import { IpmiAuthError, IpmiCompletionCodeError, IpmiTimeoutError, IpmiUnsupportedError } from './errors';
import { exchange, orIgnore, type ExchangeTarget } from './session-exchange';

export type CipherSuiteChoice = 'auto' | number;

export interface LoginOptions {
  username: string;
  password: string;
  privilege: PrivilegeLevel;
  cipherSuite: CipherSuiteChoice;
  ipmiVersion: 'auto' | '2.0' | '1.5';
  /** BMC key (two-key login); the user's password key when absent. */
  kg?: Buffer;
}

export interface ActiveSession {
  readonly version: '2.0' | '1.5';
  readonly cipherSuite: number | null;
  /** Our session ID (what the BMC puts in its packets) and the BMC's (what we put in ours). */
  readonly consoleSessionId: number;
  readonly bmcSessionId: number;
  wrap(message: Buffer): Buffer;
  /** The IPMI message of a packet of this session; undefined if not ours, forged or replayed. */
  unwrap(packet: Buffer): Buffer | undefined;
}

let rqSeqCounter = Math.floor(Math.random() * 64);
/** A 6-bit request sequence for pre-session requests. */
function nextRqSeq(): number {
  rqSeqCounter = (rqSeqCounter + 1) & 0x3f;
  return rqSeqCounter;
}

function randomNonZeroU32(): number {
  for (;;) {
    const v = randomBytes(4).readUInt32LE(0);
    if (v !== 0) return v;
  }
}

/** Matches the response to a pre-session (sessionless IPMI 1.5) request. */
function sessionlessResponse(netFn: number, cmd: number, rqSeq: number) {
  return (packet: Buffer): IpmiResponse | undefined =>
    orIgnore(() => {
      if (classifyPacket(packet) !== 'ipmi15') return undefined;
      const p = decodeIpmi15(packet);
      const res = decodeResponse(p.message);
      return res.netFn === netFn && res.cmd === cmd && res.rqSeq === rqSeq ? res : undefined;
    });
}

export async function getAuthCapabilities(t: ExchangeTarget, privilege: PrivilegeLevel): Promise<ChannelAuthCapabilities> {
  const netFn = NETFN.APP;
  const cmd = CMD.GET_CHANNEL_AUTH_CAPABILITIES;
  const ask = async (ipmi20: boolean): Promise<IpmiResponse> => {
    const rqSeq = nextRqSeq();
    const message = encodeRequest({ netFn, cmd, rqSeq, data: encodeGetChannelAuthCapabilities(privilege, ipmi20) });
    return exchange(t, 'Get Channel Authentication Capabilities', () => encodeIpmi15({ authType: 'none', sequence: 0, sessionId: 0, message }), sessionlessResponse(netFn, cmd, rqSeq));
  };
  let res = await ask(true);
  // An IPMI 1.5-only BMC may reject the "IPMI 2.0 data" bit: ask again without it.
  if (res.completionCode !== 0) res = await ask(false);
  if (res.completionCode !== 0) throw new IpmiCompletionCodeError(t.host, 'Get Channel Authentication Capabilities', res.completionCode);
  return decodeChannelAuthCapabilities(res.data);
}

export async function login(t: ExchangeTarget, o: LoginOptions): Promise<ActiveSession> {
  const caps = await getAuthCapabilities(t, o.privilege);
  const use20 = o.ipmiVersion === '2.0' || (o.ipmiVersion === 'auto' && caps.ipmi20);
  if (use20) {
    if (!caps.ipmi20 && o.ipmiVersion === '2.0') throw new IpmiUnsupportedError(t.host, 'IPMI 2.0 (RMCP+)');
    return loginRmcpPlus(t, o);
  }
  if (!caps.authTypes.md5) throw new IpmiUnsupportedError(t.host, 'RMCP+ or IPMI 1.5 MD5 authentication');
  return loginIpmi15(t, o, caps);
}

async function loginRmcpPlus(t: ExchangeTarget, o: LoginOptions): Promise<ActiveSession> {
  const suites = o.cipherSuite === 'auto' ? [17, 3] : [o.cipherSuite];
  let lastStatus = 0;
  for (const id of suites) {
    const suite = CIPHER_SUITES[id];
    if (!suite) throw new IpmiUnsupportedError(t.host, `cipher suite ${id} (FleetDeck speaks ${Object.keys(CIPHER_SUITES).join(', ')})`);
    const r = await rakp(t, o, suite);
    if (typeof r !== 'number') return r;
    lastStatus = r;
  }
  throw new IpmiUnsupportedError(t.host, `cipher suite ${suites.join(' or ')} (${rakpStatusText(lastStatus)})`);
}

/** Open Session + RAKP 1-4 with one suite; a number is an algorithm-mismatch status. */
async function rakp(t: ExchangeTarget, o: LoginOptions, suite: CipherSuite): Promise<ActiveSession | number> {
  const consoleSessionId = randomNonZeroU32();
  const tag = randomBytes(1)[0];
  const open = encodeOpenSessionRequest({ tag, maxPrivilege: o.privilege, consoleSessionId, auth: suite.auth, integrity: suite.integrity, confidentiality: suite.confidentiality });
  const pre = (payloadType: number, payload: Buffer) => () => encodeRmcpPlus({ payloadType, sessionId: 0, sequence: 0, payload });
  const preResponse = <T>(payloadType: number, decode: (payload: Buffer) => T & { tag: number; consoleSessionId: number }) => (packet: Buffer) =>
    orIgnore(() => {
      if (classifyPacket(packet) !== 'rmcpplus') return undefined;
      const p = decodeRmcpPlus(packet);
      if (p.payloadType !== payloadType) return undefined;
      const m = decode(p.payload);
      return m.tag === tag && (m.consoleSessionId === consoleSessionId || m.consoleSessionId === SHORT_ERROR) ? m : undefined;
    });

  const opened = await exchange(t, 'Open Session', pre(PAYLOAD.OPEN_SESSION_REQUEST, open), preResponse(PAYLOAD.OPEN_SESSION_RESPONSE, decodeOpenSessionResponse));
  if (opened.status !== 0) {
    if (RAKP_ALGORITHM_STATUSES.has(opened.status)) return opened.status;
    throw new IpmiAuthError(t.host, `Open Session refused: ${rakpStatusText(opened.status)}`);
  }
  if (opened.auth !== suite.auth || opened.integrity !== suite.integrity || opened.confidentiality !== suite.confidentiality) {
    throw new IpmiAuthError(t.host, `BMC answered Open Session for cipher suite ${suite.id} with other algorithms`);
  }
  const username = Buffer.from(o.username, 'utf8');
  if (username.length > 16) throw new IpmiAuthError(t.host, 'user name is longer than 16 bytes');
  let kuid: Buffer;
  try {
    kuid = passwordKey(o.password);
  } catch (err) {
    throw new IpmiAuthError(t.host, 'password is longer than 20 bytes', err);
  }
  const x: RakpExchange = {
    suite, consoleSessionId, bmcSessionId: opened.bmcSessionId, consoleRandom: randomBytes(16), bmcRandom: Buffer.alloc(16), bmcGuid: Buffer.alloc(16),
    role: 0x10 | o.privilege, username,
  };
  const rakp1 = encodeRakp1({ tag, bmcSessionId: x.bmcSessionId, consoleRandom: x.consoleRandom, role: x.role, username });
  const r2 = await exchange(t, 'RAKP 1', pre(PAYLOAD.RAKP1, rakp1), preResponse(PAYLOAD.RAKP2, (p) => decodeRakp2(p, suite.auth)));
  if (r2.status !== 0) throw new IpmiAuthError(t.host, `RAKP 2: ${rakpStatusText(r2.status)}`);
  x.bmcRandom = r2.bmcRandom;
  x.bmcGuid = r2.bmcGuid;
  if (!codesEqual(r2.authCode, rakp2AuthCode(x, kuid))) throw new IpmiAuthError(t.host, 'wrong password: the BMC\'s RAKP 2 key exchange code does not verify');
  const keys = deriveSessionKeys(suite.auth, o.kg ?? kuid, x.consoleRandom, x.bmcRandom, x.role, username);
  const rakp3 = encodeRakp3({ tag, status: 0, bmcSessionId: x.bmcSessionId, authCode: rakp3AuthCode(x, kuid) });
  const r4 = await exchange(t, 'RAKP 3', pre(PAYLOAD.RAKP3, rakp3), preResponse(PAYLOAD.RAKP4, (p) => decodeRakp4(p, suite.auth)));
  if (r4.status !== 0) throw new IpmiAuthError(t.host, `RAKP 4: ${rakpStatusText(r4.status)}`);
  if (!codesEqual(r4.integrityCheck, rakp4IntegrityCheck(x, keys.sik))) throw new IpmiAuthError(t.host, 'RAKP 4 integrity check value does not verify (wrong BMC key?)');

  const crypto: SessionCrypto = { integrity: suite.integrity, confidentiality: suite.confidentiality, k1: keys.k1, k2: keys.k2 };
  const window = new ReplayWindow();
  let seq = 0;
  return {
    version: '2.0',
    cipherSuite: suite.id,
    consoleSessionId,
    bmcSessionId: x.bmcSessionId,
    wrap(message) {
      seq = nextSequence(seq);
      return encodeRmcpPlus({ payloadType: PAYLOAD.IPMI, sessionId: x.bmcSessionId, sequence: seq, payload: message, crypto });
    },
    unwrap(packet) {
      return orIgnore(() => {
        if (classifyPacket(packet) !== 'rmcpplus') return undefined;
        const p = decodeRmcpPlus(packet);
        if (p.payloadType !== PAYLOAD.IPMI || p.sessionId !== consoleSessionId) return undefined;
        const payload = openPayload(p, crypto);
        return window.accept(p.sequence) ? payload : undefined;
      });
    },
  };
}

async function loginIpmi15(t: ExchangeTarget, o: LoginOptions, caps: ChannelAuthCapabilities): Promise<ActiveSession> {
  const username = Buffer.from(o.username, 'utf8');
  let pw: Buffer;
  try {
    pw = password16(o.password);
  } catch (err) {
    throw new IpmiAuthError(t.host, 'password is longer than 16 bytes (IPMI 1.5)', err);
  }
  const netFn = NETFN.APP;
  const chCmd = CMD.GET_SESSION_CHALLENGE;
  let rqSeq = nextRqSeq();
  const challengeMsg = encodeRequest({ netFn, cmd: chCmd, rqSeq, data: encodeGetSessionChallenge(AUTH_TYPE.MD5, username) });
  const ch = await exchange(t, 'Get Session Challenge', () => encodeIpmi15({ authType: 'none', sequence: 0, sessionId: 0, message: challengeMsg }), sessionlessResponse(netFn, chCmd, rqSeq));
  if (ch.completionCode === 0x81) throw new IpmiAuthError(t.host, 'unknown user name');
  if (ch.completionCode === 0x82) throw new IpmiAuthError(t.host, 'null user name is not enabled');
  if (ch.completionCode !== 0) throw new IpmiCompletionCodeError(t.host, 'Get Session Challenge', ch.completionCode);
  const { tempSessionId, challenge } = decodeSessionChallenge(ch.data);

  const actCmd = CMD.ACTIVATE_SESSION;
  const initialOutbound = randomNonZeroU32();
  rqSeq = nextRqSeq();
  const actMsg = encodeRequest({ netFn, cmd: actCmd, rqSeq, data: encodeActivateSession({ authType: AUTH_TYPE.MD5, maxPrivilege: o.privilege, challenge, initialOutboundSequence: initialOutbound }) });
  let act: IpmiResponse;
  try {
    act = await exchange(t, 'Activate Session', () => encodeIpmi15({ authType: 'md5', sequence: 0, sessionId: tempSessionId, message: actMsg, password: pw }),
      (packet) => orIgnore(() => {
        if (classifyPacket(packet) !== 'ipmi15') return undefined;
        const p = decodeIpmi15(packet);
        if (p.authType !== AUTH_TYPE.NONE) verifyIpmi15(p, pw);
        const res = decodeResponse(p.message);
        return res.cmd === actCmd && res.rqSeq === rqSeq ? res : undefined;
      }));
  } catch (err) {
    // A BMC silently drops an Activate Session whose MD5 code does not verify.
    if (err instanceof IpmiTimeoutError) throw new IpmiAuthError(t.host, 'no answer to Activate Session: most likely a wrong password', err);
    throw err;
  }
  if (act.completionCode !== 0) throw new IpmiAuthError(t.host, `Activate Session refused (completion code 0x${act.completionCode.toString(16)})`);
  const a = decodeActivateSessionResponse(act.data);
  const window = new ReplayWindow();
  let seq = (a.initialInboundSequence - 1) >>> 0;
  return {
    version: '1.5',
    cipherSuite: null,
    consoleSessionId: a.sessionId,
    bmcSessionId: a.sessionId,
    wrap(message) {
      seq = nextSequence(seq);
      return encodeIpmi15({ authType: 'md5', sequence: seq, sessionId: a.sessionId, message, password: pw });
    },
    unwrap(packet) {
      return orIgnore(() => {
        if (classifyPacket(packet) !== 'ipmi15') return undefined;
        const p = decodeIpmi15(packet);
        if (p.sessionId !== a.sessionId) return undefined;
        // Unauthenticated answers are taken only from a BMC that said it does not sign messages.
        if (p.authType === AUTH_TYPE.NONE) {
          if (caps.perMessageAuth) return undefined;
        } else {
          verifyIpmi15(p, pw);
        }
        return window.accept(p.sequence) ? p.message : undefined;
      });
    },
  };
}
