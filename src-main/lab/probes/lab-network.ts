// The lab's network, between its hosts' agents: every lab host sits on its own loopback
// address, so the kernel alone would show every pair at a few microseconds. The lab's network
// model (src-shared/probe/net-model.ts: latency by distance - host link, ToR, uplink, spine,
// site WAN - and the faults set from the fault panel) is put between them here: the lab
// agents run the REAL probe code (src-daemons/agent/probe: new sockets per TCP probe, the UDP
// echo prober, their timeouts) against each other's real responders, through the two seams
// the probers take (net.createConnection and dgram.createSocket). A TCP connect between two
// lab hosts completes on the wire at once, and its 'connect' is held back by what the model
// says the handshake took over that path, a lost SYN or SYN-ACK costing Linux's RTO (1 s, then
// 3 s), three lost never connecting (the prober's timeout); a UDP datagram to a lab host is
// sent after the path's round trip, or not at all when lost (its echo then never comes).
// A probe to anything that is not a lab host (the anycast resolver, the public targets) crosses
// the prober's side of the model (its link, ToR, uplink and spine: edgePath), so a fault there
// shows on those too, as it would on a real network; the public responders add their
// province's distance themselves (probe-peers.ts). Traffic from an address that is not a lab
// host goes straight through. The anycast resolver's address is routed per site to one of its
// instances (the replies come back as from the anycast address): a site's catchment, stable from
// probe to probe, as routing makes it, and not the per-source-port spread SO_REUSEPORT would give.
// Samples are drawn from the lab's seed, so a seeded lab is reproducible up to timing.
import * as nodeDgram from 'node:dgram';
import * as nodeNet from 'node:net';
import type { InventoryDocument } from '../../../src-shared/domain';
import { createRng } from '../../../src-shared/random';
import { createNetModel, sampleEcho, sampleTcp, type NetFault, type NetModel } from '../../../src-shared/probe/net-model';
import { deriveTopology, indexTopology } from '../../../src-shared/probe/topology';
import type { TcpNet } from '../../../src-daemons/agent/probe/tcp';
import type { UdpDgram } from '../../../src-daemons/agent/probe/udp';

export interface LabNetwork {
  readonly model: NetModel;
  /** What lab agents probe through (startAgent's probe option). */
  readonly probe: { readonly net: TcpNet; readonly dgram: UdpDgram };
  /** A fault on a topology component ('tor:<id>', 'host-link:<id>', 'tor-uplink:<id>', 'spine:<room>', 'wan:<site>'); null clears it. */
  setFault(componentId: string, f: { loss?: number; extraDelayUs?: number } | null): void;
  faults(): NetFault[];
  /** The lab host (device id) at an address, if any. */
  hostAt(addr: string): string | undefined;
}

/**
 * Runs fn after about `us` microseconds: Node's timers count whole milliseconds, so a delay under
 * one (a same-room path's round trip) runs on the next turn instead; the sub-millisecond
 * structure of one site is below the lab's resolution, its faults (+ms delays, lost SYNs) are not.
 */
function later(us: number, fn: () => void): void {
  if (us < 1000) setImmediate(fn);
  else setTimeout(fn, Math.round(us / 1000)).unref();
}

/** The lab's anycast resolver: the address hosts query, and the instances' own addresses. */
export interface LabAnycast {
  readonly addr: string;
  readonly instances: readonly string[];
}

