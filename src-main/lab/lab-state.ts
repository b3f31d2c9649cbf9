// What the lab's faults and BMCs have done to its devices (dead, tripped, powered off, links
// down), and what follows for each device: whether its host runs and whether its BMC does.
// Power: a tripped cabinet has none at all; a tripped feed (one PDU of a dual-fed cabinet)
// takes only the PSUs cabled to it (lab-cabling.ts), so a device goes dark when every one of
// its PSUs is on a tripped feed, and a dual-corded server rides through on the other feed.
// A host that has power can still be quiet: while it installs (or waits out a PXE timeout)
// its OS is not up, so SNMP and SSH do not answer. What it runs (hostname, OS, install
// generation) is its identity: the lab's own until a PXE install replaces it. Over a restart
// the lab's state file (memory/) keeps the installed identities, and poweredOff comes back
// from the BMCs' saved power; the faults here (dead devices, tripped cabinets and feeds, links
// down) are test fixtures and are not kept: a restarted lab has none.
import type { Device, LabOsTemplate, LabStatus } from '../../src-shared/domain';
import type { Feed } from '../../src-shared/power-feeds';
import { hostOsFor, type LabHostOs } from './host-os';
import type { LabCabling } from './lab-cabling';

/** What a host runs: generation 0 is the lab's own install, each PXE install adds one. */
export interface LabHostIdentity {
  readonly hostname: string;
  readonly os: LabHostOs;
  /** The template installed; null: the OS the lab generated for the host. */
  readonly template: LabOsTemplate | null;
  readonly generation: number;
}

const NO_CABLING: LabCabling = { psuFeeds: () => [], pduFeed: () => null, outlets: () => [], pdus: () => [], feeds: () => [] };

const feedKey = (cabinetId: string, feed: Feed): string => `${cabinetId}\n${feed}`;

export class LabState {
  /** Killed devices: silent on every protocol. */
  readonly dead = new Set<string>();
  /** Cabinets whose power has tripped: every PDU of the cabinet. */
  readonly tripped = new Set<string>();
  /** Hosts their BMC has powered off. */
  readonly poweredOff = new Set<string>();
  /** Devices whose first link the lab has taken down. */
  readonly linksDown = new Set<string>();
  /** Hosts with power whose OS is not up (installing, hung, PXE timeout): SNMP and SSH quiet. */
  readonly quiet = new Set<string>();
  /** Feeds tripped on their own, by feedKey. */
  private readonly feedsDown = new Set<string>();
  /** Hosts a PXE install has given a new identity. */
  private readonly installed = new Map<string, LabHostIdentity>();

  constructor(readonly cabling: LabCabling = NO_CABLING) {}

  tripFeed(cabinetId: string, feed: Feed): void {
    this.feedsDown.add(feedKey(cabinetId, feed));
  }

  restoreFeed(cabinetId: string, feed: Feed): void {
    this.feedsDown.delete(feedKey(cabinetId, feed));
  }

  /** The whole cabinet back: its own trip and any feed tripped on its own. */
  restoreCabinet(cabinetId: string): void {
    this.tripped.delete(cabinetId);
    this.feedsDown.delete(feedKey(cabinetId, 'A'));
    this.feedsDown.delete(feedKey(cabinetId, 'B'));
  }

  /** Whether a cabinet's feed delivers: neither the cabinet nor that feed tripped. */
  feedLive(cabinetId: string, feed: Feed): boolean {
    return !this.tripped.has(cabinetId) && !this.feedsDown.has(feedKey(cabinetId, feed));
  }

  /** Which of a load's PSUs have input power, PSU 1 first (empty when it is not cabled to a PDU). */
  psuInputs(d: Device): boolean[] {
    return this.cabling.psuFeeds(d.id).map((f) => this.feedLive(d.cabinetId, f));
  }

  /** A load has power while its cabinet has and one of its PSUs is on a live feed. */
  private powered(d: Device): boolean {
    if (this.tripped.has(d.cabinetId)) return false;
    const inputs = this.psuInputs(d);
    return !inputs.length || inputs.includes(true);
  }

  /** A device's operating system runs while it is alive, has power and its BMC has it on. */
  hostUp(d: Device): boolean {
    if (this.dead.has(d.id)) return false;
    if (d.kind === 'pdu') return true; // a PDU's own management stays up when it trips
    return this.powered(d) && !this.poweredOff.has(d.id);
  }

  /** A host's OS answers (SNMP, SSH) while the host is up and not installing. */
  osUp(d: Device): boolean {
    return this.hostUp(d) && !this.quiet.has(d.id);
  }

  /** What the host runs now. */
  identity(d: Pick<Device, 'id' | 'hostname'>): LabHostIdentity {
    return this.installed.get(d.id) ?? { hostname: d.hostname, os: hostOsFor(d.id), template: null, generation: 0 };
  }

  setIdentity(deviceId: string, identity: LabHostIdentity): void {
    this.installed.set(deviceId, identity);
  }

  /** The hosts a PXE install has given a new identity, by device id. */
  installedIdentities(): ReadonlyMap<string, LabHostIdentity> {
    return this.installed;
  }

  /** A BMC runs on standby power: it is dark only when the device is dead or has no power. */
  bmcUp(d: Device): boolean {
    return !this.dead.has(d.id) && this.powered(d);
  }

  status(running: boolean, devices: number): LabStatus {
    return {
      running,
      devices,
      deadDevices: [...this.dead].sort(),
      trippedCabinets: [...this.tripped].sort(),
      trippedFeeds: [...this.feedsDown].sort().map((k) => {
        const [cabinetId, feed] = k.split('\n');
        return { cabinetId, feed: feed as Feed };
      }),
      linksDown: [...this.linksDown].sort(),
    };
  }
}
