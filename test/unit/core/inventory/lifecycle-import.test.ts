// The lifecycle column (CSV `lifecycle`, JSON "lifecycle") through import and export: a file
// with it round-trips byte for byte in both formats; a file without it keeps each stored
// device's lifecycle and puts new devices online; a bad value is a `bad-choice` naming the
// allowed words (a JSON non-string is `json-not-a-string`), and nothing is stored; the import's
// actor is who the changed devices' lifecycle is stamped with.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportIssue } from '../../../../src-shared/domain';
import { ValidationError } from '../../../../src-shared/errors';
import { CSV_HEADER, type CsvColumn } from '../../../../src-main/core/inventory/formats';
import { exportInventory, importInventory } from '../../../../src-main/core/inventory/import-export';
import { openStore, type Db } from '../../../../src-main/core/store/database';
import { InventoryRepository } from '../../../../src-main/core/store/inventory-repository';

type Cells = Partial<Record<CsvColumn, string | number>>;
const line = (record: string, cells: Cells, header: readonly CsvColumn[] = CSV_HEADER): string =>
  header.map((c) => (c === 'record' ? record : String(cells[c] ?? ''))).join(',');
const PLACES: [string, Cells][] = [
  ['site', { id: 's1', name: 'S' }],
  ['room', { id: 'r1', parent: 's1', name: 'R', width_m: 20, depth_m: 10 }],
  ['row', { id: 'w1', parent: 'r1', name: 'W', x_m: 3, y_m: 2.4, facing: 'south', cold_aisle: 'front' }],
  ['cabinet', { id: 'c1', parent: 'w1', name: 'C1', position: 1, u_height: 42, rated_power_kw: 8, width_mm: 600, depth_mm: 1200 }],
];
const device = (id: string, u: number, more: Cells = {}): [string, Cells] => [
  'device', { id, parent: 'c1', kind: 'server', hostname: id, sn: `SN-${id}`, u_position: u, u_height: 1, mgmt_ip: `10.0.0.${u}`, snmp_port: 161, bmc_port: 623, ssh_port: 22, ...more },
];
/** A CSV file in canonical form (CRLF, records sorted by id), with the given header. */
const csvFile = (records: [string, Cells][], header: readonly CsvColumn[] = CSV_HEADER): string =>
  [header.join(','), ...records.map(([r, c]) => line(r, c, header))].map((l) => `${l}\r\n`).join('');
const WITHOUT_LIFECYCLE = CSV_HEADER.filter((c) => c !== 'lifecycle');

function refusal(f: () => unknown): ImportIssue[] {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError & { details: { issues: ImportIssue[] } }).details.issues;
  }
  throw new Error('the import was not refused');
}

