// The lab bridge's messages. On the desktop the core host (a utilityProcess) cannot fork
// the lab: it asks the main process, over its parentPort beside core-host-protocol's
// messages, to start the lab as a utilityProcess of its own, and the main process relays
// the lab-link protocol (CoreToLab / LabToCore) and the lab's output and exit between them.
// Every message is structured-cloned; `lab` is the host's number for one lab process.
import type { CoreToLab } from '../../src-shared/lab-protocol';

export type HostToLabBridge =
  | { type: 'lab-start'; lab: number; entry: string }
  | { type: 'lab-send'; lab: number; message: CoreToLab }
  | { type: 'lab-kill'; lab: number };

export type LabBridgeToHost =
  | { type: 'lab-spawned'; lab: number; pid: number }
  | { type: 'lab-message'; lab: number; message: unknown }
  | { type: 'lab-line'; lab: number; line: string }
  /** It could not be started: no lab-exit follows. */
  | { type: 'lab-error'; lab: number; message: string }
  | { type: 'lab-exit'; lab: number; code: number };

const HOST_TO_BRIDGE = new Set(['lab-start', 'lab-send', 'lab-kill']);
const BRIDGE_TO_HOST = new Set(['lab-spawned', 'lab-message', 'lab-line', 'lab-error', 'lab-exit']);

function typed(v: unknown, types: Set<string>): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const { type, lab } = v as { type?: unknown; lab?: unknown };
  return typeof type === 'string' && types.has(type) && typeof lab === 'number';
}

export function isHostToLabBridge(v: unknown): v is HostToLabBridge {
  return typed(v, HOST_TO_BRIDGE);
}

export function isLabBridgeToHost(v: unknown): v is LabBridgeToHost {
  return typed(v, BRIDGE_TO_HOST);
}
