// The desktop's IPC calls, kept apart from main.ts (no electron import) so they can be tested
// under plain Node: each renderer (webContents, by id) gets its own connection to the core,
// opened on its first call and disposed when the webContents is destroyed, so its calls run
// under that connection's call budget like a WebSocket client's: a runaway renderer gets
// RATE_LIMITED (params.retryAfterMs) and cannot starve another window or the core.
// main.ts checks the sender (ipc-guard.ts) before a call gets here. With a `confirm` gate
// (confirm-gate.ts: the desktop always passes one), dangerous calls wait for the main
// process's native dialog and never reach the core declined. Nothing is thrown across IPC:
// every outcome is a CallReply.
import { isMethod, type CallReply, type Method } from '../../src-shared/api';
import { serializeError, type SerializedError } from '../../src-shared/errors';
import type { ConfirmGate } from './confirm-gate';

/** One renderer's connection: CoreHostClient.connect() in the shell. */
export interface IpcConnection {
  call(method: Method, args: unknown): Promise<CallReply>;
  dispose(): void;
}

export interface IpcCallsDeps {
  /** A new connection to the core; null while the core is not running. */
  connect: () => IpcConnection | null;
  log?: (line: string) => void;
  /** The main process's confirmation of dangerous calls; without it calls go straight to the core. */
  confirm?: ConfirmGate;
}

export interface IpcCalls {
  /** Serves one call from the renderer `senderId` through its connection. */
  call(senderId: number, method: unknown, args: unknown): Promise<CallReply>;
  /** The renderer is gone (its webContents destroyed): its connection is disposed. */
  close(senderId: number): void;
  /** Renderers with a connection open. */
  readonly open: number;
  /** Disposes every connection (the shell is quitting). */
  dispose(): void;
}

export const ipcRefusal = (code: SerializedError['code'], message: string): CallReply => ({
  ok: false,
  error: { name: 'IpcRefusedError', code, message },
});

export function createIpcCalls(d: IpcCallsDeps): IpcCalls {
  const connections = new Map<number, IpcConnection>();
  const log = d.log ?? (() => {});

  const connectionOf = (senderId: number): IpcConnection | null => {
    let c = connections.get(senderId);
    if (!c) {
      const made = d.connect();
      if (!made) return null;
      c = made;
      connections.set(senderId, c);
    }
    return c;
  };

  const dropOne = (senderId: number): void => {
    const c = connections.get(senderId);
    if (!c) return;
    connections.delete(senderId);
    d.confirm?.close(senderId);
    try {
      c.dispose();
    } catch (err) {
      log(`ipc: closing the connection of renderer ${senderId} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return {
    async call(senderId, method, args) {
      try {
        if (!isMethod(method)) return ipcRefusal('BAD_REQUEST', `Unknown method "${typeof method === 'string' ? method.slice(0, 80) : typeof method}"`);
        const c = connectionOf(senderId);
        if (!c) return ipcRefusal('UNAVAILABLE', 'The core is not running');
        if (!d.confirm) return await c.call(method, args);
        // After a dialog the window may be gone: its disposed connection answers UNAVAILABLE.
        return await d.confirm.call(senderId, method, args, (m, a) => c.call(m, a));
      } catch (err) {
        // Never let an exception cross IPC: Electron would reduce it to a bare message.
        return { ok: false, error: serializeError(err) };
      }
    },
    close: dropOne,
    get open() {
      return connections.size;
    },
    dispose() {
      for (const id of [...connections.keys()]) dropOne(id);
    },
  };
}
