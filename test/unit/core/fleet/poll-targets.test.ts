// Who the poller polls and why the rest are not polled: no credential id, an id the store
// lacks, a non-SNMP kind, a secret that cannot be used, a credential not bound to the device's
// address and port; and the addresses several devices share.
import { describe, expect, it } from 'vitest';
import type { CredentialKind } from '../../../../src-shared/domain';
import { serializeError } from '../../../../src-shared/errors';
import { monitoringOf } from '../../../../src-main/core/fleet/monitoring';
import { loadPollTargetSet } from '../../../../src-main/core/fleet/poll-targets';
import { SnmpTimeoutError } from '../../../../src-main/core/protocols/snmp/errors';
import type { InventoryRepository } from '../../../../src-main/core/store/inventory-repository';

const rows = [
  { deviceId: 'a', kind: 'server', mgmtIp: '127.0.0.1', snmpPort: 1161, snmpCredential: 'v2c' },
  { deviceId: 'b', kind: 'server', mgmtIp: '127.0.0.1', snmpPort: 1162, snmpCredential: 'v2c' },
  { deviceId: 'c', kind: 'server', mgmtIp: '127.0.0.3', snmpPort: 161, snmpCredential: null },
  { deviceId: 'd', kind: 'server', mgmtIp: '127.0.0.4', snmpPort: 161, snmpCredential: 'ssh' },
  { deviceId: 'e', kind: 'server', mgmtIp: '127.0.0.5', snmpPort: 161, snmpCredential: 'nowhere' },
  { deviceId: 'f', kind: 'server', mgmtIp: '127.0.0.6', snmpPort: 161, snmpCredential: 'broken' },
  { deviceId: 'g', kind: 'pdu', mgmtIp: '127.0.0.7', snmpPort: 161, snmpCredential: 'v2c' },
  { deviceId: 'h', kind: 'server', mgmtIp: '127.0.0.8', snmpPort: 161, snmpCredential: 'v2c' },
] as const;
const inventory = { pollTargets: () => rows.map((r) => ({ ...r })) } as unknown as InventoryRepository;
const kinds: Record<string, CredentialKind> = { v2c: 'snmp-community', ssh: 'ssh-password', broken: 'snmp-v3' };
const resolver = {
  snmp: (id: string | null) => {
    if (id === 'broken') throw new SyntaxError('Unexpected token n in JSON');
    return id === 'v2c' ? ({ version: '2c', community: 'public' } as const) : null;
  },
  isBound: (use: { deviceId: string }) => use.deviceId !== 'h',
};

describe('poll targets', () => {
  it('polls devices with a usable SNMP credential and names the reason for each of the others', () => {
    const logged: string[] = [];
    const set = loadPollTargetSet(inventory, resolver, (id) => kinds[id] ?? null, (l) => logged.push(l));
    expect(set.targets.map((t) => t.deviceId)).toEqual(['a', 'b', 'g']);
    expect(set.targets.find((t) => t.deviceId === 'g')?.pduProfile).toBeDefined();
    expect(Object.fromEntries(set.notMonitored)).toEqual({ c: 'no-credential', d: 'wrong-kind', e: 'unknown-credential', f: 'credential-unusable', h: 'credential-unbound' });
    expect(logged.join()).toContain('broken');
    expect([...set.sharedAddresses]).toEqual(['127.0.0.1']);
  });

  it('without the store\'s kinds, an id the resolver does not answer for is unknown', () => {
    const set = loadPollTargetSet(inventory, resolver);
    expect(set.notMonitored.get('d')).toBe('unknown-credential');
    expect(set.notMonitored.get('f')).toBe('credential-unusable');
  });

  it('gives the last error only while the device is unreachable or degraded', () => {
    const err = serializeError(new SnmpTimeoutError('127.0.0.1', null));
    expect(monitoringOf('wrong-kind', undefined)).toEqual({ polled: false, reason: 'wrong-kind', lastError: null });
    expect(monitoringOf(undefined, { health: 'unreachable', lastError: err })).toEqual({ polled: true, reason: null, lastError: err });
    expect(monitoringOf(undefined, { health: 'degraded', lastError: err }).lastError).toEqual(err);
    expect(monitoringOf(undefined, { health: 'up', lastError: err }).lastError).toBeNull();
    expect(monitoringOf(undefined, undefined)).toEqual({ polled: true, reason: null, lastError: null });
  });
});
