// Imports that check references: a device's credentials must be stored and of its column's
// kind; management address + SNMP port, BMC address + port and hostname belong to one device,
// within the file and against the stored devices the file does not replace. Acceptance: one
// import with an unknown credential id, a duplicate address+port and a duplicate hostname is
// refused with the three errors by line, and the store is unchanged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportIssue } from '../../../../src-shared/domain';
import { ValidationError } from '../../../../src-shared/errors';
import { exportInventory, importInventory } from '../../../../src-main/core/inventory/import-export';
import { SecretBox } from '../../../../src-main/core/security/secret-box';
import { CredentialRepository } from '../../../../src-main/core/store/credential-repository';
import { openStore, type Db } from '../../../../src-main/core/store/database';
import { validateInventory } from '../../../../src-main/core/inventory/validate';
import { generateLab } from '../../../../src-main/lab/generator';
import { DEFAULT_LAB_SIZE, LAB_IPMI_CREDENTIAL, LAB_SNMP_CREDENTIAL, LAB_SSH_CREDENTIAL } from '../../../../src-shared/lab-protocol';

const HEADER =
  'record,id,parent,name,city,position,u_height,rated_power_kw,feed_a,feed_b,kind,hostname,sn,u_position,mgmt_ip,snmp_port,bmc_address,bmc_port,ssh_port,snmp_credential,ssh_credential,ipmi_credential,service_tree';
const SKELETON = [HEADER, 'site,s1,,Site 1,,,,,,,,,,,,,,,,,,,', 'room,r1,s1,Room 1,,,,,,,,,,,,,,,,,,,', 'row,w1,r1,Row A,,,,,,,,,,,,,,,,,,,', 'cabinet,c1,w1,A01,,1,42,8,,,,,,,,,,,,,,,'];
interface Dev { id: string; host?: string; u: number; ip: string; port?: number; bmc?: string; snmp?: string; ssh?: string; ipmi?: string }
const dev = (d: Dev): string =>
  `device,${d.id},c1,,,,1,,,,server,${d.host ?? d.id},SN-${d.id},${d.u},${d.ip},${d.port ?? 161},${d.bmc ?? ''},623,22,${d.snmp ?? 'snmp-ro'},${d.ssh ?? ''},${d.ipmi ?? ''},`;

function refused(fn: () => unknown): ImportIssue[] {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return (err.details as { issues: ImportIssue[] }).issues;
  }
  throw new Error('the import was not refused');
}
const brief = (issues: ImportIssue[]) => issues.map((i) => [i.line, i.field, i.code]);

