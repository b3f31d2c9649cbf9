// The node's data-plane sockets on the batched path (fast-udp.ts): the ingress, the VIPs this
// host has, and one outgoing socket on the ingress address for everything the node sends to
// backends and other nodes (its health echoes come back to it and are told apart by source).
// node.ts falls back to node:dgram sockets when the addon is not there.
import type { Socket } from 'node:dgram';
import { ipv4ToU32 } from '../../src-shared/mgw/key';
import type { MgwRunConfig } from '../../src-shared/mgw/config';
import { BatchOut, BatchSocket, loadMmsg } from './fast-udp';

/** Where the node sends: a dgram socket connected to it, or (batched) an address and port. */
export interface Dest {
  readonly sock: Socket | null;
  readonly addr: number;
  readonly port: number;
}

export interface NativeHost {
  onIngress(bytes: Uint8Array): void;
  onBackendReply(bytes: Uint8Array, backend: number): void;
  handle(client: number, clientPort: number, vip: number, payload: Uint8Array, redirected: boolean): void;
  /** A datagram longer than a batch slot was dropped. */
  onCut(): void;
  log(line: string): void;
}

export interface NativeSockets {
  readonly out: BatchOut;
  readonly sockets: BatchSocket[];
  readonly toBackend: Dest[];
  readonly toNode: Dest[];
}

/** The batched sockets, or null when the addon is not loaded (MGW_DATAPLANE=dgram, not built). */
export function openNative(config: MgwRunConfig, self: number, bufferBytes: number, host: NativeHost): NativeSockets | null {
  const m = loadMmsg();
  if (!m) return null;
  const c = config.cluster;
  const me = c.nodes[self];
  const sockets: BatchSocket[] = [];
  try {
    const sendSock = BatchSocket.open(m, me.ingress.address, 0, bufferBytes);
    sockets.push(sendSock);
    const out = new BatchOut(m, sendSock.fd);
    const onError = (err: Error): void => host.log(`mgw: batched socket: ${err.message}`);
    const backendAt = new Map(c.backends.map((b, j) => [ipv4ToU32(b.address) * 65536 + b.port, j]));
    sendSock.watch((buf, off, len, addr, port) => {
      const j = backendAt.get(addr * 65536 + port);
      if (j !== undefined) host.onBackendReply(buf.subarray(off, off + len), j);
    }, out, onError, host.onCut);
    const ingress = BatchSocket.open(m, me.ingress.address, me.ingress.port, bufferBytes);
    sockets.push(ingress);
    ingress.watch((buf, off, len) => host.onIngress(buf.subarray(off, off + len)), out, onError, host.onCut);
    for (const [i, v] of config.bindVips ? c.vips.entries() : []) {
      try {
        const s = BatchSocket.open(m, v.address, v.port, bufferBytes);
        sockets.push(s);
        s.watch((buf, off, len, addr, port) => host.handle(addr, port, i, buf.subarray(off, off + len), false), out, onError, host.onCut);
      } catch (err) {
        host.log(`mgw: VIP ${v.address}:${v.port} not bound here (${(err as Error).message}): traffic comes through the ingress`);
      }
    }
    const dest = (a: { address: string; port: number }): Dest => ({ sock: null, addr: ipv4ToU32(a.address), port: a.port });
    return { out, sockets, toBackend: c.backends.map(dest), toNode: c.nodes.map((n) => dest(n.ingress)) };
  } catch (err) {
    for (const s of sockets) s.close();
    throw err;
  }
}
