// A small inventory for the alarm tests: one site, one room, two rows; row r1 has cabinet c1
// (feeds A and B: pdu-a, pdu-b, a ToR switch tor1 and two servers) and cabinet c2 (one feed:
// pdu2 and server s3); row r2 has cabinet c3 with server s4 and no switch. Also an alarm maker.
import { alarmId, type Alarm } from '../../../../src-shared/domain/alarm';
import type { DeviceKind, InventoryDocument } from '../../../../src-shared/domain/inventory';

const dev = (id: string, cabinetId: string, kind: DeviceKind, uPosition: number) => ({ id, cabinetId, kind, hostname: id, uPosition });

export const inventory = {
  sites: [{ id: 'site1' }],
  rooms: [{ id: 'room1', siteId: 'site1' }],
  rows: [{ id: 'r1', roomId: 'room1' }, { id: 'r2', roomId: 'room1' }],
  cabinets: [
    { id: 'c1', rowId: 'r1', feedA: 'A-01', feedB: 'B-01' },
    { id: 'c2', rowId: 'r1', feedA: 'A-02', feedB: null },
    { id: 'c3', rowId: 'r2', feedA: null, feedB: null },
  ],
  devices: [
    dev('c1-pdu-a', 'c1', 'pdu', 0), dev('c1-pdu-b', 'c1', 'pdu', 0), dev('tor1', 'c1', 'switch', 42),
    dev('s1', 'c1', 'server', 1), dev('s2', 'c1', 'server', 3),
    dev('pdu2', 'c2', 'pdu', 0), dev('s3', 'c2', 'server', 1),
    dev('s4', 'c3', 'server', 1),
  ],
};

export function firing(ruleId: string, objectId: string, over: Partial<Alarm> = {}): Alarm {
  return {
    id: alarmId(ruleId, objectId), ruleId, objectId, severity: 'major', state: 'firing', occurrences: 1,
    firstSeen: 0, lastSeen: 0, since: 0, value: null, masked: false, ...over,
  };
}

/** The fixture as a whole inventory document (what the store's inventory.upsert takes); `device` adds fields to every device. */
export function fixtureDocument(device: Record<string, unknown> = {}): InventoryDocument {
  return {
    format: 'fleetdeck-inventory', version: 1,
    sites: [{ id: 'site1', name: 'Site', city: 'Beijing' }],
    rooms: [{ id: 'room1', siteId: 'site1', name: 'Hall', widthM: 20, depthM: 10 }],
    rows: inventory.rows.map((r, i) => ({ ...r, name: r.id, xM: 1, yM: 1 + 2 * i, facing: 'south', coldAisle: 'front' })),
    cabinets: inventory.cabinets.map((c, i) => ({ ...c, name: c.id, position: i + 1, uHeight: 42, ratedPowerKw: 8, widthMm: 600, depthMm: 1200 })),
    devices: inventory.devices.map((d) => ({
      ...d, sn: `SN-${d.id}`, uHeight: d.kind === 'pdu' ? 0 : 1, mgmtIp: '127.16.0.1', snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22,
      snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null, ...device,
    })),
  } as unknown as InventoryDocument;
}
