// The console's store opened once: the SQLite database and one repository per aggregate,
// closed as one disposable (the last thing the core closes).
import type { AsyncDisposable } from '../../../src-shared/lifecycle';
import type { CoreConfig } from '../config';
import { SecretBox } from '../security/secret-box';
import { AgentRepository } from './agent-repository';
import { AlarmRepository } from './alarm-repository';
import { AuditRepository } from './audit-repository';
import { BindingRepository } from './binding-repository';
import { CredentialRepository } from './credential-repository';
import { openStore, type Db } from './database';
import { EventRepository } from './event-repository';
import { HostKeyRepository } from './host-key-repository';
import { InventoryRepository } from './inventory-repository';
import { MetricsRepository } from './metrics-repository';
import { ProbeRepository } from './probe-repository';
import { TokenRepository } from './token-repository';
import { WallRepository } from './wall-repository';
import { DrillRepository } from './drill-repository';

export interface CoreStore extends AsyncDisposable {
  readonly db: Db;
  readonly inventory: InventoryRepository;
  readonly credentials: CredentialRepository;
  /** Which device credential is bound to which endpoint. */
  readonly bindings: BindingRepository;
  readonly audit: AuditRepository;
  readonly tokens: TokenRepository;
  readonly metrics: MetricsRepository;
  readonly events: EventRepository;
  readonly hostKeys: HostKeyRepository;
  /** Fleet agents: the console's identity, enrolled keys, uploaded results. */
  readonly agents: AgentRepository;
  /** The probe matrix's aggregates and thresholds. */
  readonly probes: ProbeRepository;
  /** Alarm rules, alarms, their history and maintenance windows. */
  readonly alarms: AlarmRepository;
  /** Wall mode's playlists and kiosk tokens (hashed). */
  readonly wall: WallRepository;
  /** Gateway failover drills and what each measured. */
  readonly drills: DrillRepository;
}

export function openCoreStore(config: Pick<CoreConfig, 'storePath' | 'sqliteNativeBinding' | 'secretKey' | 'retention'>): CoreStore {
  const db = openStore(config.storePath, undefined, { nativeBinding: config.sqliteNativeBinding });
  try {
    const box = new SecretBox(config.secretKey);
    return {
      db,
      inventory: new InventoryRepository(db),
      credentials: new CredentialRepository(db, box),
      bindings: new BindingRepository(db),
      audit: new AuditRepository(db),
      tokens: new TokenRepository(db),
      metrics: new MetricsRepository(db, config.retention),
      events: new EventRepository(db),
      hostKeys: new HostKeyRepository(db),
      agents: new AgentRepository(db, box),
      probes: new ProbeRepository(db),
      alarms: new AlarmRepository(db),
      wall: new WallRepository(db),
      drills: new DrillRepository(db),
      async dispose() {
        if (db.open) db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
