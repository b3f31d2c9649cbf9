// The import plan on documents alone: a replacing import lists at most DELETED_RECORDS_LISTED
// deleted records (devices first, by id) while its counts stay whole; the records it deletes
// are gone from what the file is validated against; a merge plan deletes nothing; devices the
// file moves to another management or BMC endpoint are listed as address changes.
import { describe, expect, it } from 'vitest';
import { DELETED_RECORDS_LISTED, type Device, type InventoryDocument } from '../../../../src-shared/domain';
import { addressChanges, importResult, planImport } from '../../../../src-main/core/inventory/import-plan';
import { oneCabinet } from '../../../support/one-cabinet';

const dev = (n: number): Device => ({
  id: `d${String(n).padStart(4, '0')}`, cabinetId: 'c', kind: 'pdu', hostname: `pdu-${n}`, sn: `SN-${n}`, uPosition: 0, uHeight: 0, mgmtIp: '127.0.0.1',
  snmpPort: 1000 + n, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
});
const EMPTY: InventoryDocument = { format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [] };

describe('import plan', () => {
  it('lists at most DELETED_RECORDS_LISTED deleted records, devices first by id, counting all', () => {
    const n = DELETED_RECORDS_LISTED + 100;
    const stored = oneCabinet(Array.from({ length: n }, (_, i) => dev(n - i))); // stored out of id order
    const plan = planImport(stored, EMPTY, { kind: 'site', id: 's' });
    expect(plan.issues).toEqual([]);
    expect(plan.remaining).toMatchObject({ sites: [{ id: 's' }], rooms: [], rows: [], cabinets: [], devices: [] });
    const r = importResult(stored, EMPTY, plan, { kind: 'site', id: 's' }, true);
    expect(r.deleted).toEqual({ sites: 0, rooms: 1, rows: 1, cabinets: 1, devices: n });
    expect(r.deletedRecords).toHaveLength(DELETED_RECORDS_LISTED);
    expect(r.deletedRecords.slice(0, 2)).toEqual([{ kind: 'device', id: 'd0001', name: 'pdu-1' }, { kind: 'device', id: 'd0002', name: 'pdu-2' }]);
    expect(r.deletedRecords.every((d) => d.kind === 'device')).toBe(true);
  });

  it('deletes nothing without a scope', () => {
    const stored = oneCabinet([dev(1)]);
    const plan = planImport(stored, oneCabinet([]), null);
    expect(plan.remaining).toBe(stored);
    expect(importResult(stored, oneCabinet([]), plan, null, false)).toMatchObject({ deletedRecords: [], deleted: { devices: 0 }, added: { sites: 0 }, imported: { sites: 1 } });
  });

  it('lists the stored devices the file moves to another management or BMC endpoint, not new or unmoved ones', () => {
    const a = dev(1);
    const b = { ...dev(2), bmcAddress: '127.9.0.2', bmcPort: 623 };
    const moved = [{ ...a, hostname: 'pdu-1-renamed' }, { ...b, bmcPort: 6230, sshPort: 2222 }, dev(3)];
    expect(addressChanges([a, b], moved)).toEqual([
      { deviceId: 'd0002', hostname: 'pdu-2', endpoint: 'mgmt', from: '127.0.0.1 snmp:1002 ssh:22', to: '127.0.0.1 snmp:1002 ssh:2222' },
      { deviceId: 'd0002', hostname: 'pdu-2', endpoint: 'bmc', from: '127.9.0.2:623', to: '127.9.0.2:6230' },
    ]);
    const r = importResult(oneCabinet([a, b]), oneCabinet(moved), planImport(oneCabinet([a, b]), oneCabinet(moved), null), null, true);
    expect(r.addressChangeCount).toBe(2);
    expect(addressChanges([b], [{ ...b, bmcAddress: null }])).toEqual([{ deviceId: 'd0002', hostname: 'pdu-2', endpoint: 'bmc', from: '127.9.0.2:623', to: '' }]);
  });
});
