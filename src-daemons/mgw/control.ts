// A gateway node's HTTP on its control address:
//   GET  /health                       200 "ready" when the node takes traffic, else 503 and its
//                                      state (the router's health checker reads this)
//   GET  /metrics                      Prometheus text (metrics.ts): sessions, new sessions, packets,
//                                      redirects, drops (misses), sync lag, replication debt,
//                                      backends up and their share of the Maglev table, peers live
//   GET  /api/state                    JSON: the node's state, peers, backends (authenticated)
//   POST /api/backends/<name>/drain    holds a backend down (its sessions re-pick); undrain lifts it
//   POST /api/drill/crash              a failover drill: answers 202, then the node kills itself
//                                      with SIGKILL (kill -9: no goodbye to its peers, as a crash)
//   POST /api/drill/sync-loss?percent=P&ms=N
//                                      a failover drill: P% (1-100) of the node's sync datagrams,
//                                      both ways, dropped for N ms (at most 120 s); 100 cuts the link
// The drill endpoints answer 403 where the cluster's config says drills: false.
// The control API takes `Authorization: Bearer <token>` whose SHA-256 is the cluster's
// controlTokenSha256 (compared in constant time), as the agent's console credential is checked:
// 401 without it, 403 with a wrong one. /health and /metrics are open, as scrape targets are.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { renderMetrics, type Sample } from '../../src-shared/mgw/prometheus';
import type { GatewayNode } from './node';
import { shares } from './maglev';

export function nodeMetrics(node: GatewayNode): Sample[] {
  const c = node.counters;
  const s = node.replicator.stats();
  const d = node.describe();
  const share = shares(node.maglev, d.backends.length);
  const counter = (name: string, help: string, v: number): Sample => ({ name, help, type: 'counter', values: v });
  const gauge = (name: string, help: string, v: Sample['values']): Sample => ({ name, help, type: 'gauge', values: v });
  return [
    gauge('mgw_sessions', 'Sessions in this node\'s table', node.table.size),
    gauge('mgw_session_capacity', 'Sessions the table holds at most', node.table.capacity),
    counter('mgw_new_sessions_total', 'Sessions this node created', c.newSessions),
    counter('mgw_packets_total', 'Client packets taken', c.packetsIn),
    counter('mgw_forwarded_total', 'Packets sent to a backend', c.forwarded),
    counter('mgw_redirects_out_total', 'Packets sent on to the flow\'s home node', c.redirectsOut),
    counter('mgw_redirects_in_total', 'Packets taken from another node as the flow\'s home', c.redirectsIn),
    counter('mgw_rehashed_total', 'Sessions moved off a backend that went down', c.rehashed),
    counter('mgw_misses_total', 'Packets dropped: no backend up, table full, or malformed', c.dropNoBackend + c.dropTableFull + c.dropBadPacket),
    gauge('mgw_ready', '1 when the node takes traffic (resync complete)', d.state === 'ready' ? 1 : 0),
    gauge('mgw_sync_lag_p99_ms', 'Replication: enqueue-to-ack time, p99 over the recent window', s.lagP99Ms),
    gauge('mgw_sync_lag_p50_ms', 'Replication: enqueue-to-ack time, p50 over the recent window', s.lagP50Ms),
    gauge('mgw_replication_debt', 'Session changes queued or unacknowledged, all peers', s.debt),
    counter('mgw_sync_sent_total', 'Session changes sent to peers', s.sent),
    counter('mgw_sync_retransmitted_total', 'Session changes sent again (NACKed or timed out)', s.retransmitted),
    counter('mgw_sync_drill_dropped_total', 'Sync datagrams dropped by a failover drill\'s loss on the sync link', node.syncLossDropped),
    counter('mgw_sync_applied_total', 'Session changes applied from peers', s.applied),
    gauge('mgw_backend_up', 'Backend health as this node sees it', d.backends.map((b) => ({ labels: { backend: b.name }, value: b.up ? 1 : 0 }))),
    gauge('mgw_backend_share', 'Each backend\'s share of the Maglev table', d.backends.map((b, i) => ({ labels: { backend: b.name }, value: share[i] ?? 0 }))),
    gauge('mgw_peer_live', 'Whether each node is alive and ready, as this node sees it', d.peers.map((p) => ({ labels: { node: p.id }, value: p.live ? 1 : 0 }))),
  ];
}

