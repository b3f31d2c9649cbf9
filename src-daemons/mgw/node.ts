// One gateway node (DESIGN.md): the data path, the session table, Maglev, placement,
// replication and backend health, over three UDP sockets and the VIPs:
//   ingress   encapsulated datagrams: from the lab's router (the header carries the client's
//             address) and redirects from other nodes (flag REDIRECT: handled here, never sent on)
//   vips      each VIP:port bound when this host has the address (a namespace's node: the
//             kernel's multipath route brings the client's own packets); skipped otherwise
//   backends  encapsulated packets out to the backends' agents, their health echoes back
//   sync      the replication's messages (sync.ts codec) to and from the other nodes
// A packet of a known session goes to its backend (a backend that went down: re-picked by
// Maglev, replicated). Unknown: the home of its replica set (placement.ts) creates it; any
// other node redirects it to the home. The control HTTP (control.ts) serves /metrics,
// /health (200 only when ready: the router's health checker keeps a resyncing node out) and
// the authenticated control API.
import dgram from 'node:dgram';
import { ENCAP_FLAG_HEALTH, ENCAP_FLAG_NEW, ENCAP_FLAG_REDIRECT, ENCAP_HEADER_BYTES, decodeEncap, encodeEncapHeader } from '../../src-shared/mgw/encap';
import { ipv4ToU32, packK1, PROTO_UDP } from '../../src-shared/mgw/key';
import type { MgwRunConfig } from '../../src-shared/mgw/config';
import { decodeSync, encodeSync } from '../../src-shared/mgw/sync';
import { ENTRY_UPSERT } from '../../src-shared/mgw/sync-types';
import { BackendHealth } from './backend-health';
import { BATCH_SLOT, mmsgWhere, type BatchOut, type BatchSocket } from './fast-udp';
import { openNative, type Dest } from './node-native';
import { MaglevBuilder } from './maglev-worker';
import { buildMaglev, slotOf, tableSizeFor } from './maglev';
import { Placement } from './placement';
import { Replicator } from './replication';
import { SessionTable } from './session-table';

export interface NodeDeps {
  readonly config: MgwRunConfig;
  readonly epoch: number;
  readonly log: (line: string) => void;
}

export interface NodeCounters {
  packetsIn: number;
  forwarded: number;
  redirectsOut: number;
  redirectsIn: number;
  newSessions: number;
  rehashed: number;
  dropNoBackend: number;
  dropTableFull: number;
  dropBadPacket: number;
}

/** A replica's copy is refreshed at most this often while its flow is active (idle expiry stays true on every member). */
const REFRESH_FRACTION = 4;
const RING = 4096;
const MAX_DATAGRAM = 65_507;
const EMPTY = new Uint8Array(0);
/** Socket buffers asked for (the kernel caps them at net.core.rmem_max / wmem_max). */
const RECV_BUFFER = 8 * 1024 * 1024;

export class GatewayNode {
  readonly self: number;
  readonly table: SessionTable;
  readonly replicator: Replicator;
  readonly health: BackendHealth;
  readonly counters: NodeCounters = { packetsIn: 0, forwarded: 0, redirectsOut: 0, redirectsIn: 0, newSessions: 0, rehashed: 0, dropNoBackend: 0, dropTableFull: 0, dropBadPacket: 0 };
  maglev: Uint16Array;
  private readonly placement: Placement;
  private readonly builder = new MaglevBuilder();
  private readonly vipIndex = new Map<number, number>();
  private readonly vipU32: Uint32Array;
  private readonly ring = Array.from({ length: RING }, () => Buffer.allocUnsafe(MAX_DATAGRAM));
  private ringAt = 0;
  private seq = 0;
  private readonly refreshS: number;
  private readonly sockets: dgram.Socket[] = [];
  private ingress!: dgram.Socket;
  private toBackend: Dest[] = [];
  private toNode: Dest[] = [];
  /** The batched data plane (node-native.ts), when the addon is there. */
  private out: BatchOut | null = null;
  private batchSockets: BatchSocket[] = [];
  private sync!: dgram.Socket;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** A drill's loss on the sync link (syncLoss): this share of sync datagrams, both ways, dropped until then. */
  private syncLossUntil = 0;
  private syncLossShare = 0;
  /** Sync datagrams dropped by a drill's loss. */
  syncLossDropped = 0;

