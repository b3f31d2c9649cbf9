// Fleet agents in SQLite (migration 12): the console's TLS identity (certificate, its key
// sealed under the console's secret key), every enrolled agent (public key, state, who
// enrolled or revoked it and when, what it last said), and the results agents upload, held
// by sequence number so that ingest is idempotent: a batch sent again after a lost
// acknowledgement changes nothing. storeResults writes many agents' batches in one
// transaction (the ingest queue's group commit) and keeps each agent's highest sequence and
// newest status. The results themselves are kept in chunks (agent-result-chunks.ts,
// migration 13).
import type { AgentResult } from '../../../src-shared/agent-protocol';
import type { AgentSelfStatus, AgentState } from '../../../src-shared/domain/agent';
import { FleetDeckError, NotFoundError } from '../../../src-shared/errors';
import type { SecretBox } from '../security/secret-box';
import { AgentResultChunks, type ResultBatch } from './agent-result-chunks';
import type { Db } from './database';

export type { ResultBatch } from './agent-result-chunks';

export interface StoredIdentity {
  readonly certPem: string;
  readonly keyPem: string;
  readonly fingerprint256: string;
  readonly createdAt: number;
}

export interface AgentRow {
  readonly id: string;
  readonly deviceId: string | null;
  readonly publicKey: Buffer;
  readonly state: AgentState;
  readonly enrolledAt: number;
  readonly enrolledBy: string;
  readonly revokedAt: number | null;
  readonly revokedBy: string | null;
  readonly version: string | null;
  readonly hostname: string | null;
  readonly remote: string | null;
  readonly lastSeenAt: number | null;
  readonly lastSeq: number;
  readonly status: AgentSelfStatus | null;
}

type Raw = {
  id: string; device_id: string | null; public_key: Buffer; state: AgentState; enrolled_at: number; enrolled_by: string;
  revoked_at: number | null; revoked_by: string | null; version: string | null; hostname: string | null; remote: string | null;
  last_seen: number | null; last_seq: number; last_status: string | null;
};

const toRow = (r: Raw): AgentRow => ({
  id: r.id, deviceId: r.device_id, publicKey: r.public_key, state: r.state, enrolledAt: r.enrolled_at, enrolledBy: r.enrolled_by,
  revokedAt: r.revoked_at, revokedBy: r.revoked_by, version: r.version, hostname: r.hostname, remote: r.remote,
  lastSeenAt: r.last_seen, lastSeq: r.last_seq, status: r.last_status ? (JSON.parse(r.last_status) as AgentSelfStatus) : null,
});

const IDENTITY_SEAL_ID = 'agent-console-identity';

export class AgentRepository {
  readonly #db: Db;
  readonly #box: SecretBox;
  readonly #q;
  readonly #chunks: AgentResultChunks;