function authorised(req: IncomingMessage, sha256: string): 401 | 403 | null {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer (\S+)$/.exec(h) : null;
  if (!m) return 401;
  const got = createHash('sha256').update(m[1], 'utf8').digest();
  const want = Buffer.from(sha256, 'hex');
  return got.length === want.length && timingSafeEqual(got, want) ? null : 403;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export interface ControlOptions {
  /** The cluster allows drills (config drills). */
  readonly drills: boolean;
  /** What /api/drill/crash does once it has answered (default: SIGKILL of this process). */
  readonly crash?: () => void;
}

function drill(node: GatewayNode, url: URL, res: ServerResponse, o: ControlOptions, log: (l: string) => void): void {
  if (!o.drills) return send(res, 403, 'drills are off for this cluster (config drills: false)\n');
  if (url.pathname === '/api/drill/crash') {
    log(`mgw: failover drill: kill -9 of this node (pid ${process.pid}) by the control API`);
    res.once('finish', () => setTimeout(o.crash ?? (() => process.kill(process.pid, 'SIGKILL')), 20));
    return send(res, 202, `crashing: kill -9 of pid ${process.pid}\n`);
  }
  const percent = Number(url.searchParams.get('percent'));
  const ms = Number(url.searchParams.get('ms'));
  if (!Number.isInteger(percent) || percent < 1 || percent > 100) return send(res, 400, 'percent must be an integer 1-100\n');
  if (!Number.isInteger(ms) || ms < 1 || ms > 120_000) return send(res, 400, 'ms must be an integer 1-120000\n');
  node.syncLoss(percent / 100, ms);
  log(`mgw: failover drill: ${percent}% loss on the sync link for ${ms} ms`);
  return send(res, 200, JSON.stringify({ percent, ms }), 'application/json');
}

export function startControl(node: GatewayNode, at: { address: string; port: number }, tokenSha256: string, log: (l: string) => void, o: ControlOptions = { drills: true }): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://node');
    if (req.method === 'GET' && url.pathname === '/health') {
      const state = node.describe().state;
      return send(res, state === 'ready' ? 200 : 503, `${state}\n`);
    }
    if (req.method === 'GET' && url.pathname === '/metrics') return send(res, 200, renderMetrics(nodeMetrics(node)), 'text/plain; version=0.0.4; charset=utf-8');
    if (!url.pathname.startsWith('/api/')) return send(res, 404, 'not found\n');
    const denied = authorised(req, tokenSha256);
    if (denied) return send(res, denied, denied === 401 ? 'a bearer token is required\n' : 'the token is not this cluster\'s\n');
    if (req.method === 'GET' && url.pathname === '/api/state') return send(res, 200, JSON.stringify(node.describe()), 'application/json');
    if (req.method === 'POST' && (url.pathname === '/api/drill/crash' || url.pathname === '/api/drill/sync-loss')) return drill(node, url, res, o, log);
    const m = /^\/api\/backends\/([^/]+)\/(drain|undrain)$/.exec(url.pathname);
    if (req.method === 'POST' && m) {
      const name = decodeURIComponent(m[1]);
      const ok = node.drainBackend(name, m[2] === 'drain');
      if (!ok) return send(res, 404, `no backend ${name} in this cluster\n`);
      log(`mgw: backend ${name} ${m[2]}ed by the control API`);
      return send(res, 200, JSON.stringify(node.describe()), 'application/json');
    }
    return send(res, 404, 'not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.address, () => {
      server.removeListener('error', reject);
      resolve(server);
    });
  });
}
