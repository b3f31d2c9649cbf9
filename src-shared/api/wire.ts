// The messages that carry the contract: the same shapes over the WebSocket, Electron IPC and
// the core host's port. One CallReply for every hop.
import type { SerializedError } from '../errors';
import type { Role } from '../domain/roles';

/** The answer to one call: never a thrown error across a boundary. */
export type CallReply<R = unknown> = { readonly ok: true; readonly result: R } | { readonly ok: false; readonly error: SerializedError };

export interface WireRequest {
  readonly type: 'call';
  readonly id: number;
  readonly method: string;
  readonly args: unknown;
}
export type WireResponse = { readonly type: 'result'; readonly id: number } & CallReply;
export interface WireEvent {
  readonly type: 'event';
  readonly event: string;
  readonly payload: unknown;
}
export interface WireAuth {
  readonly type: 'auth';
  readonly token: string;
}
export type WireAuthReply =
  | { readonly type: 'auth'; readonly ok: true; readonly actor: string; readonly role: Role }
  | { readonly type: 'auth'; readonly ok: false; readonly error: SerializedError };

/** The name the preload exposes on window, and its two IPC channels. */
export const PRELOAD_GLOBAL = 'fleetdeck';
export const IPC_CALL = 'fleetdeck:call';
export const IPC_EVENT = 'fleetdeck:event';
