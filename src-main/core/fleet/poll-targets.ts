// What the poller polls: every inventory device with a usable SNMP credential, as a poll
// target; PDUs also read per-outlet power (ENTITY-SENSOR-MIB, the lab's and many vendors').
// Every other device is kept with the reason it is not polled: no credential id, an id the
// store does not hold, a credential of a non-SNMP kind, a secret that cannot be used, or a
// credential not bound to the device's address and SNMP port (the resolver's check: no packet).
import type { CredentialKind, NotMonitoredReason } from '../../../src-shared/domain';
import { ENTITY_SENSOR_PROFILE, type SnmpCredentials } from '../protocols/snmp';
import type { CredentialResolver } from '../credentials/credential-resolver';
import type { InventoryRepository } from '../store/inventory-repository';
import type { PollTarget } from './snmp-poller';

/** The stored kind of a credential id, null when the store has no such id (tells unknown ids from wrong kinds). */
export type CredentialKindLookup = (id: string) => CredentialKind | null;

export interface PollTargetSet {
  targets: PollTarget[];
  /** Devices not polled, and why. */
  notMonitored: Map<string, NotMonitoredReason>;
  /** Management addresses more than one device uses (their port tells them apart). */
  sharedAddresses: Set<string>;
}

const SNMP_KINDS: readonly string[] = ['snmp-community', 'snmp-v3'];

export function loadPollTargetSet(
  inventory: InventoryRepository,
  credentials: Pick<CredentialResolver, 'snmp' | 'isBound'>,
  kindOf?: CredentialKindLookup,
  log?: (line: string) => void,
): PollTargetSet {
  const resolved = new Map<string, SnmpCredentials | NotMonitoredReason>();
  const creds = (id: string): SnmpCredentials | NotMonitoredReason => {
    let r = resolved.get(id);
    if (r === undefined) {
      try {
        const c = credentials.snmp(id);
        if (c) r = c;
        else {
          // The resolver says only "not SNMP or absent": the store's kind tells which.
          const kind = kindOf ? kindOf(id) : null;
          r = kind === null ? 'unknown-credential' : SNMP_KINDS.includes(kind) ? 'credential-unusable' : 'wrong-kind';
        }
      } catch (err) {
        log?.(`credential ${id} unusable: ${(err as Error).message}`);
        r = 'credential-unusable';
      }
      resolved.set(id, r);
    }
    return r;
  };
  const targets: PollTarget[] = [];
  const notMonitored = new Map<string, NotMonitoredReason>();
  const seen = new Set<string>();
  const sharedAddresses = new Set<string>();
  for (const t of inventory.pollTargets()) {
    if (seen.has(t.mgmtIp)) sharedAddresses.add(t.mgmtIp);
    else seen.add(t.mgmtIp);
    let c = t.snmpCredential ? creds(t.snmpCredential) : 'no-credential';
    if (typeof c !== 'string' && !credentials.isBound({ deviceId: t.deviceId, role: 'snmp', credentialId: t.snmpCredential!, host: t.mgmtIp, port: t.snmpPort })) c = 'credential-unbound';
    if (typeof c === 'string') {
      notMonitored.set(t.deviceId, c);
      continue;
    }
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
  return { targets, notMonitored, sharedAddresses };
}

export function loadPollTargets(inventory: InventoryRepository, credentials: Pick<CredentialResolver, 'snmp' | 'isBound'>, log?: (line: string) => void): PollTarget[] {
  return loadPollTargetSet(inventory, credentials, undefined, log).targets;
}
