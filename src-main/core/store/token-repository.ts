// Serve-mode access tokens per role in SQLite (hashed), issued and rotated together.
import type { Role } from '../../../src-shared/domain';
import { hashToken, newToken } from '../security/tokens';
import type { Db } from './database';

export interface IssuedToken {
  actor: string;
  role: Role;
  token: string;
}

/** Access tokens for serve mode, stored as SHA-256 hashes only. */
export class TokenRepository {
  readonly #db: Db;
  readonly #find;
  readonly #insert;
  readonly #count;

  constructor(db: Db) {
    this.#db = db;
    this.#find = db.prepare<[string], { actor: string; role: Role }>('SELECT actor, role FROM tokens WHERE hash = ?');
    this.#insert = db.prepare('INSERT INTO tokens (hash, actor, role, created_at) VALUES (?, ?, ?, ?)');
    this.#count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM tokens');
  }

  isEmpty(): boolean {
    return this.#count.get()!.n === 0;
  }

  /** Replaces every token with a fresh one per role; the plaintext exists only in the result. */
  rotate(roles: readonly Role[] = ['viewer', 'operator', 'admin'], now = Date.now()): IssuedToken[] {
    const issued = roles.map((role) => ({ actor: role, role, token: newToken() }));
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM tokens').run();
      for (const t of issued) this.#insert.run(hashToken(t.token), t.actor, t.role, now);
    })();
    return issued;
  }

  /** The hash is the lookup key, so the comparison never touches the plaintext. */
  verify(token: string): { actor: string; role: Role } | null {
    if (typeof token !== 'string' || token.length < 16 || token.length > 256) return null;
    return this.#find.get(hashToken(token)) ?? null;
  }
}
