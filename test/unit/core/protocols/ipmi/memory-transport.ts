// An IpmiTransport without sockets: datagrams go straight to lab BMC simulators' handle()
// (by address:port), answers come back on the next tick. Hooks drop or duplicate datagrams.
import type { IpmiTransport } from '../../../../../src-main/core/protocols/ipmi/transport';
import type { BmcSimulator } from '../../../../../src-main/lab/bmc/bmc-simulator';

export interface MemoryTransport extends IpmiTransport {
  /** Every datagram sent, in order. */
  sent: { address: string; port: number; data: Buffer }[];
  /** Return false to lose a datagram on the way to the BMC. */
  deliverRequest: (data: Buffer, index: number) => boolean;
  /** How many copies of each answer arrive (0 = lost). */
  copiesOfReply: (data: Buffer) => number;
}

export function memoryTransport(bmcs: readonly BmcSimulator[]): MemoryTransport {
  const listeners = new Map<string, Set<(b: Buffer) => void>>();
  let closed = false;
  const t: MemoryTransport = {
    sent: [],
    deliverRequest: () => true,
    copiesOfReply: () => 1,
    get closed() {
      return closed;
    },
    send(address, port, data) {
      if (closed) return;
      const index = t.sent.length;
      t.sent.push({ address, port, data });
      const bmc = bmcs.find((b) => b.address === address && b.port === port);
      if (!bmc || !t.deliverRequest(data, index)) return;
      setImmediate(() => {
        const reply = bmc.handle(Buffer.from(data));
        if (!reply) return;
        for (let i = 0; i < t.copiesOfReply(reply); i++) {
          for (const fn of [...(listeners.get(`${address}|${port}`) ?? [])]) fn(Buffer.from(reply));
        }
      });
    },
    listen(address, port, fn) {
      const k = `${address}|${port}`;
      if (!listeners.has(k)) listeners.set(k, new Set());
      listeners.get(k)!.add(fn);
      return { dispose: () => listeners.get(k)?.delete(fn) };
    },
    async close() {
      closed = true;
      listeners.clear();
    },
  };
  return t;
}
