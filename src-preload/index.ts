// The preload: runs sandboxed and context-isolated, and exposes exactly one object,
// window.fleetdeck = { call, on }, built from the channel map in src-shared/api.ts.
// ipcRenderer itself, and the IpcRendererEvent (whose .sender is ipcRenderer), never
// reach the page. Built as CommonJS (out/preload/index.cjs): a sandboxed preload cannot
// load ES modules, and may require only 'electron' (and a few polyfilled builtins), so the
// few values it takes from src-shared are bundled in.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT, PRELOAD_GLOBAL, isEventName, isMethod, type ApiEvents, type CallReply, type EventName, type Method } from '../src-shared/api';

/** The shape of window.fleetdeck. */
export interface FleetDeckBridge {
  /** Never rejects for a core error (Electron mangles thrown errors): the CallReply says. */
  call(method: Method, args: unknown): Promise<CallReply>;
  /** Subscribes to one event stream; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

// One IPC listener for all streams, attached while anyone listens.
function onIpcEvent(_event: IpcRendererEvent, name: unknown, payload: unknown): void {
  if (!isEventName(name)) return;
  const set = listeners.get(name);
  if (!set) return;
  for (const l of [...set]) {
    try {
      l(payload);
    } catch (err) {
      // A throwing page listener must not starve the others.
      console.error(`fleetdeck: a listener for ${name} threw`, err);
    }
  }
}

function subscriberCount(): number {
  let n = 0;
  for (const s of listeners.values()) n += s.size;
  return n;
}

const bridge: FleetDeckBridge = {
  call(method, args) {
    if (!isMethod(method)) {
      return Promise.resolve({ ok: false, error: { name: 'BridgeError', code: 'BAD_REQUEST', message: `Unknown method "${String(method)}"` } });
    }
    return ipcRenderer.invoke(IPC_CALL, method, args) as Promise<CallReply>;
  },
  on(event, listener) {
    if (!isEventName(event)) throw new TypeError(`Unknown event "${String(event)}"`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    if (subscriberCount() === 0) ipcRenderer.on(IPC_EVENT, onIpcEvent);
    // A wrapper per subscription: subscribing one function twice gives two subscriptions.
    const entry = (payload: unknown): void => listener(payload as ApiEvents[typeof event]);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(entry);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const current = listeners.get(event);
      current?.delete(entry);
      if (current?.size === 0) listeners.delete(event);
      if (subscriberCount() === 0) ipcRenderer.removeListener(IPC_EVENT, onIpcEvent);
    };
  },
};

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, bridge);
