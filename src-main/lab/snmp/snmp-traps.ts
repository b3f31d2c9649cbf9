// The lab's notifications: what a real device sends when its state changes, so the console's
// trap receiver sees the lab's faults as they happen, not only at the next poll. SNMPv2c
// traps to the target the core gives (the core starts its receiver after the lab, then tells
// the lab where it listens), each sent from the device's own agent socket: its source is the
// device's management address and SNMP port, which tells devices sharing 127.0.0.1 apart.
import { randomInt } from 'node:crypto';
import { encodeV2cTrap, type TrapVarbind } from './trap-pdu';

export type LabTrap =
  | { kind: 'coldStart' }
  | { kind: 'linkDown' | 'linkUp'; ifIndex: number };

/** What a trap goes out of: a running agent's socket. */
export interface TrapOrigin {
  /** sysUpTime.0 now, in hundredths of a second. */
  uptimeTicks(): number;
  /** Sends on the agent's own socket; false when the agent is not running. */
  sendDatagram(data: Buffer, host: string, port: number): Promise<boolean>;
}

export interface LabTrapSender {
  /** Where traps go; null stops sending. */
  setTarget(target: { host: string; port: number } | null): void;
  /** Sends one trap from the device's agent; never throws (a trap that cannot go is dropped, as UDP would). */
  send(from: TrapOrigin, trap: LabTrap): Promise<void>;
  /** Waits for traps in flight; later sends are dropped. */
  close(): Promise<void>;
}

const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const TRAP_OID = { coldStart: '1.3.6.1.6.3.1.1.5.1', linkDown: '1.3.6.1.6.3.1.1.5.3', linkUp: '1.3.6.1.6.3.1.1.5.4' } as const;

function varbindsOf(trap: LabTrap): TrapVarbind[] {
  if (trap.kind === 'coldStart') return [];
  const i = trap.ifIndex;
  return [
    { oid: `${IF_ENTRY}.1.${i}`, value: { type: 'integer', value: i } },
    { oid: `${IF_ENTRY}.7.${i}`, value: { type: 'integer', value: 1 } },
    { oid: `${IF_ENTRY}.8.${i}`, value: { type: 'integer', value: trap.kind === 'linkUp' ? 1 : 2 } },
  ];
}

export function createLabTrapSender(community: string): LabTrapSender {
  let target: { host: string; port: number } | null = null;
  let closed = false;
  const inFlight = new Set<Promise<void>>();

  function send(from: TrapOrigin, trap: LabTrap): Promise<void> {
    const to = target;
    if (!to || closed) return Promise.resolve();
    const p = (async () => {
      try {
        const message = encodeV2cTrap(community, randomInt(1, 2 ** 31 - 1), from.uptimeTicks(), TRAP_OID[trap.kind], varbindsOf(trap));
        await from.sendDatagram(message, to.host, to.port);
      } catch {
        // dropped, as a datagram that cannot be sent is
      }
    })();
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
