// Where the lab's devices listen. "aliases": each device on its own loopback address
// (127.16.x.y, BMCs 127.116.x.y), every device on the same ports. "single": every device on
// 127.0.0.1 with ports of its own, from the port plan below. "auto": aliases if the first
// lab addresses can be bound, else single (macOS has only 127.0.0.1 on loopback by default).
import { createSocket } from 'node:dgram';
import type { LabLoopback } from '../../src-shared/lab-protocol';

/** The address every device listens on in single mode. */
export const SINGLE_ADDRESS = '127.0.0.1';
/**
 * Single mode's port plan: device n (0-based, inventory order) answers SNMP on base + n,
 * RMCP+ on base + SPAN + n and SSH on base + 2 * SPAN + n. With the default base that is
 * UDP 20000-23999, UDP 24000-27999 and TCP 28000-31999: above the alias mode's 16xxx ports
 * and the trap receiver's 16162, below Linux's ephemeral range (32768-60999) and macOS's
 * (49152-65535), so no outgoing socket of the console is ever handed one of them.
 */
export const SINGLE_PORT_BASE = 20000;
export const SINGLE_PORT_SPAN = 4000;

export interface DevicePorts {
  snmp: number;
  bmc: number;
  ssh: number;
}

/** Throws unless the plan from `base` fits under 65536 and above the privileged ports. */
export function checkSinglePortBase(base: number): void {
  if (!Number.isInteger(base) || base < 1024 || base + 3 * SINGLE_PORT_SPAN - 1 > 65535) {
    throw new RangeError(`lab single-address port base must be an integer from 1024 to ${65536 - 3 * SINGLE_PORT_SPAN}, got ${base}`);
  }
}

/** The ports of the n-th device in single mode. */
export function singlePorts(n: number, base = SINGLE_PORT_BASE): DevicePorts {
  if (!Number.isInteger(n) || n < 0 || n >= SINGLE_PORT_SPAN) {
    throw new RangeError(`lab single-address mode holds at most ${SINGLE_PORT_SPAN} devices (device ${n})`);
  }
  return { snmp: base + n, bmc: base + SINGLE_PORT_SPAN + n, ssh: base + 2 * SINGLE_PORT_SPAN + n };
}

/** The port ranges of a single-mode lab of `devices` devices, for logs and docs. */
export function describeSinglePlan(devices: number, base = SINGLE_PORT_BASE): string {
  const range = (from: number): string => `${from}-${from + devices - 1}`;
  return `SNMP UDP ${range(base)}, RMCP+ UDP ${range(base + SINGLE_PORT_SPAN)}, SSH TCP ${range(base + 2 * SINGLE_PORT_SPAN)}`;
}

/** Whether a UDP socket can be bound to `address`: 'unavailable' is EADDRNOTAVAIL (no such local address). */
export type BindProbe = (address: string) => Promise<'ok' | 'unavailable'>;

/** Binds a UDP socket to address:0 and closes it at once. Other errors than EADDRNOTAVAIL are thrown. */
export const probeBind: BindProbe = (address) => new Promise((resolve, reject) => {
  const s = createSocket('udp4');
  s.once('error', (err: NodeJS.ErrnoException) => {
    s.close();
    if (err.code === 'EADDRNOTAVAIL') resolve('unavailable');
    else reject(new Error(`lab: cannot probe loopback address ${address}: ${err.message}`, { cause: err }));
  });
  s.bind(0, address, () => s.close(() => resolve('ok')));
});

/**
 * The mode the lab runs in. `auto` probes the given addresses (the first device address and
 * the first BMC address): all bound, aliases; any unavailable, single, said once in `log`.
 */
export async function resolveLoopback(mode: LabLoopback, probeAddresses: readonly string[], log: (line: string) => void,
  probe: BindProbe = probeBind): Promise<'aliases' | 'single'> {
  if (mode === 'aliases' || mode === 'single') return mode;
  if (mode !== 'auto') throw new RangeError(`lab loopback must be aliases, single or auto, got "${String(mode)}"`);
  for (const address of probeAddresses) {
    // The lab binds only inside 127.0.0.0/8, probes included.
    if (!address.startsWith('127.')) throw new RangeError(`lab address ${address} must lie in 127.0.0.0/8`);
    if ((await probe(address)) === 'unavailable') {
      log(`loopback alias ${address} is not available (EADDRNOTAVAIL): every lab device listens on ${SINGLE_ADDRESS} with its own ports`);
      return 'single';
    }
  }
  return 'aliases';
}
