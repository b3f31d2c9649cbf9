import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Device, InventoryDocument } from '../../../../src-shared/domain';
import { openStore, type Db } from '../../../../src-main/core/store/database';
import { InventoryRepository } from '../../../../src-main/core/store/inventory-repository';

const dev = (id: string, cabinetId: string, uPosition: number, extra: Partial<Device> = {}): Device => ({
  id, cabinetId, kind: 'server', hostname: id, sn: `SN-${id}`, uPosition, uHeight: 1, mgmtIp: `10.0.0.${uPosition + 1}`,
  snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: 'snmp-lab', sshCredential: null, ipmiCredential: null, serviceTree: null,
  lifecycle: 'online', ...extra,
});

/** Deliberately unsorted, to check that reads sort by id. */
const DOC: InventoryDocument = {
  format: 'fleetdeck-inventory',
  version: 1,
  sites: [{ id: 's2', name: 'Site 2', city: 'Shanghai' }, { id: 's1', name: 'Site 1', city: 'Beijing' }],
  rooms: [{ id: 'r2', siteId: 's2', name: 'Room 2', widthM: 20, depthM: 10 }, { id: 'r1', siteId: 's1', name: 'Room 1', widthM: 20, depthM: 10 }],
  rows: [{ id: 'w1b', roomId: 'r1', name: 'B', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }, { id: 'w1a', roomId: 'r1', name: 'A', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }, { id: 'w2', roomId: 'r2', name: 'A', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }],
  cabinets: [
    { id: 'c-b1', rowId: 'w1b', name: 'B01', position: 1, uHeight: 42, ratedPowerKw: 8, feedA: 'A-1', feedB: null, widthMm: 600, depthMm: 1200 },
    { id: 'c-a2', rowId: 'w1a', name: 'A02', position: 2, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 },
    { id: 'c-a1', rowId: 'w1a', name: 'A01', position: 1, uHeight: 48, ratedPowerKw: 12.5, feedA: 'A-1', feedB: 'B-1', widthMm: 600, depthMm: 1200 },
    { id: 'c-2', rowId: 'w2', name: 'A01', position: 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 },
  ],
  devices: [
    dev('d3', 'c-a1', 10, { kind: 'switch', snmpPort: 1161 }),
    dev('d1', 'c-a1', 1, { bmcAddress: '10.1.0.1', sshCredential: 'ssh', ipmiCredential: 'ipmi',
      serviceTree: { company: 'Acme', department: 'Infra', product: 'Compute', cluster: 'c1', service: 'web' } }),
    dev('p1', 'c-a1', 0, { kind: 'pdu', uHeight: 0, snmpCredential: null }),
    dev('d9', 'c-2', 5),
  ],
};

