import { describe, expect, it } from 'vitest';
import { IMPORT_ISSUE_CODES, type Device, type ImportIssue, type InventoryDocument } from '../../../../src-shared/domain';
import { formatCsvField } from '../../../../src-main/core/inventory/csv';
import { CSV_HEADER, parseCsvInventory, parseJsonInventory, type CsvColumn } from '../../../../src-main/core/inventory/formats';
import { sortIssues, validateInventory } from '../../../../src-main/core/inventory/validate';

type Cells = Partial<Record<CsvColumn, string | number>>;
const rec = (record: string, cells: Cells): string =>
  CSV_HEADER.map((c) => (c === 'record' ? record : formatCsvField(String(cells[c] ?? '')))).join(',');

const site = (id: string): string => rec('site', { id, name: `Site ${id}`, city: 'Beijing' });
const room = (id: string, parent: string): string => rec('room', { id, parent, name: `Room ${id}` });
const row = (id: string, parent: string): string => rec('row', { id, parent, name: `Row ${id}` });
const cabinet = (id: string, parent: string, c: Cells = {}): string =>
  rec('cabinet', { id, parent, name: id.toUpperCase(), position: 1, u_height: 42, rated_power_kw: 8, ...c });
let ipN = 1;
const device = (id: string, u: number, c: Cells = {}): string =>
  rec('device', {
    id, parent: 'c1', kind: 'server', hostname: id, sn: `SN-${id}`, u_position: u, u_height: 1,
    mgmt_ip: `10.0.0.${ipN++}`, snmp_port: 161, ...c,
  });

// Lines 1-5: header, site s1, room r1, row w1, cabinet c1 (42U).
const BASE = [CSV_HEADER.join(','), site('s1'), room('r1', 's1'), row('w1', 'r1'), cabinet('c1', 'w1')];

const EMPTY: InventoryDocument = { format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [] };

const storedDevice = (id: string, u: number, h: number, extra: Partial<Device> = {}): Device => ({
  id, cabinetId: 'c1', kind: 'server', hostname: id, sn: `SN-${id}`, uPosition: u, uHeight: h, mgmtIp: '10.9.0.1',
  snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null, ...extra,
});

/** A store holding s1/r1/w1/c1 and the given devices. */
const store = (...devices: Device[]): InventoryDocument => ({
  ...EMPTY,
  sites: [{ id: 's1', name: 'S', city: '' }],
  rooms: [{ id: 'r1', siteId: 's1', name: 'R', widthM: 20, depthM: 10 }],
  rows: [{ id: 'w1', roomId: 'r1', name: 'W', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }],
  cabinets: [{ id: 'c1', rowId: 'w1', name: 'C1', position: 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 }],
  devices,
});

function check(lines: string[], existing: InventoryDocument = EMPTY): ImportIssue[] {
  const parsed = parseCsvInventory(lines.join('\n'));
  const issues = sortIssues([...parsed.issues, ...validateInventory(parsed, existing, new Map())]);
  // Every issue carries a code the renderer words from (the message is the English fallback).
  for (const issue of issues) expect(IMPORT_ISSUE_CODES, issue.message).toContain(issue.code);
  return issues;
}
const brief = (issues: ImportIssue[]) => issues.map((i) => [i.line, i.field]);

