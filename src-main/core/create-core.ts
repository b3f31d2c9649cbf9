import type { CallContext } from '../../src-shared/api';
import { createCoreApi, type CoreApi } from './api/core-api';
import { EventHub } from './events/event-hub';
import { createHandlers } from './api/handlers';
import type { CoreConfig } from './config';
import type { FleetEvent } from '../../src-shared/domain';
import { createBmcService, type BmcService } from './fleet/bmc-service';
import { createDeviceDetail } from './fleet/device-detail';
import { createFleetService, type FleetService } from './fleet/fleet-service';
import { createSshService, type SshService } from './fleet/ssh-service';
import { startTrapIntake } from './fleet/trap-intake';
import type { TrapReceiver } from './protocols/snmp';
import { EventRepository } from './store/event-repository';
import { HostKeyRepository } from './store/host-key-repository';
import { startLab, type LabLink } from './fleet/lab-link';
import { SecretBox } from './security/secret-box';
import { AuditRepository } from './store/audit-repository';
import { CredentialRepository } from './store/credential-repository';
import { openStore, type Db } from './store/database';
import { InventoryRepository } from './store/inventory-repository';
import { MetricsRepository } from './store/metrics-repository';
import { TokenRepository, type IssuedToken } from './store/token-repository';

export type { CoreApi } from './api/core-api';
export type { CoreConfig } from './config';

export const LAB_SNMP_CREDENTIAL = 'lab-snmp';
export const LAB_SSH_CREDENTIAL = 'lab-ssh';
export const LAB_IPMI_CREDENTIAL = 'lab-ipmi';

export interface CoreAuth {
  /** The caller behind a serve-mode token, or null (and the refusal audited). */
  authenticate(token: string, from?: string): CallContext | null;
  hasTokens(): boolean;
  /** Issues a fresh token per role, replacing the old ones; plaintext only in the result. */
  rotateTokens(): IssuedToken[];
}

export interface Core {
  api: CoreApi;
  auth: CoreAuth;
  /** Closes everything it opened: poller, lab process, timers, the store. */
  dispose(): Promise<void>;
}

/** The one composition root: opens the store, loads inventory, starts the lab or the configured fleet. */
export async function createCore(config: CoreConfig): Promise<Core> {
  const log = config.log ?? (() => {});
  const db: Db = openStore(config.storePath, undefined, { nativeBinding: config.sqliteNativeBinding });
  let lab: LabLink | null = null;
  let fleet: FleetService | null = null;
  let ssh: SshService | null = null;
  let traps: TrapReceiver | null = null;
  let bmc: BmcService | null = null;
  const hub = new EventHub();
  try {
    const box = new SecretBox(config.secretKey);
    const inventory = new InventoryRepository(db);
    const credentials = new CredentialRepository(db, box);
    const audit = new AuditRepository(db);
    const tokens = new TokenRepository(db);
    const metrics = new MetricsRepository(db, config.retention);
    const events = new EventRepository(db);
    /** Stores events and fans them out to every subscriber. */
    const recordEvents = (list: Omit<FleetEvent, 'id'>[]): void => {
      if (list.length) hub.emit('onDidReceiveFleetEvent', events.record(list));
    };

    if (config.lab) {
      const t0 = Date.now();
      lab = await startLab(config.lab, log);
      credentials.put(LAB_SNMP_CREDENTIAL, 'snmp-community', 'Lab fleet SNMP v2c community', lab.community);
      credentials.put(LAB_SSH_CREDENTIAL, 'ssh-password', 'Lab fleet SSH login', JSON.stringify(lab.credentials.ssh));
      credentials.put(LAB_IPMI_CREDENTIAL, 'ipmi', 'Lab fleet BMC login', JSON.stringify(lab.credentials.ipmi));
      inventory.upsert(lab.inventory);
      log(`lab fleet up: ${lab.inventory.devices.length} devices in ${Date.now() - t0} ms (pid ${lab.pid})`);
    }
    fleet = createFleetService({ inventory, credentials, metrics, hub, recordEvents, expireEvents: (t) => events.expire(t), fleet: lab ? 'lab' : 'configured', poller: config.poller, log });
    const poller = fleet.poller;
    const device = (id: string) => inventory.device(id);
    ssh = createSshService({ device, credentials, hostKeys: new HostKeyRepository(db), hub, log, record: recordEvents });
    bmc = createBmcService({ device, credentials, record: recordEvents });
    if (config.traps) {
      traps = await startTrapIntake({ inventory, credentials, recordEvents, address: config.traps.address, port: config.traps.port, log });
      const at = traps.address();
      log(`SNMP trap receiver on ${at.address}:${at.port}`);
      // The lab's devices send theirs here, as a real fleet is configured to.
      lab?.setTrapTarget({ host: at.address === '0.0.0.0' ? '127.0.0.1' : at.address, port: at.port });
    }
    const detail = createDeviceDetail({
      inventory,
      credentials,
      metrics,
      pollState: (id) => {
        const st = poller.state(id);
        return st && { ...st, status: st.health };
      },
    });

    const api = createCoreApi(createHandlers({ db, fleet, credentials, audit, lab, ssh, bmc, detail: (id) => detail.detail(id), events }), hub, audit);
    let disposed: Promise<void> | null = null;
    return {
      api,
      auth: {
        authenticate: (token, from = 'unknown') => {
          const who = tokens.verify(token);
          if (!who) audit.record({ actor: from, role: 'viewer', action: 'session.auth', target: '', outcome: 'refused', detail: 'unknown or revoked token' });
          return who;
        },
        hasTokens: () => !tokens.isEmpty(),
        rotateTokens: () => tokens.rotate(),
      },
      dispose() {
        disposed ??= (async () => {
          hub.clear();
          await traps?.dispose();
          await ssh?.dispose();
          await bmc?.dispose();
          await fleet?.dispose();
          await lab?.dispose();
          db.close();
        })();
        return disposed;
      },
    };
  } catch (err) {
    await traps?.dispose().catch(() => {});
    await ssh?.dispose().catch(() => {});
    await bmc?.dispose().catch(() => {});
    await fleet?.dispose().catch(() => {});
    await lab?.dispose().catch(() => {});
    db.close();
    throw err;
  }
}