  constructor(private readonly d: NodeDeps) {
    const c = d.config.cluster;
    this.self = c.nodes.findIndex((n) => n.id === d.config.self);
    if (this.self < 0) throw new Error(`mgw: self ${d.config.self} is not one of the cluster's nodes (${c.nodes.map((n) => n.id).join(', ')})`);
    c.vips.forEach((v, i) => this.vipIndex.set(ipv4ToU32(v.address) * 65536 + v.port, i));
    this.vipU32 = Uint32Array.from(c.vips, (v) => ipv4ToU32(v.address));
    this.table = new SessionTable({ maxSessions: c.maxSessions });
    this.refreshS = Math.max(1, Math.floor(c.udpIdleS / REFRESH_FRACTION));
    this.health = new BackendHealth(c.backends.length, c.health.fails, (i, up) => {
      d.log(`mgw: backend ${c.backends[i].name} is ${up ? 'up' : 'down'}`);
      this.rebuild();
    });
    this.maglev = buildMaglev(this.backendList(), tableSizeFor(c.backends.length));
    this.placement = new Placement(c.nodes.map((n) => n.id), c.r, (i) => this.isLive(i));
    const nowS = (): number => Math.floor(Date.now() / 1000);
    this.replicator = new Replicator({
      nodeIndex: this.self,
      nodes: c.nodes.map((n) => n.id),
      r: c.r,
      epoch: d.epoch,
      now: Date.now,
      send: (peer, msg) => {
        if (this.lossy()) return;
        const bytes = encodeSync(msg);
        const to = c.nodes[peer].sync;
        this.sync.send(bytes, to.port, to.address);
      },
      table: {
        current: (k0, k1) => {
          const slot = this.table.find(k0, k1);
          return slot < 0 ? null : { backend: this.table.backendOf(slot), idleS: Math.max(0, nowS() - this.table.lastSeenOf(slot)) };
        },
        apply: (_peer, e) => {
          if (e.op === ENTRY_UPSERT) this.table.upsert(e.k0, e.k1, e.backend, nowS() - e.idleS);
          else this.table.remove(e.k0, e.k1);
        },
        size: () => this.table.size,
        scan: (cursor, max, fn) => this.table.scan(cursor, max, (k0, k1, backend, lastSeen) => fn(k0, k1, backend, Math.max(0, nowS() - lastSeen))),
      },
    });
  }

  private backendList(): { name: string; weight: number; up: boolean }[] {
    return this.d.config.cluster.backends.map((b, i) => ({ name: b.name, weight: b.weight, up: this.health.isUp(i) }));
  }

  /** Node i is live: itself when ready; a peer when the replication says so. */
  isLive(i: number): boolean {
    return i === this.self ? this.replicator.state === 'ready' : this.replicator.isLive(i);
  }

  private rebuild(): void {
    const c = this.d.config.cluster;
    this.builder.build(this.backendList(), tableSizeFor(c.backends.length)).then(
      (t) => {
        this.maglev = t;
        this.d.log(`mgw: Maglev table rebuilt (${this.health.upCount()} of ${c.backends.length} backends up)`);
      },
      (err: unknown) => {
        if (!/supersed/i.test(String(err))) this.d.log(`mgw: Maglev rebuild failed: ${(err as Error).message}`);
      },
    );
  }

  /** An up backend for a flow: Maglev's pick, or (while a rebuild is under way) the next up entry; -1 when none is up. */
  private pick(k0: number, k1: number): number {
    const t = this.maglev;
    // From the flow's own entry: flows of a backend that just went down spread over the next
    // entries' owners as the rebuilt table will spread them, not all onto one backend.
    const start = slotOf(t, k0, k1);
    let b = t[start];
    if (b !== 0xffff && this.health.isUp(b)) return b;
    if (this.health.upCount() === 0) return -1;
    for (let j = 1; j < t.length; j++) {
      b = t[(start + j) % t.length];
      if (b !== 0xffff && this.health.isUp(b)) return b;
    }
    return -1;
  }