export function createLabNetwork(inventory: InventoryDocument, seed: number, anycast: LabAnycast | null = null): LabNetwork {
  const servers = inventory.devices.filter((d) => d.kind === 'server');
  // Every server is a host of the model (whether or not an agent runs on it yet).
  const topology = deriveTopology(inventory, new Map(servers.map((d) => [d.id, d.id])));
  const idx = indexTopology(topology);
  const model = createNetModel(idx, seed);
  const byAddr = new Map<string, string>();
  for (const h of topology.hosts) byAddr.set(h.addr, h.deviceId);
  const rnd = createRng((seed ^ 0x6e657477) >>> 0);
  // Anycast routing: each site's queries for the anycast address go to one instance (sites in turn).
  const siteOrder = new Map(topology.sites.map((x, i) => [x.id, i]));
  const siteOfHost = new Map(topology.hosts.map((h) => [h.deviceId, h.siteId]));
  const instanceFor = (src: string): string | undefined => (anycast?.instances.length ? anycast.instances[(siteOrder.get(siteOfHost.get(src) ?? '') ?? 0) % anycast.instances.length] : undefined);
  const instanceAddrs = new Set(anycast?.instances ?? []);
  const answeredAsAnycast = new WeakSet<nodeDgram.Socket>();
  /** Replies from an instance reach the socket as from the anycast address, as they would on a real anycast network. */
  const asAnycast = (s: nodeDgram.Socket): void => {
    if (!anycast || answeredAsAnycast.has(s)) return;
    answeredAsAnycast.add(s);
    const emit = s.emit.bind(s) as (event: string | symbol, ...args: unknown[]) => boolean;
    (s as unknown as { emit: typeof emit }).emit = (event, ...args) => {
      if (event === 'message' && instanceAddrs.has((args[1] as nodeDgram.RemoteInfo).address)) return emit(event, args[0], { ...(args[1] as nodeDgram.RemoteInfo), address: anycast.addr });
      return emit(event, ...args);
    };
  };
  const hostAt = (addr: string | undefined): string | undefined => (addr === undefined ? undefined : byAddr.get(addr.startsWith('::ffff:') ? addr.slice(7) : addr));

  const net: TcpNet = {
    createConnection(opts: nodeNet.NetConnectOpts): nodeNet.Socket {
      const o = opts as nodeNet.TcpNetConnectOpts;
      const src = hostAt(o.localAddress);
      const dst = hostAt(o.host);
      const sock = nodeNet.createConnection(opts);
      if (src === undefined || src === dst) return sock;
      const seen = sampleTcp(dst === undefined ? model.edgePath(src) : model.path(src, dst), rnd);
      const emit = sock.emit.bind(sock) as (event: string | symbol, ...args: unknown[]) => boolean;
      // Held back by the modelled handshake, or never (three SYNs lost: the prober times out and destroys the socket).
      (sock as unknown as { emit: typeof emit }).emit = (event, ...args) => {
        if (event !== 'connect') return emit(event, ...args);
        // (Emitted even when the responder's close came first: the handshake did complete, only later in the model.)
        if (seen.err === 0) later(seen.rttUs, () => emit(event, ...args));
        return true;
      };
      return sock;
    },
  };

  const dgram: UdpDgram = {
    createSocket(type: 'udp4' | 'udp6'): nodeDgram.Socket {
      const s = nodeDgram.createSocket(type);
      const send = s.send.bind(s) as (...args: unknown[]) => void;
      (s as unknown as { send: (...args: unknown[]) => void }).send = (...args: unknown[]) => {
        // send(msg, port, address, cb) is the form the probers use.
        const [, , address] = args as [unknown, number, string];
        let src: string | undefined;
        try {
          src = hostAt(s.address().address);
        } catch {
          src = undefined; // not bound yet
        }
        const dst = hostAt(typeof address === 'string' ? address : undefined);
        if (src === undefined || src === dst) return send(...args);
        const instance = anycast && address === anycast.addr ? instanceFor(src) : undefined;
        if (instance) {
          args[2] = instance;
          asAnycast(s);
        }
        const seen = sampleEcho(dst === undefined ? model.edgePath(src) : model.path(src, dst), rnd);
        const cb = typeof args[args.length - 1] === 'function' ? (args[args.length - 1] as (err: Error | null) => void) : null;
        if (seen.err !== 0) {
          if (cb) queueMicrotask(() => cb(null)); // sent, and lost on the way
          return;
        }
        later(seen.rttUs, () => {
          try {
            send(...args);
          } catch {
            // the socket closed meanwhile
          }
        });
      };
      return s;
    },
  };

  return {
    model,
    probe: { net, dgram },
    setFault: (c, f) => model.setFault(c, f),
    faults: () => model.faults(),
    hostAt: (a) => hostAt(a),
  };
}
