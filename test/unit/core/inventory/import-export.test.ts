import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMPORT_ISSUE_CODES, type ImportIssue, type InventoryDocument } from '../../../../src-shared/domain';
import { ValidationError } from '../../../../src-shared/errors';
import { exportInventory, importInventory, parseInventory } from '../../../../src-main/core/inventory/import-export';
import { jsonValue, parseJsonSource } from '../../../../src-main/core/inventory/json-source';
import { openStore, type Db } from '../../../../src-main/core/store/database';
import { InventoryRepository } from '../../../../src-main/core/store/inventory-repository';
import { CredentialRepository } from '../../../../src-main/core/store/credential-repository';
import { SecretBox } from '../../../../src-main/core/security/secret-box';

const HEADER =
  'record,id,parent,name,city,position,u_height,rated_power_kw,feed_a,feed_b,kind,hostname,sn,u_position,mgmt_ip,snmp_port,bmc_address,bmc_port,ssh_port,snmp_credential,ssh_credential,ipmi_credential,service_tree,width_m,depth_m,x_m,y_m,facing,cold_aisle,width_mm,depth_mm,lifecycle';

/** A valid file in canonical form (sorted by id, CRLF), so exporting it gives it back. */
const VALID_LINES = [
  HEADER, // 1
  'site,bj1,,"Beijing ""North""",Beijing,,,,,,,,,,,,,,,,,,,,,,,,,,,', // 2
  'room,bj1-r1,bj1,Room 1,,,,,,,,,,,,,,,,,,,,5.4,4,,,,,,,', // 3
  'row,bj1-r1-a,bj1-r1,Row A,,,,,,,,,,,,,,,,,,,,,,3,2.4,south,front,,,', // 4
  'cabinet,bj1-r1-a01,bj1-r1-a,A01,,1,42,8.5,A-PDB-01,B-PDB-01,,,,,,,,,,,,,,,,,,,,600,1200,', // 5
  'cabinet,bj1-r1-a02,bj1-r1-a,"A02, spare",,2,48,12,A-PDB-02,,,,,,,,,,,,,,,,,,,,,600,1200,', // 6
  'device,gw-a02,bj1-r1-a02,,,,2,,,,gateway,gw-a02,SN-GW-1,10,2001:db8::10,161,,623,22,snmp-lab,,,Acme/Network/Edge/bj1/mgw,,,,,,,,,online', // 7
  'device,pdu-a01,bj1-r1-a01,,,,0,,,,pdu,pdu-a01,SN-PDU-1,0,10.0.0.2,161,,623,22,snmp-lab,,,,,,,,,,,,online', // 8
  'device,srv-a01-01,bj1-r1-a01,,,,2,,,,server,srv-a01-01,SN-1001,1,10.0.1.1,161,10.1.1.1,623,22,snmp-lab,ssh-lab,ipmi-lab,Acme/Infra/Compute/c1/web,,,,,,,,,online', // 9
  'device,srv-a01-02,bj1-r1-a01,,,,1,,,,server,srv-a01-02,SN-1002,3,10.0.1.2,1161,10.1.1.2,623,22,snmp-lab,ssh-lab,ipmi-lab,,,,,,,,,,online', // 10
  'device,srv-x,bj1-r1-a02,,,,1,,,,server,srv-x,SN-2001,1,10.0.2.1,161,,623,22,snmp-lab,,,,,,,,,,,,online', // 11
  'device,srv-y,bj1-r1-a02,,,,1,,,,server,srv-y,SN-2002,2,10.0.2.2,161,,623,22,snmp-lab,,,,,,,,,,,,online', // 12
  'device,sw-a01,bj1-r1-a01,,,,1,,,,switch,sw-a01,SN-SW-1,42,10.0.0.1,161,,623,22,snmp-lab,,,,,,,,,,,,online', // 13
];
const VALID_CSV = VALID_LINES.map((l) => `${l}\r\n`).join('');

