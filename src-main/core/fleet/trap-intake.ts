// Traps and informs into the event stream: each is attributed to the device whose
// management address sent it and, where several devices share that address (different SNMP
// ports), to the one whose SNMP port the notification came from (an agent that sends from its
// own socket, as the lab's devices on 127.0.0.1 do) if its credential fits, else to the one whose
// SNMP credential the notification came with (its v1/v2c community or v3 user: a real agent's
// traps usually come from an ephemeral port). One still ambiguous is stored unattributed with the candidates in its details,
// never given to an arbitrary device. Stored as a 'trap' fleet event. Communities and v3 users
// are those of the credential store, re-read by reload() (after a credential change) without a
// restart. Without a configured port, no receiver is started. A coldStart, linkDown or linkUp
// from a known device asks for an early re-poll of it.
import type { FleetEvent } from '../../../src-shared/domain';
import type { AsyncDisposable } from '../../../src-shared/lifecycle';
import { createTrapReceiver, type SnmpCredentials, type TrapEvent, type TrapReceiver } from '../protocols/snmp';
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

/** The address index is rebuilt at most this often (and at once after reload()). */
const ADDRESS_CACHE_MS = 1000;
/** Notifications that say the sender's status has probably moved. */
const REPOLL_ON = new Set(['coldStart', 'linkDown', 'linkUp']);

export interface TrapIntakeDeps {
  /** Where to listen; absent: no receiver. */
  config: { address?: string; port: number } | undefined;
  inventory: Pick<InventoryRepository, 'pollTargets' | 'device'>;
  credentials: Pick<CredentialResolver, 'trapAuth' | 'snmp'>;
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
  /** Re-reads the communities and v3 users (after a credential change) and the devices' addresses. */
  reload(): void;
}

interface Sender {
  id: string;
  snmpCredential: string | null;
  /** The device's SNMP port: a trap from exactly this source port is its own agent's. */
  snmpPort?: number;
}
export interface TrapCandidate {
  deviceId: string;
  hostname: string;
}

/** Whether a notification came with the SNMP credential `c`: its community, or its v3 user. */
function sentWith(t: TrapEvent, c: SnmpCredentials | null): boolean {
  if (!c) return false;
  if (t.version === '3') return c.version === '3' && c.user.name === t.user;
  return c.version === '2c' && t.community !== undefined && c.community === t.community;
}

/**
 * The device a notification is from, among those at its source address: the only one there;
 * the one whose SNMP port is the source port, if its credential is the one the trap came with;
 * or the only one whose credential it came with. Otherwise null, with the candidates.
 */
export function attribute(t: TrapEvent, atAddress: readonly Sender[], creds: (id: string) => SnmpCredentials | null): { deviceId: string | null; candidates: string[] } {
  if (atAddress.length === 1) return { deviceId: atAddress[0].id, candidates: [] };
  if (atAddress.length === 0) return { deviceId: null, candidates: [] };
  const matching = atAddress.filter((s) => s.snmpCredential !== null && sentWith(t, creds(s.snmpCredential)));
  const fromItsPort = matching.filter((s) => s.snmpPort === t.source.port);
  if (fromItsPort.length === 1) return { deviceId: fromItsPort[0].id, candidates: [] };
  if (matching.length === 1) return { deviceId: matching[0].id, candidates: [] };
  return { deviceId: null, candidates: (matching.length ? matching : atAddress).map((s) => s.id) };
}

export async function startTrapIntake(d: TrapIntakeDeps): Promise<TrapIntake> {
  if (!d.config) return { receiver: null, reload: () => {}, dispose: async () => {} };
  const readAuth = (): { communities: string[]; users: ReturnType<CredentialResolver['trapAuth']>['users'] } => {
    const { communities, users, skipped } = d.credentials.trapAuth();
    for (const s of skipped) d.log?.(`traps: credential ${s.id} skipped: ${s.reason}`);
    return { communities, users };
  };
  const { communities, users } = readAuth();
  let byAddress = new Map<string, Sender[]>();
  let credCache = new Map<string, SnmpCredentials | null>();
  let builtAt = -Infinity;
  const sendersAt = (address: string): Sender[] => {
    if (Date.now() - builtAt > ADDRESS_CACHE_MS) {
      byAddress = new Map();
      for (const t of d.inventory.pollTargets()) {
        const list = byAddress.get(t.mgmtIp) ?? [];
        list.push({ id: t.deviceId, snmpCredential: t.snmpCredential, snmpPort: t.snmpPort });
        byAddress.set(t.mgmtIp, list);
      }
      credCache = new Map();
      builtAt = Date.now();
    }
    return byAddress.get(address) ?? [];
  };
  const creds = (id: string): SnmpCredentials | null => {
    if (!credCache.has(id)) {
      try {
        credCache.set(id, d.credentials.snmp(id));
      } catch {
        credCache.set(id, null);
      }
    }
    return credCache.get(id) ?? null;
  };
  const hostname = (id: string): string => d.inventory.device(id)?.hostname ?? id;
  const onTrap = (t: TrapEvent): void => {
    const { deviceId, candidates } = attribute(t, sendersAt(t.source.address), creds);
    const name = deviceId ? hostname(deviceId) : t.source.address;
    const known = NAMES[t.trapOid];
    if (deviceId && known && REPOLL_ON.has(known.name)) d.repoll?.(deviceId, `trap ${known.name}`);
    d.recordEvents([
      {
        at: t.at,
        deviceId,
        kind: 'trap',
        severity: known?.severity ?? 'warning',
        code: 'trap.received',
        params: { source: name, kind: t.kind, name: known?.name ?? t.trapOid, version: t.version },
        message: `${name}: ${t.kind} ${known?.name ?? t.trapOid} (SNMPv${t.version})`,
        details: {
          trapOid: t.trapOid,
          source: `${t.source.address}:${t.source.port}`,
          ...(t.user ? { user: t.user } : {}),
          ...(t.engineId ? { engineId: t.engineId } : {}),
          ...(candidates.length ? { candidates: candidates.map((id): TrapCandidate => ({ deviceId: id, hostname: hostname(id) })) } : {}),
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
  return {
    receiver,
    reload: () => {
      builtAt = -Infinity;
      const { skipped } = receiver.setAuth(readAuth());
      for (const k of skipped) d.log?.(`traps: v3 user ${k.user} skipped: ${k.reason}`);
    },
    dispose: () => receiver.dispose(),
  };
}
