// What the lab's faults and BMCs have done to its devices (dead, tripped, powered off, links
// down), and what follows for each device: whether its host runs and whether its BMC does.
import type { Device, LabStatus } from '../../src-shared/domain';

export class LabState {
  /** Killed devices: silent on every protocol. */
  readonly dead = new Set<string>();
  /** Cabinets whose PDU has tripped. */
  readonly tripped = new Set<string>();
  /** Hosts their BMC has powered off. */
  readonly poweredOff = new Set<string>();
  /** Devices whose first link the lab has taken down. */
  readonly linksDown = new Set<string>();

  /** A device's operating system runs while it is alive, its cabinet has power and its BMC has it on. */
  hostUp(d: Device): boolean {
    if (this.dead.has(d.id)) return false;
    if (d.kind === 'pdu') return true; // a PDU's own management stays up when it trips
    return !this.tripped.has(d.cabinetId) && !this.poweredOff.has(d.id);
  }

  /** A BMC runs on standby power: it is dark only when the device is dead or its cabinet has no power. */
  bmcUp(d: Device): boolean {
    return !this.dead.has(d.id) && !this.tripped.has(d.cabinetId);
  }

  status(running: boolean, devices: number): LabStatus {
    return {
      running,
      devices,
      deadDevices: [...this.dead].sort(),
      trippedCabinets: [...this.tripped].sort(),
      linksDown: [...this.linksDown].sort(),
    };
  }
}
