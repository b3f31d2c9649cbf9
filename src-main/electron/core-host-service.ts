// The core host's logic, kept apart from core-host.ts (the utilityProcess entry) so it can
// be driven in tests through a fake port and a fake core. Plain Node: no electron import.
import { isMethod, type ApiEvents, type ArgsOf, type CallContext, type EventName, type Method, type ResultOf } from '../../src-shared/api';
import type { Disposable } from '../../src-shared/lifecycle';
import { FleetDeckError, serializeError } from '../../src-shared/errors';
import type { CoreConfig } from '../core/config';
import { isMainToHost, type CoreHostConfig, type HostToMain, type MainToHost } from './core-host-protocol';

/** The part of create-core's Core the host needs (structurally the same shape). */
export interface HostedCore {
  api: {
    call<M extends Method>(ctx: CallContext, method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
    /** Every stream the caller's role may receive. */
    subscribe(ctx: CallContext, sink: <E extends EventName>(event: E, payload: ApiEvents[E]) => void): Disposable;
  };
  dispose(): Promise<void>;
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
      const result = await c.api.call(msg.ctx, msg.method, msg.args as ArgsOf<typeof msg.method>);
      post({ type: 'result', id, ok: true, result });
    } catch (err) {
      post({ type: 'result', id, ok: false, error: serializeError(err) });
    }
  };

  const dispose = async (): Promise<void> => {
    if (disposing) return;
    disposing = true;
    let code = 0;
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
      case 'dispose':
        void dispose();
        break;
    }
  });
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
