// The lab's notifications: what a real device sends when its state changes, so the console's
// trap receiver sees the lab's faults as they happen, not only at the next poll. SNMPv2c
// traps (net-snmp) from the device's own management address to the target the core gives
// (the core starts its receiver after the lab, then tells the lab where it listens).
import * as snmp from 'net-snmp';

export type LabTrap =
  | { kind: 'coldStart' }
  | { kind: 'linkDown' | 'linkUp'; ifIndex: number };

export interface LabTrapSender {
  /** Where traps go; null stops sending. */
  setTarget(target: { host: string; port: number } | null): void;
  /** Sends one trap from `fromAddress`; never throws (a trap that cannot go is dropped, as UDP would). */
  send(fromAddress: string, trap: LabTrap): Promise<void>;
  /** Waits for traps in flight; later sends are dropped. */
  close(): Promise<void>;
}

const IF_ENTRY = '1.3.6.1.2.1.2.2.1';

export function createLabTrapSender(community: string): LabTrapSender {
  let target: { host: string; port: number } | null = null;
  let closed = false;
  const inFlight = new Set<Promise<void>>();

  function send(fromAddress: string, trap: LabTrap): Promise<void> {
    const to = target;
    if (!to || closed) return Promise.resolve();
    const p = new Promise<void>((resolve) => {
      let session: snmp.Session;
      try {
        session = snmp.createSession(to.host, community, { version: snmp.Version2c, trapPort: to.port, sourceAddress: fromAddress } as snmp.SessionOptions);
      } catch {
        return resolve();
      }
      session.on('error', () => {});
      const done = (): void => {
        try {
          session.close();
        } catch {
          // already closed
        }
        resolve();
      };
      try {
        if (trap.kind === 'coldStart') {
          session.trap(snmp.TrapType.ColdStart, done);
        } else {
          const varbinds: snmp.Varbind[] = [
            { oid: `${IF_ENTRY}.1.${trap.ifIndex}`, type: snmp.ObjectType.Integer, value: trap.ifIndex },
            { oid: `${IF_ENTRY}.7.${trap.ifIndex}`, type: snmp.ObjectType.Integer, value: 1 },
            { oid: `${IF_ENTRY}.8.${trap.ifIndex}`, type: snmp.ObjectType.Integer, value: trap.kind === 'linkUp' ? 1 : 2 },
          ];
          session.trap(trap.kind === 'linkUp' ? snmp.TrapType.LinkUp : snmp.TrapType.LinkDown, varbinds, done);
        }
      } catch {
        done();
      }
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  }

  return {
    setTarget(t) {
      target = t ? { host: t.host, port: t.port } : null;
    },
    send,
    async close() {
      closed = true;
      await Promise.all([...inFlight]);
    },
  };
}