/** The same file with five planted errors, one on each of lines 8, 10, 11, 12 and 13. */
const BAD_LINES = [...VALID_LINES];
BAD_LINES[8 - 1] = 'device,pdu-a01,bj1-r1-a01,,,,0,,,,pdu,pdu-a01,SN-PDU-1,0,10.0.0.300,161,,623,22,snmp-lab,,,,,,,,,,,,online'; // bad IP
BAD_LINES[10 - 1] = 'device,srv-a01-02,bj1-r1-a01,,,,1,,,,server,srv-a01-02,SN-1002,2,10.0.1.2,1161,10.1.1.2,623,22,snmp-lab,ssh-lab,ipmi-lab,,,,,,,,,,online'; // U 2 overlaps srv-a01-01 (U 1-2)
BAD_LINES[11 - 1] = 'device,srv-x,bj1-r1-a09,,,,1,,,,server,srv-x,SN-2001,1,10.0.2.1,161,,623,22,snmp-lab,,,,,,,,,,,,online'; // unknown cabinet
BAD_LINES[12 - 1] = 'device,srv-y,bj1-r1-a02,,,,1,,,,server,srv-y,SN-OLD,2,10.0.2.2,161,,623,22,snmp-lab,,,,,,,,,,,,online'; // SN of a stored device
BAD_LINES[13 - 1] = 'device,sw-a01,bj1-r1-a01,,,,1,,,,router,sw-a01,SN-SW-1,42,10.0.0.1,161,,623,22,snmp-lab,,,,,,,,,,,,online'; // unknown kind
const BAD_CSV = BAD_LINES.join('\n');

/** What the store holds before the imports: another site, and a device whose SN the bad file reuses. */
const STORED: InventoryDocument = {
  format: 'fleetdeck-inventory',
  version: 1,
  sites: [{ id: 'sh1', name: 'Shanghai 1', city: 'Shanghai' }],
  rooms: [{ id: 'sh1-r1', siteId: 'sh1', name: 'Room 1', widthM: 20, depthM: 10 }],
  rows: [{ id: 'sh1-r1-a', roomId: 'sh1-r1', name: 'Row A', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }],
  cabinets: [{ id: 'sh1-r1-a01', rowId: 'sh1-r1-a', name: 'A01', position: 1, uHeight: 42, ratedPowerKw: 6, feedA: 'A', feedB: 'B', widthMm: 600, depthMm: 1200 }],
  devices: [
    {
      id: 'old-1', cabinetId: 'sh1-r1-a01', kind: 'server', hostname: 'old-1', sn: 'SN-OLD', uPosition: 5, uHeight: 1,
      mgmtIp: '10.8.0.1', snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null,
      serviceTree: null,
    },
  ],
};

function refused(fn: () => unknown): { error: ValidationError; issues: ImportIssue[] } {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const issues = (error.details as { issues: ImportIssue[] }).issues;
    // Every issue carries a code the renderer words from (the message is the English fallback).
    for (const issue of issues) expect(IMPORT_ISSUE_CODES, issue.message).toContain(issue.code);
    return { error, issues };
  }
  throw new Error('the import was not refused');
}

