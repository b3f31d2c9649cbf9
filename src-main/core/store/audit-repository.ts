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

/** What audit.list may filter on: text filters match a substring, since/until bound `at` (inclusive). */
export interface AuditFilter {
  limit?: number;
  actor?: string;
  action?: string;
  target?: string;
  outcome?: AuditEntry['outcome'];
  since?: number;
  until?: number;
}

type AuditRow = { id: number; at: number; actor: string; role: Role; action: string; target: string; outcome: AuditEntry['outcome']; detail: string };

/** A LIKE pattern matching `text` anywhere, its own % _ and \\ taken literally (ESCAPE '\\'). */
export const likeSubstring = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Append-only audit trail of control actions and refusals. */
export class AuditRepository {
  readonly #insert;
  readonly #list;
  readonly #finish;
  readonly #db: Db;
  readonly #filtered = new Map<string, ReturnType<Db['prepare']>>();

  constructor(db: Db) {
    this.#db = db;
    this.#insert = db.prepare(
      'INSERT INTO audit (at, actor, role, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#finish = db.prepare('UPDATE audit SET outcome = ?, detail = ? WHERE id = ?');
    this.#list = db.prepare<[number], AuditRow>(
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

  /** Newest first; a number is the limit alone, a filter narrows by bound parameters only. */
  list(filter: number | AuditFilter = 100): AuditEntry[] {
    const f = typeof filter === 'number' ? { limit: filter } : filter;
    const limit = Math.max(1, Math.min(f.limit ?? 100, 10_000));
    const where: string[] = [];
    const params: Record<string, string | number> = { limit };
    for (const col of ['actor', 'action', 'target'] as const) {
      const v = f[col];
      if (v === undefined || v === '') continue;
      where.push(`${col} LIKE @${col} ESCAPE '\\'`);
      params[col] = likeSubstring(v);
    }
    if (f.outcome) {
      where.push('outcome = @outcome');
      params.outcome = f.outcome;
    }
    if (f.since !== undefined) {
      where.push('at >= @since');
      params.since = f.since;
    }
    if (f.until !== undefined) {
      where.push('at <= @until');
      params.until = f.until;
    }
    if (!where.length) return this.#list.all(limit);
    const sql = `SELECT * FROM audit WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`;
    let stmt = this.#filtered.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      this.#filtered.set(sql, stmt);
    }
    return stmt.all(params) as AuditRow[];
  }
}
