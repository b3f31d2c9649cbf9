// Traps and informs into the event stream: each is attributed to the device whose
// management address sent it, and stored as a 'trap' fleet event.
import type { FleetEvent } from '../../../src-shared/domain';
import { createTrapReceiver, type SnmpUser, type TrapEvent, type TrapReceiver } from '../protocols/snmp';
import type { CredentialRepository } from '../store/credential-repository';
import type { InventoryRepository } from '../store/inventory-repository';

/** Well-known notifications, named; the rest by OID. */
const NAMES: Record<string, { name: string; severity: FleetEvent['severity'] }> = {
  '1.3.6.1.6.3.1.1.5.1': { name: 'coldStart', severity: 'warning' },
  '1.3.6.1.6.3.1.1.5.2': { name: 'warmStart', severity: 'info' },
  '1.3.6.1.6.3.1.1.5.3': { name: 'linkDown', severity: 'warning' },
  '1.3.6.1.6.3.1.1.5.4': { name: 'linkUp', severity: 'info' },
  '1.3.6.1.6.3.1.1.5.5': { name: 'authenticationFailure', severity: 'warning' },
};

const ADDRESS_CACHE_MS = 10_000;

export interface TrapIntakeDeps {
  inventory: InventoryRepository;
  credentials: CredentialRepository;
  recordEvents: (events: Omit<FleetEvent, 'id'>[]) => void;
  address?: string;
  port: number;
  log?: (line: string) => void;
}

export async function startTrapIntake(d: TrapIntakeDeps): Promise<TrapReceiver> {
  const communities: string[] = [];
  const users: SnmpUser[] = [];
  for (const c of d.credentials.list()) {
    try {
      if (c.kind === 'snmp-community') communities.push(d.credentials.secret(c.id));
      else if (c.kind === 'snmp-v3') users.push(JSON.parse(d.credentials.secret(c.id)) as SnmpUser);
    } catch (err) {
      d.log?.(`traps: credential ${c.id} skipped: ${(err as Error).message}`);
    }
  }
  let byAddress = new Map<string, { id: string; hostname: string }>();
  let builtAt = -Infinity;
  const deviceAt = (address: string): { id: string; hostname: string } | undefined => {
    if (Date.now() - builtAt > ADDRESS_CACHE_MS) {
      byAddress = new Map(d.inventory.pollTargets().map((t) => [t.mgmtIp, { id: t.deviceId, hostname: d.inventory.device(t.deviceId)?.hostname ?? t.deviceId }]));
      builtAt = Date.now();
    }
    return byAddress.get(address);
  };
  const onTrap = (t: TrapEvent): void => {
    const dev = deviceAt(t.source.address);
    const known = NAMES[t.trapOid];
    d.recordEvents([
      {
        at: t.at,
        deviceId: dev?.id ?? null,
        kind: 'trap',
        severity: known?.severity ?? 'warning',
        message: `${dev?.hostname ?? t.source.address}: ${t.kind} ${known?.name ?? t.trapOid} (SNMPv${t.version})`,
        details: {
          trapOid: t.trapOid,
          source: `${t.source.address}:${t.source.port}`,
          ...(t.user ? { user: t.user } : {}),
          varbinds: t.varbinds.map((v) => ({ oid: v.oid, type: v.type, value: typeof v.value === 'bigint' ? v.value.toString() : Buffer.isBuffer(v.value) ? v.value.toString('hex') : v.value })),
        },
      },
    ]);
  };
  return createTrapReceiver({
    address: d.address ?? '127.0.0.1',
    port: d.port,
    communities,
    users,
    onTrap,
    onError: (err) => d.log?.(`traps: ${err.message}`),
  });
}
