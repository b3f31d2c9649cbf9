// CoreClient over a WebSocket to serve mode. One socket: the first message is WireAuth,
// the reply WireAuthReply; then WireRequest/WireResponse correlated by id, WireEvent
// pushed by the server. When the socket drops the client reconnects with back-off,
// re-authenticating with the same token; a refused token stops it for good.
import type {
  ApiEvents,
  ArgsOf,
  CoreClient,
  Disposable,
  EventName,
  Method,
  ResultOf,
  WireAuth,
  WireAuthReply,
  WireRequest,
  WireResponse,
} from '../../src-shared/api';
import { isEventName } from '../../src-shared/api';
import type { Role } from '../../src-shared/domain';
import { RemoteError, isSerializedError, type ErrorCode } from '../../src-shared/errors';

export type ConnectionState =
  | { phase: 'connecting'; attempt: number }
  | { phase: 'open'; actor: string; role: Role }
  | { phase: 'reconnecting'; attempt: number; retryInMs: number; reason: string }
  | { phase: 'closed'; error: RemoteError | null };

export interface WsClientOptions {
  url: string;
  token: string;
  /** Keep retrying when the very first connection fails (a wall screen booting before its server). */
  waitForServer?: boolean;
  callTimeoutMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Injected for tests; defaults to the browser's WebSocket. */
  createSocket?: (url: string) => WebSocket;
}