/** Stores the credentials the files reference (imports refuse unknown ones: import-references.test.ts). */
function withCredentials(db: Db): Db {
  const credentials = new CredentialRepository(db, new SecretBox(Buffer.alloc(32, 7)));
  credentials.put('snmp-lab', 'snmp-community', 'lab SNMP', 'public');
  credentials.put('ssh-lab', 'ssh-password', 'lab SSH', JSON.stringify({ username: 'u', password: 'p' }));
  credentials.put('ipmi-lab', 'ipmi', 'lab BMC', JSON.stringify({ username: 'u', password: 'p' }));
  return db;
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('inventory import/export', () => {
  let dir: string;
  const open: Db[] = [];
  const store = (name = 'fleet.db'): Db => {
    const db = withCredentials(openStore(join(dir, name)));
    open.push(db);
    return db;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetdeck-inv-'));
  });
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a CSV with five planted errors, lists all five by line, and leaves the store file untouched', () => {
    const db = store();
    new InventoryRepository(db).upsert(STORED);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const dbFile = join(dir, 'fleet.db');
    const walFile = `${dbFile}-wal`;
    const before = sha256(dbFile);
    const walBefore = statSync(walFile).size;
    expect(walBefore).toBe(0);

    const { error, issues } = refused(() => importInventory(db, 'csv', BAD_CSV));
    expect(error.message).toBe('5 problems in the CSV file; nothing was imported');
    expect(error.code).toBe('VALIDATION');
    expect(issues.map((i) => [i.line, i.column, i.field])).toEqual([
      [8, 15, 'mgmt_ip'],
      [10, 14, 'u_position'],
      [11, 3, 'parent'],
      [12, 13, 'sn'],
      [13, 11, 'kind'],
    ]);
    expect(issues.map((i) => i.message)).toEqual([
      'device "pdu-a01": mgmt_ip "10.0.0.300" is not an IPv4 or IPv6 address',
      'device "srv-a01-02": U 2-2 overlaps device "srv-a01-01" (U 1-2, line 9) in cabinet "bj1-r1-a01"',
      'device "srv-x": unknown cabinet "bj1-r1-a09": it is neither in this file nor in the inventory',
      'device "srv-y": sn "SN-OLD" already belongs to device "old-1" in the inventory',
      'device "sw-a01": kind "router" is not one of server, switch, pdu, gateway',
    ]);

    expect(sha256(dbFile)).toBe(before);
    expect(statSync(walFile).size).toBe(walBefore);
    expect(new InventoryRepository(db).counts()).toEqual({ sites: 1, rooms: 1, rows: 1, cabinets: 1, devices: 1 });

    // The fixed file goes in, next to what was stored.
    const counts = { sites: 1, rooms: 1, rows: 1, cabinets: 2, devices: 7 };
    const none = { sites: 0, rooms: 0, rows: 0, cabinets: 0, devices: 0 };
    expect(importInventory(db, 'csv', VALID_CSV)).toEqual({ imported: counts, added: counts, deleted: none, deletedRecords: [], addressChanges: [], addressChangeCount: 0, dryRun: false, replace: null });
    expect(new InventoryRepository(db).counts()).toEqual({ sites: 2, rooms: 2, rows: 2, cabinets: 3, devices: 8 });
  });

  it('exports a CSV import back byte for byte, and JSON round-trips byte for byte', () => {
    const db = store();
    importInventory(db, 'csv', VALID_CSV);
    expect(exportInventory(db, 'csv')).toBe(VALID_CSV);

    const json = exportInventory(db, 'json');
    const db2 = store('second.db');
    importInventory(db2, 'json', json);
    expect(exportInventory(db2, 'json')).toBe(json);
    expect(exportInventory(db2, 'csv')).toBe(VALID_CSV);
    expect(JSON.parse(json)).toEqual(new InventoryRepository(db).document());
  });

  it('round-trips a merged store through both formats', () => {
    const db = store();
    new InventoryRepository(db).upsert(STORED);
    importInventory(db, 'csv', VALID_CSV);
    const csv = exportInventory(db, 'csv');
    const json = exportInventory(db, 'json');
    const viaCsv = store('via-csv.db');
    const viaJson = store('via-json.db');
    importInventory(viaCsv, 'csv', csv);
    importInventory(viaJson, 'json', json);
    for (const d of [viaCsv, viaJson]) {
      expect(exportInventory(d, 'csv')).toBe(csv);
      expect(exportInventory(d, 'json')).toBe(json);
    }
  });

  it('updates records whose ids already exist and inserts the rest', () => {
    const db = store();
    importInventory(db, 'csv', VALID_CSV);
    const moved = VALID_LINES.slice(0, 1).concat(
      'device,srv-x,bj1-r1-a01,,,,1,,,,server,srv-x-renamed,SN-2002,20,10.0.2.1,161,,623,22,,,,,,,,,,,,,',
      'device,srv-y,bj1-r1-a02,,,,1,,,,server,srv-y,SN-2001,2,10.0.2.2,161,,623,22,snmp-lab,,,,,,,,,,,,', // swaps SNs with srv-x
      'device,srv-z,bj1-r1-a02,,,,1,,,,server,srv-z,SN-2003,3,10.0.2.3,161,,623,22,,,,,,,,,,,,,',
    );
    expect(importInventory(db, 'csv', moved.join('\n')).imported.devices).toBe(3);
    const repo = new InventoryRepository(db);
    expect(repo.device('srv-x')).toMatchObject({ cabinetId: 'bj1-r1-a01', hostname: 'srv-x-renamed', sn: 'SN-2002', uPosition: 20, snmpCredential: null });
    expect(repo.device('srv-y')?.sn).toBe('SN-2001');
    expect(repo.counts().devices).toBe(8);
  });

  it('imports a file written before the BMC and SSH port columns, with their defaults', () => {
    const old = VALID_LINES.map((line, i) => {
      const l = line.split(',').slice(0, -9).join(','); // written before the room model and the lifecycle too
      if (i === 0) return l.replace(',bmc_port,ssh_port', '');
      const cells = l.split(',');
      return l.startsWith('device,') ? [...cells.slice(0, 17), ...cells.slice(19)].join(',') : l.slice(0, -2);
    });
    expect(old[0].split(',')).toHaveLength(21);
    const db = store();
    importInventory(db, 'csv', old.join('\n'));
    expect(new InventoryRepository(db).device('srv-a01-01')).toMatchObject({ bmcAddress: '10.1.1.1', bmcPort: 623, sshPort: 22 });
    // The computed layout: the row after the CRAC gap, the room sized to hold it, 600 x 1200 mm cabinets.
    expect(new InventoryRepository(db).rows()[0]).toMatchObject({ xM: 3, yM: 2.4, facing: 'south', coldAisle: 'front' });
    expect(new InventoryRepository(db).rooms()[0]).toMatchObject({ widthM: 5.4, depthM: 4 });
    expect(exportInventory(db, 'csv')).toBe(VALID_CSV);
  });

  it('re-importing the same file changes nothing', () => {
    const db = store();
    importInventory(db, 'csv', VALID_CSV);
    importInventory(db, 'csv', VALID_CSV);
    expect(exportInventory(db, 'csv')).toBe(VALID_CSV);
  });

  it('parseInventory decodes without a store; an empty CSV is reported', () => {
    const { document, issues } = parseInventory('csv', VALID_CSV);
    expect(issues).toEqual([]);
    expect(document.devices.map((d) => d.id)).toEqual(['gw-a02', 'pdu-a01', 'srv-a01-01', 'srv-a01-02', 'srv-x', 'srv-y', 'sw-a01']);
    expect(document.devices[0].serviceTree).toEqual({ company: 'Acme', department: 'Network', product: 'Edge', cluster: 'bj1', service: 'mgw' });
    expect(parseInventory('csv', '').issues[0]).toMatchObject({ line: 1, message: expect.stringMatching(/empty/) });
    const header = parseInventory('csv', 'record,id,parent\nsite,s1,\n').issues;
    expect(header).toHaveLength(1);
    expect(header[0].message).toMatch(/^the header lacks name, city, position/);
    const short = parseInventory('csv', `${HEADER}\nsite,s1,,S\n`).issues;
    expect(short).toEqual([{ line: 2, column: 0, field: '', code: 'csv-field-count', params: { fields: 4, expected: 32 }, message: 'this record has 4 fields; the header has 32' }]);
  });

  it('reports malformed CSV by line through the importer, together with the other problems', () => {
    const db = store();
    const lines = [...VALID_LINES];
    lines[6 - 1] = 'cabinet,bj1-r1-a02,bj1-r1-a,"A02" spare,,2,48,12,A-PDB-02,,,,,,,,,,,,,,,,,,,,,,,';
    lines[13 - 1] = 'device,sw-a01,bj1-r1-a01,,,,1,,,,switch,sw-a01,SN-SW-1,42,10.0.0.1,161,,623,22,"snmp-lab,,,,,,,,,,,,';
    const { issues } = refused(() => importInventory(db, 'csv', lines.join('\r\n')));
    expect(issues.map((i) => [i.line, i.column])).toEqual([[6, 4], [13, 20]]);
    expect(new InventoryRepository(db).isEmpty()).toBe(true);
  });
});

