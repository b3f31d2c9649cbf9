// Every issue an import can report carries a code from IMPORT_ISSUE_CODES (and 'json-syntax'
// a parser code from JSON_SYNTAX_CODES), proved on a corpus of bad files that produces every
// code. The corpus's issues ({ code, params, message }) are kept as a fixture the renderer's
// wording test reads (test/unit/renderer/i18n/fixtures/import-issues.json: the renderer's
// tests cannot import the core); this test fails when the core and the fixture part.
// Regenerate with UPDATE_I18N_SAMPLES=1.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IMPORT_ISSUE_CODES, JSON_SYNTAX_CODES, type Device, type ImportIssue, type InventoryDocument } from '../../../../src-shared/domain';
import { CSV_HEADER, parseCsvInventory, parseJsonInventory, type CsvColumn } from '../../../../src-main/core/inventory/formats';
import { formatCsvField } from '../../../../src-main/core/inventory/csv';
import { validateInventory } from '../../../../src-main/core/inventory/validate';
import { deleteDevice } from '../../../../src-main/core/inventory/device-form';
import { importInventory } from '../../../../src-main/core/inventory/import-export';
import { deleteLocation } from '../../../../src-main/core/inventory/location-form';
import { openStore } from '../../../../src-main/core/store/database';
import { InventoryRepository } from '../../../../src-main/core/store/inventory-repository';

const FIXTURE = new URL('../../renderer/i18n/fixtures/import-issues.json', import.meta.url);
const H = CSV_HEADER.join(',');
type Cells = Partial<Record<CsvColumn, string | number>>;
const rec = (record: string, cells: Cells): string => CSV_HEADER.map((c) => (c === 'record' ? record : formatCsvField(String(cells[c] ?? '')))).join(',');
const cab = (id: string, c: Cells = {}) => rec('cabinet', { id, parent: 'w1', name: id, position: 1, u_height: 42, rated_power_kw: 8, ...c });
let ipN = 1;
const dev = (id: string, u: number, c: Cells = {}) =>
  rec('device', { id, parent: 'c1', kind: 'server', hostname: id, sn: `SN-${id}`, u_position: u, u_height: 1, mgmt_ip: `10.0.0.${ipN++}`, ...c });
/** The credential store the corpus is checked against. */
const CREDENTIALS = new Map([['snmp-ro', 'snmp-community'], ['ssh-ops', 'ssh-password']] as const);
const BASE = [H, rec('site', { id: 's1', name: 'S' }), rec('room', { id: 'r1', parent: 's1', name: 'R' }), rec('row', { id: 'w1', parent: 'r1', name: 'W' }), cab('c1')];

const EMPTY: InventoryDocument = { format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [] };
const stored: Device = {
  id: 'old', cabinetId: 'c2', kind: 'server', hostname: 'old', sn: 'SN-OLD', uPosition: 40, uHeight: 2, mgmtIp: '10.9.0.1', snmpPort: 161,
  bmcAddress: '10.9.1.1', bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
};
const STORE: InventoryDocument = {
  ...EMPTY,
  sites: [{ id: 's1', name: 'S', city: '' }], rooms: [{ id: 'r1', siteId: 's1', name: 'R', widthM: 20, depthM: 10 }], rows: [{ id: 'w1', roomId: 'r1', name: 'W', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }],
  cabinets: [{ id: 'c2', rowId: 'w1', name: 'C2', position: 2, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 }],
  devices: [stored],
};

const csv = (lines: string[], existing = EMPTY): ImportIssue[] => {
  const parsed = parseCsvInventory(lines.join('\n'));
  return [...parsed.issues, ...validateInventory(parsed, existing, CREDENTIALS)];
};
const json = (text: string, existing = EMPTY): ImportIssue[] => {
  const parsed = parseJsonInventory(text);
  return [...parsed.issues, ...validateInventory(parsed, existing, CREDENTIALS)];
};
/** The issues a call refused against STORE carries. */
const refusedIssues = (call: (db: ReturnType<typeof openStore>) => unknown): ImportIssue[] => {
  const db = openStore(':memory:');
  try {
    new InventoryRepository(db).upsert(STORE);
    call(db);
  } catch (err) {
    return (err as { details: { issues: ImportIssue[] } }).details.issues;
  } finally {
    db.close();
  }
  throw new Error('the call was not refused');
};
/** A delete confirmed with the wrong hostname (inventory.deleteDevice), a place's with the wrong name (deleteLocation). */
const confirmIssues = (): ImportIssue[] => [
  ...refusedIssues((db) => deleteDevice(db, 'old', 'not-old')),
  ...refusedIssues((db) => deleteLocation(db, 'cabinet', 'c2', 'C 2')),
];
/** A replacing import of a subtree neither stored nor in the file. */
const replaceIssues = (): ImportIssue[] => refusedIssues((db) => importInventory(db, 'csv', BASE.join('\n'), { replace: { kind: 'room', id: 'r7' }, dryRun: false }));
const doc = (extra: Record<string, unknown>) => JSON.stringify({ format: 'fleetdeck-inventory', version: 1, ...extra }, null, 2);

