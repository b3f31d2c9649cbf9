// The main process's side of the core host: correlation ids, the ready handshake, event
// fan-out and a bounded shutdown. It sees the utilityProcess only through HostChannel, so
// tests drive it with an in-memory channel. connect() gives a window its own connection:
// its calls run under that connection's call budget in the host, until dispose().
import { isEventName, type CallContext, type EventName, type Method } from '../../src-shared/api';
import { serializeError, type SerializedError } from '../../src-shared/errors';
import type { CallReply } from '../../src-shared/api';
import { isHostToMain, type CoreHostConfig, type MainToHost } from './core-host-protocol';

export interface HostChannel {
  postMessage(message: MainToHost): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number) => void): void;
  /** Ends the process at once (SIGTERM on POSIX). */
  kill(): void;
}

export interface CoreHostClientOptions {
  /** How long dispose() waits for the host to exit on its own before killing it. */
  disposeTimeoutMs?: number;
  log?: (line: string) => void;
  /** The host exited without being asked to (a crash, an OOM kill). */
  onUnexpectedExit?: (code: number) => void;
}

/** One window's calls, under its own budget in the core host. */
export interface HostConnection {
  /** Always resolves: RATE_LIMITED (params.retryAfterMs) past the budget, UNAVAILABLE once disposed. */
  call(method: Method, args: unknown): Promise<CallReply>;
  /** Drops its queued calls in the host; later calls are refused. */
  dispose(): void;
}

export type HostEventListener = (event: EventName, payload: unknown) => void;

const unavailable = (message: string): SerializedError => ({ name: 'CoreUnavailableError', code: 'UNAVAILABLE', message });

export class CoreHostClient {
  readonly #channel: HostChannel;
  readonly #disposeTimeoutMs: number;
  readonly #log: (line: string) => void;
  readonly #onUnexpectedExit: (code: number) => void;
  readonly #pending = new Map<number, (reply: CallReply) => void>();
  readonly #eventListeners = new Set<HostEventListener>();
  #nextId = 1;
  #nextConn = 1;
  #state: 'new' | 'starting' | 'ready' | 'failed' | 'disposing' | 'exited' = 'new';
  #failure: SerializedError | undefined;
  #ready: Promise<void> | undefined;
  #settleReady: { resolve: () => void; reject: (e: SerializedError) => void } | undefined;
  #exited: Promise<number>;

  constructor(channel: HostChannel, options: CoreHostClientOptions = {}) {
    this.#channel = channel;
    this.#disposeTimeoutMs = options.disposeTimeoutMs ?? 5_000;
    this.#log = options.log ?? (() => {});
    this.#onUnexpectedExit = options.onUnexpectedExit ?? (() => {});
    this.#exited = new Promise((resolve) => channel.onExit((code) => {
      this.#onExit(code);
      resolve(code);
    }));
    channel.onMessage((m) => this.#onMessage(m));
  }

  /** Sends the init message; resolves once the core is ready, rejects with its error. */
  start(config: CoreHostConfig): Promise<void> {
    if (this.#ready) return this.#ready;
    this.#state = 'starting';
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#settleReady = { resolve, reject };
    });
    // A caller that never awaits start() must not produce an unhandled rejection.
    this.#ready.catch(() => {});
    this.#channel.postMessage({ type: 'init', config });
    return this.#ready;
  }

  get state(): string {
    return this.#state;
  }

  /** Forwards one call; always resolves, with the core's error when there is one. */
  call(ctx: CallContext, method: Method, args: unknown): Promise<CallReply> {
    return this.#call(ctx, method, args, undefined);
  }

  /** A connection of its own (one per window): its calls are budgeted apart from every other connection's. */
  connect(ctx: CallContext): HostConnection {
    const conn = this.#nextConn++;
    let open = true;
    return {
      call: (method, args) => (open ? this.#call(ctx, method, args, conn) : Promise.resolve({ ok: false, error: unavailable('The connection is closed') })),
      dispose: () => {
        if (!open) return;
        open = false;
        if (this.#state !== 'starting' && this.#state !== 'ready') return;
        try {
          this.#channel.postMessage({ type: 'disconnect', conn });
        } catch (err) {
          this.#log(`core host: could not send disconnect: ${err instanceof Error ? err.message : String(err)}`);
        }
      },
    };
  }

  async #call(ctx: CallContext, method: Method, args: unknown, conn: number | undefined): Promise<CallReply> {
    if (!this.#ready) return { ok: false, error: unavailable('The core has not been started') };
    try {
      await this.#ready;
    } catch (err) {
      return { ok: false, error: err as SerializedError };
    }
    if (this.#state !== 'ready') return { ok: false, error: this.#failure ?? unavailable('The core is shutting down') };
    const id = this.#nextId++;
    return new Promise<CallReply>((resolve) => {
      this.#pending.set(id, resolve);
      try {
        this.#channel.postMessage(conn === undefined ? { type: 'call', id, ctx, method, args } : { type: 'call', id, ctx, method, args, conn });
      } catch (err) {
        // args that cannot be structured-cloned, or a channel already gone.
        this.#pending.delete(id);
        resolve({ ok: false, error: { ...serializeError(err), code: 'BAD_REQUEST' } });
      }
    });
  }

  onEvent(listener: HostEventListener): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  /** Asks the host to dispose the core; kills it if it has not exited within the timeout. */
  async dispose(): Promise<void> {
    if (this.#state === 'exited') return;
    if (this.#state !== 'disposing') {
      this.#state = 'disposing';
      try {
        this.#channel.postMessage({ type: 'dispose' });
      } catch (err) {
        this.#log(`core host: could not send dispose: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#disposeTimeoutMs);
    });
    const outcome = await Promise.race([this.#exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.#log(`core host: no exit ${this.#disposeTimeoutMs} ms after dispose; killing it`);
      this.#channel.kill();
    }
  }

  #onMessage(message: unknown): void {
    if (!isHostToMain(message)) {
      this.#log('core host: ignored a message of unknown shape');
      return;
    }
    switch (message.type) {
      case 'ready':
        if (this.#state === 'starting') this.#state = 'ready';
        this.#settleReady?.resolve();
        break;
      case 'init-failed':
        this.#fail(message.error);
        break;
      case 'result': {
        const settle = this.#pending.get(message.id);
        if (!settle) return;
        this.#pending.delete(message.id);
        settle(message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error });
        break;
      }
      case 'event':
        if (!isEventName(message.event)) return;
        for (const l of this.#eventListeners) {
          try {
            l(message.event, message.payload);
          } catch (err) {
            this.#log(`core host: event listener failed: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        break;
    }
  }

  #onExit(code: number): void {
    const expected = this.#state === 'disposing';
    this.#state = 'exited';
    if (!expected) this.#log(`core host exited unexpectedly (code ${code})`);
    this.#fail(unavailable(expected ? 'The core has shut down' : `The core process exited unexpectedly (code ${code})`));
    if (!expected) this.#onUnexpectedExit(code);
  }

  #fail(error: SerializedError): void {
    if (this.#state !== 'exited' && this.#state !== 'disposing') this.#state = 'failed';
    this.#failure ??= error;
    this.#settleReady?.reject(error);
    for (const settle of this.#pending.values()) settle({ ok: false, error });
    this.#pending.clear();
  }
}
