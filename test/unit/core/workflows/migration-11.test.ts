// Migration 11 on a store written before it (schema 10, one workflow run in its journal): the
// run is kept, its launched_role is NULL and reads as operator (the least role that could have
// launched it); a new launch's role is recorded; the column refuses a role that does not
// exist; the finished-runs index the retention walks is there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../../src-main/core/store/database';
import { MIGRATIONS } from '../../../../src-main/core/store/migrations';
import { LauncherRoles } from '../../../../src-main/core/workflows/launch';

describe('migration 11', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-wf-m11-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the runs stored before it, with no role (read as operator), and records new ones', () => {
    const path = join(dir, 'store.db');
    const old = openStore(path, MIGRATIONS.filter((m) => m.version < 11));
    expect(old.pragma('user_version', { simple: true })).toBe(10);
    old.prepare("INSERT INTO wf_templates (id, version, name, body, saved_by, saved_at) VALUES ('t', 1, 'T', '{}', 'ada', 1)").run();
    old.prepare(`INSERT INTO wf_runs (id, template_id, template_version, name, state, params, hosts, created_by, created_at, finished_at)
      VALUES ('run-old', 't', 1, 'T', 'succeeded', '{}', '[]', 'oscar', 1, 2), ('run-new', 't', 1, 'T', 'running', '{}', '[]', 'ada', 3, NULL)`).run();
    old.close();

    const db = openStore(path, MIGRATIONS.filter((m) => m.version <= 11));
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(11);
      const roles = new LauncherRoles(db);
      expect(db.prepare("SELECT launched_role FROM wf_runs WHERE id = 'run-old'").get()).toEqual({ launched_role: null });
      expect(roles.of('run-old')).toBe('operator');
      roles.record('run-new', 'admin');
      expect(roles.of('run-new')).toBe('admin');
      expect(roles.of('run-gone')).toBeNull();
      expect(() => roles.record('run-gone', 'admin')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
      expect(() => db.prepare("UPDATE wf_runs SET launched_role = 'root' WHERE id = 'run-new'").run()).toThrow(/CHECK constraint/);
      const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'wf_runs' ORDER BY name").all() as { name: string }[]).map((i) => i.name);
      expect(indexes).toContain('wf_runs_finished');
      expect(MIGRATIONS.find((m) => m.version === 11)?.name).toMatch(/^workflows: /);
    } finally {
      db.close();
    }
  });
});