describe('JSON import errors carry the line', () => {
  let db: Db;
  let json: string;
  beforeEach(() => {
    db = withCredentials(openStore(':memory:'));
    importInventory(db, 'csv', VALID_CSV);
    json = exportInventory(db, 'json');
    db.close();
    db = withCredentials(openStore(':memory:'));
  });
  afterEach(() => db.close());

  const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('reports a syntax error at the token where the JSON breaks', () => {
    const lines = json.split('\n');
    const at = lines.findIndex((l) => l.includes('"hostname": "sw-a01",'));
    lines[at] = lines[at].replace(/,$/, ''); // drop the comma: the next line's "sn" is unexpected
    const { error, issues } = refused(() => importInventory(db, 'json', lines.join('\n')));
    expect(error.message).toBe('1 problem in the JSON file; nothing was imported');
    expect(issues).toHaveLength(1);
    expect(issues[0].line).toBe(at + 2);
    expect(issues[0].column).toBe(lines[at + 1].indexOf('"sn"') + 1);
    expect(issues[0].message).toMatch(/^JSON syntax: unexpected "\\"": "," or "}" was expected/);
  });

  it('reports an unterminated string and a truncated file', () => {
    expect(parseInventory('json', '{\n  "format": "fleetdeck-inventory,\n  "version": 1\n}').issues[0]).toMatchObject({ line: 2, column: 13, message: expect.stringMatching(/not closed/) });
    expect(parseInventory('json', json.slice(0, json.indexOf('"devices"'))).issues[0].line).toBe(lineOf(json, '"devices"'));
  });

  it('puts each semantic problem on the line of its field or object', () => {
    let text = json.replace('"mgmtIp": "10.0.1.2"', '"mgmtIp": "10.0.1.999"');
    text = text.replace('"hostname": "srv-y",\n', ''); // required field gone: reported at the object
    text = text.replace('"uHeight": 48', '"uHeight": "48"'); // wrong type
    text = text.replace('"rowId": "bj1-r1-a",\n      "name": "A01"', '"rowId": "nowhere",\n      "name": "A01"');
    text = text.replace('"feedB": "B-PDB-01"', '"feedB": "B-PDB-01",\n      "feedC": "C-PDB-01"'); // unknown property
    const { issues } = refused(() => importInventory(db, 'json', text));
    const objectOfSrvY = text.split('\n').findIndex((l) => l.includes('"id": "srv-y"')); // the line before holds its "{"
    expect(issues.map((i) => [i.line, i.field])).toEqual([
      [lineOf(text, '"rowId": "nowhere"'), 'rowId'],
      [lineOf(text, '"feedC"'), 'feedC'],
      [lineOf(text, '"uHeight": "48"'), 'uHeight'],
      [lineOf(text, '10.0.1.999'), 'mgmtIp'],
      [objectOfSrvY, 'hostname'],
    ]);
    expect(issues[2].message).toBe('cabinet "bj1-r1-a02": uHeight must be a number, not the string "48" (drop the quotes)');
    expect(issues[4].message).toBe('device "srv-y": hostname is required');
  });

  it('checks the format and version', () => {
    const issues = parseInventory('json', '{\n  "format": "other",\n  "version": 2,\n  "sites": {}\n}').issues;
    expect(issues.map((i) => [i.line, i.field])).toEqual([[2, 'format'], [3, 'version'], [4, 'sites']]);
  });

  it('parses exactly what JSON.parse accepts', () => {
    const good = ['{}', '[]', '0', '-0.5e+3', '"a\\u00e9\\n\\"\\\\"', '{"a":[1,{"b":null}],"c":true}', ' \r\n\t[false] ', '"\\ud83d\\ude00"'];
    const bad = ['', '{', '[1,]', '{"a":1,}', '01', '1.', '.5', '+1', "'x'", '"\u0001"', '{"a" 1}', 'nul', '[1 2]', '"\\x"', '{} x', 'NaN'];
    for (const t of good) {
      const r = parseJsonSource(t);
      expect(r.issues, t).toEqual([]);
      expect(jsonValue(r.root!), t).toEqual(JSON.parse(t));
    }
    for (const t of bad) {
      expect(() => JSON.parse(t), t).toThrow();
      expect(parseJsonSource(t).root, t).toBeNull();
    }
  });

  it('refuses deep nesting without overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(parseJsonSource(deep).issues[0].message).toMatch(/nested more than 256 levels/);
  });
});

