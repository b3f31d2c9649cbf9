// Numbered migrations. Append only: a released migration is never edited.
// user_version holds the number of the last one applied.
import type { Db } from './database';
import { fillStoredLayout } from './layout-migration';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Runs after sql, in the same transaction: data the SQL alone cannot compute. */
  run?: (db: Db) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'inventory, credentials, tokens, audit',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

      CREATE TABLE sites (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE TABLE rooms (
        id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), name TEXT NOT NULL
      ) STRICT;
      CREATE TABLE rows (
        id TEXT PRIMARY KEY, room_id TEXT NOT NULL REFERENCES rooms(id), name TEXT NOT NULL
      ) STRICT;
      CREATE TABLE cabinets (
        id TEXT PRIMARY KEY, row_id TEXT NOT NULL REFERENCES rows(id), name TEXT NOT NULL,
        position INTEGER NOT NULL, u_height INTEGER NOT NULL, rated_power_kw REAL NOT NULL,
        feed_a TEXT, feed_b TEXT
      ) STRICT;
      CREATE TABLE devices (
        id TEXT PRIMARY KEY, cabinet_id TEXT NOT NULL REFERENCES cabinets(id),
        kind TEXT NOT NULL CHECK (kind IN ('server','switch','pdu','gateway')),
        hostname TEXT NOT NULL, sn TEXT NOT NULL UNIQUE,
        u_position INTEGER NOT NULL, u_height INTEGER NOT NULL,
        mgmt_ip TEXT NOT NULL, snmp_port INTEGER NOT NULL DEFAULT 161, bmc_address TEXT,
        snmp_credential TEXT, ssh_credential TEXT, ipmi_credential TEXT,
        st_company TEXT, st_department TEXT, st_product TEXT, st_cluster TEXT, st_service TEXT
      ) STRICT;
      CREATE INDEX devices_cabinet ON devices(cabinet_id);
      CREATE INDEX devices_hostname ON devices(hostname);
      CREATE INDEX devices_mgmt_ip ON devices(mgmt_ip);

      CREATE TABLE credentials (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,
        secret BLOB NOT NULL, created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE tokens (
        hash TEXT PRIMARY KEY, actor TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('viewer','operator','admin')),
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL,
        role TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
        outcome TEXT NOT NULL, detail TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE INDEX audit_at ON audit(at);
    `,
  },
  {
    version: 2,
    name: 'time series: raw, 1 minute, 1 hour',
    sql: `
      CREATE TABLE series (
        id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, metric TEXT NOT NULL,
        UNIQUE (device_id, metric)
      ) STRICT;
      -- raw samples: ts in ms
      CREATE TABLE samples_raw (
        series_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL,
        PRIMARY KEY (series_id, ts)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX samples_raw_ts ON samples_raw(ts);
      -- rollups: ts is the start of the bucket in ms
      CREATE TABLE samples_1m (
        series_id INTEGER NOT NULL, ts INTEGER NOT NULL,
        avg REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (series_id, ts)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX samples_1m_ts ON samples_1m(ts);
      CREATE TABLE samples_1h (
        series_id INTEGER NOT NULL, ts INTEGER NOT NULL,
        avg REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (series_id, ts)
      ) STRICT, WITHOUT ROWID;
      -- no ts index on the largest tier (a year of it): retention deletes by primary-key range per series
    `,
  },
  {
    version: 3,
    name: 'devices: BMC and SSH ports',
    sql: `
      ALTER TABLE devices ADD COLUMN bmc_port INTEGER NOT NULL DEFAULT 623;
      ALTER TABLE devices ADD COLUMN ssh_port INTEGER NOT NULL DEFAULT 22;
    `,
  },
  {
    version: 4,
    name: 'pinned SSH host keys, fleet events',
    sql: `
      CREATE TABLE ssh_host_keys (
        host TEXT NOT NULL, port INTEGER NOT NULL, fingerprint TEXT NOT NULL, pinned_at INTEGER NOT NULL,
        PRIMARY KEY (host, port)
      ) STRICT;
      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, device_id TEXT,
        kind TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, details TEXT
      ) STRICT;
      CREATE INDEX events_at ON events(at);
      CREATE INDEX events_device ON events(device_id, at);
    `,
  },
  {
    version: 5,
    name: 'fleet events carry a code and params (the renderer words them)',
    sql: `
      ALTER TABLE events ADD COLUMN code TEXT;
      ALTER TABLE events ADD COLUMN params TEXT;
    `,
  },
  {
    version: 6,
    name: 'credentials: when last changed',
    sql: `
      ALTER TABLE credentials ADD COLUMN updated_at INTEGER;
      UPDATE credentials SET updated_at = created_at;
    `,
  },
  {
    version: 7,
    name: 'credential bindings: a device credential is used only at the endpoint it was bound to',
    // The references stored so far are trusted: each is bound where the device has it now.
    sql: `
      CREATE TABLE credential_bindings (
        device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('snmp','ssh','ipmi')),
        credential_id TEXT NOT NULL, host TEXT NOT NULL, port INTEGER NOT NULL,
        bound_by TEXT NOT NULL, bound_at INTEGER NOT NULL,
        PRIMARY KEY (device_id, role)
      ) STRICT;
      INSERT INTO credential_bindings (device_id, role, credential_id, host, port, bound_by, bound_at)
        SELECT id, 'snmp', snmp_credential, mgmt_ip, snmp_port, 'migration', CAST(strftime('%s', 'now') AS INTEGER) * 1000
        FROM devices WHERE snmp_credential IS NOT NULL;
      INSERT INTO credential_bindings (device_id, role, credential_id, host, port, bound_by, bound_at)
        SELECT id, 'ssh', ssh_credential, mgmt_ip, ssh_port, 'migration', CAST(strftime('%s', 'now') AS INTEGER) * 1000
        FROM devices WHERE ssh_credential IS NOT NULL;
      INSERT INTO credential_bindings (device_id, role, credential_id, host, port, bound_by, bound_at)
        SELECT id, 'ipmi', ipmi_credential, bmc_address, bmc_port, 'migration', CAST(strftime('%s', 'now') AS INTEGER) * 1000
        FROM devices WHERE ipmi_credential IS NOT NULL AND bmc_address IS NOT NULL;
    `,
  },
  {
    version: 8,
    name: 'the room model: room floor plans, row places, cabinet footprints',
    // Defaults only satisfy NOT NULL: run fills every stored room and row with the computed layout.
    sql: `
      ALTER TABLE rooms ADD COLUMN width_m REAL NOT NULL DEFAULT 0;
      ALTER TABLE rooms ADD COLUMN depth_m REAL NOT NULL DEFAULT 0;
      ALTER TABLE rows ADD COLUMN x_m REAL NOT NULL DEFAULT 0;
      ALTER TABLE rows ADD COLUMN y_m REAL NOT NULL DEFAULT 0;
      ALTER TABLE rows ADD COLUMN facing TEXT NOT NULL DEFAULT 'south' CHECK (facing IN ('north','east','south','west'));
      ALTER TABLE rows ADD COLUMN cold_aisle TEXT NOT NULL DEFAULT 'front' CHECK (cold_aisle IN ('front','rear'));
      ALTER TABLE cabinets ADD COLUMN width_mm INTEGER NOT NULL DEFAULT 600;
      ALTER TABLE cabinets ADD COLUMN depth_mm INTEGER NOT NULL DEFAULT 1200;
    `,
    run: fillStoredLayout,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
