// What the poller polls: every inventory device with a usable SNMP credential, as a poll
// target; PDUs also read per-outlet power (ENTITY-SENSOR-MIB, the lab's and many vendors').
import { ENTITY_SENSOR_PROFILE, type SnmpCredentials } from '../protocols/snmp';
import type { CredentialResolver } from '../credentials/credential-resolver';
import type { InventoryRepository } from '../store/inventory-repository';
import type { PollTarget } from './snmp-poller';

export function loadPollTargets(inventory: InventoryRepository, credentials: Pick<CredentialResolver, 'snmp'>, log?: (line: string) => void): PollTarget[] {
  const resolved = new Map<string, SnmpCredentials | null>();
  const creds = (id: string): SnmpCredentials | null => {
    if (!resolved.has(id)) {
      try {
        resolved.set(id, credentials.snmp(id));
      } catch (err) {
        log?.(`credential ${id} unusable: ${(err as Error).message}`);
        resolved.set(id, null);
      }
    }
    return resolved.get(id) ?? null;
  };
  const targets: PollTarget[] = [];
  for (const t of inventory.pollTargets()) {
    const c = t.snmpCredential ? creds(t.snmpCredential) : null;
    if (!c) continue;
    targets.push({
      deviceId: t.deviceId,
      kind: t.kind,
      host: t.mgmtIp,
      port: t.snmpPort,
      community: c.version === '2c' ? c.community : '',
      credentials: c,
      ...(t.kind === 'pdu' ? { pduProfile: ENTITY_SENSOR_PROFILE } : {}),
    });
  }
  return targets;
}
