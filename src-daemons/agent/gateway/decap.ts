// The agent's side of the MGW gateway (src-daemons/mgw/DESIGN.md): it takes the gateway's
// encapsulated datagrams on its decap socket, answers health probes (the datagram echoed back
// to the node that sent it), and hands each client payload to the service; the service's
// answer goes straight back to the client (direct server return), from VIP:port when this host
// has the VIP (a namespace's backend: the VIP on its loopback), else from the decap socket (the
// lab, where every address of 127/8 is one host's and the lab's router owns the VIP).
//
// Services:
//   echo   built in: answers each datagram with `<backend> <payload>`, so a client sees which
//          backend served each of its sessions (what the failover drills and tests count); it
//          keeps how many datagrams and distinct sessions it saw
//   udp    an ordinary UDP service at address:port: a local socket per flow (so its answers
//          come back to the right client), at most maxFlows, the idlest closed first, idle
//          flows closed after idleS. A user-space agent cannot hand the service the client's
//          own source address (that needs a raw socket); the service sees the agent's.
// Whatever the service, a failover drill's probe (src-shared/mgw/drill-probe.ts) is answered
// here with this backend's name, by the same direct-server-return path, and never reaches it.
import dgram from 'node:dgram';
import { ENCAP_FLAG_HEALTH, ENCAP_HEADER_BYTES, decodeEncap } from '../../../src-shared/mgw/encap';
import { u32ToIpv4 } from '../../../src-shared/mgw/key';
import { answerDrillProbe, isDrillProbe } from '../../../src-shared/mgw/drill-probe';

export type DecapService = { readonly kind: 'echo' } | { readonly kind: 'udp'; readonly address: string; readonly port: number; readonly maxFlows?: number; readonly idleS?: number };

export interface DecapOptions {
  /** This backend's name (the echo service says it). */
  readonly name: string;
  readonly listen: { readonly address: string; readonly port: number };
  readonly service: DecapService;
  readonly log?: (line: string) => void;
}

export interface DecapStats {
  datagrams: number;
  health: number;
  replies: number;
  malformed: number;
  /** Distinct (client, port, VIP) flows seen (echo: exact up to 4 M, then counted no more). */
  flows: number;
  repliesFromVip: number;
  /** Failover drill probes answered here (not handed to the service). */
  drillProbes: number;
}

export interface Decap {
  readonly stats: DecapStats;
  readonly port: number;
  stop(): Promise<void>;
}

interface Flow {
  sock: dgram.Socket;
  client: string;
  clientPort: number;
  vipKey: string;
  lastUsed: number;
}

const MAX_TRACKED = 4_000_000;

