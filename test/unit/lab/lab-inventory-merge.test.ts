// What the lab module upserts at a start (src-main/core/lab-link/lab-inventory-merge.ts): the
// lab's inventory whole into an empty store; afterwards only the records the store lacks, and
// on devices it has only the lab's wiring (addresses and ports), so a CMDB rename, service
// tree, SN, credentials and lifecycle set on a lab device survive a restart. Which devices the
// lab binds credentials for (its own references only).
import { describe, expect, it } from 'vitest';
import type { Device, InventoryDocument } from '../../../src-shared/domain';
import { labBindsDevice, mergeLabInventory } from '../../../src-main/core/lab-link/lab-inventory-merge';
import { generateLab } from '../../../src-main/lab/generator';
import { LAB_IPMI_CREDENTIAL, LAB_SNMP_CREDENTIAL, LAB_SSH_CREDENTIAL } from '../../../src-shared/lab-protocol';

const EMPTY: InventoryDocument = { format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [] };
const SIZE = { sites: 1, roomsPerSite: 2, rowsPerRoom: 1, cabinetsPerRow: 2, devices: 30 };
const lab = generateLab(4, SIZE, { addressPrefix: '127.210', snmpPort: 16161, loopback: 'aliases' });

describe('mergeLabInventory', () => {
  it('takes the lab inventory whole into an empty store', () => {
    expect(mergeLabInventory(EMPTY, lab)).toEqual(lab);
  });

  it('writes nothing when the store already has the lab as it is', () => {
    expect(mergeLabInventory(lab, lab)).toEqual(EMPTY);
  });

  it('keeps what was changed on stored devices and refreshes only the lab wiring', () => {
    const server = lab.devices.find((d) => d.kind === 'server')!;
    const edited: Device = {
      ...server,
      hostname: 'crash-db-01', // a server-online flow's cmdb.set
      sn: 'SN-REPLACED-BOARD',
      serviceTree: { company: 'acme', department: 'data', product: 'pg', cluster: 'c1', service: 'db' },
      sshCredential: 'ops-ssh',
      lifecycle: 'online',
      mgmtIp: '127.210.99.1', // where it was before the lab moved it
      snmpPort: 1611,
      bmcAddress: '127.250.99.1',
      bmcPort: 6230,
      sshPort: 2222,
    };
    const stored: InventoryDocument = { ...lab, devices: lab.devices.map((d) => (d.id === server.id ? edited : d)) };
    const merged = mergeLabInventory(stored, lab);
    expect(merged.devices).toEqual([{
      ...edited, mgmtIp: server.mgmtIp, snmpPort: server.snmpPort, bmcAddress: server.bmcAddress, bmcPort: server.bmcPort, sshPort: server.sshPort,
    }]);
    expect([merged.sites, merged.rooms, merged.rows, merged.cabinets]).toEqual([[], [], [], []]);
  });

  it('leaves an edited device with the lab wiring out: nothing of it is written', () => {
    const server = lab.devices.find((d) => d.kind === 'server')!;
    const stored: InventoryDocument = { ...lab, devices: lab.devices.map((d) => (d.id === server.id ? { ...d, hostname: 'renamed-01', lifecycle: 'maintenance' as const } : d)) };
    expect(mergeLabInventory(stored, lab).devices).toEqual([]);
  });

  it('adds the records the store does not have, by id, and keeps the stored ones as they are', () => {
    const [room1, room2] = lab.rooms;
    const inRoom2 = new Set(lab.rows.filter((r) => r.roomId === room2.id).map((r) => r.id));
    const cabinets2 = new Set(lab.cabinets.filter((c) => inRoom2.has(c.rowId)).map((c) => c.id));
    // The store has the first room only (a smaller lab before), with its site renamed by an admin.
    const stored: InventoryDocument = {
      ...lab,
      sites: lab.sites.map((s) => ({ ...s, name: 'Our site' })),
      rooms: [room1],
      rows: lab.rows.filter((r) => !inRoom2.has(r.id)),
      cabinets: lab.cabinets.filter((c) => !cabinets2.has(c.id)),
      devices: lab.devices.filter((d) => !cabinets2.has(d.cabinetId)),
    };
    const merged = mergeLabInventory(stored, lab);
    expect(merged.sites).toEqual([]);
    expect(merged.rooms).toEqual([room2]);
    expect(merged.rows.map((r) => r.id).sort()).toEqual([...inRoom2].sort());
    expect(merged.cabinets.map((c) => c.id).sort()).toEqual([...cabinets2].sort());
    expect(merged.devices).toEqual(lab.devices.filter((d) => cabinets2.has(d.cabinetId)));
    expect(merged.devices.length).toBeGreaterThan(0);
  });
});

describe('labBindsDevice', () => {
  // As the lab's peer kinds fill them in on a server.
  const base = { snmpCredential: LAB_SNMP_CREDENTIAL, sshCredential: LAB_SSH_CREDENTIAL, ipmiCredential: LAB_IPMI_CREDENTIAL };
  it('binds a device whose references are the lab\'s own or none', () => {
    expect(labBindsDevice(base)).toBe(true);
    expect(labBindsDevice({ snmpCredential: null, sshCredential: null, ipmiCredential: null })).toBe(true);
  });
  it('leaves a device pointed at another credential to its own bindings', () => {
    expect(labBindsDevice({ ...base, sshCredential: 'ops-ssh' })).toBe(false);
  });
});
