// Credentials removed only when no device refers to them: one in use is refused with the
// devices named, and stays stored (and usable) afterwards.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../../../src-main/core/security/secret-box';
import { CredentialRepository } from '../../../../src-main/core/store/credential-repository';
import { openStore } from '../../../../src-main/core/store/database';
import { InventoryRepository } from '../../../../src-main/core/store/inventory-repository';

function setup() {
  const db = openStore(':memory:');
  const repo = new CredentialRepository(db, new SecretBox(randomBytes(32)));
  repo.put('ro', 'snmp-community', 'read-only', 'public');
  repo.put('spare', 'snmp-community', 'unused', 'spare-community');
  new InventoryRepository(db).upsert({
    format: 'fleetdeck-inventory',
    version: 1,
    sites: [{ id: 's', name: 'S', city: 'C' }],
    rooms: [{ id: 'r', siteId: 's', name: 'R' }],
    rows: [{ id: 'w', roomId: 'r', name: 'W' }],
    cabinets: [{ id: 'c', rowId: 'w', name: 'C1', position: 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null }],
    devices: [
      { id: 'd1', cabinetId: 'c', kind: 'switch', hostname: 'tor-1', sn: 'SN1', uPosition: 42, uHeight: 1, mgmtIp: '10.0.0.1', snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: 'ro', sshCredential: null, ipmiCredential: null, serviceTree: null },
    ],
  });
  return repo;
}

describe('CredentialRepository.remove', () => {
  it('refuses a credential a device still uses, naming the device, and keeps it', () => {
    const repo = setup();
    expect(() => repo.remove('ro')).toThrow(expect.objectContaining({ code: 'CONFLICT', params: { id: 'ro', devices: 1, hostnames: ['tor-1'] } }));
    expect(repo.secret('ro')).toBe('public');
  });

  it('removes an unused credential, and says NOT_FOUND for one that is not there', () => {
    const repo = setup();
    expect(repo.remove('spare')).toEqual({ removed: 'spare' });
    expect(repo.has('spare')).toBe(false);
    expect(() => repo.remove('spare')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
