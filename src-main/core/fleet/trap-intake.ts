// Traps and informs into the event stream: each is attributed to the device whose
// management address sent it, and stored as a 'trap' fleet event. Communities and v3 users
// are those of the credential store. Without a configured port, no receiver is started.
// A coldStart, linkDown or linkUp from a known device asks for an early re-poll of it.
import type { FleetEvent } from '../../../src-shared/domain';
import type { AsyncDisposable } from '../../../src-shared/lifecycle';
import { createTrapReceiver, type TrapEvent, type TrapReceiver } from '../protocols/snmp';
import type { CredentialResolver } from '../credentials/credential-resolver';
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
/** Notifications that say the sender's status has probably moved. */
const REPOLL_ON = new Set(['coldStart', 'linkDown', 'linkUp']);

export interface TrapIntakeDeps {
  /** Where to listen; absent: no receiver. */
  config: { address?: string; port: number } | undefined;
  inventory: InventoryRepository;
  credentials: Pick<CredentialResolver, 'trapAuth'>;
  recordEvents: (events: Omit<FleetEvent, 'id'>[]) => void;
  /** Called for a coldStart/linkDown/linkUp from a device, with 'trap <name>' as the cause. */
  repoll?: (deviceId: string, cause: string) => void;
  /** Told where the receiver listens once it does (the lab's devices send theirs there). */
  announce?: (target: { host: string; port: number }) => void;
  log?: (line: string) => void;
}

export interface TrapIntake extends AsyncDisposable {
  /** The receiver, when one was configured. */
  readonly receiver: TrapReceiver | null;
}

export async function startTrapIntake(d: TrapIntakeDeps): Promise<TrapIntake> {
  if (!d.config) return { receiver: null, dispose: async () => {} };
  const { communities, users, skipped } = d.credentials.trapAuth();
  for (const s of skipped) d.log?.(`traps: credential ${s.id} skipped: ${s.reason}`);
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
    if (dev && known && REPOLL_ON.has(known.name)) d.repoll?.(dev.id, `trap ${known.name}`);
    d.recordEvents([
      {
        at: t.at,
        deviceId: dev?.id ?? null,
        kind: 'trap',
        severity: known?.severity ?? 'warning',
        code: 'trap.received',
        params: { source: dev?.hostname ?? t.source.address, kind: t.kind, name: known?.name ?? t.trapOid, version: t.version },
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
  const receiver = await createTrapReceiver({
    address: d.config.address ?? '127.0.0.1',
    port: d.config.port,
    communities,
    users,
    onTrap,
    onError: (err) => d.log?.(`traps: ${err.message}`),
  });
  const at = receiver.address();
  d.log?.(`SNMP trap receiver on ${at.address}:${at.port}`);
  d.announce?.({ host: at.address === '0.0.0.0' ? '127.0.0.1' : at.address, port: at.port });
  return { receiver, dispose: () => receiver.dispose() };
}
