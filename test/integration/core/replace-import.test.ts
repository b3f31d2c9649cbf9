// Replacing imports and their preview through the whole core: an import with replace: row w1
// deletes what the row holds that the file does not name (2 of the 3 devices of one cabinet,
// and a cabinet emptied with its device), in one transaction, with the deleted records listed;
// the same import as a dry run reports exactly that and leaves the store byte-identical (and
// the poller untold); the file may reuse the hostname, SN and endpoint of a device it deletes;
// a file with one error deletes nothing; a record moved out of the subtree stays with what it
// holds; an unknown scope is an issue; the streamed path takes the same options.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { Device, ImportIssue, ImportResult, InventoryDocument, ReplaceScope } from '../../../src-shared/domain';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { importInventoryStream } from '../../../src-main/core/inventory/inventory-stream';
import { openStore } from '../../../src-main/core/store/database';
import { InventoryRepository } from '../../../src-main/core/store/inventory-repository';

const admin: CallContext = { actor: 'ada', role: 'admin' };
const operator: CallContext = { actor: 'oli', role: 'operator' };
const viewer: CallContext = { actor: 'vic', role: 'viewer' };

let port = 20000;
const device = (id: string, cabinetId: string, uPosition: number, over: Partial<Device> = {}): Device => ({
  id, cabinetId, kind: 'server', hostname: `host-${id}`, sn: `SN-${id}`, uPosition, uHeight: 1, mgmtIp: '127.0.0.1', snmpPort: port++,
  bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: 'v2c', sshCredential: null, ipmiCredential: null, serviceTree: null, ...over,
});
const cab = (id: string, rowId: string) => ({ id, rowId, name: id.toUpperCase(), position: 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 });
const EMPTY: InventoryDocument = { format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [] };

const D1 = device('d1', 'c1', 1);
const D2 = device('d2', 'c1', 2);
const D3 = device('d3', 'c1', 3);
const E1 = device('e1', 'c2', 1);
const X1 = device('x1', 'c9', 1);
/** Row w1 holds c1 (d1, d2, d3) and c2 (e1); row w2 (same room) holds c9 (x1). */
const STORED: InventoryDocument = {
  ...EMPTY,
  sites: [{ id: 's1', name: 'Site 1', city: '' }],
  rooms: [{ id: 'r1', siteId: 's1', name: 'Room 1', widthM: 20, depthM: 10 }],
  rows: [{ id: 'w1', roomId: 'r1', name: 'Row A', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }, { id: 'w2', roomId: 'r1', name: 'Row B', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }],
  cabinets: [cab('c1', 'w1'), cab('c2', 'w1'), cab('c9', 'w2')],
  devices: [D1, D2, D3, E1, X1],
};
const ZERO = { sites: 0, rooms: 0, rows: 0, cabinets: 0, devices: 0 };
const W1: ReplaceScope = { kind: 'row', id: 'w1' };

let core: Core | null = null;
async function start(): Promise<Core> {
  core = await createCore({ storePath: ':memory:', secretKey: randomBytes(32), lab: false, bmcSensors: false });
  await core.api.call(admin, 'credentials.put', { id: 'v2c', kind: 'snmp-community', name: 'v2c', secret: 'public' });
  // An admin's import: the stored devices' credentials are bound where they are (credential-binding.test.ts).
  await core.api.call(admin, 'inventory.import', { format: 'json', text: JSON.stringify(STORED) });
  return core;
}
afterEach(async () => {
  await core?.dispose();
  core = null;
});

const file = (doc: Partial<InventoryDocument>): string => JSON.stringify({ ...EMPTY, ...doc });
const exported = async (c: Core): Promise<string> => (await c.api.call(viewer, 'inventory.export', { format: 'json' })).text;
const targets = async (c: Core): Promise<number> => (await c.api.call(viewer, 'fleet.pollerStats', undefined)).targets;
async function refusal(p: Promise<unknown>): Promise<{ code: string; issues: ImportIssue[] }> {
  const err = (await p.then(() => null, (e: unknown) => e)) as { code: string; params?: { issues?: ImportIssue[] } } | null;
  if (!err) throw new Error('the call was not refused');
  return { code: err.code, issues: err.params?.issues ?? [] };
}

