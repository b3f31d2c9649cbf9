// Serve mode's WebSocket transport: the first message authenticates a token, then calls and
// the event streams the core allows that role flow as the contract's wire messages.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isMethod, type CallContext, type WireResponse } from '../../src-shared/api';
import type { Disposable } from '../../src-shared/lifecycle';
import { FleetDeckError, serializeError } from '../../src-shared/errors';
import type { Core } from '../core/create-core';

const AUTH_TIMEOUT_MS = 10_000;
/** Past this much unsent data, a slow client misses event snapshots (the next one supersedes them). */
const EVENT_BACKLOG_BYTES = 4 * 1024 * 1024;
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

function send(ws: WebSocket, msg: unknown): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
}

function parse(data: unknown): Record<string, unknown> | null {
  try {
    const v = JSON.parse(String(data));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** Carries the contract over WebSocket: the first message authenticates, then calls and events flow. */
export function createWsGateway(core: Core): { wss: WebSocketServer; handleUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void; close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  wss.on('connection', (ws, req) => {
    const peer = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    let ctx: CallContext | null = null;
    const subs: Disposable[] = [];
    const authTimer = setTimeout(() => ws.close(4401, 'authentication timed out'), AUTH_TIMEOUT_MS);

    ws.on('message', (data) => {
      const msg = parse(data);
      if (!msg) {
        send(ws, { type: 'error', error: serializeError(new FleetDeckError('BAD_REQUEST', 'Messages must be JSON objects')) });
        return;
      }
      if (!ctx) {
        if (msg.type !== 'auth' || typeof msg.token !== 'string') {
          send(ws, { type: 'auth', ok: false, error: serializeError(new FleetDeckError('UNAUTHENTICATED', 'The first message must be {type:"auth", token}')) });
          ws.close(4401, 'unauthenticated');
          return;
        }
        const who = core.auth.authenticate(msg.token, `ws ${peer}`);
        if (!who) {
          send(ws, { type: 'auth', ok: false, error: serializeError(new FleetDeckError('UNAUTHENTICATED', 'Unknown or revoked access token')) });
          ws.close(4401, 'bad token');
          return;
        }
        clearTimeout(authTimer);
        ctx = { actor: `${who.actor}@${req.socket.remoteAddress ?? '?'}`, role: who.role };
        // The core decides which streams this role receives (command output: operators only).
        subs.push(
          core.api.subscribe(ctx, (event, payload) => {
            if (ws.bufferedAmount < EVENT_BACKLOG_BYTES) send(ws, { type: 'event', event, payload });
          }),
        );
        send(ws, { type: 'auth', ok: true, actor: ctx.actor, role: ctx.role });
        return;
      }
      if (msg.type !== 'call' || typeof msg.id !== 'number') {
        send(ws, { type: 'error', error: serializeError(new FleetDeckError('BAD_REQUEST', 'Expected {type:"call", id, method, args}')) });
        return;
      }
      const id = msg.id;
      const caller = ctx;
      const method = msg.method;
      if (!isMethod(method)) {
        send(ws, { type: 'result', id, ok: false, error: serializeError(new FleetDeckError('BAD_REQUEST', `Unknown method "${String(method)}"`)) } satisfies WireResponse);
        return;
      }
      core.api
        .call(caller, method, msg.args as never)
        .then((result) => send(ws, { type: 'result', id, ok: true, result } satisfies WireResponse))
        .catch((err) => send(ws, { type: 'result', id, ok: false, error: serializeError(err) } satisfies WireResponse));
    });

    ws.on('close', () => {
      clearTimeout(authTimer);
      for (const s of subs.splice(0)) s.dispose();
    });
    ws.on('error', () => ws.terminate());
  });

  return {
    wss,
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      for (const c of wss.clients) c.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