describe('imports check references', () => {
  let db: Db;
  beforeEach(() => {
    db = openStore(':memory:');
    const creds = new CredentialRepository(db, new SecretBox(Buffer.alloc(32, 1)));
    creds.put('snmp-ro', 'snmp-community', 'SNMP', 'public');
    creds.put('ssh-ops', 'ssh-password', 'SSH', JSON.stringify({ username: 'u', password: 'p' }));
    creds.put('bmc', 'ipmi', 'BMC', JSON.stringify({ username: 'u', password: 'p' }));
    importInventory(db, 'csv', [...SKELETON, dev({ id: 'a1', u: 1, ip: '10.0.0.1', bmc: '10.1.0.1', ipmi: 'bmc', ssh: 'ssh-ops' })].join('\n'));
  });
  afterEach(() => db.close());

  it('refuses an unknown credential, a duplicate address+port and a duplicate hostname, by line, the store unchanged', () => {
    const before = exportInventory(db, 'json');
    const lines = [
      ...SKELETON, // 1-5
      dev({ id: 'n1', u: 10, ip: '10.0.0.10', snmp: 'ghost' }), // 6
      dev({ id: 'n2', u: 11, ip: '10.0.0.11', port: 1161 }), // 7
      dev({ id: 'n3', u: 12, ip: '10.0.0.11', port: 1161 }), // 8: n2's address and port
      dev({ id: 'n4', u: 13, ip: '10.0.0.14', host: 'n2' }), // 9: n2's hostname
    ];
    const issues = refused(() => importInventory(db, 'csv', lines.join('\n')));
    expect(brief(issues)).toEqual([
      [6, 'snmp_credential', 'unknown-credential'],
      [8, 'mgmt_ip', 'duplicate-snmp-endpoint'],
      [9, 'hostname', 'duplicate-hostname'],
    ]);
    expect(issues.map((i) => i.column)).toEqual([20, 15, 12]);
    expect(issues[0]).toMatchObject({ params: { value: 'ghost', recordId: 'n1' }, message: expect.stringContaining('"ghost" is not a stored credential') });
    expect(issues[1]).toMatchObject({ params: { address: '10.0.0.11', port: 1161, device: 'n2', otherLine: 7 } });
    expect(issues[2]).toMatchObject({ params: { value: 'n2', device: 'n2', otherLine: 7 } });
    expect(exportInventory(db, 'json')).toBe(before);
  });

  it('checks against the stored devices: address+port, BMC endpoint, hostname (any case)', () => {
    const issues = refused(() => importInventory(db, 'csv', [...SKELETON, dev({ id: 'b1', u: 20, ip: '10.0.0.1', bmc: '10.1.0.1', host: 'A1' })].join('\n')));
    expect(brief(issues)).toEqual([
      [6, 'hostname', 'hostname-taken'],
      [6, 'mgmt_ip', 'snmp-endpoint-taken'],
      [6, 'bmc_address', 'bmc-endpoint-taken'],
    ]);
    expect(issues.every((i) => i.params.device === 'a1')).toBe(true);
  });

  it('allows one address for several devices on different ports, and the same BMC address on another port', () => {
    const lines = [...SKELETON, dev({ id: 'p1', u: 20, ip: '10.0.0.1', port: 1161, bmc: '10.1.0.1' }), dev({ id: 'p2', u: 21, ip: '10.0.0.1', port: 1162 })];
    lines[5] = lines[5].replace(',623,', ',624,');
    expect(importInventory(db, 'csv', lines.join('\n')).imported.devices).toBe(2);
  });

  it('refuses a credential of the wrong kind for its column, naming the kinds it takes', () => {
    const issues = refused(() => importInventory(db, 'csv', [...SKELETON, dev({ id: 'k1', u: 20, ip: '10.0.0.20', snmp: 'bmc', ssh: 'snmp-ro', ipmi: 'ssh-ops' })].join('\n')));
    expect(brief(issues)).toEqual([
      [6, 'snmp_credential', 'credential-wrong-kind'],
      [6, 'ssh_credential', 'credential-wrong-kind'],
      [6, 'ipmi_credential', 'credential-wrong-kind'],
    ]);
    expect(issues[0].params).toMatchObject({ kind: 'ipmi', kinds: ['snmp-community', 'snmp-v3'] });
  });

  it('judges a stored device the file redefines by its new values: addresses and hostnames may move between devices', () => {
    // a1 gives its address and hostname to a new device b1 in the same file
    const lines = [...SKELETON, dev({ id: 'a1', host: 'old-a1', u: 1, ip: '10.0.0.99' }), dev({ id: 'b1', host: 'a1', u: 2, ip: '10.0.0.1', bmc: '10.1.0.1' })];
    expect(importInventory(db, 'csv', lines.join('\n')).imported.devices).toBe(2);
    // re-importing the export changes nothing and is not a conflict with itself
    const csv = exportInventory(db, 'csv');
    importInventory(db, 'csv', csv);
    expect(exportInventory(db, 'csv')).toBe(csv);
  });

  it('reports JSON files at the line of the field (a copy of a1 in the same file)', () => {
    const doc = JSON.parse(exportInventory(db, 'json')) as { devices: Record<string, unknown>[] };
    doc.devices.push({ ...doc.devices[0], id: 'j1', sn: 'SN-j1', uPosition: 30, snmpCredential: 'nope', bmcAddress: null });
    const text = JSON.stringify(doc, null, 2);
    const lines = text.split('\n');
    const issues = refused(() => importInventory(db, 'json', text));
    expect(brief(issues)).toEqual([
      [lines.findIndex((l, i) => i > lines.findIndex((x) => x.includes('"j1"')) && l.includes('"hostname"')) + 1, 'hostname', 'duplicate-hostname'],
      [lines.findIndex((l, i) => i > lines.findIndex((x) => x.includes('"j1"')) && l.includes('"mgmtIp"')) + 1, 'mgmtIp', 'duplicate-snmp-endpoint'],
      [lines.findIndex((l) => l.includes('"nope"')) + 1, 'snmpCredential', 'unknown-credential'],
    ]);
  });

  it('passes the generated lab inventory, with the credentials the lab stores first', () => {
    const doc = generateLab(1, DEFAULT_LAB_SIZE);
    const credentials = new Map([[LAB_SNMP_CREDENTIAL, 'snmp-community'], [LAB_SSH_CREDENTIAL, 'ssh-password'], [LAB_IPMI_CREDENTIAL, 'ipmi']] as const);
    const empty = { ...doc, sites: [], rooms: [], rows: [], cabinets: [], devices: [] };
    expect(validateInventory({ document: doc }, empty, credentials)).toEqual([]);
  });
});
