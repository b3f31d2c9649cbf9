// A lab device as every peer kind sees it: the inventory's device, where it stands, and the
// physical traits its simulators share (links, uptime, power draw, PSU count), drawn from its
// seed. PSUs: a server has two (one cord on each feed) except about one in 60, single-corded,
// and a quarter of the 4U ones (GPU boxes), which have three (2+1); switches, PDUs and gateways
// one. The BMC shows a power sensor per PSU and the PDUs meter each cord (cabled by
// src-shared/power-feeds.ts), so what the console measures is what the lab does.
import type { Cabinet, Device, InventoryDocument, Room } from '../../src-shared/domain';
import { createRng, hashString } from '../../src-shared/random';
import type { Mutable } from '../../src-shared/types';

/** One network link of a device. `up` is its oper status: the link-down fault clears it. */
export interface LabInterface {
  name: string;
  alias: string;
  speedMbps: number;
  up: boolean;
  /** Mean traffic in bytes/s; the actual rate wobbles around it (daily curve + minutes). */
  inBytesPerSec: number;
  outBytesPerSec: number;
}

export interface LabDevice {
  /** The lab's own inventory entry: peer kinds fill in what only they know (BMC address, credential ids). */
  readonly device: Mutable<Device>;
  readonly cabinet: Cabinet;
  readonly room: Room;
  /** Shared by the SNMP agent (which reads them at request time) and the link faults. */
  readonly interfaces: LabInterface[];
  /** Uptime the device already has when the lab first starts it. */
  readonly initialUptimeSec: number;
  /** Seconds; de-synchronises the short traffic wobble between devices. */
  readonly phase: number;
  /** Nominal draw in watts, before the daily curve. */
  readonly watts: number;
  /** Power supplies (cords): labPsus(). */
  readonly psus: number;
}

function interfacesFor(device: Device, rnd: () => number): LabInterface[] {
  const mb = (lo: number, hi: number): number => (lo + rnd() * (hi - lo)) * 1e6 / 8; // Mbit/s -> bytes/s
  switch (device.kind) {
    case 'server': {
      const inEno1 = mb(40, 600);
      const single = rnd() < 0.08;
      return [
        { name: 'eno1', alias: 'uplink-a', speedMbps: 25_000, up: true, inBytesPerSec: inEno1, outBytesPerSec: inEno1 * (0.4 + rnd() * 1.2) },
        { name: 'eno2', alias: single ? '' : 'uplink-b', speedMbps: 25_000, up: !single, inBytesPerSec: inEno1 * 0.3, outBytesPerSec: inEno1 * 0.25 },
      ];
    }
    case 'switch': {
      const down = Array.from({ length: 4 }, (_, i) => {
        const rate = mb(200, 4000);
        return { name: `Ethernet1/${i + 1}`, alias: `server-port-${i + 1}`, speedMbps: 25_000, up: true, inBytesPerSec: rate, outBytesPerSec: rate * (0.5 + rnd()) };
      });
      const up = [49, 50].map((p) => {
        const rate = mb(5000, 30000);
        return { name: `Ethernet1/${p}`, alias: `spine-${p - 48}`, speedMbps: 100_000, up: true, inBytesPerSec: rate, outBytesPerSec: rate * (0.6 + rnd() * 0.8) };
      });
      return [...down, ...up];
    }
    default:
      return [{ name: 'mgmt0', alias: 'management', speedMbps: 100, up: true, inBytesPerSec: 300 + rnd() * 500, outBytesPerSec: 800 + rnd() * 1200 }];
  }
}

function nominalWatts(device: Device, rnd: () => number): number {
  if (device.kind === 'switch') return 300 + rnd() * 100;
  if (device.kind !== 'server') return 0;
  const [lo, hi] = device.uHeight >= 4 ? [900, 1500] : device.uHeight >= 2 ? [400, 700] : [250, 400];
  return lo + rnd() * (hi - lo);
}

/** The share of servers with one PSU, and of 4U servers with three. */
const SINGLE_CORDED = 1 / 60;
const THREE_PSU_4U = 1 / 4;

/** A device's PSU count: deterministic in its id, height and the lab's seed (its own stream, apart from the other traits). */
export function labPsus(device: Pick<Device, 'id' | 'kind' | 'uHeight'>, seed: number): number {
  if (device.kind !== 'server') return 1;
  const rnd = createRng(hashString(`${device.id}/psus`) ^ seed);
  if (rnd() < SINGLE_CORDED) return 1;
  return device.uHeight >= 4 && rnd() < THREE_PSU_4U ? 3 : 2;
}

/** Every device of the inventory, in inventory order; the same seed gives the same traits. */
export function labDevices(inventory: InventoryDocument, seed: number): LabDevice[] {
  const cabinets = new Map(inventory.cabinets.map((c) => [c.id, c]));
  const rows = new Map(inventory.rows.map((r) => [r.id, r]));
  const rooms = new Map(inventory.rooms.map((r) => [r.id, r]));
  // The generated inventory is the lab's own: its devices are filled in as the kinds start.
  return (inventory.devices as readonly Mutable<Device>[]).map((device) => {
    // One stream per device, drawn in this order: links, uptime, phase, power.
    const rnd = createRng(hashString(device.id) ^ seed);
    const cabinet = cabinets.get(device.cabinetId)!;
    const room = rooms.get(rows.get(cabinet.rowId)!.roomId)!;
    const interfaces = interfacesFor(device, rnd);
    const initialUptimeSec = Math.floor((2 + rnd() * 178) * 86_400);
    const phase = Math.floor(rnd() * 300);
    return { device, cabinet, room, interfaces, initialUptimeSec, phase, watts: nominalWatts(device, rnd), psus: labPsus(device, seed) };
  });
}