describe('validateInventory', () => {
  it('accepts a consistent file', () => {
    expect(check([...BASE, device('d1', 1), device('d2', 2, { u_height: 2 }), device('p1', 0, { kind: 'pdu', u_height: 0 })])).toEqual([]);
  });

  it('reports unknown parents at every level, looking in the file and the store', () => {
    const issues = check([
      CSV_HEADER.join(','),
      room('r2', 's9'), // line 2
      row('w2', 'r1'), // line 3: r1 is in the store only
      cabinet('c2', 'w9'), // line 4
      device('d1', 1, { parent: 'c9' }), // line 5
      row('w3', 'r8'), // line 6
    ], store());
    expect(brief(issues)).toEqual([[2, 'parent'], [4, 'parent'], [5, 'parent'], [6, 'parent']]);
    expect(issues[0].message).toBe('room "r2": unknown site "s9": it is neither in this file nor in the inventory');
    expect(issues[2].message).toMatch(/unknown cabinet "c9"/);
    expect(issues[0].column).toBe(3);
  });

  it('reports duplicate ids within the file, naming the first line', () => {
    const issues = check([...BASE, device('d1', 1), device('d1', 5, { sn: 'other' }), site('s1')]);
    expect(brief(issues)).toEqual([[7, 'id'], [8, 'id']]);
    expect(issues[0].message).toBe('device "d1": duplicate device id: the same id is on line 6');
    expect(issues[1].message).toMatch(/line 2/);
  });

  it('reports duplicate serial numbers in the file and against other stored devices', () => {
    const existing = store(storedDevice('old1', 30, 1, { sn: 'SN-A' }), storedDevice('old2', 31, 1, { sn: 'SN-B' }));
    const issues = check(
      [
        ...BASE,
        device('d1', 1, { sn: 'SN-X' }), // 6
        device('d2', 2, { sn: 'SN-X' }), // 7: duplicate of line 6
        device('d3', 3, { sn: 'SN-A' }), // 8: belongs to stored old1
        device('old2', 31, { sn: 'SN-C' }), // 9: old2 gives up SN-B ...
        device('d4', 4, { sn: 'SN-B' }), // 10: ... so d4 may take it
      ],
      existing,
    );
    expect(brief(issues)).toEqual([[7, 'sn'], [8, 'sn']]);
    expect(issues[0].message).toBe('device "d2": sn "SN-X" is also the serial number of device "d1" on line 6');
    expect(issues[1].message).toBe('device "d3": sn "SN-A" already belongs to device "old1" in the inventory');
  });

  it('accepts two stored devices swapping serial numbers', () => {
    const existing = store(storedDevice('a', 1, 1, { sn: 'S1' }), storedDevice('b', 2, 1, { sn: 'S2' }));
    expect(check([...BASE, device('a', 1, { sn: 'S2' }), device('b', 2, { sn: 'S1' })], existing)).toEqual([]);
  });

  it('checks management and BMC addresses', () => {
    const issues = check([
      ...BASE,
      device('d1', 1, { mgmt_ip: '10.0.0.256' }), // 6
      device('d2', 2, { mgmt_ip: 'host.example' }), // 7
      device('d3', 3, { mgmt_ip: '2001:db8::10', bmc_address: 'fe80::1' }), // 8 fine
      device('d4', 4, { bmc_address: 'bmc-4' }), // 9
      device('d5', 5, { bmc_address: '' }), // 10 fine
    ]);
    expect(brief(issues)).toEqual([[6, 'mgmt_ip'], [7, 'mgmt_ip'], [9, 'bmc_address']]);
    expect(issues[0].message).toBe('device "d1": mgmt_ip "10.0.0.256" is not an IPv4 or IPv6 address');
    expect(issues[2].message).toMatch(/must be empty or an IPv4 or IPv6 address/);
  });

  it('checks cabinet numbers', () => {
    const issues = check([
      ...BASE,
      cabinet('c2', 'w1', { position: 0 }), // 6
      cabinet('c3', 'w1', { u_height: 61 }), // 7
      cabinet('c4', 'w1', { rated_power_kw: -1 }), // 8
      cabinet('c5', 'w1', { u_height: 'tall' }), // 9: not a number at all
      cabinet('c6', 'w1', { position: 2.5, rated_power_kw: 0 }), // 10
    ]);
    expect(brief(issues)).toEqual([[6, 'position'], [7, 'u_height'], [8, 'rated_power_kw'], [9, 'u_height'], [10, 'position']]);
    expect(issues[1].message).toBe('cabinet "c3": u_height must be a whole number from 1 to 60 (got 61)');
    expect(issues[3].message).toBe('cabinet "c5": u_height must be a number (got "tall")');
  });

  it('checks U positions against the cabinet height and zero-U rules', () => {
    const issues = check([
      ...BASE,
      device('d1', 41, { u_height: 3 }), // 6: U 41-43 in a 42U cabinet
      device('d2', 0, { u_height: 0 }), // 7: zero-U server
      device('p1', 0, { kind: 'pdu', u_height: 0 }), // 8 fine
      device('p2', 0, { kind: 'pdu', u_height: 0 }), // 9 fine: zero-U devices never overlap
      device('d3', 0, { u_height: 2 }), // 10
      device('d4', -1), // 11
    ]);
    expect(brief(issues)).toEqual([[6, 'u_position'], [7, 'u_position'], [10, 'u_position'], [11, 'u_position']]);
    expect(issues[0].message).toBe('device "d1": occupies U 41-43 but cabinet "c1" is only 42U tall');
    expect(issues[1].message).toBe('device "d2": zero-U (u_position 0, u_height 0) is only allowed for PDUs, not for a server');
  });

  it('reports an unknown kind and an out-of-range SNMP port; an empty port means 161', () => {
    const issues = check([
      ...BASE,
      device('d1', 1, { kind: 'router' }), // 6
      device('d2', 2, { snmp_port: 0 }), // 7
      device('d3', 3, { snmp_port: 65536 }), // 8
      device('d4', 4, { snmp_port: '' }), // 9 fine
    ]);
    expect(brief(issues)).toEqual([[6, 'kind'], [7, 'snmp_port'], [8, 'snmp_port']]);
    expect(issues[0].message).toBe('device "d1": kind "router" is not one of server, switch, pdu, gateway');
  });

  it('reports overlapping U ranges once, on the later line, naming the other device', () => {
    const existing = store(storedDevice('old', 20, 2), storedDevice('moved', 30, 1));
    const issues = check(
      [
        ...BASE,
        device('d1', 10, { u_height: 2 }), // 6: U 10-11
        device('d2', 11, { u_height: 2 }), // 7: U 11-12 overlaps d1
        device('d3', 21), // 8: overlaps stored "old" (U 20-21)
        device('moved', 5, { parent: 'c2' }), // 9: leaves c1 ...
        device('d4', 30), // 10: ... so U 30 is free
        cabinet('c2', 'w1'), // 11
      ],
      existing,
    );
    expect(brief(issues)).toEqual([[7, 'u_position'], [8, 'u_position']]);
    expect(issues[0].message).toBe('device "d2": U 11-12 overlaps device "d1" (U 10-11, line 6) in cabinet "c1"');
    expect(issues[1].message).toBe('device "d3": U 21-21 overlaps device "old" (U 20-21, already in the inventory) in cabinet "c1"');
  });

  it('reports an overlap on the later line even when that device sits lower', () => {
    const issues = check([...BASE, device('d1', 5), device('d2', 4, { u_height: 2 })]);
    expect(brief(issues)).toEqual([[7, 'u_position']]);
    expect(issues[0].message).toMatch(/^device "d2": U 4-5 overlaps device "d1" \(U 5-5, line 6\)/);
  });

  it('reports missing required fields by column', () => {
    const issues = check([...BASE, device('d1', 1, { hostname: '', sn: '', mgmt_ip: '' }), rec('room', { id: 'r2' })]);
    expect(issues.map((i) => [i.line, i.column, i.field])).toEqual([
      [6, 12, 'hostname'], [6, 13, 'sn'], [6, 15, 'mgmt_ip'], [7, 3, 'parent'], [7, 4, 'name'],
    ]);
    expect(issues[0].message).toBe('device "d1": hostname is required');
  });

  it('refuses shrinking a cabinet below a stored device', () => {
    const issues = check([CSV_HEADER.join(','), cabinet('c1', 'w1', { u_height: 24 })], store(storedDevice('high', 30, 2)));
    expect(brief(issues)).toEqual([[2, 'u_height']]);
    expect(issues[0].message).toMatch(/leaves device "high" \(U 30-31, already in the inventory\) outside the cabinet/);
  });

  it('points JSON problems at the line of the field, named as in the JSON', () => {
    const text = JSON.stringify({ ...store(storedDevice('d1', 1, 1, { mgmtIp: 'nope', snmpPort: 0 })), cabinets: [] }, null, 2);
    const lines = text.split('\n');
    const parsed = parseJsonInventory(text);
    expect(parsed.issues).toEqual([]);
    const issues = validateInventory(parsed, EMPTY, new Map());
    expect(issues.map((i) => [i.line, i.field])).toEqual([
      [lines.findIndex((l) => l.includes('"cabinetId"')) + 1, 'cabinetId'],
      [lines.findIndex((l) => l.includes('"mgmtIp"')) + 1, 'mgmtIp'],
      [lines.findIndex((l) => l.includes('"snmpPort"')) + 1, 'snmpPort'],
    ]);
    expect(issues[1].message).toBe('device "d1": mgmtIp "nope" is not an IPv4 or IPv6 address');
  });
});
