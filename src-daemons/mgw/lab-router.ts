// The lab's router in front of a gateway cluster on loopback (`mgw router --config FILE`): it
// binds every VIP:port, and spreads client datagrams over the nodes by flow hash as ECMP does
// (hash-threshold, as Linux's multipath: the hash space cut into equal ranges, one per nexthop,
// so removing a nexthop moves other flows too; the gateway's placement copes: DESIGN.md).
// Loopback has no routing between its addresses, so the router encapsulates (the header
// carries the client's address and the VIP) to each node's ingress. Its health checker reads
// each node's /health every intervalMs and keeps only nodes answering 200 as nexthops: a
// killed node is withdrawn, a restarted one comes back only once it says ready (resync done),
// as a routing protocol's withdrawal and announcement would. One-way: replies go from the
// backends straight to the clients.
import dgram from 'node:dgram';
import { request } from 'node:http';
import { encodeEncapHeader, ENCAP_HEADER_BYTES } from '../../src-shared/mgw/encap';
import { hash32 } from '../../src-shared/mgw/hash';
import { ipv4ToU32, packK1, PROTO_UDP } from '../../src-shared/mgw/key';
import type { MgwCluster } from '../../src-shared/mgw/config';

export interface LabRouterOptions {
  readonly cluster: MgwCluster;
  readonly intervalMs?: number;
  readonly log?: (line: string) => void;
}

export interface LabRouter {
  /** Node indexes currently used as nexthops. */
  nexthops(): readonly number[];
  readonly stats: { routed: number; dropped: number; withdrawals: number; announcements: number };
  stop(): Promise<void>;
}

/** Flows go by this hash (its own seed: not the gateway's placement or Maglev hash). */
const ECMP_SEED = 0x5ec3_9e11;
const RING = 2048;

function healthy(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: address, port, path: '/health', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

export async function startLabRouter(o: LabRouterOptions): Promise<LabRouter> {
  const c = o.cluster;
  const log = o.log ?? (() => {});
  const intervalMs = o.intervalMs ?? 200;
  const stats = { routed: 0, dropped: 0, withdrawals: 0, announcements: 0 };
  let hops: number[] = [];
  const ring = Array.from({ length: RING }, () => Buffer.allocUnsafe(65_507));
  let at = 0;
  let seq = 0;
  const out = dgram.createSocket('udp4');
  const sockets: dgram.Socket[] = [out];

  const route = (vip: number, msg: Buffer, from: dgram.RemoteInfo): void => {
    const n = hops.length;
    if (n === 0) {
      stats.dropped++;
      return;
    }
    const client = ipv4ToU32(from.address);
    const h = hash32(client, packK1(from.port, vip, PROTO_UDP), ECMP_SEED);
    const node = c.nodes[hops[Math.floor((h / 4294967296) * n)]];
    const v = c.vips[vip];
    const buf = ring[at];
    at = (at + 1) % RING;
    seq = (seq + 1) >>> 0;
    encodeEncapHeader({ flags: 0, proto: PROTO_UDP, node: 0xffff, vip: ipv4ToU32(v.address), vipPort: v.port, client, clientPort: from.port, seq }, buf, 0);
    const len = Math.min(msg.length, buf.length - ENCAP_HEADER_BYTES);
    msg.copy(buf, ENCAP_HEADER_BYTES, 0, len);
    out.send(buf, 0, ENCAP_HEADER_BYTES + len, node.ingress.port, node.ingress.address);
    stats.routed++;
  };

  for (const [i, v] of c.vips.entries()) {
    const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    s.on('message', (m, r) => route(i, m, r));
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(v.port, v.address, () => {
        s.removeListener('error', reject);
        resolve();
      });
    });
    sockets.push(s);
  }

  let checking = false;
  const check = async (): Promise<void> => {
    if (checking) return;
    checking = true;
    try {
      const ok = await Promise.all(c.nodes.map((n) => healthy(n.control.address, n.control.port, Math.max(50, intervalMs - 20))));
      const next = ok.flatMap((up, i) => (up ? [i] : []));
      for (const i of hops) if (!next.includes(i)) {
        stats.withdrawals++;
        log(`router: node ${c.nodes[i].id} withdrawn`);
      }
      for (const i of next) if (!hops.includes(i)) {
        stats.announcements++;
        log(`router: node ${c.nodes[i].id} announced`);
      }
      hops = next;
    } finally {
      checking = false;
    }
  };
  await check();
  const timer = setInterval(() => void check(), intervalMs);
  log(`router: ${c.vips.length} VIP(s) over ${c.nodes.length} nodes (${hops.length} healthy), health every ${intervalMs} ms`);
  return {
    nexthops: () => hops,
    stats,
    async stop() {
      clearInterval(timer);
      await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