describe('InventoryRepository', () => {
  let db: Db;
  let repo: InventoryRepository;
  beforeEach(() => {
    db = openStore(':memory:');
    repo = new InventoryRepository(db);
  });
  afterEach(() => db.close());

  it('starts empty', () => {
    expect(repo.isEmpty()).toBe(true);
    expect(repo.counts()).toEqual({ sites: 0, rooms: 0, rows: 0, cabinets: 0, devices: 0 });
    expect(repo.document()).toEqual({ format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [] });
  });

  it('upserts a document and reads it back sorted by id', () => {
    expect(repo.upsert(DOC)).toEqual({ imported: { sites: 2, rooms: 2, rows: 3, cabinets: 4, devices: 4 } });
    expect(repo.isEmpty()).toBe(false);
    const byId = <T extends { id: string }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(repo.document()).toEqual({
      ...DOC,
      sites: byId(DOC.sites), rooms: byId(DOC.rooms), rows: byId(DOC.rows), cabinets: byId(DOC.cabinets), devices: byId(DOC.devices),
    });
    expect(repo.counts()).toEqual({ sites: 2, rooms: 2, rows: 3, cabinets: 4, devices: 4 });
    expect(repo.sites().map((s) => s.id)).toEqual(['s1', 's2']);
    expect(repo.rooms()).toEqual([{ id: 'r1', siteId: 's1', name: 'Room 1', widthM: 20, depthM: 10 }, { id: 'r2', siteId: 's2', name: 'Room 2', widthM: 20, depthM: 10 }]);
    expect(repo.rows().map((r) => r.id)).toEqual(['w1a', 'w1b', 'w2']);
  });

  it('answers the single-record and per-cabinet queries', () => {
    repo.upsert(DOC);
    expect(repo.cabinetsInRoom('r1').map((c) => [c.id, c.rowName, c.position])).toEqual([
      ['c-a1', 'A', 1], ['c-a2', 'A', 2], ['c-b1', 'B', 1],
    ]);
    expect(repo.cabinetsInRoom('r1')[0]).toEqual({ ...DOC.cabinets[2], rowName: 'A' });
    expect(repo.cabinetsInRoom('nope')).toEqual([]);
    expect(repo.cabinet('c-a1')).toEqual(DOC.cabinets[2]);
    expect(repo.cabinet('nope')).toBeNull();
    expect(repo.devicesInCabinet('c-a1').map((d) => d.id)).toEqual(['p1', 'd1', 'd3']);
    expect(repo.device('d1')).toEqual(DOC.devices[1]);
    expect(repo.device('nope')).toBeNull();
  });

  it('lists device locations and poll targets', () => {
    repo.upsert(DOC);
    expect(repo.deviceLocations()).toEqual([
      { deviceId: 'd1', cabinetId: 'c-a1', roomId: 'r1', siteId: 's1' },
      { deviceId: 'd3', cabinetId: 'c-a1', roomId: 'r1', siteId: 's1' },
      { deviceId: 'd9', cabinetId: 'c-2', roomId: 'r2', siteId: 's2' },
      { deviceId: 'p1', cabinetId: 'c-a1', roomId: 'r1', siteId: 's1' },
    ]);
    expect(repo.pollTargets()).toEqual([
      { deviceId: 'd1', kind: 'server', mgmtIp: '10.0.0.2', snmpPort: 161, snmpCredential: 'snmp-lab' },
      { deviceId: 'd3', kind: 'switch', mgmtIp: '10.0.0.11', snmpPort: 1161, snmpCredential: 'snmp-lab' },
      { deviceId: 'd9', kind: 'server', mgmtIp: '10.0.0.6', snmpPort: 161, snmpCredential: 'snmp-lab' },
      { deviceId: 'p1', kind: 'pdu', mgmtIp: '10.0.0.1', snmpPort: 161, snmpCredential: null },
    ]);
  });

  it('updates existing ids in place, moves records, and lets devices swap serial numbers', () => {
    repo.upsert(DOC);
    const empty = { ...DOC, sites: [], rooms: [], rows: [], cabinets: [], devices: [] };
    repo.upsert({
      ...empty,
      rooms: [{ id: 'r2', siteId: 's1', name: 'Room 2 renamed', widthM: 20, depthM: 10 }],
      devices: [dev('d1', 'c-2', 20, { sn: 'SN-d9' }), dev('d9', 'c-2', 5, { sn: 'SN-d1' })],
    });
    expect(repo.rooms()[1]).toEqual({ id: 'r2', siteId: 's1', name: 'Room 2 renamed', widthM: 20, depthM: 10 });
    expect(repo.device('d1')).toMatchObject({ cabinetId: 'c-2', uPosition: 20, sn: 'SN-d9', serviceTree: null, bmcAddress: null });
    expect(repo.device('d9')?.sn).toBe('SN-d1');
    expect(repo.counts().devices).toBe(4);
  });

  it('writes nothing when any record fails (one transaction)', () => {
    repo.upsert(DOC);
    const before = repo.document();
    const broken: InventoryDocument = {
      ...DOC,
      sites: [{ id: 's3', name: 'New', city: '' }],
      rooms: [],
      rows: [],
      cabinets: [],
      devices: [dev('d10', 'c-a2', 3), dev('d11', 'no-such-cabinet', 4)],
    };
    expect(() => repo.upsert(broken)).toThrow(/FOREIGN KEY/);
    const dupSn = { ...broken, devices: [dev('d10', 'c-a2', 3, { sn: 'SN-d3' })] };
    expect(() => repo.upsert(dupSn)).toThrow(/UNIQUE/);
    expect(repo.document()).toEqual(before);
    expect(db.inTransaction).toBe(false);
  });
});