  constructor(db: Db, box: SecretBox) {
    this.#db = db;
    this.#box = box;
    this.#chunks = new AgentResultChunks(db);
    this.#q = {
      identity: db.prepare<[], { cert_pem: string; key_sealed: Buffer; fingerprint: string; created_at: number }>('SELECT * FROM agent_identity WHERE id = 1'),
      putIdentity: db.prepare<[string, Buffer, string, number]>('INSERT INTO agent_identity (id, cert_pem, key_sealed, fingerprint, created_at) VALUES (1, ?, ?, ?, ?)'),
      all: db.prepare<[], Raw>('SELECT * FROM agents ORDER BY id'),
      onDevice: db.prepare<[string], { id: string }>('SELECT id FROM agents WHERE device_id = ? ORDER BY id'),
      one: db.prepare<[string], Raw>('SELECT * FROM agents WHERE id = ?'),
      enrol: db.prepare<[string, string | null, Buffer, number, string]>(
        `INSERT INTO agents (id, device_id, public_key, state, enrolled_at, enrolled_by) VALUES (?, ?, ?, 'enrolled', ?, ?)
         ON CONFLICT (id) DO UPDATE SET device_id = excluded.device_id, public_key = excluded.public_key, state = 'enrolled',
           enrolled_at = excluded.enrolled_at, enrolled_by = excluded.enrolled_by, revoked_at = NULL, revoked_by = NULL`,
      ),
      revoke: db.prepare<[number, string, string]>(`UPDATE agents SET state = 'revoked', revoked_at = ?, revoked_by = ? WHERE id = ?`),
      seen: db.prepare<[string, string, string, number, string]>('UPDATE agents SET version = ?, hostname = ?, remote = ?, last_seen = ? WHERE id = ?'),
      progress: db.prepare<[number, number, string | null, string]>(
        'UPDATE agents SET last_seq = max(last_seq, ?), last_seen = ?, last_status = coalesce(?, last_status) WHERE id = ?',
      ),
    };
  }

  /** The console's identity, or null before the first start made one. */
  identity(): StoredIdentity | null {
    const r = this.#q.identity.get();
    if (!r) return null;
    return { certPem: r.cert_pem, keyPem: this.#box.open(IDENTITY_SEAL_ID, r.key_sealed), fingerprint256: r.fingerprint, createdAt: r.created_at };
  }

  /** The identity's certificate and fingerprint (public: no key needed), or null before the first start. */
  identityCertificate(): { certPem: string; fingerprint256: string; createdAt: number } | null {
    const r = this.#q.identity.get();
    return r ? { certPem: r.cert_pem, fingerprint256: r.fingerprint, createdAt: r.created_at } : null;
  }

  /** Stores the identity once; a second one is refused (agents pin the first). */
  putIdentity(id: Omit<StoredIdentity, 'createdAt'>, at = Date.now()): void {
    if (this.#q.identity.get()) throw new FleetDeckError('CONFLICT', 'The console already has an agent identity: agents pin it, so it is never replaced');
    this.#q.putIdentity.run(id.certPem, this.#box.seal(IDENTITY_SEAL_ID, id.keyPem), id.fingerprint256, at);
  }

  list(): AgentRow[] {
    return this.#q.all.all().map(toRow);
  }

  /** The ids of the agents enrolled for a device (by the agents_device index). */
  idsOnDevice(deviceId: string): string[] {
    return this.#q.onDevice.all(deviceId).map((r) => r.id);
  }

  get(id: string): AgentRow | null {
    const r = this.#q.one.get(id);
    return r ? toRow(r) : null;
  }

  /** Enrols an agent, or re-enrols it with a new key (a revoked one becomes enrolled again). */
  enrol(id: string, publicKey: Buffer, deviceId: string | null, by: string, at = Date.now()): AgentRow {
    this.#q.enrol.run(id, deviceId, publicKey, at, by);
    return this.get(id)!;
  }

  revoke(id: string, by: string, at = Date.now()): AgentRow {
    if (this.#q.revoke.run(at, by, id).changes === 0) throw new NotFoundError('agent', id);
    return this.get(id)!;
  }

  /** A session began: what the agent said in its hello, and from where. */
  connected(id: string, version: string, hostname: string, remote: string, at = Date.now()): void {
    this.#q.seen.run(version, hostname, remote, at, id);
  }

  /**
   * Stores every batch in one transaction: results already held (same agent and sequence)
   * are skipped; each agent's highest sequence, last-seen time and newest status move on.
   */
  storeResults(batches: readonly ResultBatch[], at = Date.now()): { stored: number } {
    let stored = 0;
    this.#db.transaction(() => {
      for (const b of batches) {
        const got = this.#chunks.store(b);
        stored += got.stored;
        let statusJson: string | null = null;
        if (got.status?.data.kind === 'status') {
          const { kind: _kind, ...rest } = got.status.data;
          statusJson = JSON.stringify({ at: got.status.at, ...rest });
        }
        this.#q.progress.run(got.top, at, statusJson, b.agentId);
      }
    })();
    return { stored };
  }

  /** An agent's results, newest first: those numbered below `beforeSeq` (of one kind if given), at most `limit` (100). */
  results(agentId: string, opts: { kind?: string; beforeSeq?: number; limit?: number } = {}): AgentResult[] {
    return this.#chunks.results(agentId, opts);
  }

  resultCount(agentId: string): number {
    return this.#chunks.count(agentId);
  }

  /** Deletes results (of `kinds` only, when given) taken before `olderThan`, at most `limit` chunks of them (so at least as many results when that many went); how many results went. */
  pruneResults(olderThan: number, limit = 10_000, kinds?: readonly string[]): number {
    return this.#chunks.prune(olderThan, limit, kinds);
  }
}
