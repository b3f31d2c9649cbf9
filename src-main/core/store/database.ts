// Opens the SQLite store (WAL) and applies the numbered migrations; refuses a newer schema.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { FleetDeckError } from '../../../src-shared/errors';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations';

export type Db = Database.Database;

export class StoreVersionError extends FleetDeckError {
  constructor(readonly path: string, readonly found: number, readonly supported: number) {
    super(
      'STORE_VERSION',
      `The store at ${path} has schema version ${found}, written by a newer FleetDeck; ` +
        `this build understands up to version ${supported}. Upgrade FleetDeck or point it at another data directory.`,
      { path, found, supported },
    );
    this.name = 'StoreVersionError';
  }
}

/**
 * Opens (creating if needed) the store: WAL journal, foreign keys, migrations applied in
 * order, each in its own transaction. A store from a newer version is refused, never
 * opened silently.
 */
export function openStore(path: string, migrations: readonly Migration[] = MIGRATIONS, opts: { nativeBinding?: string } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // Inside Electron the addon must be the one built for Electron's ABI (see prepare-desktop.mjs).
  const db = new Database(path, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const known = migrations.length ? migrations[migrations.length - 1].version : 0;
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > known) throw new StoreVersionError(path, current, known);
    for (const m of migrations) {
      if (m.version <= current) continue;
      db.transaction(() => {
        db.exec(m.sql);
        m.run?.(db);
        db.pragma(`user_version = ${m.version}`);
      })();
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export { SCHEMA_VERSION };
