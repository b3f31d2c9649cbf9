import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, SCHEMA_VERSION, StoreVersionError } from '../../../../src-main/core/store/database';

describe('openStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fd-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a WAL store at the current schema version with foreign keys on', () => {
    const db = openStore(join(dir, 'a.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('applies only the migrations a store lacks, keeping its data', () => {
    const path = join(dir, 'b.db');
    const db1 = openStore(path, [{ version: 1, name: 'one', sql: 'CREATE TABLE t (x INTEGER)' }]);
    db1.prepare('INSERT INTO t VALUES (42)').run();
    db1.close();
    const db2 = openStore(path, [
      { version: 1, name: 'one', sql: 'CREATE TABLE t (x INTEGER)' },
      { version: 2, name: 'two', sql: 'ALTER TABLE t ADD COLUMN y INTEGER DEFAULT 7' },
    ]);
    expect(db2.prepare('SELECT x, y FROM t').get()).toEqual({ x: 42, y: 7 });
    expect(db2.pragma('user_version', { simple: true })).toBe(2);
    db2.close();
  });

  it('refuses a store written by a newer version with a clear message, and leaves it untouched', () => {
    const path = join(dir, 'newer.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    let error: unknown;
    try {
      openStore(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreVersionError);
    expect((error as Error).message).toMatch(new RegExp(`schema version ${SCHEMA_VERSION + 5}.*newer FleetDeck.*up to version ${SCHEMA_VERSION}`));
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5);
    check.close();
  });

  it('rolls a failed migration back whole', () => {
    const path = join(dir, 'c.db');
    expect(() =>
      openStore(path, [{ version: 1, name: 'broken', sql: 'CREATE TABLE ok (x INTEGER); CREATE TABLE ok (y INTEGER);' }]),
    ).toThrow(/already exists/);
    const db = new Database(path);
    expect(db.prepare("SELECT count(*) n FROM sqlite_master WHERE name = 'ok'").get()).toEqual({ n: 0 });
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    db.close();
  });
});
