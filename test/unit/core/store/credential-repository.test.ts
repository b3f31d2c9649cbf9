// Credentials removed only when no device refers to them: one in use is refused with the
// devices named, and stays stored (and usable) afterwards.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../../../src-main/core/security/secret-box';
import { CredentialRepository } from '../../../../src-main/core/store/credential-repository';
import { openStore } from '../../../../src-main/core/store/database';
import { InventoryRepository } from '../../../../src-main/core/store/inventory-repository';
import { oneCabinet } from '../../../support/one-cabinet';

function setup() {
  const db = openStore(':memory:');
  const repo = new CredentialRepository(db, new SecretBox(randomBytes(32)));
  repo.put('ro', 'snmp-community', 'read-only', 'public', 1000);
  repo.put('spare', 'snmp-community', 'unused', 'spare-community', 2000);
  repo.put('bmc', 'ipmi', 'bmc login', '{"username":"u","password":"p"}', 3000);
  new InventoryRepository(db).upsert(oneCabinet([
      { id: 'd1', cabinetId: 'c', kind: 'switch', hostname: 'tor-1', sn: 'SN1', uPosition: 42, uHeight: 1, mgmtIp: '10.0.0.1', snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: 'ro', sshCredential: null, ipmiCredential: null, serviceTree: null },
      { id: 'd2', cabinetId: 'c', kind: 'server', hostname: 'srv-2', sn: 'SN2', uPosition: 10, uHeight: 1, mgmtIp: '10.0.0.2', snmpPort: 161, bmcAddress: '10.1.0.2', bmcPort: 623, sshPort: 22, snmpCredential: 'ro', sshCredential: null, ipmiCredential: 'bmc', serviceTree: null },
  ]));
  return repo;
}

describe('CredentialRepository.remove', () => {
  it('refuses a credential a device still uses, naming the device, and keeps it', () => {
    const repo = setup();
    expect(() => repo.remove('ro')).toThrow(expect.objectContaining({ code: 'CONFLICT', params: { id: 'ro', devices: 2, hostnames: ['srv-2', 'tor-1'] } }));
    expect(repo.secret('ro')).toBe('public');
  });

  it('removes an unused credential, and says NOT_FOUND for one that is not there', () => {
    const repo = setup();
    expect(repo.remove('spare')).toEqual({ removed: 'spare' });
    expect(repo.has('spare')).toBe(false);
    expect(() => repo.remove('spare')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('CredentialRepository usage and change times', () => {
  it('lists who uses each credential and when it was last changed, creation time kept', () => {
    const repo = setup();
    expect(repo.list()).toEqual([
      { id: 'bmc', kind: 'ipmi', name: 'bmc login', createdAt: 3000, updatedAt: 3000, usedBy: 1 },
      { id: 'ro', kind: 'snmp-community', name: 'read-only', createdAt: 1000, updatedAt: 1000, usedBy: 2 },
      { id: 'spare', kind: 'snmp-community', name: 'unused', createdAt: 2000, updatedAt: 2000, usedBy: 0 },
    ]);
    expect(repo.put('ro', 'snmp-community', 'read-only (rotated)', 'public-2', 5000)).toEqual({ id: 'ro', kind: 'snmp-community', name: 'read-only (rotated)', createdAt: 1000, updatedAt: 5000, usedBy: 2 });
    expect(repo.secret('ro')).toBe('public-2');
  });

  it('names each device that refers to a credential and as what', () => {
    const repo = setup();
    expect(repo.usage('ro')).toEqual([
      { deviceId: 'd2', hostname: 'srv-2', as: 'snmp' },
      { deviceId: 'd1', hostname: 'tor-1', as: 'snmp' },
    ]);
    expect(repo.usage('bmc')).toEqual([{ deviceId: 'd2', hostname: 'srv-2', as: 'ipmi' }]);
    expect(repo.usage('spare')).toEqual([]);
    expect(() => repo.usage('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
