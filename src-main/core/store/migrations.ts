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
  {
    version: 9,
    name: 'workflows: templates, runs, tasks, attempts, log lines, run events, batches, outbox',
    // The workflow engine's journal (src-main/core/workflows/journal.ts). A task is one step on
    // one host ('' for a run-scope step); every attempt is kept; events are append-only; an
    // outbox row is written in the transaction that completes its step and sent afterwards.
    sql: `
      CREATE TABLE wf_templates (
        id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL,
        saved_by TEXT NOT NULL, saved_at INTEGER NOT NULL,
        PRIMARY KEY (id, version)
      ) STRICT;
      CREATE TABLE wf_runs (
        id TEXT PRIMARY KEY, template_id TEXT NOT NULL, template_version INTEGER NOT NULL,
        name TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running','paused','succeeded','failed','revoked')),
        params TEXT NOT NULL, hosts TEXT NOT NULL,
        created_by TEXT NOT NULL, created_at INTEGER NOT NULL, finished_at INTEGER,
        FOREIGN KEY (template_id, template_version) REFERENCES wf_templates(id, version)
      ) STRICT;
      CREATE INDEX wf_runs_template ON wf_runs(template_id, created_at);
      CREATE INDEX wf_runs_created ON wf_runs(created_at);
      CREATE INDEX wf_runs_open ON wf_runs(state) WHERE state IN ('running','paused');
      CREATE TABLE wf_tasks (
        run_id TEXT NOT NULL REFERENCES wf_runs(id), step_id TEXT NOT NULL, host TEXT NOT NULL,
        ord INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending','ready','running','waiting','awaiting-callback','awaiting-approval','succeeded','failed','skipped','revoked')),
        attempt INTEGER NOT NULL DEFAULT 0, retries INTEGER NOT NULL DEFAULT 0,
        inputs TEXT, outputs TEXT, edits TEXT,
        failure TEXT CHECK (failure IN ('error','timeout','interrupted','rejected')), error TEXT,
        passed INTEGER NOT NULL DEFAULT 0,
        started_at INTEGER, finished_at INTEGER, next_at INTEGER,
        poll_state TEXT, checks INTEGER NOT NULL DEFAULT 0, callback_token TEXT UNIQUE,
        next_by TEXT, next_edited TEXT,
        PRIMARY KEY (run_id, step_id, host)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE wf_attempts (
        run_id TEXT NOT NULL, step_id TEXT NOT NULL, host TEXT NOT NULL, attempt INTEGER NOT NULL,
        inputs TEXT NOT NULL, outputs TEXT,
        state TEXT NOT NULL CHECK (state IN ('running','succeeded','failed')),
        failure TEXT CHECK (failure IN ('error','timeout','interrupted','rejected')), error TEXT,
        started_at INTEGER NOT NULL, finished_at INTEGER, by TEXT NOT NULL, edited TEXT,
        PRIMARY KEY (run_id, step_id, host, attempt),
        FOREIGN KEY (run_id, step_id, host) REFERENCES wf_tasks(run_id, step_id, host)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX wf_attempts_started ON wf_attempts(started_at);
      CREATE TABLE wf_logs (
        id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, step_id TEXT NOT NULL, host TEXT NOT NULL,
        at INTEGER NOT NULL, level TEXT NOT NULL CHECK (level IN ('info','warn','error')), line TEXT NOT NULL
      ) STRICT;
      CREATE INDEX wf_logs_run ON wf_logs(run_id, id);
      CREATE TABLE wf_events (
        id INTEGER PRIMARY KEY, run_id TEXT NOT NULL REFERENCES wf_runs(id), at INTEGER NOT NULL,
        actor TEXT NOT NULL, kind TEXT NOT NULL, step_id TEXT, host TEXT, detail TEXT
      ) STRICT;
      CREATE INDEX wf_events_run ON wf_events(run_id, id);
      CREATE TABLE wf_batches (
        run_id TEXT NOT NULL REFERENCES wf_runs(id), step_id TEXT NOT NULL, batch INTEGER NOT NULL,
        size INTEGER NOT NULL, failed INTEGER NOT NULL, paused INTEGER NOT NULL, at INTEGER NOT NULL,
        PRIMARY KEY (run_id, step_id, batch)
      ) STRICT;
      CREATE TABLE wf_outbox (
        id INTEGER PRIMARY KEY, run_id TEXT NOT NULL REFERENCES wf_runs(id), step_id TEXT NOT NULL,
        host TEXT NOT NULL, idempotency_key TEXT NOT NULL UNIQUE,
        method TEXT NOT NULL, url TEXT NOT NULL, headers TEXT NOT NULL, body TEXT,
        attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,
        sent_at INTEGER, last_error TEXT, created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX wf_outbox_due ON wf_outbox(next_at) WHERE sent_at IS NULL;
      CREATE INDEX wf_outbox_run ON wf_outbox(run_id);
    `,
  },
  {
    version: 10,
    name: 'the device lifecycle (CMDB status), who moved it last and when',
    // Every stored device is in service; lifecycle_at / lifecycle_by stay NULL until a move or an import changes it.
    sql: `
      ALTER TABLE devices ADD COLUMN lifecycle TEXT NOT NULL DEFAULT 'online'
        CHECK (lifecycle IN ('racked','provisioning','online','offline','maintenance','retired'));
      ALTER TABLE devices ADD COLUMN lifecycle_at INTEGER;
      ALTER TABLE devices ADD COLUMN lifecycle_by TEXT;
      CREATE INDEX devices_lifecycle ON devices(lifecycle);
    `,
  },
  {
    version: 11,
    name: 'workflows: the role each run was launched with; finished runs by finish time',
    // launched_role: the launcher's role at launch, which the run's tools audit with; NULL for
    // runs launched before it (read as operator, the least role that could launch). The index
    // is what the journal's retention (workflows/prune.ts) walks, oldest finished first.
    sql: `
      ALTER TABLE wf_runs ADD COLUMN launched_role TEXT CHECK (launched_role IN ('viewer','operator','admin'));
      CREATE INDEX wf_runs_finished ON wf_runs(finished_at) WHERE finished_at IS NOT NULL;
    `,
  },
  {
    version: 12,
    name: 'agents: the console identity agents pin, enrolled agents, their results',
    // agent_identity: one row, never replaced (agents pin its certificate); the key sealed
    // under the console's secret key. agent_results is keyed by (agent, seq): ingest is
    // INSERT OR IGNORE, so a batch sent again changes nothing; pruned by `at`.
    sql: `
      CREATE TABLE agent_identity (
        id INTEGER PRIMARY KEY CHECK (id = 1), cert_pem TEXT NOT NULL, key_sealed BLOB NOT NULL,
        fingerprint TEXT NOT NULL, created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE agents (
        id TEXT PRIMARY KEY, device_id TEXT REFERENCES devices(id) ON DELETE SET NULL, public_key BLOB NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('enrolled', 'revoked')), enrolled_at INTEGER NOT NULL, enrolled_by TEXT NOT NULL,
        revoked_at INTEGER, revoked_by TEXT, version TEXT, hostname TEXT, remote TEXT, last_seen INTEGER,
        last_seq INTEGER NOT NULL DEFAULT 0, last_status TEXT
      ) STRICT;
      CREATE INDEX agents_device ON agents(device_id);
      CREATE TABLE agent_results (
        agent_id TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (agent_id, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX agent_results_at ON agent_results(at);
    `,
  },
  {
    version: 13,
    name: 'agent results in chunks: one row per kind per uploaded batch',
    // A row per result cost ~10 us of B-tree work each at a few million rows, which held ingest
    // under 100 k results/s (agent-result-chunks.ts). A chunk holds one agent's results of one
    // kind from one batch as a JSON array, first_seq..last_seq (last_seq is unique per agent);
    // last_at is what retention prunes by; data is the results' JSON array, deflated (a BLOB) or
    // not (TEXT). Results stored before become one chunk each, as TEXT.
    sql: `
      CREATE TABLE agent_result_chunks (
        agent_id TEXT NOT NULL, last_seq INTEGER NOT NULL, first_seq INTEGER NOT NULL, kind TEXT NOT NULL,
        n INTEGER NOT NULL CHECK (n >= 1), last_at INTEGER NOT NULL, data ANY NOT NULL,
        PRIMARY KEY (agent_id, last_seq)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX agent_result_chunks_kind ON agent_result_chunks(agent_id, kind, last_seq);
      CREATE INDEX agent_result_chunks_at ON agent_result_chunks(last_at);
      INSERT INTO agent_result_chunks (agent_id, last_seq, first_seq, kind, n, last_at, data)
        SELECT agent_id, seq, seq, kind, 1, at, json_array(json_object('seq', seq, 'at', at, 'data', json(data))) FROM agent_results;
      DROP TABLE agent_results;
    `,
  },
  {
    version: 14,
    name: 'probe matrix: per-minute aggregates by level and source, settings',
    // One row per level (server, tor, room, site), minute and source: its destinations' figures
    // as deflated JSON columns (probe-repository.ts), so a minute of a 1,000-agent mesh is 1,000
    // rows, not 2 million. Hour rows are the minute rows rolled up (counts summed, p50 weighted,
    // p90/p99 the worst minute's) once the minutes expire.
    sql: `
      CREATE TABLE probe_minutes (
        level TEXT NOT NULL, minute INTEGER NOT NULL, src TEXT NOT NULL, n INTEGER NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (level, minute, src)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE probe_hours (
        level TEXT NOT NULL, hour INTEGER NOT NULL, src TEXT NOT NULL, n INTEGER NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (level, hour, src)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE probe_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    `,
  },
  {
    version: 15,
    name: 'alarms: rules, one alarm per rule and object, their history, maintenance windows',
    // Rules keep condition and scope as JSON (src-shared/domain/alarm.ts). An alarm row is the
    // engine's (core/alarms/alarm-engine.ts): it lives across re-fires; root_id and masked are
    // the last computed grouping and mask. History rows outlive the alarm (a pending alarm
    // that clears leaves no alarm row but its events), so no foreign key there.
    sql: `
      CREATE TABLE alarm_rules (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, severity TEXT NOT NULL CHECK (severity IN ('critical','major','minor','warning')),
        condition TEXT NOT NULL, for_ms INTEGER NOT NULL, scope TEXT NOT NULL, webhook TEXT
      ) STRICT;
      CREATE TABLE alarms (
        id TEXT PRIMARY KEY, rule_id TEXT NOT NULL REFERENCES alarm_rules(id) ON DELETE CASCADE, object_id TEXT NOT NULL,
        severity TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('pending','firing','resolved')), occurrences INTEGER NOT NULL,
        first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, since INTEGER NOT NULL, value REAL, resolved_at INTEGER,
        ack_by TEXT, ack_at INTEGER, ack_comment TEXT, root_id TEXT, masked INTEGER NOT NULL DEFAULT 0,
        UNIQUE (rule_id, object_id)
      ) STRICT;
      CREATE INDEX alarms_object ON alarms(object_id);
      CREATE TABLE alarm_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT, alarm_id TEXT NOT NULL, at INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('pending','fired','resolved','cleared','acked')), severity TEXT NOT NULL,
        value REAL, actor TEXT, comment TEXT
      ) STRICT;
      CREATE INDEX alarm_events_alarm ON alarm_events(alarm_id, id);
      CREATE INDEX alarm_events_at ON alarm_events(at);
      CREATE TABLE maintenance_windows (
        id TEXT PRIMARY KEY, scope TEXT NOT NULL, from_ms INTEGER NOT NULL, to_ms INTEGER NOT NULL, reason TEXT NOT NULL,
        CHECK (to_ms > from_ms)
      ) STRICT;
    `,
  },
  {
    version: 16,
    name: 'wall mode: playlists, kiosk tokens (hashed)',
    // A playlist's views are JSON (src-shared/domain/wall.ts). A kiosk token is stored as its
    // SHA-256 only; it carries no role column: a kiosk session is a viewer, whatever is stored.
    sql: `
      CREATE TABLE wall_playlists (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, body TEXT NOT NULL, updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL
      ) STRICT;
      CREATE TABLE kiosk_tokens (
        id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, playlist_id TEXT NOT NULL, label TEXT NOT NULL,
        created_at INTEGER NOT NULL, created_by TEXT NOT NULL, last_used_at INTEGER, revoked_at INTEGER, revoked_by TEXT
      ) STRICT;
      CREATE INDEX kiosk_tokens_playlist ON kiosk_tokens(playlist_id);
    `,
  },
  {
    version: 17,
    name: 'gateway failover drills: one row per drill, its measurements',
    // The drill as src-shared/domain/gateway.ts GatewayDrill has it; killed is a JSON array.
    sql: `
      CREATE TABLE gateway_drills (
        id TEXT PRIMARY KEY, cluster TEXT NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL, phase TEXT NOT NULL,
        started_at INTEGER NOT NULL, finished_at INTEGER, sessions INTEGER NOT NULL, loss_percent INTEGER, loss_ms INTEGER,
        killed TEXT NOT NULL, window_ms INTEGER, switched INTEGER, lost INTEGER, misses INTEGER,
        failback_ms INTEGER, failback_misses INTEGER, note TEXT
      ) STRICT;
      CREATE INDEX gateway_drills_started ON gateway_drills(started_at);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
