// The core host's side of the lab bridge: a LabProcessStarter (lab-link's seam) that starts
// the lab by asking the Electron main process, and routes the main process's replies to
// the lab link. Plain Node, no electron import: tests wire it to lab-bridge-main.ts in memory.
import type { CoreConfig } from '../core/config';
import type { LabLinkConfig, LabProcessEvents, LabProcessStarter } from '../core/lab-link/lab-link';
import { isLabBridgeToHost, type HostToLabBridge } from './lab-bridge-protocol';

export interface LabBridgeHost {
  /** Give it to lab-link (withLabStarter): every lab it starts runs in the main process's care. */
  readonly start: LabProcessStarter;
  /** Feeds one message from the main process; false when it is not a lab bridge message. */
  handle(message: unknown): boolean;
}

interface Started {
  events: LabProcessEvents;
  pid: number | undefined;
  exited: boolean;
}

export function createLabBridgeHost(post: (message: HostToLabBridge) => void): LabBridgeHost {
  const labs = new Map<number, Started>();
  let next = 1;

  const start: LabProcessStarter = (entry, events) => {
    const lab = next++;
    const s: Started = { events, pid: undefined, exited: false };
    labs.set(lab, s);
    post({ type: 'lab-start', lab, entry });
    return {
      get pid() {
        return s.pid;
      },
      // The main process queues what is sent before the lab has spawned.
      get connected() {
        return !s.exited;
      },
      send: (message, done) => {
        let err: Error | null = null;
        if (s.exited) err = new Error('the lab process has exited');
        else {
          try {
            post({ type: 'lab-send', lab, message });
          } catch (e) {
            err = e instanceof Error ? e : new Error(String(e));
          }
        }
        // As child.send's callback: never before send() returns.
        queueMicrotask(() => done(err));
      },
      kill: () => {
        if (!s.exited) post({ type: 'lab-kill', lab });
      },
    };
  };

  const handle = (message: unknown): boolean => {
    if (!isLabBridgeToHost(message)) return false;
    const s = labs.get(message.lab);
    if (!s) return true; // a lab already gone: its late output is dropped
    switch (message.type) {
      case 'lab-spawned':
        s.pid = message.pid;
        break;
      case 'lab-message':
        s.events.message(message.message);
        break;
      case 'lab-line':
        s.events.line(message.line);
        break;
      case 'lab-error':
        // Never started: lab-link settles on its own (pid undefined means no exit follows).
        s.exited = true;
        labs.delete(message.lab);
        s.events.error(new Error(message.message));
        break;
      case 'lab-exit':
        s.exited = true;
        labs.delete(message.lab);
        s.events.exit(message.code, null);
        s.events.close(message.code, null);
        break;
    }
    return true;
  };

  return { start, handle };
}

/** The config createCore gets in the core host: its lab (if any) started through the bridge. */
export function withLabStarter(config: CoreConfig, start: LabProcessStarter): CoreConfig {
  if (!config.lab) return config;
  const lab: LabLinkConfig = { ...config.lab, start };
  return { ...config, lab };
}
