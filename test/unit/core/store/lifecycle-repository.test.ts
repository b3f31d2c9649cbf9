// The device lifecycle in the store: migration 10 puts every stored device 'online'; moves
// follow LIFECYCLE_MOVES, all or nothing, each refusal naming the device and its state;
// expectedFrom is a compare-and-set; who/when is stamped on a move and on an import or form
// that sets or changes the lifecycle, and kept when it does not; counts per state and site.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Device, LifecycleRefusal } from '../../../../src-shared/domain';
import { FleetDeckError } from '../../../../src-shared/errors';
import { openStore, type Db } from '../../../../src-main/core/store/database';
import { InventoryRepository } from '../../../../src-main/core/store/inventory-repository';
import { LifecycleMoveError } from '../../../../src-main/core/store/lifecycle-repository';
import { MIGRATIONS } from '../../../../src-main/core/store/migrations';
import { oneCabinet } from '../../../support/one-cabinet';

const dev = (id: string, u: number, extra: Partial<Device> = {}): Device => ({
  id, cabinetId: 'c', kind: 'server', hostname: `host-${id}`, sn: `SN-${id}`, uPosition: u, uHeight: 1, mgmtIp: `10.0.0.${u}`,
  snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null, ...extra,
});

/** The error a call threw (fails the test when it did not throw). */
function thrown(f: () => unknown): FleetDeckError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(FleetDeckError);
    return err as FleetDeckError;
  }
  throw new Error('expected the call to throw');
}