describe('inventory.import with replace and dryRun', () => {
  it('deletes what the subtree holds that the file does not name; the dry run previews exactly that and writes nothing', async () => {
    const c = await start();
    // c1 with d1 (edited) and a new d4: d2, d3 and cabinet c2 with e1 are not named
    const text = file({ cabinets: [cab('c1', 'w1')], devices: [{ ...D1, hostname: 'web-1' }, device('d4', 'c1', 10)] });
    const expected: ImportResult = {
      imported: { ...ZERO, cabinets: 1, devices: 2 },
      added: { ...ZERO, devices: 1 },
      deleted: { ...ZERO, cabinets: 1, devices: 3 },
      deletedRecords: [
        { kind: 'device', id: 'd2', name: 'host-d2' }, { kind: 'device', id: 'd3', name: 'host-d3' }, { kind: 'device', id: 'e1', name: 'host-e1' },
        { kind: 'cabinet', id: 'c2', name: 'C2' },
      ],
      addressChanges: [],
      addressChangeCount: 0,
      dryRun: true,
      replace: W1,
    };

    const before = await exported(c);
    expect(await targets(c)).toBe(5);
    expect(await c.api.call(operator, 'inventory.import', { format: 'json', text, replace: W1, dryRun: true })).toEqual(expected);
    expect(await exported(c)).toBe(before);
    expect(await targets(c)).toBe(5); // a preview tells nobody

    expect(await c.api.call(operator, 'inventory.import', { format: 'json', text, replace: W1 })).toEqual({ ...expected, dryRun: false });
    const after = JSON.parse(await exported(c)) as InventoryDocument;
    expect(after.devices.map((d) => d.id)).toEqual(['d1', 'd4', 'x1']);
    expect(after.devices[0].hostname).toBe('web-1');
    expect(after.cabinets.map((k) => k.id)).toEqual(['c1', 'c9']);
    expect(after.rows.map((r) => r.id)).toEqual(['w1', 'w2']); // the scope itself and what lies outside stay
    expect(await targets(c)).toBe(2); // the poller was told (d4, new from an operator, waits for an admin to bind its credential)

    // a merge import previewed: added and updated counted, nothing deleted or written
    const merged = await c.api.call(operator, 'inventory.import', { format: 'json', text: file({ devices: [D2] }), dryRun: true });
    expect(merged).toEqual({ imported: { ...ZERO, devices: 1 }, added: { ...ZERO, devices: 1 }, deleted: ZERO, deletedRecords: [], addressChanges: [], addressChangeCount: 0, dryRun: true, replace: null });
    expect(JSON.parse(await exported(c))).toEqual(after);

    const audit = await c.api.call(admin, 'audit.list', { limit: 20 });
    expect(audit.filter((e) => e.action === 'inventory.import').map((e) => e.target)).toContain(`json file, ${text.length} characters, replacing row w1, preview only`);
  });

  it('lets the file reuse the hostname, SN and endpoint of a device it deletes (refused without replace)', async () => {
    const c = await start();
    const text = file({ devices: [D1, D3, { ...D2, id: 'd2-new', uPosition: 20 }] });
    const merge = await refusal(c.api.call(operator, 'inventory.import', { format: 'json', text }));
    expect(merge.issues.map((i) => i.code).sort()).toEqual(['hostname-taken', 'sn-taken', 'snmp-endpoint-taken']);

    const r = await c.api.call(operator, 'inventory.import', { format: 'json', text, replace: { kind: 'cabinet', id: 'c1' } });
    expect(r.deletedRecords).toEqual([{ kind: 'device', id: 'd2', name: 'host-d2' }]);
    expect(r.added.devices).toBe(1);
    const devs = (JSON.parse(await exported(c)) as InventoryDocument).devices;
    expect(devs.find((d) => d.id === 'd2-new')).toMatchObject({ hostname: 'host-d2', sn: 'SN-d2', snmpPort: D2.snmpPort });
    expect(devs.map((d) => d.id)).toEqual(['d1', 'd2-new', 'd3', 'e1', 'x1']); // c2, in the same row, is outside the cabinet scope
  });

  it('deletes nothing when the file has an error, and reports an unknown scope', async () => {
    const c = await start();
    const before = await exported(c);
    // d1 named but pushed into d3's slot: one error
    const badFile = file({ cabinets: [cab('c1', 'w1')], devices: [{ ...D1, uPosition: 3 }, D3] });
    const bad = await refusal(c.api.call(operator, 'inventory.import', { format: 'json', text: badFile, replace: W1 }));
    expect(bad.code).toBe('VALIDATION');
    expect(bad.issues.map((i) => i.code)).toEqual(['u-overlap']);
    // a device left in a cabinet about to go is an unknown parent, not an orphan
    const orphan = await refusal(c.api.call(operator, 'inventory.import', { format: 'json', text: file({ devices: [E1] }), replace: W1 }));
    expect(orphan.issues).toMatchObject([{ code: 'unknown-parent', params: { parent: 'c2' } }]);
    const unknown = await refusal(c.api.call(operator, 'inventory.import', { format: 'json', text: file({}), replace: { kind: 'room', id: 'r7' }, dryRun: true }));
    expect(unknown.issues).toEqual([expect.objectContaining({ line: 0, field: 'replace', code: 'unknown-replace-scope', params: { kind: 'room', id: 'r7' } })]);
    expect(await exported(c)).toBe(before);
    expect(await targets(c)).toBe(5);
  });

  it('keeps a record the file moves out of the subtree, with what it holds; merges records outside the scope', async () => {
    const c = await start();
    // c2 moves to row w2 (outside w1); a new site s2 comes along, merged
    const text = file({ sites: [{ id: 's2', name: 'Site 2', city: '' }], cabinets: [cab('c1', 'w1'), cab('c2', 'w2')], devices: [D1, D2, D3] });
    const r = await c.api.call(operator, 'inventory.import', { format: 'json', text, replace: W1 });
    expect(r.deleted).toEqual(ZERO);
    expect(r.added).toEqual({ ...ZERO, sites: 1 });
    const tree = await c.api.call(viewer, 'inventory.locations', undefined);
    expect(tree.cabinets.map((k) => [k.id, k.rowId])).toEqual([['c1', 'w1'], ['c2', 'w2'], ['c9', 'w2']]);
    expect(tree.deviceCounts).toEqual({ c1: 3, c2: 1, c9: 1 });

    // a room replaced whole: row w2 named with nothing under it takes c2, c9 and their devices along
    const room = await c.api.call(operator, 'inventory.import', { format: 'json', text: file({ rows: [{ id: 'w2', roomId: 'r1', name: 'Row B', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }] }), replace: { kind: 'room', id: 'r1' } });
    expect(room.deleted).toEqual({ ...ZERO, rows: 1, cabinets: 3, devices: 5 });
    expect(room.deletedRecords.map((d) => `${d.kind}:${d.id}`)).toEqual([
      'device:d1', 'device:d2', 'device:d3', 'device:e1', 'device:x1', 'cabinet:c1', 'cabinet:c2', 'cabinet:c9', 'row:w1',
    ]);
    expect(await c.api.call(viewer, 'inventory.locations', undefined)).toMatchObject({ rows: [{ id: 'w2' }], cabinets: [], deviceCounts: {} });
  });

  it('takes replace and dryRun on the streamed path too', async () => {
    const db = openStore(':memory:');
    try {
      new InventoryRepository(db).upsert(STORED);
      const body = async function* (): AsyncGenerator<Uint8Array> {
        yield new TextEncoder().encode(file({ devices: [{ ...D1, snmpCredential: null }] }));
      };
      const preview = await importInventoryStream(db, 'json', body(), 1e6, { replace: { kind: 'cabinet', id: 'c1' }, dryRun: true });
      expect(preview).toMatchObject({ dryRun: true, deleted: { devices: 2 } });
      expect(new InventoryRepository(db).counts().devices).toBe(5);
      const done = await importInventoryStream(db, 'json', body(), 1e6, { replace: { kind: 'cabinet', id: 'c1' }, dryRun: false });
      expect(done.deletedRecords.map((d) => d.id)).toEqual(['d2', 'd3']);
      expect(new InventoryRepository(db).counts().devices).toBe(3);
    } finally {
      db.close();
    }
  });
});
