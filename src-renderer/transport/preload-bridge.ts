// The shape of what the preload exposes on window (PRELOAD_GLOBAL). Declared here, not
// imported: the renderer never imports src-preload.
import type { EventName, Method } from '../../src-shared/api';
import type { SerializedError } from '../../src-shared/errors';

export type BridgeReply = { ok: true; result: unknown } | { ok: false; error: SerializedError };

export interface PreloadBridge {
  call(method: Method, args: unknown): Promise<BridgeReply>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

/** The bridge when running inside the Electron shell, else null (serve mode, a browser). */
export function findPreloadBridge(global: object = window): PreloadBridge | null {
  const candidate = (global as Record<string, unknown>)['fleetdeck'];
  if (typeof candidate !== 'object' || candidate === null) return null;
  const b = candidate as Partial<PreloadBridge>;
  return typeof b.call === 'function' && typeof b.on === 'function' ? (b as PreloadBridge) : null;
}