describe('the device lifecycle in the store', () => {
  let db: Db;
  let repo: InventoryRepository;
  const states = () => Object.fromEntries(repo.document().devices.map((d) => [d.id, d.lifecycle]));
  beforeEach(() => {
    db = openStore(':memory:');
    repo = new InventoryRepository(db);
    repo.upsert(oneCabinet([dev('a', 1), dev('b', 2, { lifecycle: 'racked' }), dev('c', 3, { lifecycle: 'retired' })]), 'system', 'ada');
  });
  afterEach(() => db.close());

  it('gives a new device without a lifecycle the default, and keeps what a file gives', () => {
    expect(states()).toEqual({ a: 'online', b: 'racked', c: 'retired' });
    expect(repo.device('b')).toMatchObject({ id: 'b', lifecycle: 'racked' });
  });

  it('moves devices by the allowed moves and stamps who and when', () => {
    expect(repo.lifecycle.set({ deviceIds: ['a'], to: 'maintenance', actor: 'oli', at: 1_000 })).toEqual({ changed: 1, unchanged: 0 });
    expect(repo.lifecycle.set({ deviceIds: ['b'], to: 'provisioning', expectedFrom: 'racked', actor: 'wf', at: 2_000 })).toEqual({ changed: 1, unchanged: 0 });
    expect(repo.lifecycle.set({ deviceIds: ['b'], to: 'racked', actor: 'wf', at: 3_000 })).toEqual({ changed: 1, unchanged: 0 }); // a failed install goes back
    expect(repo.lifecycle.set({ deviceIds: ['c'], to: 'racked', actor: 'oli', at: 4_000 })).toEqual({ changed: 1, unchanged: 0 }); // re-use
    expect(states()).toEqual({ a: 'maintenance', b: 'racked', c: 'racked' });
    expect(repo.lifecycle.change('a')).toEqual({ at: 1_000, by: 'oli' });
    expect(repo.lifecycle.change('b')).toEqual({ at: 3_000, by: 'wf' });
    expect(repo.lifecycle.change('nope')).toBeNull();
  });

  it('refuses a disallowed move naming each device and its state, and changes nothing (all or nothing)', () => {
    const before = repo.document();
    const err = thrown(() => repo.lifecycle.set({ deviceIds: ['a', 'b', 'c'], to: 'online', actor: 'oli' }));
    expect(err).toBeInstanceOf(LifecycleMoveError);
    expect(err).toMatchObject({ name: 'LifecycleMoveError', code: 'CONFLICT' });
    // a is already online (left alone); b (racked) and c (retired) may not go online.
    expect(err.params).toEqual({
      to: 'online', expectedFrom: null, requested: 3, refusedCount: 2,
      refused: [
        { deviceId: 'b', hostname: 'host-b', from: 'racked', reason: 'not-allowed' },
        { deviceId: 'c', hostname: 'host-c', from: 'retired', reason: 'not-allowed' },
      ] satisfies LifecycleRefusal[],
    });
    expect(err.message).toBe(
      'Not moved to online: 2 of 3 devices refused, nothing was changed: "host-b" (b) is racked, which may move to provisioning or retired only; ' +
        '"host-c" (c) is retired, which may move to racked only',
    );
    // One refused device among movable ones: none of them moves.
    expect(() => repo.lifecycle.set({ deviceIds: ['a', 'c'], to: 'offline', actor: 'oli' })).toThrow(LifecycleMoveError);
    expect(repo.document()).toEqual(before);
    expect(repo.lifecycle.change('a')?.by).toBe('ada'); // the stamp of its creation, untouched
  });

  it('compare-and-set: refuses when a device is not in the expected state (someone else moved it)', () => {
    repo.lifecycle.set({ deviceIds: ['b'], to: 'provisioning', actor: 'someone-else' });
    const err = thrown(() => repo.lifecycle.set({ deviceIds: ['b'], to: 'provisioning', expectedFrom: 'racked', actor: 'wf' }));
    expect(err.params).toMatchObject({ to: 'provisioning', expectedFrom: 'racked', refused: [{ deviceId: 'b', from: 'provisioning', reason: 'not-expected' }] });
    expect(err.message).toBe('Not moved to provisioning: the device refused, nothing was changed: "host-b" (b) is provisioning, not racked as expected');
    expect(repo.lifecycle.change('b')?.by).toBe('someone-else');
    // Without expectedFrom a device already there is left as it was, and counted apart.
    expect(repo.lifecycle.set({ deviceIds: ['b', 'b'], to: 'provisioning', actor: 'wf' })).toEqual({ changed: 0, unchanged: 1 });
    expect(repo.lifecycle.change('b')?.by).toBe('someone-else');
  });

  it('refuses an unknown device by id, and moves nothing', () => {
    const err = thrown(() => repo.lifecycle.set({ deviceIds: ['a', 'ghost'], to: 'offline', actor: 'oli' }));
    expect(err).toMatchObject({ name: 'NotFoundError', code: 'NOT_FOUND', params: { what: 'device', id: 'ghost' } });
    expect(states().a).toBe('online');
  });

  it('inside an outer transaction it is a savepoint: the outer rollback undoes it', () => {
    expect(() =>
      db.transaction(() => {
        repo.lifecycle.set({ deviceIds: ['a'], to: 'offline', actor: 'wf' });
        expect(states().a).toBe('offline');
        throw new Error('the step failed after it');
      })(),
    ).toThrow('the step failed after it');
    expect(states().a).toBe('online');
  });

  it('an upsert without a lifecycle keeps the stored one and its stamp; one that changes it is stamped', () => {
    repo.lifecycle.set({ deviceIds: ['a'], to: 'maintenance', actor: 'oli', at: 5_000 });
    const { lifecycle: _dropped, ...plain } = repo.device('a')!;
    repo.putDevice({ ...plain, hostname: 'renamed' }, null, 'eve');
    expect(repo.device('a')).toMatchObject({ hostname: 'renamed', lifecycle: 'maintenance' });
    expect(repo.lifecycle.change('a')).toEqual({ at: 5_000, by: 'oli' });
    repo.putDevice({ ...plain, lifecycle: 'maintenance' }, null, 'eve'); // the same state: no change
    expect(repo.lifecycle.change('a')).toEqual({ at: 5_000, by: 'oli' });
    repo.putDevice({ ...plain, lifecycle: 'retired' }, null, 'eve'); // a file may set any state
    expect(repo.device('a')?.lifecycle).toBe('retired');
    expect(repo.lifecycle.change('a')?.by).toBe('eve');
    expect(repo.lifecycle.change('a')?.at).toBeGreaterThan(5_000);
  });

  it('the store itself refuses a state that is not one of the words', () => {
    expect(() => db.prepare("UPDATE devices SET lifecycle = 'broken' WHERE id = 'a'").run()).toThrow(/CHECK constraint failed/);
  });

  it('counts devices per state, fleet-wide and per site (every state and site present)', () => {
    repo.upsert({ ...oneCabinet([]), sites: [{ id: 't', name: 'Empty site', city: '' }], rooms: [], rows: [], cabinets: [] });
    repo.lifecycle.set({ deviceIds: ['a'], to: 'offline', actor: 'oli' });
    const zero = { racked: 0, provisioning: 0, online: 0, offline: 0, maintenance: 0, retired: 0 };
    const counts = { ...zero, racked: 1, offline: 1, retired: 1 };
    expect(repo.lifecycle.counts()).toEqual({
      total: 3,
      counts,
      sites: [{ siteId: 's', name: 'S', total: 3, counts }, { siteId: 't', name: 'Empty site', total: 0, counts: zero }],
    });
  });
});

describe('migration 10', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-lifecycle-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('puts every device stored before it online, never moved', () => {
    const path = join(dir, 'store.db');
    const old = openStore(path, MIGRATIONS.filter((m) => m.version < 10));
    old.prepare("INSERT INTO sites (id, name, city) VALUES ('s', 'S', '')").run();
    old.prepare("INSERT INTO rooms (id, site_id, name) VALUES ('r', 's', 'R')").run();
    old.prepare("INSERT INTO rows (id, room_id, name) VALUES ('w', 'r', 'W')").run();
    old.prepare("INSERT INTO cabinets (id, row_id, name, position, u_height, rated_power_kw) VALUES ('c', 'w', 'C', 1, 42, 8)").run();
    old.prepare("INSERT INTO devices (id, cabinet_id, kind, hostname, sn, u_position, u_height, mgmt_ip) VALUES ('old', 'c', 'server', 'old', 'SN-OLD', 1, 1, '10.0.0.1')").run();
    expect(old.pragma('user_version', { simple: true })).toBe(9);
    old.close();
    const db = openStore(path);
    try {
      const repo = new InventoryRepository(db);
      expect(repo.device('old')?.lifecycle).toBe('online');
      expect(repo.lifecycle.change('old')).toBeNull();
    } finally {
      db.close();
    }
  });
});
