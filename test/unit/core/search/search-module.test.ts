// The search module: search.devices over a real store, each hit placed in its site, room and
// cabinet; the index read in pages and rebuilt on reload(), with queries waiting for it.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startSearch } from '../../../../src-main/core/search/search-module';
import { openCoreStore } from '../../../../src-main/core/store/core-store';
import type { InventoryDocument } from '../../../../src-shared/domain';

describe('search module', () => {
  const device = (id: string, hostname: string, sn: string, mgmtIp: string, bmcAddress: string | null): InventoryDocument['devices'][number] => ({
    id, cabinetId: 'c1', kind: 'server', hostname, sn, uPosition: 3, uHeight: 1, mgmtIp, snmpPort: 161,
    bmcAddress, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
  });
  const doc: InventoryDocument = {
    format: 'fleetdeck-inventory', version: 1,
    sites: [{ id: 's1', name: 'Beijing Yizhuang', city: 'Beijing' }],
    rooms: [{ id: 'm1', siteId: 's1', name: 'BJ1 Hall 1', widthM: 20, depthM: 10 }],
    rows: [{ id: 'r1', roomId: 'm1', name: 'R1', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }],
    cabinets: [{ id: 'c1', rowId: 'r1', name: 'R1-01', position: 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 }],
    devices: [device('d1', 'srv-1', 'FD1', '127.16.0.1', '127.116.0.1')],
  };
  const ctx = { actor: 't', role: 'viewer' } as const;

  it('places each hit in its site, room and cabinet, and sees the inventory again after reload()', async () => {
    const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
    store.inventory.upsert(doc);
    const m = startSearch({ store, pageSize: 2 });
    expect(await m.api['search.devices']({ q: 'srv-1', limit: undefined }, ctx)).toEqual([{
      deviceId: 'd1', hostname: 'srv-1', sn: 'FD1', kind: 'server', mgmtIp: '127.16.0.1', bmcAddress: '127.116.0.1',
      siteName: 'Beijing Yizhuang', roomName: 'BJ1 Hall 1', cabinetId: 'c1', cabinetName: 'R1-01', uPosition: 3, field: 'hostname', match: 'exact',
    }]);
    // several pages, and a change while a rebuild runs
    store.inventory.upsert({ ...doc, devices: [device('d2', 'srv-10', 'FD2', '127.16.0.2', null), device('d3', 'srv-11', 'FD3', '127.16.0.3', null)] });
    expect(await m.api['search.devices']({ q: 'srv-1', limit: undefined }, ctx)).toHaveLength(1);
    m.reload();
    store.inventory.upsert({ ...doc, devices: [device('d4', 'srv-12', 'FD4', '127.16.0.4', null)] });
    m.reload();
    expect((await m.api['search.devices']({ q: 'srv-1', limit: undefined }, ctx)).map((h) => h.deviceId)).toEqual(['d1', 'd2', 'd3', 'd4']);
    expect(await m.stats()).toMatchObject({ devices: 4, keys: 13 });
    await m.dispose();
    await store.dispose();
  });
});