describe('the lifecycle column in inventory files', () => {
  let db: Db;
  let repo: InventoryRepository;
  const states = () => Object.fromEntries(repo.document().devices.map((d) => [d.id, d.lifecycle]));
  beforeEach(() => {
    db = openStore(':memory:');
    repo = new InventoryRepository(db);
  });
  afterEach(() => db.close());

  it('round-trips a file that carries it, byte for byte, through CSV and JSON', () => {
    const file = csvFile([...PLACES, device('d1', 1, { lifecycle: 'racked' }), device('d2', 2, { lifecycle: 'maintenance' }), device('d3', 3, { lifecycle: 'online' })]);
    importInventory(db, 'csv', file);
    expect(states()).toEqual({ d1: 'racked', d2: 'maintenance', d3: 'online' });
    expect(exportInventory(db, 'csv')).toBe(file);
    const json = exportInventory(db, 'json');
    expect(JSON.parse(json).devices.map((d: { lifecycle: string }) => d.lifecycle)).toEqual(['racked', 'maintenance', 'online']);
    const other = openStore(':memory:');
    try {
      importInventory(other, 'json', json);
      expect(exportInventory(other, 'json')).toBe(json);
      expect(exportInventory(other, 'csv')).toBe(file);
    } finally {
      other.close();
    }
  });

  it('without the column (or with the cell empty) keeps a stored device’s lifecycle; a new device is online', () => {
    importInventory(db, 'csv', csvFile([...PLACES, device('d1', 1, { lifecycle: 'racked' }), device('d2', 2, { lifecycle: 'offline' })]));
    repo.lifecycle.set({ deviceIds: ['d1'], to: 'provisioning', actor: 'wf', at: 7_000 });
    // A file written before the column: d1 renamed, d3 new.
    importInventory(db, 'csv', csvFile([device('d1', 1, { hostname: 'd1-new' }), device('d3', 3)], WITHOUT_LIFECYCLE));
    expect(states()).toEqual({ d1: 'provisioning', d2: 'offline', d3: 'online' });
    expect(repo.device('d1')?.hostname).toBe('d1-new');
    expect(repo.lifecycle.change('d1')).toEqual({ at: 7_000, by: 'wf' });
    // The column present, the cell empty: the same.
    importInventory(db, 'csv', csvFile([device('d2', 2, { lifecycle: '' })]));
    expect(states().d2).toBe('offline');
    // JSON: the field absent or null keeps it too.
    const doc = (lifecycle?: unknown) =>
      JSON.stringify({ format: 'fleetdeck-inventory', version: 1, devices: [{ ...JSON.parse(exportInventory(db, 'json')).devices[0], lifecycle }] });
    importInventory(db, 'json', doc(undefined));
    importInventory(db, 'json', doc(null));
    expect(states().d1).toBe('provisioning');
  });

  it('an import that sets or changes the lifecycle stamps it with the importing actor; one that repeats it does not', () => {
    importInventory(db, 'csv', csvFile([...PLACES, device('d1', 1, { lifecycle: 'online' })]), { replace: null, dryRun: false, actor: 'ada' });
    expect(repo.lifecycle.change('d1')?.by).toBe('ada');
    importInventory(db, 'csv', csvFile([device('d1', 1, { lifecycle: 'online' })]), { replace: null, dryRun: false, actor: 'oli' });
    expect(repo.lifecycle.change('d1')?.by).toBe('ada');
    importInventory(db, 'csv', csvFile([device('d1', 1, { lifecycle: 'retired' })]), { replace: null, dryRun: false, actor: 'oli' });
    expect(repo.lifecycle.change('d1')?.by).toBe('oli');
    expect(states().d1).toBe('retired');
  });

  it('refuses a value that is not one of the words, naming them, and stores nothing', () => {
    importInventory(db, 'csv', csvFile(PLACES));
    const before = exportInventory(db, 'csv');
    const issues = refusal(() => importInventory(db, 'csv', csvFile([device('d1', 1, { lifecycle: 'Online' }), device('d2', 2, { lifecycle: 'decommissioned' })])));
    const column = CSV_HEADER.indexOf('lifecycle') + 1;
    expect(issues).toEqual([
      {
        line: 2, column, field: 'lifecycle', code: 'bad-choice',
        params: { recordKind: 'device', recordId: 'd1', field: 'lifecycle', value: 'Online', choices: ['racked', 'provisioning', 'online', 'offline', 'maintenance', 'retired'] },
        message: 'device "d1": lifecycle "Online" is not one of racked, provisioning, online, offline, maintenance, retired',
      },
      expect.objectContaining({ line: 3, code: 'bad-choice', params: expect.objectContaining({ value: 'decommissioned' }) }),
    ]);
    const jsonIssues = refusal(() =>
      importInventory(db, 'json', JSON.stringify({
        format: 'fleetdeck-inventory', version: 1,
        devices: [
          { id: 'd1', cabinetId: 'c1', kind: 'server', hostname: 'd1', sn: 'SN-d1', uPosition: 1, uHeight: 1, mgmtIp: '10.0.0.1', lifecycle: 'gone' },
          { id: 'd2', cabinetId: 'c1', kind: 'server', hostname: 'd2', sn: 'SN-d2', uPosition: 2, uHeight: 1, mgmtIp: '10.0.0.2', lifecycle: 3 },
        ],
      })),
    );
    expect(jsonIssues.map((i) => [i.field, i.code])).toEqual([['lifecycle', 'bad-choice'], ['lifecycle', 'json-not-a-string']]);
    expect(exportInventory(db, 'csv')).toBe(before);
  });
});