describe('damaged files', () => {
  it('never throw anything but a ValidationError', () => {
    const db = withCredentials(openStore(':memory:'));
    importInventory(db, 'csv', VALID_CSV);
    const json = exportInventory(db, 'json');
    const target = withCredentials(openStore(':memory:'));
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const noise = ['"', ',', '\n', '\r', '{', '}', '[', ']', ':', '0', '-', 'x', '', '""'];
    try {
      for (const [format, text] of [['csv', VALID_CSV], ['json', json]] as const) {
        for (let k = 0; k < 300; k++) {
          const at = rand(text.length);
          const damaged = k % 10 === 0 ? text.slice(0, at) : text.slice(0, at) + noise[rand(noise.length)] + text.slice(at + rand(3));
          try {
            importInventory(target, format, damaged);
          } catch (err) {
            expect(err, `${format} #${k}`).toBeInstanceOf(ValidationError);
            const { issues } = (err as ValidationError).details as { issues: ImportIssue[] };
            expect(issues.length).toBeGreaterThan(0);
            for (const issue of issues) {
              expect(issue.line, issue.message).toBeGreaterThanOrEqual(1);
              expect(issue.message).not.toBe('');
            }
          }
        }
      }
    } finally {
      db.close();
      target.close();
    }
  });
});