interface Pending {
  method: Method;
  resolve: (v: unknown) => void;
  reject: (e: RemoteError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Close codes a server may use to refuse a token without sending a WireAuthReply. */
const AUTH_CLOSE_CODES = new Set([1008, 4001, 4003, 4401, 4403]);

export function serveApiUrl(loc: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api`;
}

function clientError(name: string, code: ErrorCode, message: string, params?: Record<string, unknown>): RemoteError {
  return new RemoteError({ name, code, message, params });
}

export class WsClient implements CoreClient {
  private readonly opts: Required<Omit<WsClientOptions, 'createSocket'>> & Pick<WsClientOptions, 'createSocket'>;
  private socket: WebSocket | null = null;
  private authed = false;
  private everOpened = false;
  private attempt = 0;
  private nextId = 1;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly inFlight = new Map<number, Pending>();
  private readonly queued: { msg: WireRequest; pending: Pending }[] = [];
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private current: ConnectionState = { phase: 'connecting', attempt: 1 };
  private firstAuth: { resolve: (who: { actor: string; role: Role }) => void; reject: (e: RemoteError) => void } | null = null;

  constructor(options: WsClientOptions) {
    this.opts = { waitForServer: false, callTimeoutMs: 30_000, initialBackoffMs: 500, maxBackoffMs: 15_000, ...options };
  }

  /** Opens the socket; resolves once the token is accepted, rejects if it is refused. */
  connect(): Promise<{ actor: string; role: Role }> {
    return new Promise((resolve, reject) => {
      this.firstAuth = { resolve, reject };
      this.open();
    });
  }

  /** The token this client signs in with: serve mode's bulk HTTP transfers send the same one. */
  get token(): string {
    return this.opts.token;
  }

  get state(): ConnectionState {
    return this.current;
  }

  onState(listener: (s: ConnectionState) => void): Disposable {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  call<M extends Method>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
    if (this.current.phase === 'closed') {
      return Promise.reject(this.current.error ?? clientError('ClientClosedError', 'UNAVAILABLE', 'The connection to FleetDeck is closed'));
    }
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const id = this.nextId++;
      const msg: WireRequest = { type: 'call', id, method, args: args ?? null };
      const pending: Pending = {
        method,
        resolve: resolve as (v: unknown) => void,
        reject,
        timer: setTimeout(() => {
          this.forget(id);
          reject(clientError('CallTimeoutError', 'UNAVAILABLE', `No reply to "${method}" within ${this.opts.callTimeoutMs / 1000} s`, { method }));
        }, this.opts.callTimeoutMs),
      };
      if (this.authed && this.socket) this.send(msg, pending);
      else this.queued.push({ msg, pending });
    });
  }

  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): Disposable {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const wrapped = (p: unknown): void => listener(p as ApiEvents[E]);
    set.add(wrapped);
    return { dispose: () => set.delete(wrapped) };
  }

  dispose(): void {
    this.shutdown(null);
  }

  // ---- internals ----

  private setState(s: ConnectionState): void {
    this.current = s;
    for (const l of [...this.stateListeners]) l(s);
  }

  private open(): void {
    this.attempt += 1;
    this.authed = false;
    if (!this.everOpened) this.setState({ phase: 'connecting', attempt: this.attempt });
    let ws: WebSocket;
    try {
      ws = this.opts.createSocket ? this.opts.createSocket(this.opts.url) : new WebSocket(this.opts.url);
    } catch (err) {
      this.shutdown(clientError('ConnectError', 'UNAVAILABLE', `Cannot open ${this.opts.url}: ${String(err)}`));
      return;
    }
    this.socket = ws;
    ws.onopen = () => {
      const auth: WireAuth = { type: 'auth', token: this.opts.token };
      ws.send(JSON.stringify(auth));
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data === 'string') this.receive(ev.data);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.socket === ws) this.lost(ev.code, ev.reason);
    };
  }

  private receive(text: string): void {
    let msg: { type?: unknown };
    try {
      msg = JSON.parse(text) as { type?: unknown };
    } catch {
      console.warn('FleetDeck: ignoring a non-JSON message from the server');
      return;
    }
    if (msg.type === 'auth') this.authReply(msg as WireAuthReply);
    else if (msg.type === 'result') this.result(msg as WireResponse);
    else if (msg.type === 'event') {
      const { event, payload } = msg as { event: unknown; payload: unknown };
      if (!isEventName(event)) return;
      for (const l of [...(this.listeners.get(event) ?? [])]) {
        try {
          l(payload);
        } catch (err) {
          console.error(`FleetDeck: a listener for ${event} threw`, err);
        }
      }
    }
  }

  private authReply(reply: WireAuthReply): void {
    if (!reply.ok) {
      const e = isSerializedError(reply.error)
        ? new RemoteError(reply.error)
        : clientError('AuthError', 'UNAUTHENTICATED', 'The server refused the token');
      this.shutdown(e);
      return;
    }
    this.authed = true;
    this.everOpened = true;
    this.attempt = 0;
    this.setState({ phase: 'open', actor: reply.actor, role: reply.role });
    this.firstAuth?.resolve({ actor: reply.actor, role: reply.role });
    this.firstAuth = null;
    for (const { msg, pending } of this.queued.splice(0)) this.send(msg, pending);
  }

  private result(res: WireResponse): void {
    const pending = this.forget(res.id);
    if (!pending) return;
    if (res.ok) pending.resolve(res.result);
    else
      pending.reject(
        isSerializedError(res.error)
          ? new RemoteError(res.error)
          : clientError('ProtocolError', 'INTERNAL', `Malformed error reply for "${pending.method}"`),
      );
  }

  private send(msg: WireRequest, pending: Pending): void {
    this.inFlight.set(msg.id, pending);
    try {
      this.socket?.send(JSON.stringify(msg));
    } catch (err) {
      this.forget(msg.id);
      pending.reject(clientError('SendError', 'UNAVAILABLE', `Could not send "${msg.method}": ${String(err)}`));
    }
  }

  private forget(id: number): Pending | undefined {
    const p = this.inFlight.get(id) ?? this.queued.find((q) => q.msg.id === id)?.pending;
    if (!p) return undefined;
    clearTimeout(p.timer);
    this.inFlight.delete(id);
    const qi = this.queued.findIndex((q) => q.msg.id === id);
    if (qi >= 0) this.queued.splice(qi, 1);
    return p;
  }

  private lost(code: number, reason: string): void {
    const wasAuthed = this.authed;
    this.socket = null;
    this.authed = false;
    if (this.current.phase === 'closed') return;
    // Calls already sent may or may not have run: report them, do not replay them.
    for (const [id, p] of [...this.inFlight]) {
      this.forget(id);
      p.reject(clientError('ConnectionLostError', 'UNAVAILABLE', `The connection dropped before "${p.method}" was answered`, { code, reason }));
    }
    if (!wasAuthed && AUTH_CLOSE_CODES.has(code)) {
      this.shutdown(clientError('AuthError', 'UNAUTHENTICATED', reason || 'The server refused the token', { code }));
      return;
    }
    const why = reason || (code === 1006 ? 'connection lost' : `closed with code ${code}`);
    if (!this.everOpened && !this.opts.waitForServer) {
      this.shutdown(clientError('ConnectError', 'UNAVAILABLE', `Cannot reach FleetDeck at ${this.opts.url} (${why})`, { code }));
      return;
    }
    const base = Math.min(this.opts.maxBackoffMs, this.opts.initialBackoffMs * 2 ** Math.min(this.attempt, 10));
    const retryInMs = Math.round(base * (0.5 + Math.random() * 0.5));
    this.setState({ phase: 'reconnecting', attempt: this.attempt + 1, retryInMs, reason: why });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, retryInMs);
  }

  private shutdown(error: RemoteError | null): void {
    if (this.current.phase === 'closed') return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ws = this.socket;
    this.socket = null;
    this.authed = false;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000, 'client closed');
    const failure = error ?? clientError('ClientClosedError', 'UNAVAILABLE', 'The connection to FleetDeck was closed');
    for (const [id, p] of [...this.inFlight]) {
      this.forget(id);
      p.reject(failure);
    }
    for (const { pending } of this.queued.splice(0)) {
      clearTimeout(pending.timer);
      pending.reject(failure);
    }
    this.setState({ phase: 'closed', error });
    this.firstAuth?.reject(failure);
    this.firstAuth = null;
  }
}
