// The room model through import and forms: the computed layout (rows in pairs across a cold
// aisle after the CRAC gap, rooms sized to hold them, 600 x 1200 mm cabinets), the new fields'
// validation with line and field, an old-format CSV, the JSON round trip, the migration of a
// store written before the room model, and inventory.roomLayout through core.api.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportIssue, InventoryDocument } from '../../../../src-shared/domain';
import { completeLayout, rowFootprint } from '../../../../src-shared/room-plan';
import { CSV_HEADER, type CsvColumn } from '../../../../src-main/core/inventory/formats';
import { exportInventory, importInventory } from '../../../../src-main/core/inventory/import-export';
import { openStore, type Db } from '../../../../src-main/core/store/database';
import { MIGRATIONS } from '../../../../src-main/core/store/migrations';
import { InventoryRepository } from '../../../../src-main/core/store/inventory-repository';
import { createCore, type Core } from '../../../../src-main/core/create-core';

const EMPTY: InventoryDocument = { format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [] };
type Cells = Partial<Record<CsvColumn, string | number>>;
const line = (record: string, cells: Cells, header: readonly string[] = CSV_HEADER): string =>
  header.map((c) => (c === 'record' ? record : String(cells[c as CsvColumn] ?? ''))).join(',');
const cabs = (row: string, n: number, header?: readonly string[], extra: Cells = {}) =>
  Array.from({ length: n }, (_, i) => line('cabinet', { id: `${row}-c${i + 1}`, parent: row, name: `C${i + 1}`, position: i + 1, u_height: 42, rated_power_kw: 8, ...extra }, header));

const dbs: Db[] = [];
const store = (): Db => {
  const db = openStore(':memory:');
  dbs.push(db);
  return db;
};
let core: Core | null = null;
afterEach(async () => {
  for (const db of dbs.splice(0)) db.close();
  await core?.dispose();
  core = null;
});
const refused = (f: () => unknown): ImportIssue[] => {
  try {
    f();
  } catch (err) {
    return (err as { details: { issues: ImportIssue[] } }).details.issues;
  }
  throw new Error('not refused');
};

describe('the computed layout', () => {
  it('pairs rows across a cold aisle after the CRAC gap and sizes the room to hold them', () => {
    const file = {
      ...EMPTY,
      rooms: [{ id: 'm', siteId: 's', name: 'M' }],
      rows: ['R1', 'R2', 'R3'].map((name) => ({ id: name.toLowerCase(), roomId: 'm', name })),
      cabinets: ['r1', 'r2', 'r3'].flatMap((row) => Array.from({ length: 10 }, (_, i) => ({ id: `${row}-${i}`, rowId: row, name: `${i}`, position: i + 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null }))),
    } as unknown as InventoryDocument;
    const { document } = completeLayout(file, EMPTY);
    expect(document.cabinets.every((c) => c.widthMm === 600 && c.depthMm === 1200)).toBe(true);
    const [r1, r2, r3] = document.rows;
    // Row 0 faces south, row 1 north, fronts 1.2 m apart; 1.2 m hot aisle before the next pair; x from the 3 m CRAC gap.
    expect(r1).toMatchObject({ xM: 3, yM: 2.4, facing: 'south', coldAisle: 'front' });
    expect(r2).toMatchObject({ xM: 9, yM: 3.6, facing: 'north', coldAisle: 'front' });
    expect(r3).toMatchObject({ xM: 3, yM: 7.2, facing: 'south' });
    expect(rowFootprint(r1, 6, 1.2)).toEqual({ x0: 3, x1: 9, y0: 1.2, y1: 2.4 });
    expect(rowFootprint(r2, 6, 1.2)).toEqual({ x0: 3, x1: 9, y0: 3.6, y1: 4.8 });
    expect(document.rooms[0]).toMatchObject({ widthM: 10.2, depthM: 8.4 });
  });

  it('keeps stored values a record leaves out, and grows a stored room for a row added to it', () => {
    const db = store();
    const h = CSV_HEADER;
    importInventory(db, 'csv', [h.join(','), line('site', { id: 's', name: 'S' }), line('room', { id: 'm', parent: 's', name: 'M', width_m: 30, depth_m: 4 }),
      line('row', { id: 'a', parent: 'm', name: 'A', x_m: 5, y_m: 2.4, facing: 'south', cold_aisle: 'rear' }), ...cabs('a', 2)].join('\n'));
    // An older file naming the same records without the room model: nothing changes.
    const old = h.filter((c) => !['width_m', 'depth_m', 'x_m', 'y_m', 'facing', 'cold_aisle', 'width_mm', 'depth_mm'].includes(c));
    const before = exportInventory(db, 'csv');
    importInventory(db, 'csv', [old.join(','), line('room', { id: 'm', parent: 's', name: 'M' }, old), line('row', { id: 'a', parent: 'm', name: 'A' }, old), ...cabs('a', 2, old)].join('\n'));
    expect(exportInventory(db, 'csv')).toBe(before);
    // A new row without a place goes south of the placed one; the room (not in the file) grows to hold it.
    importInventory(db, 'csv', [old.join(','), line('row', { id: 'b', parent: 'm', name: 'B' }, old)].join('\n'));
    const repo = new InventoryRepository(db);
    expect(repo.rows()[1]).toMatchObject({ id: 'b', xM: 3, yM: 4.8, facing: 'south' });
    expect(repo.rooms()[0]).toMatchObject({ widthM: 30, depthM: 6 });
  });
});

