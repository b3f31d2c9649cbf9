// The messages the Electron main process and the core host (a utilityProcess) exchange
// over the host's parentPort. Every message is structured-cloned, so nothing here may
// hold a function or a class instance: Buffers arrive as Uint8Array, errors travel as
// SerializedError. A call may name a connection (`conn`, chosen by the main process, one
// per window): the host runs it through core.api.connect()'s budget for that connection,
// opened on its first call and closed by 'disconnect'.
import type { CallContext, CallReply, EventName, Method } from '../../src-shared/api';
import type { SerializedError } from '../../src-shared/errors';
import type { CoreConfig } from '../core/config';

/** CoreConfig as it can cross a process boundary: no log function, the key as bytes. */
export interface CoreHostConfig extends Omit<CoreConfig, 'secretKey' | 'log'> {
  /** The 32-byte credential key. Never logged, never echoed back. */
  secretKey: Uint8Array;
  /** Whose event streams the host forwards to the windows: the core decides by its role. */
  eventsFor: CallContext;
}

export type MainToHost =
  | { type: 'init'; config: CoreHostConfig }
  | { type: 'call'; id: number; ctx: CallContext; method: Method; args: unknown; conn?: number }
  | { type: 'disconnect'; conn: number }
  | { type: 'dispose' };

export type HostToMain =
  | { type: 'ready' }
  | { type: 'init-failed'; error: SerializedError }
  | ({ type: 'result'; id: number } & CallReply)
  | { type: 'event'; event: EventName; payload: unknown };

export function isHostToMain(v: unknown): v is HostToMain {
  if (typeof v !== 'object' || v === null) return false;
  const t = (v as { type?: unknown }).type;
  return t === 'ready' || t === 'init-failed' || t === 'result' || t === 'event';
}

export function isMainToHost(v: unknown): v is MainToHost {
  if (typeof v !== 'object' || v === null) return false;
  const t = (v as { type?: unknown }).type;
  return t === 'init' || t === 'call' || t === 'disconnect' || t === 'dispose';
}
