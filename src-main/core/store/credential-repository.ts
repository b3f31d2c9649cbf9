// Credentials in SQLite: name and kind in the clear, the secret sealed by the SecretBox.
import type { CredentialInfo, CredentialKind, CredentialUse } from '../../../src-shared/domain';
import { FleetDeckError, NotFoundError, ValidationError } from '../../../src-shared/errors';
import type { SecretBox } from '../security/secret-box';
import type { Db } from './database';

const KINDS: readonly CredentialKind[] = ['snmp-community', 'snmp-v3', 'ssh-password', 'ssh-key', 'ipmi'];

interface Row {
  id: string;
  kind: CredentialKind;
  name: string;
  secret: Buffer;
  created_at: number;
  updated_at: number | null;
  used_by: number;
}

/** How many devices refer to the credential, as any of their three credentials. */
const USED_BY = `(SELECT count(*) FROM devices d WHERE d.snmp_credential = c.id OR d.ssh_credential = c.id OR d.ipmi_credential = c.id) AS used_by`;
const toInfo = (r: Row): CredentialInfo => ({ id: r.id, kind: r.kind, name: r.name, createdAt: r.created_at, updatedAt: r.updated_at ?? r.created_at, usedBy: r.used_by });

/** Credentials sealed at rest; list() returns metadata only, secret() is core-internal. */
export class CredentialRepository {
  readonly #box: SecretBox;
  readonly #put;
  readonly #get;
  readonly #list;
  readonly #db: Db;
  readonly #users;
  readonly #delete;
  readonly #usage;

  constructor(db: Db, box: SecretBox) {
    this.#db = db;
    this.#box = box;
    this.#users = db.prepare<[string, string, string], { hostname: string }>(
      'SELECT hostname FROM devices WHERE snmp_credential = ? OR ssh_credential = ? OR ipmi_credential = ? ORDER BY hostname',
    );
    this.#usage = db.prepare<{ id: string }, CredentialUse>(
      `SELECT id AS deviceId, hostname, 'snmp' AS "as" FROM devices WHERE snmp_credential = @id
       UNION ALL SELECT id, hostname, 'ssh' FROM devices WHERE ssh_credential = @id
       UNION ALL SELECT id, hostname, 'ipmi' FROM devices WHERE ipmi_credential = @id
       ORDER BY hostname, deviceId, "as"`,
    );
    this.#delete = db.prepare<[string]>('DELETE FROM credentials WHERE id = ?');
    this.#put = db.prepare(
      `INSERT INTO credentials (id, kind, name, secret, created_at, updated_at) VALUES (@id, @kind, @name, @secret, @now, @now)
       ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = excluded.name, secret = excluded.secret, updated_at = excluded.updated_at`,
    );
    this.#get = db.prepare<[string], Row>(`SELECT c.*, ${USED_BY} FROM credentials c WHERE c.id = ?`);
    this.#list = db.prepare<[], Row>(`SELECT c.*, ${USED_BY} FROM credentials c ORDER BY c.id`);
  }

  put(id: string, kind: CredentialKind, name: string, secret: string, now = Date.now()): CredentialInfo {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw new ValidationError(`Credential id "${id}" must be 1-64 letters, digits, dot, dash or underscore`);
    if (!KINDS.includes(kind)) throw new ValidationError(`Unknown credential kind "${kind}"; expected one of ${KINDS.join(', ')}`);
    if (!secret) throw new ValidationError(`Credential "${id}" has an empty secret`);
    this.#put.run({ id, kind, name, secret: this.#box.seal(id, secret), now });
    return this.info(id);
  }

  info(id: string): CredentialInfo {
    const row = this.#get.get(id);
    if (!row) throw new NotFoundError('credential', id);
    return toInfo(row);
  }

  list(): CredentialInfo[] {
    return this.#list.all().map(toInfo);
  }

  /** The devices that refer to a credential, and as what (one row per use); NotFoundError when it does not exist. */
  usage(id: string): CredentialUse[] {
    if (!this.has(id)) throw new NotFoundError('credential', id);
    return this.#usage.all({ id });
  }

  has(id: string): boolean {
    return this.#get.get(id) !== undefined;
  }

  /**
   * Deletes a credential no device refers to. One still in use is refused (CONFLICT, naming
   * how many devices and the first of them) and stays stored: the check and the delete are
   * one transaction.
   */
  remove(id: string): { removed: string } {
    return this.#db.transaction(() => {
      if (!this.has(id)) throw new NotFoundError('credential', id);
      const users = this.#users.all(id, id, id).map((r) => r.hostname);
      if (users.length) {
        const shown = users.slice(0, 5).join(', ') + (users.length > 5 ? ', ...' : '');
        throw new FleetDeckError('CONFLICT', `Credential "${id}" is used by ${users.length} device(s) (${shown}); change them first`, { id, devices: users.length, hostnames: users.slice(0, 5) });
      }
      this.#delete.run(id);
      return { removed: id };
    })();
  }

  /** The plaintext secret. For protocol sessions inside the core only. */
  secret(id: string): string {
    const row = this.#get.get(id);
    if (!row) throw new NotFoundError('credential', id);
    return this.#box.open(id, row.secret);
  }
}