describe('the room model in files', () => {
  const header = CSV_HEADER.join(',');
  const base = [header, line('site', { id: 's', name: 'S' }), line('room', { id: 'm', parent: 's', name: 'M', width_m: 20, depth_m: 10 })];

  it('refuses a bad facing, cold aisle and out-of-range numbers with line and field', () => {
    const issues = refused(() => importInventory(store(), 'csv', [...base, line('row', { id: 'a', parent: 'm', name: 'A', x_m: 2, y_m: 600, facing: 'up', cold_aisle: 'side' }), line('cabinet', { id: 'c', parent: 'a', name: 'C', position: 1, u_height: 42, rated_power_kw: 8, depth_mm: 5000 })].join('\n')));
    const col = (c: CsvColumn) => CSV_HEADER.indexOf(c) + 1;
    expect(issues.map((i) => [i.line, i.column, i.field, i.code])).toEqual([
      [4, col('y_m'), 'y_m', 'out-of-range'],
      [4, col('facing'), 'facing', 'bad-choice'],
      [4, col('cold_aisle'), 'cold_aisle', 'bad-choice'],
      [5, col('depth_mm'), 'depth_mm', 'out-of-range'],
    ]);
    expect(issues[1].message).toBe('row "a": facing "up" is not one of north, east, south, west');
  });

  it('refuses a row whose cabinets leave the room, in JSON with the line of the row', () => {
    const doc = {
      format: 'fleetdeck-inventory', version: 1, sites: [{ id: 's', name: 'S', city: '' }], rooms: [{ id: 'm', siteId: 's', name: 'M', widthM: 5, depthM: 5 }],
      rows: [{ id: 'a', roomId: 'm', name: 'A', xM: 4, yM: 2, facing: 'west' }], cabinets: [],
    };
    const text = JSON.stringify(doc, null, 2);
    const xLine = text.split('\n').findIndex((l) => l.includes('"xM"')) + 1;
    const issues = refused(() => importInventory(store(), 'json', text));
    expect(issues).toMatchObject([{ code: 'row-outside-room', field: 'xM', line: xLine, params: { room: 'm', x1: 5.2 } }]);
  });

  it('round-trips the fields through JSON and CSV byte for byte', () => {
    const db = store();
    importInventory(db, 'csv', [...base, line('row', { id: 'a', parent: 'm', name: 'A', x_m: 16.5, y_m: 2.25, facing: 'east', cold_aisle: 'rear' }), ...cabs('a', 2, undefined, { width_mm: 800, depth_mm: 1000 })].join('\n'));
    const json = exportInventory(db, 'json');
    expect(JSON.parse(json).rows[0]).toEqual({ id: 'a', roomId: 'm', name: 'A', xM: 16.5, yM: 2.25, facing: 'east', coldAisle: 'rear' });
    expect(JSON.parse(json).cabinets[0]).toMatchObject({ widthMm: 800, depthMm: 1000 });
    const db2 = store();
    importInventory(db2, 'json', json);
    expect(exportInventory(db2, 'json')).toBe(json);
    expect(exportInventory(db2, 'csv')).toBe(exportInventory(db, 'csv'));
  });
});

