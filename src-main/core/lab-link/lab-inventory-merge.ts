// What the lab's inventory adds to the store at a start: pure, for the lab module to upsert.
// The first start (nothing stored) takes the lab's inventory whole. Later starts add only the
// records the store does not have yet (sites, rooms, rows, cabinets, devices, by id) and, on
// the devices it has, refresh only the wiring the lab owns (its addresses: management IP, SNMP
// port, BMC address and port, SSH port). Everything else stored is kept: what flows and
// operators changed on lab devices (the hostname cmdb.set gave an installed server, SN, service
// tree, credential references, lifecycle) is theirs. Stored records the lab no longer has are
// left alone (nothing is deleted). Devices written unchanged are left out.
import type { Device, InventoryDocument } from '../../../src-shared/domain';
import { LAB_IPMI_CREDENTIAL, LAB_SNMP_CREDENTIAL, LAB_SSH_CREDENTIAL } from '../../../src-shared/lab-protocol';

/** The fields of a lab device the lab owns: where it answers. */
export const LAB_WIRING = ['mgmtIp', 'snmpPort', 'bmcAddress', 'bmcPort', 'sshPort'] as const satisfies readonly (keyof Device)[];

const newById = <T extends { id: string }>(stored: readonly T[], lab: readonly T[]): T[] => {
  const have = new Set(stored.map((r) => r.id));
  return lab.filter((r) => !have.has(r.id));
};

/** The document to upsert so the store has the lab's records without losing what was changed on them. */
export function mergeLabInventory(stored: InventoryDocument, lab: InventoryDocument): InventoryDocument {
  const storedDevices = new Map(stored.devices.map((d) => [d.id, d]));
  const devices: Device[] = [];
  for (const d of lab.devices) {
    const had = storedDevices.get(d.id);
    if (!had) {
      devices.push(d);
      continue;
    }
    if (LAB_WIRING.every((k) => had[k] === d[k])) continue;
    const rewired: Device = { ...had, mgmtIp: d.mgmtIp, snmpPort: d.snmpPort, bmcAddress: d.bmcAddress, bmcPort: d.bmcPort, sshPort: d.sshPort };
    devices.push(rewired);
  }
  return {
    format: 'fleetdeck-inventory',
    version: 1,
    sites: newById(stored.sites, lab.sites),
    rooms: newById(stored.rooms, lab.rooms),
    rows: newById(stored.rows, lab.rows),
    cabinets: newById(stored.cabinets, lab.cabinets),
    devices,
  };
}

const LAB_CREDENTIALS: ReadonlySet<string> = new Set([LAB_SNMP_CREDENTIAL, LAB_SSH_CREDENTIAL, LAB_IPMI_CREDENTIAL]);

/**
 * Whether the lab vouches for a device's credential references (each one the lab's own, or
 * none), so its write may bind them at the device's endpoints as the system. A device an
 * admin or operator pointed at another credential is written without binding: its bindings
 * stay theirs to make.
 */
export function labBindsDevice(d: Pick<Device, 'snmpCredential' | 'sshCredential' | 'ipmiCredential'>): boolean {
  return [d.snmpCredential, d.sshCredential, d.ipmiCredential].every((c) => c === null || LAB_CREDENTIALS.has(c));
}
