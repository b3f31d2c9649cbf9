// The audit trail in SQLite: control actions recorded before they run, finished after.
import type { AuditEntry, Role } from '../../../src-shared/domain';
import type { Db } from './database';

export interface AuditRecord {
  actor: string;
  role: Role;
  action: string;
  target: string;
  outcome: AuditEntry['outcome'];
  detail?: string;
}

/** Append-only audit trail of control actions and refusals. */
export class AuditRepository {
  readonly #insert;
  readonly #list;
  readonly #finish;

  constructor(db: Db) {
    this.#insert = db.prepare(
      'INSERT INTO audit (at, actor, role, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#finish = db.prepare('UPDATE audit SET outcome = ?, detail = ? WHERE id = ?');
    this.#list = db.prepare<[number], { id: number; at: number; actor: string; role: Role; action: string; target: string; outcome: AuditEntry['outcome']; detail: string }>(
      'SELECT * FROM audit ORDER BY id DESC LIMIT ?',
    );
  }

  record(r: AuditRecord, at = Date.now()): number {
    const info = this.#insert.run(at, r.actor, r.role, r.action, r.target, r.outcome, r.detail ?? '');
    return Number(info.lastInsertRowid);
  }

  /** Completes an entry written before the action ran ('allowed') with how it ended. */
  finish(id: number, outcome: AuditEntry['outcome'], detail = ''): void {
    this.#finish.run(outcome, detail, id);
  }

  list(limit = 100): AuditEntry[] {
    return this.#list.all(Math.max(1, Math.min(limit, 10_000)));
  }
}
