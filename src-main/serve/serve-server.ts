// Serve mode's HTTP server: the built renderer as static files, the streamed bulk routes
// (inventory files), the workflow callback route (POST /wf/callback/<token>), and the
// WebSocket upgrade for the API.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallBudgetOptions } from '../core/api/call-budget';
import type { Core } from '../core/create-core';
import { createBulkRoutes } from './bulk-routes';
import { readStatic, SECURITY_HEADERS } from './static-files';
import { createCallbackRoute, type CallbackLimits } from './workflow-callback-route';
import { createWsGateway, DEFAULT_GATEWAY_LIMITS, type GatewayLimits } from './ws-gateway';

export interface ServeOptions {
  core: Core;
  staticDir: string;
  bind: string;
  port: number;
  /** The WebSocket's limits, for tests; the defaults are DEFAULT_GATEWAY_LIMITS. */
  limits?: Partial<GatewayLimits>;
  /** Each WebSocket connection's call budget; the defaults are DEFAULT_CALL_BUDGET. */
  budget?: Partial<CallBudgetOptions>;
  /** The workflow callback route's limits, for tests; the defaults are CALLBACK_LIMITS. */
  callbackLimits?: Partial<CallbackLimits>;
}

export interface ServeServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** HTTP serves the built renderer; /api upgrades to the WebSocket that carries the contract. */
export async function startServeServer(opts: ServeOptions): Promise<ServeServer> {
  const gateway = createWsGateway(opts.core, { ...opts.limits, budget: opts.budget });
  const bulk = createBulkRoutes(opts.core);
  const callbacks = createCallbackRoute((token, body) => opts.core.workflowCallback(token, body), opts.callbackLimits);
  const server: Server = createServer((req, res) => {
    if (callbacks.handle(req, res)) return;
    if (bulk.handle(req, res)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', ...SECURITY_HEADERS }).end();
      return;
    }
    if (req.url === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'application/json', ...SECURITY_HEADERS }).end('{"ok":true}');
      return;
    }
    readStatic(opts.staticDir, req.url ?? '/').then(
      (file) => {
        if (!file) {
          res.writeHead(404, { 'Content-Type': 'text/plain', ...SECURITY_HEADERS }).end('Not found. Was the renderer built (npm run build)?');
          return;
        }
        res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-cache', ...SECURITY_HEADERS });
        res.end(req.method === 'HEAD' ? undefined : file.body);
      },
      () => res.writeHead(500, SECURITY_HEADERS).end(),
    );
  });
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] !== '/api') {
      socket.destroy();
      return;
    }
    gateway.handleUpgrade(req, socket, head);
  });
  // A request's headers must arrive promptly (no slow-loris); sockets beyond the WebSocket cap
  // plus room for page loads and transfers are dropped by Node itself.
  server.headersTimeout = 10_000;
  server.maxConnections = (opts.limits?.maxConnections ?? DEFAULT_GATEWAY_LIMITS.maxConnections) + 256;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bind, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.bind.includes(':') ? `[${opts.bind}]` : opts.bind;
  return {
    url: `http://${host}:${port}/`,
    port,
    async close() {
      await gateway.close();
      bulk.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