describe('migration 8', () => {
  it('gives rooms and rows stored before the room model the computed layout', () => {
    const path = `/tmp/fleetdeck-room-model-${process.pid}-${Date.now()}.db`;
    const old = openStore(path, MIGRATIONS.filter((m) => m.version < 8));
    old.exec(`INSERT INTO sites (id, name) VALUES ('s', 'S'); INSERT INTO rooms (id, site_id, name) VALUES ('m', 's', 'M');
      INSERT INTO rows (id, room_id, name) VALUES ('a', 'm', 'A'), ('b', 'm', 'B');
      INSERT INTO cabinets (id, row_id, name, position, u_height, rated_power_kw) VALUES ('c', 'a', 'C', 1, 42, 8);`);
    old.close();
    const db = openStore(path);
    dbs.push(db);
    const repo = new InventoryRepository(db);
    expect(repo.rows()).toMatchObject([{ xM: 3, yM: 2.4, facing: 'south' }, { xM: 3, yM: 3.6, facing: 'north' }]);
    expect(repo.rooms()[0]).toMatchObject({ widthM: 4.8, depthM: 6 });
    expect(repo.cabinet('c')).toMatchObject({ widthMm: 600, depthMm: 1200 });
  });
});

describe('inventory.roomLayout', () => {
  it('returns the site, room, rows, cabinets and devices of one room; NOT_FOUND for an unknown room', async () => {
    core = await createCore({ storePath: ':memory:', secretKey: randomBytes(32), lab: false, bmcSensors: false });
    const admin = { actor: 'ada', role: 'admin' } as const;
    const text = [CSV_HEADER.join(','), line('site', { id: 's', name: 'S' }), line('room', { id: 'm', parent: 's', name: 'M' }), line('room', { id: 'n', parent: 's', name: 'N' }),
      line('row', { id: 'a', parent: 'm', name: 'A' }), ...cabs('a', 2),
      line('device', { id: 'd1', parent: 'a-c1', kind: 'server', hostname: 'd1', sn: 'SN1', u_position: 3, u_height: 2, mgmt_ip: '127.0.0.9' })].join('\n');
    await core.api.call(admin, 'inventory.import', { format: 'csv', text });
    const layout = await core.api.call(admin, 'inventory.roomLayout', { roomId: 'm' });
    expect(layout.site.id).toBe('s');
    expect(layout.room).toMatchObject({ id: 'm', widthM: 5.4, depthM: 4 });
    expect(layout.rows).toMatchObject([{ id: 'a', xM: 3, yM: 2.4, facing: 'south', coldAisle: 'front' }]);
    expect(layout.cabinets.map((c) => [c.id, c.widthMm, c.depthMm])).toEqual([['a-c1', 600, 1200], ['a-c2', 600, 1200]]);
    expect(layout.devices).toEqual([{ id: 'd1', cabinetId: 'a-c1', kind: 'server', hostname: 'd1', sn: 'SN1', uPosition: 3, uHeight: 2 }]);
    expect((await core.api.call(admin, 'inventory.roomLayout', { roomId: 'n' })).rows).toEqual([]);
    await expect(core.api.call(admin, 'inventory.roomLayout', { roomId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
