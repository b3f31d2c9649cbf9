// Which transport this renderer runs on: the Electron preload bridge when it exists,
// else serve mode's WebSocket back to the host that served the page.
import type { CoreClient } from '../../src-shared/api';
import { createIpcClient } from './ipc-client';
import { findPreloadBridge } from './preload-bridge';
import { WsClient, serveApiUrl } from './ws-client';

export type Transport =
  | { kind: 'ipc'; client: CoreClient }
  | { kind: 'ws'; open: (token: string, opts?: { waitForServer?: boolean }) => WsClient };

export function pickClient(): Transport {
  const bridge = findPreloadBridge();
  if (bridge) return { kind: 'ipc', client: createIpcClient(bridge) };
  return {
    kind: 'ws',
    open: (token, opts) => new WsClient({ url: serveApiUrl(), token, waitForServer: opts?.waitForServer ?? false }),
  };
}
