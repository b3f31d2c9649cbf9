// Serve mode's WebSocket transport: the first message authenticates a token, then calls and
// the event streams the core allows that role flow as the contract's wire messages. Bounded
// whatever clients send: connection caps, a tiny frame limit and a deadline before login,
// per-method frame limits and the core's per-connection call budget after it.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isMethod, methodRole, type CallContext, type Method, type WireResponse } from '../../src-shared/api';
import { ROLE_RANK } from '../../src-shared/domain';
import type { Disposable } from '../../src-shared/lifecycle';
import { FleetDeckError, serializeError } from '../../src-shared/errors';
import { RateLimitedError, type CallBudgetOptions } from '../core/api/call-budget';
import type { CoreConnection } from '../core/api/core-api';
import type { Core } from '../core/create-core';
import { ConnectionCaps, WS_CLOSE, capsOf, type GatewayLimits } from './ws-limits';

export { DEFAULT_GATEWAY_LIMITS, WS_CLOSE, type GatewayLimits } from './ws-limits';

/** Past this much unsent data, a slow client misses event snapshots (the next one supersedes them). */
const EVENT_BACKLOG_BYTES = 4 * 1024 * 1024;
/** Past this much unsent data, new calls are refused (RATE_LIMITED) until the client reads its replies. */
const REPLY_BACKLOG_BYTES = 16 * 1024 * 1024;

/** A connection refused a call for its budget is not read for at least this long (ms). */
const LIMITED_PAUSE_MS = 250;

/** A call whose frame is larger than its method allows. */
export class MessageTooLargeError extends FleetDeckError {
  constructor(method: string, bytes: number, limitBytes: number) {
    const hint = method.startsWith('inventory.') ? '; send inventory files over HTTP (/api/inventory/import, /api/inventory/export)' : '';
    super('BAD_REQUEST', `A "${method}" call may be at most ${limitBytes} bytes (this one is ${bytes})${hint}`, { method, bytes, limitBytes });
    this.name = 'MessageTooLargeError';
  }
}

function send(ws: WebSocket, msg: unknown): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
}