  /** One client packet, from a VIP socket or the ingress (routed or redirected). */
  handle(client: number, clientPort: number, vip: number, payload: Uint8Array, redirected: boolean): void {
    this.counters.packetsIn++;
    const k1 = packK1(clientPort, vip, PROTO_UDP);
    const nowS = Math.floor(Date.now() / 1000);
    let slot = this.table.find(client, k1);
    let fresh = false;
    if (slot < 0) {
      this.placement.place(client, k1);
      const home = this.placement.home();
      if (!redirected && home >= 0 && home !== this.self) {
        this.send(this.toNode[home], ENCAP_FLAG_REDIRECT, client, clientPort, vip, payload);
        this.counters.redirectsOut++;
        return;
      }
      const b = this.pick(client, k1);
      if (b < 0) {
        this.counters.dropNoBackend++;
        return;
      }
      slot = this.table.insert(client, k1, b, nowS);
      if (slot < 0) {
        this.counters.dropTableFull++;
        return;
      }
      fresh = true;
      this.counters.newSessions++;
      this.replicator.changed(client, k1);
    } else {
      const b = this.table.backendOf(slot);
      if (!this.health.isUp(b)) {
        const nb = this.pick(client, k1);
        if (nb < 0) {
          this.counters.dropNoBackend++;
          return;
        }
        this.table.setBackend(slot, nb);
        this.counters.rehashed++;
        this.replicator.changed(client, k1);
      } else if (nowS - this.table.lastSeenOf(slot) >= this.refreshS) this.replicator.changed(client, k1);
      this.table.touch(slot, nowS);
    }
    const b0 = this.table.backendOf(slot);
    this.send(this.toBackend[b0], fresh ? ENCAP_FLAG_NEW : 0, client, clientPort, vip, payload);
    this.counters.forwarded++;
  }

  /**
   * Encapsulates into the outgoing batch (sent at the end of the batch being handled), or into
   * the next ring buffer sent on a connected dgram socket (no address lookup per packet).
   */
  private send(to: Dest, flags: number, client: number, clientPort: number, vip: number, payload: Uint8Array): void {
    const v = this.d.config.cluster.vips[vip];
    const out = this.out;
    const buf = out ? out.buf : this.ring[this.ringAt];
    const at = out ? out.slot() : 0;
    if (!out) this.ringAt = (this.ringAt + 1) % RING;
    this.seq = (this.seq + 1) >>> 0;
    encodeEncapHeader({ flags, proto: PROTO_UDP, node: this.self, vip: this.vipU32[vip], vipPort: v.port, client, clientPort, seq: this.seq }, buf, at);
    const n = Math.min(payload.length, (out ? BATCH_SLOT : MAX_DATAGRAM) - ENCAP_HEADER_BYTES);
    buf.set(payload.subarray(0, n), at + ENCAP_HEADER_BYTES);
    if (out) out.push(ENCAP_HEADER_BYTES + n, to.addr, to.port);
    else to.sock!.send(buf, 0, ENCAP_HEADER_BYTES + n);
  }

  private onIngress(msg: Uint8Array): void {
    let p;
    try {
      p = decodeEncap(msg);
    } catch {
      this.counters.dropBadPacket++;
      return;
    }
    const vip = this.vipIndex.get(p.header.vip * 65536 + p.header.vipPort);
    if (vip === undefined) {
      this.counters.dropBadPacket++;
      return;
    }
    const redirected = (p.header.flags & ENCAP_FLAG_REDIRECT) !== 0;
    if (redirected) this.counters.redirectsIn++;
    this.handle(p.header.client, p.header.clientPort, vip, p.payload, redirected);
  }

  /** An answer on backend j's socket: a health echo marks it up. */
  private onBackendReply(msg: Uint8Array, j: number): void {
    try {
      if (decodeEncap(msg).header.flags & ENCAP_FLAG_HEALTH) this.health.answer(j);
    } catch {
      this.counters.dropBadPacket++;
    }
  }

  private probeBackends(): void {
    this.health.nextRound();
    for (const to of this.toBackend) this.send(to, ENCAP_FLAG_HEALTH, 0, 0, 0, EMPTY);
    this.out?.flush();
  }

