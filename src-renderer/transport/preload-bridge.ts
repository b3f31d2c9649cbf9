// The shape of what the preload exposes on window (PRELOAD_GLOBAL). Declared here, not
// imported: the renderer never imports src-preload.
import type { CallReply, EventName, Method } from '../../src-shared/api';

export interface PreloadBridge {
  call(method: Method, args: unknown): Promise<CallReply>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

/** The bridge when running inside the Electron shell, else null (serve mode, a browser). */
export function findPreloadBridge(global: object = window): PreloadBridge | null {
  const candidate = (global as Record<string, unknown>)['fleetdeck'];
  if (typeof candidate !== 'object' || candidate === null) return null;
  const b = candidate as Partial<PreloadBridge>;
  return typeof b.call === 'function' && typeof b.on === 'function' ? (b as PreloadBridge) : null;
}