function corpus(): ImportIssue[] {
  return [
    // CSV syntax and layout
    ...csv([...BASE, `${dev('q1', 1).replace(',q1,', ',"q1"x,')}`]),
    ...csv([...BASE, dev('q2', 2).replace(',q2,', ',q"2,')]),
    ...csv([...BASE, `${dev('q3', 3).replace(',q3,', ',"q3,')}`]),
    ...csv([`${H},extra,record`, BASE[1]]),
    ...csv(['record,id,parent', 'site,s1,']),
    ...csv([]),
    ...csv([...BASE, 'site,s9,,S', rec('rack', { id: 'k1' })]),
    // field types (CSV)
    ...csv([...BASE, dev('t1', 'x' as unknown as number), dev('t2', 5, { service_tree: 'a/b' })]),
    // meaning
    ...csv([
      ...BASE,
      rec('site', { id: ' s2 ', name: '' }), rec('site', { id: 's1', name: 'again' }), rec('room', { id: 'r9', parent: 'nowhere', name: 'R' }),
      cab('c3', { position: 0, u_height: 99, rated_power_kw: -1 }), cab('c2', { u_height: 30 }),
      dev('k1', 6, { kind: 'router' }), dev('h1', 7, { hostname: 'bad_host!' }), dev('i1', 8, { mgmt_ip: '10.0.0.300', bmc_address: 'nope' }),
      dev('n1', 9, { sn: 'SN-OLD' }), dev('n2', 10, { sn: 'SN-n3' }), dev('n3', 11), dev('z1', 0, { u_height: 0 }), dev('z2', 0, { kind: 'pdu' }),
      dev('a1', 41, { u_height: 4 }), dev('o1', 20, { u_height: 2 }), dev('o2', 21), dev('o3', 40, { parent: 'c2' }), dev('p1', 12, { snmp_port: 70000 }),
    ], STORE),
    // references
    ...csv([
      ...BASE,
      dev('f1', 1, { snmp_credential: 'nope', ssh_credential: 'snmp-ro', ipmi_credential: 'snmp-ro' }),
      dev('f2', 2, { mgmt_ip: '10.5.0.1', snmp_port: 1161, bmc_address: '10.6.0.1' }), dev('f3', 3, { mgmt_ip: '10.5.0.1', snmp_port: 1161, bmc_address: '10.6.0.1' }),
      dev('f4', 4, { hostname: 'f2' }), dev('f5', 5, { mgmt_ip: '10.9.0.1', snmp_port: 161, bmc_address: '10.9.1.1', hostname: 'OLD' }),
    ], STORE),
    // JSON syntax
    ...['', '{} x', '"\\u12"', '"\\x"', '"abc', '"a\nb"', '"a\u0001"', '[', `${'['.repeat(300)}`, '[@]', '{1:2}', '{"a" 1}', '{"a":1 "b"}', '[1 2]', '{"a":1,"a":2}']
      .flatMap((t) => json(t)),
    // JSON layout and types
    ...json('[1]'),
    ...json(JSON.stringify({ format: 'other', version: 2, extra: 1, sites: {} })),
    ...json(JSON.stringify({ sites: [1] })),
    ...json(doc({ sites: [{ id: 's1', name: 5, city: null, colour: 'red' }], cabinets: [{ id: 'c1', rowId: 'w1', name: 'C', position: '1', uHeight: true, ratedPowerKw: 8, feedA: 3 }] })),
    ...json(doc({ devices: [{ id: 'd1', serviceTree: 'x', uPosition: [], uHeight: {} }] })),
    ...json(doc({ devices: [{}, {}], sites: [{ id: 's1', name: 'S' }, { id: 's1', name: 'S' }] })),
    ...confirmIssues(),
    ...replaceIssues(),
    // the room model: plan, place and footprint out of range, facing and cold aisle not among their words; a row off its room's floor
    ...csv([
      H, BASE[1], rec('room', { id: 'r1', parent: 's1', name: 'R', width_m: 600, depth_m: 8 }),
      rec('row', { id: 'w1', parent: 'r1', name: 'W', x_m: -1, facing: 'up', cold_aisle: 'side' }), cab('c1', { width_mm: 50 }),
    ]),
    ...csv([
      H, BASE[1], rec('room', { id: 'r1', parent: 's1', name: 'R', width_m: 5, depth_m: 4 }),
      rec('row', { id: 'w1', parent: 'r1', name: 'W', x_m: 3, y_m: 2.4, facing: 'south' }), cab('c1'), cab('c2', { position: 2 }), cab('c3', { position: 3 }), cab('c4', { position: 4 }),
    ]),
  ];
}

describe('import issue codes', () => {
  const issues = corpus();

  it('every issue carries a known code and params, and the corpus produces every code', () => {
    for (const i of issues) {
      expect(IMPORT_ISSUE_CODES, i.message).toContain(i.code);
      expect(typeof i.params, i.message).toBe('object');
      if (i.code === 'json-syntax') expect(JSON_SYNTAX_CODES, i.message).toContain(i.params.syntax);
    }
    expect(IMPORT_ISSUE_CODES.filter((c) => !issues.some((i) => i.code === c))).toEqual([]);
    expect(JSON_SYNTAX_CODES.filter((c) => !issues.some((i) => i.code === 'json-syntax' && i.params.syntax === c))).toEqual([]);
  });

  it('match the fixture the renderer wording test reads', () => {
    const samples = issues.map(({ code, params, message }) => ({ code, params, message }));
    if (process.env.UPDATE_I18N_SAMPLES) writeFileSync(FIXTURE, `${JSON.stringify(samples, null, 1)}\n`);
    expect(samples).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  });
});