  async start(): Promise<void> {
    const c = this.d.config.cluster;
    const me = c.nodes[this.self];
    const bind = (addr: { address: string; port: number }, onMessage: (m: Buffer, r: dgram.RemoteInfo) => void): Promise<dgram.Socket> =>
      new Promise((resolve, reject) => {
        // Bursts at line rate (a kernel router in front) overflow the default ~200 KB receive buffer within a millisecond.
        const s = dgram.createSocket({ type: 'udp4', reuseAddr: false, recvBufferSize: RECV_BUFFER, sendBufferSize: RECV_BUFFER });
        s.once('error', reject);
        s.on('message', onMessage);
        s.bind(addr.port, addr.address, () => {
          s.removeListener('error', reject);
          s.on('error', (err) => this.d.log(`mgw: socket ${addr.address}:${addr.port}: ${err.message}`));
          this.sockets.push(s);
          resolve(s);
        });
      });
    const native = openNative(this.d.config, this.self, RECV_BUFFER, { onIngress: (m) => this.onIngress(m), onBackendReply: (m, j) => this.onBackendReply(m, j), handle: (...a) => this.handle(...a), onCut: () => void this.counters.dropBadPacket++, log: this.d.log });
    if (native) {
      ({ out: this.out, sockets: this.batchSockets, toBackend: this.toBackend, toNode: this.toNode } = native);
    } else {
      this.ingress = await bind(me.ingress, (m) => this.onIngress(m));
      // One connected socket per backend (its health echoes come back on it) and per other node (redirects).
      const connected = async (to: { address: string; port: number }, onMessage: (m: Buffer, r: dgram.RemoteInfo) => void): Promise<Dest> => {
        const s = await bind({ address: me.ingress.address, port: 0 }, onMessage);
        await new Promise<void>((resolve, reject) => s.connect(to.port, to.address, (err?: Error) => (err ? reject(err) : resolve())));
        return { sock: s, addr: 0, port: 0 };
      };
      this.toBackend = await Promise.all(c.backends.map((b, j) => connected(b, (m) => this.onBackendReply(m, j))));
      this.toNode = await Promise.all(c.nodes.map((n, i) => (i === this.self ? { sock: this.ingress, addr: 0, port: 0 } : connected(n.ingress, () => {}))));
    }
    this.sync = await bind(me.sync, (m, r) => {
      if (this.lossy()) return;
      try {
        const msg = decodeSync(m);
        if (msg.node >= 0 && msg.node < c.nodes.length && msg.node !== this.self && c.nodes[msg.node].sync.address === r.address) this.replicator.receive(msg.node, msg);
      } catch {
        this.counters.dropBadPacket++;
      }
    });
    for (const [i, v] of this.d.config.bindVips && !native ? c.vips.entries() : []) {
      try {
        await bind(v, (m, r) => this.handle(ipv4ToU32(r.address), r.port, i, m, false));
      } catch (err) {
        this.d.log(`mgw: VIP ${v.address}:${v.port} not bound here (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): traffic comes through the ingress`);
      }
    }
    this.replicator.startResync();
    let ticks = 0;
    const sweepPerTick = Math.max(1024, Math.ceil(this.table.capacity / 600));
    this.timer = setInterval(() => {
      this.replicator.tick();
      if (++ticks % 20 === 0) {
        this.table.sweep(Math.floor(Date.now() / 1000), sweepPerTick, () => c.udpIdleS);
      }
      if (ticks % Math.max(1, Math.round(c.health.intervalMs / 5)) === 0) this.probeBackends();
    }, 5);
    this.d.log(`mgw: node ${me.id} (${this.self + 1} of ${c.nodes.length}, R=${c.r}, epoch ${this.d.epoch}) on ingress ${me.ingress.address}:${me.ingress.port}, sync ${me.sync.address}:${me.sync.port}; ${c.backends.length} backends, table for ${c.maxSessions} sessions; data plane ${native ? `batched (${mmsgWhere})` : `node:dgram (${mmsgWhere})`}`);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.builder.dispose();
    for (const s of this.batchSockets) s.close();
    await Promise.all(this.sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  /** An operator's drain: false when no backend has that name. */
  drainBackend(name: string, on: boolean): boolean {
    const i = this.d.config.cluster.backends.findIndex((b) => b.name === name);
    if (i < 0) return false;
    this.health.drain(i, on);
    return true;
  }

  /**
   * A failover drill's sync-link loss: `share` (0..1] of the sync datagrams this node sends or
   * takes are dropped for `ms` (1 drops them all: the link cut). Replication is what has to
   * cope: NACKs and retransmission under loss, the peers' deaths and a pushed resync when the
   * cut outlasts deadAfterMs.
   */
  syncLoss(share: number, ms: number): void {
    this.syncLossShare = share;
    this.syncLossUntil = Date.now() + ms;
  }

  private lossy(): boolean {
    if (this.syncLossUntil === 0) return false;
    if (Date.now() >= this.syncLossUntil) {
      this.syncLossUntil = 0;
      return false;
    }
    if (this.syncLossShare < 1 && Math.random() >= this.syncLossShare) return false;
    this.syncLossDropped++;
    return true;
  }

  /** For the control API and the console. */
  describe(): { node: string; state: string; sessions: number; backends: { name: string; up: boolean }[]; peers: { id: string; live: boolean }[] } {
    const c = this.d.config.cluster;
    return {
      node: c.nodes[this.self].id,
      state: this.replicator.state,
      sessions: this.table.size,
      backends: c.backends.map((b, i) => ({ name: b.name, up: this.health.isUp(i) })),
      peers: c.nodes.map((n, i) => ({ id: n.id, live: this.isLive(i) })),
    };
  }
}