export async function startDecap(o: DecapOptions): Promise<Decap> {
  const log = o.log ?? (() => {});
  const stats: DecapStats = { datagrams: 0, health: 0, replies: 0, malformed: 0, flows: 0, repliesFromVip: 0, drillProbes: 0 };
  const seen = new Set<number>();
  const vipSockets = new Map<string, dgram.Socket | null>();
  const flows = new Map<string, Flow>();
  const prefix = Buffer.from(`${o.name} `);
  // Bursts from the gateways overflow the default ~200 KB receive buffer (the kernel caps this at net.core.rmem_max).
  const inSock = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });

  /** A socket bound to VIP:port for direct server return, or null when this host has not the VIP. */
  const vipSocket = (vip: string, port: number): dgram.Socket | null => {
    const key = `${vip}:${port}`;
    if (vipSockets.has(key)) return vipSockets.get(key) ?? null;
    vipSockets.set(key, null);
    const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    s.on('error', () => {
      // EADDRNOTAVAIL / EADDRINUSE: answers go from the decap socket
      vipSockets.set(key, null);
      s.close();
    });
    s.bind(port, vip, () => {
      vipSockets.set(key, s);
      log(`decap: answering for ${key} from the VIP (direct server return)`);
    });
    return null;
  };

  const reply = (vip: string, vipPort: number, client: string, clientPort: number, data: Uint8Array | readonly Uint8Array[]): void => {
    const s = vipSocket(vip, vipPort);
    stats.replies++;
    if (s) stats.repliesFromVip++;
    (s ?? inSock).send(data as Uint8Array, clientPort, client);
  };

  const proxy = (svc: Extract<DecapService, { kind: 'udp' }>, vip: string, vipPort: number, client: string, clientPort: number, payload: Uint8Array): void => {
    const key = `${client}:${clientPort}>${vip}:${vipPort}`;
    let f = flows.get(key);
    if (!f) {
      const max = svc.maxFlows ?? 10_000;
      if (flows.size >= max) {
        let idlest: Flow | null = null;
        for (const x of flows.values()) if (!idlest || x.lastUsed < idlest.lastUsed) idlest = x;
        if (idlest) {
          idlest.sock.close();
          flows.delete(`${idlest.client}:${idlest.clientPort}>${idlest.vipKey}`);
        }
      }
      const sock = dgram.createSocket('udp4');
      const flow: Flow = { sock, client, clientPort, vipKey: `${vip}:${vipPort}`, lastUsed: Date.now() };
      sock.on('message', (m) => {
        flow.lastUsed = Date.now();
        reply(vip, vipPort, client, clientPort, m);
      });
      sock.on('error', (err) => log(`decap: flow ${key}: ${err.message}`));
      flows.set(key, flow);
      stats.flows++;
      f = flow;
    }
    f.lastUsed = Date.now();
    f.sock.send(payload, svc.port, svc.address);
  };

  inSock.on('message', (msg, from) => {
    stats.datagrams++;
    let p;
    try {
      p = decodeEncap(msg);
    } catch {
      stats.malformed++;
      return;
    }
    const h = p.header;
    if (h.flags & ENCAP_FLAG_HEALTH) {
      stats.health++;
      inSock.send(msg, from.port, from.address);
      return;
    }
    const vip = u32ToIpv4(h.vip);
    const client = u32ToIpv4(h.client);
    if (isDrillProbe(p.payload)) {
      stats.drillProbes++;
      reply(vip, h.vipPort, client, h.clientPort, answerDrillProbe(p.payload, o.name));
      return;
    }
    if (o.service.kind === 'echo') {
      if (seen.size < MAX_TRACKED) {
        const k = h.client * 65536 + h.clientPort + h.vipPort * 2 ** 48;
        if (!seen.has(k)) {
          seen.add(k);
          stats.flows++;
        }
      }
      reply(vip, h.vipPort, client, h.clientPort, [prefix, msg.subarray(ENCAP_HEADER_BYTES)]);
    } else proxy(o.service, vip, h.vipPort, client, h.clientPort, p.payload);
  });

  const svc = o.service;
  const sweeper = svc.kind === 'udp'
    ? setInterval(() => {
      const cut = Date.now() - (svc.idleS ?? 60) * 1000;
      for (const [k, f] of flows) if (f.lastUsed < cut) {
        f.sock.close();
        flows.delete(k);
      }
    }, 5000)
    : null;
  sweeper?.unref();

  await new Promise<void>((resolve, reject) => {
    inSock.once('error', reject);
    inSock.bind(o.listen.port, o.listen.address, () => {
      inSock.removeListener('error', reject);
      resolve();
    });
  });
  log(`decap: backend ${o.name} on ${o.listen.address}:${inSock.address().port}, service ${o.service.kind === 'echo' ? 'echo' : `${o.service.address}:${o.service.port}`}`);
  return {
    stats,
    port: inSock.address().port,
    async stop() {
      if (sweeper) clearInterval(sweeper);
      for (const f of flows.values()) f.sock.close();
      for (const s of vipSockets.values()) s?.close();
      await new Promise<void>((r) => inSock.close(() => r()));
    },
  };
}
