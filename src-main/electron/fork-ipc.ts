// Fork-style IPC for a module run as an Electron utilityProcess: process.send,
// process.connected and process 'message' events carried over process.parentPort. The lab
// process (src-main/lab/lab-process.ts) is written for child_process.fork; on the desktop
// it runs as a utilityProcess (lab-utility.ts installs this first), unchanged.
import type { EventEmitter } from 'node:events';

/** The part of Electron's parentPort used: messages arrive as { data }. */
export interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

/** The part of process this touches. */
export type ForkIpcTarget = Pick<EventEmitter, 'emit'> & { send?: unknown; connected?: boolean };

/** Installs the shim; a process that already has an IPC channel (a real fork) is left alone. */
export function installForkIpc(proc: ForkIpcTarget, port: ParentPortLike): boolean {
  if (typeof proc.send === 'function') return false;
  const send = (message: unknown, ...rest: unknown[]): boolean => {
    const done = rest.find((r): r is (err: Error | null) => void => typeof r === 'function');
    try {
      port.postMessage(message);
    } catch (err) {
      if (!done) throw err;
      queueMicrotask(() => done(err instanceof Error ? err : new Error(String(err))));
      return false;
    }
    if (done) queueMicrotask(() => done(null));
    return true;
  };
  Object.defineProperty(proc, 'send', { value: send, configurable: true, writable: true });
  // The parent port lives as long as the process: the main process ends it with kill().
  Object.defineProperty(proc, 'connected', { value: true, configurable: true, writable: true });
  port.on('message', (event) => proc.emit('message', event.data));
  return true;
}
