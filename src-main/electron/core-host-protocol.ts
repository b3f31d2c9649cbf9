// The messages the Electron main process and the core host (a utilityProcess) exchange
// over the host's parentPort. Every message is structured-cloned, so nothing here may
// hold a function or a class instance: Buffers arrive as Uint8Array, errors travel as
// SerializedError.
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
  | { type: 'call'; id: number; ctx: CallContext; method: Method; args: unknown }
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
  return t === 'init' || t === 'call' || t === 'dispose';
}
