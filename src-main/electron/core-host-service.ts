// The core host's logic, kept apart from core-host.ts (the utilityProcess entry) so it can
// be driven in tests through a fake port and a fake core. Plain Node: no electron import.
// A call naming a connection runs under that connection's call budget (core.api.connect,
// opened on its first call, disposed on 'disconnect' or when the host shuts down).
import { isMethod, type ApiEvents, type ArgsOf, type CallContext, type EventName, type Method, type ResultOf } from '../../src-shared/api';
import type { Disposable } from '../../src-shared/lifecycle';
import { FleetDeckError, serializeError } from '../../src-shared/errors';
import type { CoreConfig } from '../core/config';
import { isMainToHost, type CoreHostConfig, type HostToMain, type MainToHost } from './core-host-protocol';

/** The part of create-core's Core the host needs (structurally the same shape). */
export interface HostedCore {
  api: {
    call<M extends Method>(ctx: CallContext, method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
    /** A connection's calls under its own budget (RATE_LIMITED past it); dispose() drops its queued calls. */
    connect(ctx: CallContext): HostedConnection;
    /** Every stream the caller's role may receive. */
    subscribe(ctx: CallContext, sink: <E extends EventName>(event: E, payload: ApiEvents[E]) => void): Disposable;
  };
  dispose(): Promise<void>;
}

export interface HostedConnection extends Disposable {
  call<M extends Method>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
}

/** The host's side of the channel: process.parentPort in production. */
export interface HostPort {
  postMessage(message: HostToMain): void;
  onMessage(listener: (message: unknown) => void): void;
}

export interface CoreHostOptions {
  port: HostPort;
  createCore: (config: CoreConfig) => Promise<HostedCore>;
  /** Called once the core is disposed (or could not be disposed): process.exit there. */
  exit: (code: number) => void;
  log: (line: string) => void;
}

export function toCoreConfig(config: CoreHostConfig, log: (line: string) => void): CoreConfig {
  const k = config.secretKey;
  if (!(k instanceof Uint8Array)) throw new FleetDeckError('BAD_REQUEST', 'The init message carries no credential key');
  // A wiped or never-filled buffer would seal every credential with a known key.
  if (k.every((b) => b === 0)) throw new FleetDeckError('BAD_REQUEST', 'The credential key in the init message is all zeros; refusing to use it');
  // Buffer.from(view) copies: the core owns its key bytes.
  const { eventsFor: _eventsFor, ...rest } = config;
  return { ...rest, secretKey: Buffer.from(k), log };
}

/** Serves one core over the port until told to dispose. */
export function serveCoreHost(opts: CoreHostOptions): void {
  const { port, log } = opts;
  let core: Promise<HostedCore> | undefined;
  let subscriptions: Disposable[] = [];
  let disposing = false;
  const connections = new Map<number, HostedConnection>();
  /** Disconnected before their first call reached the core: not to be opened after all. */
  const closedEarly = new Set<number>();

  const post = (msg: HostToMain): void => {
    try {
      port.postMessage(msg);
    } catch (err) {
      // Not structured-cloneable (a function or class in a result): answer with the error.
      if (msg.type === 'result') {
        port.postMessage({ type: 'result', id: msg.id, ok: false, error: serializeError(new FleetDeckError('INTERNAL', `The result of call ${msg.id} cannot cross the process boundary: ${errMessage(err)}`)) });
      } else {
        log(`core host: dropped a ${msg.type} message that cannot be cloned: ${errMessage(err)}`);
      }
    }
  };

  const init = (config: CoreHostConfig): void => {
    if (core) {
      log('core host: ignored a second init message');
      return;
    }
    core = (async () => {
      const c = await opts.createCore(toCoreConfig(config, log));
      subscriptions = [c.api.subscribe(config.eventsFor, (event, payload) => post({ type: 'event', event, payload }))];
      return c;
    })();
    core.then(
      () => post({ type: 'ready' }),
      (err: unknown) => post({ type: 'init-failed', error: serializeError(err) }),
    );
  };

  const call = async (msg: Extract<MainToHost, { type: 'call' }>): Promise<void> => {
    const { id } = msg;
    try {
      if (disposing) throw new FleetDeckError('UNAVAILABLE', 'The core is shutting down');
      if (!core) throw new FleetDeckError('UNAVAILABLE', 'The core has not been initialised');
      if (!isMethod(msg.method)) throw new FleetDeckError('BAD_REQUEST', `Unknown method "${String(msg.method)}"`);
      const c = await core;
      const args = msg.args as ArgsOf<typeof msg.method>;
      const result = msg.conn === undefined ? await c.api.call(msg.ctx, msg.method, args) : await connection(c, msg.conn, msg.ctx).call(msg.method, args);
      post({ type: 'result', id, ok: true, result });
    } catch (err) {
      post({ type: 'result', id, ok: false, error: serializeError(err) });
    }
  };

  const connection = (c: HostedCore, conn: number, ctx: CallContext): HostedConnection => {
    if (disposing || closedEarly.has(conn)) throw new FleetDeckError('UNAVAILABLE', 'The connection is closed');
    let cn = connections.get(conn);
    if (!cn) {
      cn = c.api.connect(ctx);
      connections.set(conn, cn);
    }
    return cn;
  };

  const disconnect = (conn: number): void => {
    const cn = connections.get(conn);
    if (!cn) {
      closedEarly.add(conn);
      return;
    }
    connections.delete(conn);
    cn.dispose();
  };

  const dispose = async (): Promise<void> => {
    if (disposing) return;
    disposing = true;
    let code = 0;
    for (const cn of connections.values()) cn.dispose();
    connections.clear();
    for (const s of subscriptions) s.dispose();
    subscriptions = [];
    // A core whose init failed has nothing to dispose.
    const c = core ? await core.catch(() => undefined) : undefined;
    if (c) {
      try {
        await c.dispose();
      } catch (err) {
        log(`core host: dispose failed: ${errMessage(err)}`);
        code = 1;
      }
    }
    opts.exit(code);
  };

  port.onMessage((message) => {
    if (!isMainToHost(message)) {
      log('core host: ignored a message of unknown shape');
      return;
    }
    switch (message.type) {
      case 'init':
        init(message.config);
        break;
      case 'call':
        void call(message);
        break;
      case 'disconnect':
        disconnect(message.conn);
        break;
      case 'dispose':
        void dispose();
        break;
    }
  });
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