function parse(data: RawData): Record<string, unknown> | null {
  try {
    const v = JSON.parse(String(data));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

const sizeOf = (data: RawData): number => (Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length);

/**
 * The largest message ws will assemble for this socket from now on. ws fixes maxPayload per
 * socket at the handshake and offers no setter, so the receiver's own field is changed; if a ws
 * release renames it, the small pre-auth limit simply stays (the unit test notices).
 */
export function setReceiveLimit(ws: WebSocket, bytes: number): boolean {
  const receiver = (ws as unknown as { _receiver?: { _maxPayload?: unknown } })._receiver;
  if (!receiver || typeof receiver._maxPayload !== 'number') return false;
  receiver._maxPayload = bytes;
  return true;
}

/** Closes now: the close frame is sent, and the socket is destroyed if the peer does not answer it soon. */
function closeNow(ws: WebSocket, code: number, reason: string): void {
  ws.close(code, reason);
  setTimeout(() => ws.terminate(), 500).unref();
}

export interface WsGateway {
  wss: WebSocketServer;
  handleUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Sockets open now: all, and those not yet authenticated. */
  counts(): { open: number; unauthenticated: number };
  close(): Promise<void>;
}

/** Carries the contract over WebSocket: the first message authenticates, then calls and events flow. */
export function createWsGateway(core: Core, options: Partial<GatewayLimits> & { budget?: Partial<CallBudgetOptions> } = {}): WsGateway {
  const limits = capsOf(options);
  const caps = new ConnectionCaps(limits);
  let unauthenticated = 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.preAuthFrameBytes, perMessageDeflate: false, maxFragments: 1024 });
  const frameLimit = (method: Method): number => limits.methodFrameBytes[method] ?? limits.frameBytes;
  /** What ws may assemble for a role: the largest frame any method it may call allows. */
  const receiveLimit = (ctx: CallContext): number =>
    Math.max(limits.frameBytes, ...Object.entries(limits.methodFrameBytes).filter(([m]) => isMethod(m) && ROLE_RANK[ctx.role] >= ROLE_RANK[methodRole(m)]).map(([, n]) => n ?? 0));

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const peer = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    let ctx: CallContext | null = null;
    let calls: CoreConnection | null = null;
    const subs: Disposable[] = [];
    unauthenticated++;
    let counted = true;
    const authenticated = (): void => {
      if (counted) unauthenticated--;
      counted = false;
    };
    // Past its budget, a connection's socket is not read for a while: what it pipelined waits in
    // the kernel (TCP backpressure) instead of costing the core a refusal per call.
    let held: NodeJS.Timeout | null = null;
    const holdBack = (): void => {
      if (held || ws.readyState !== ws.OPEN) return;
      ws.pause();
      held = setTimeout(() => {
        held = null;
        if (ws.readyState === ws.OPEN) ws.resume();
      }, LIMITED_PAUSE_MS);
    };
    const authTimer = setTimeout(() => closeNow(ws, WS_CLOSE.unauthenticated, 'authentication timed out'), limits.authDeadlineMs);
    // A pipelined burst is answered in one write: the replies of the frames parsed in one turn
    // are corked and leave together, instead of one syscall each (a flood's refusals).
    const socket = (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    let corked = false;
    const corkTurn = (): void => {
      if (corked || !socket) return;
      corked = true;
      socket.cork();
      setImmediate(() => {
        corked = false;
        socket.uncork();
      });
    };

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!ctx) {
        // Before login: exactly one small text message, {type:"auth", token}; anything else closes.
        const msg = isBinary ? null : parse(data);
        if (!msg || msg.type !== 'auth' || typeof msg.token !== 'string') {
          send(ws, { type: 'auth', ok: false, error: serializeError(new FleetDeckError('UNAUTHENTICATED', 'The first message must be {type:"auth", token}')) });
          closeNow(ws, WS_CLOSE.unauthenticated, 'unauthenticated');
          return;
        }
        const who = core.auth.authenticate(msg.token, `ws ${peer}`);
        if (!who) {
          send(ws, { type: 'auth', ok: false, error: serializeError(new FleetDeckError('UNAUTHENTICATED', 'Unknown or revoked access token')) });
          closeNow(ws, WS_CLOSE.unauthenticated, 'bad token');
          return;
        }
        clearTimeout(authTimer);
        authenticated();
        ctx = { actor: `${who.actor}@${req.socket.remoteAddress ?? '?'}`, role: who.role };
        calls = core.api.connect(ctx, options.budget);
        setReceiveLimit(ws, receiveLimit(ctx));
        // The core decides which streams this role receives (command output: operators only).
        subs.push(
          core.api.subscribe(ctx, (event, payload) => {
            if (ws.bufferedAmount < EVENT_BACKLOG_BYTES) send(ws, { type: 'event', event, payload });
          }),
        );
        // A revoked credential (a wall's kiosk token) ends its sessions now, not at their next sign-in.
        const signedInAs = who.actor;
        const revoked = core.auth.onDidRevoke?.((actor) => {
          if (actor === signedInAs) closeNow(ws, WS_CLOSE.unauthenticated, 'token revoked');
        });
        if (revoked) subs.push(revoked);
        send(ws, { type: 'auth', ok: true, actor: ctx.actor, role: ctx.role });
        return;
      }
      corkTurn();
      const msg = isBinary ? null : parse(data);
      if (!msg) {
        send(ws, { type: 'error', error: serializeError(new FleetDeckError('BAD_REQUEST', 'Messages must be JSON objects')) });
        return;
      }
      if (msg.type !== 'call' || typeof msg.id !== 'number') {
        send(ws, { type: 'error', error: serializeError(new FleetDeckError('BAD_REQUEST', 'Expected {type:"call", id, method, args}')) });
        return;
      }
      const id = msg.id;
      const method = msg.method;
      const reply = (p: Promise<unknown>): void => {
        p.then(
          (result) => send(ws, { type: 'result', id, ok: true, result } satisfies WireResponse),
          (err) => {
            if (err instanceof RateLimitedError) holdBack();
            send(ws, { type: 'result', id, ok: false, error: serializeError(err) } satisfies WireResponse);
          },
        );
      };
      if (!isMethod(method)) {
        send(ws, { type: 'result', id, ok: false, error: serializeError(new FleetDeckError('BAD_REQUEST', `Unknown method "${String(method).slice(0, 80)}"`)) } satisfies WireResponse);
        return;
      }
      const bytes = sizeOf(data);
      if (bytes > frameLimit(method)) return reply(Promise.reject(new MessageTooLargeError(method, bytes, frameLimit(method))));
      if (ws.bufferedAmount > REPLY_BACKLOG_BYTES) return reply(Promise.reject(new RateLimitedError('backlog', 1000, REPLY_BACKLOG_BYTES)));
      reply(calls!.call(method, msg.args as never));
    });

    ws.on('close', () => {
      clearTimeout(authTimer);
      if (held) clearTimeout(held);
      authenticated();
      calls?.dispose();
      for (const s of subs.splice(0)) s.dispose();
    });
    ws.on('error', () => ws.terminate());
  });

  return {
    wss,
    handleUpgrade(req, socket, head) {
      const address = req.socket.remoteAddress ?? '?';
      const refused = caps.admit(address);
      if (!refused) socket.once('close', () => caps.release(address));
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (refused) {
          // Told in words over the socket: a browser sees nothing of a refused handshake.
          ws.close(WS_CLOSE.tooMany, refused);
          setTimeout(() => ws.terminate(), 500).unref();
          return;
        }
        wss.emit('connection', ws, req);
      });
    },
    counts: () => ({ open: wss.clients.size, unauthenticated }),
    close() {
      for (const c of wss.clients) c.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
