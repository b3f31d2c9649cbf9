// The device lifecycle (CMDB status) in SQLite: moving devices between states by the allowed
// moves (all or nothing, optionally compare-and-set on the state the caller expects), who
// moved a device last and when, and how many devices are in each state, fleet-wide and per site.
import {
  DEVICE_LIFECYCLES,
  LIFECYCLE_MOVES,
  LIFECYCLE_REFUSALS_LISTED,
  canMove,
  type DeviceLifecycle,
  type LifecycleChange,
  type LifecycleCounts,
  type LifecycleCountsByState,
  type LifecycleRefusal,
  type LifecycleSetResult,
} from '../../../src-shared/domain';
import { FleetDeckError, NotFoundError } from '../../../src-shared/errors';
import type { Db } from './database';

/** How many refused devices the message names (params.refused lists up to LIFECYCLE_REFUSALS_LISTED). */
const NAMED_IN_MESSAGE = 5;

const orList = (xs: readonly string[]): string => (xs.length <= 1 ? (xs[0] ?? 'nothing') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

/**
 * A lifecycle move refused (CONFLICT): devices whose current state does not allow the move,
 * or (with expectedFrom) is not the state the caller expected. Nothing was changed. params:
 * to, expectedFrom (null without one), requested (distinct devices asked for), refusedCount,
 * refused (LifecycleRefusal[], the first LIFECYCLE_REFUSALS_LISTED, in the order asked).
 */
export class LifecycleMoveError extends FleetDeckError {
  constructor(to: DeviceLifecycle, expectedFrom: DeviceLifecycle | null, refused: readonly LifecycleRefusal[], requested: number) {
    const said = refused.slice(0, NAMED_IN_MESSAGE).map((r) =>
      r.reason === 'not-expected'
        ? `"${r.hostname}" (${r.deviceId}) is ${r.from}, not ${expectedFrom ?? '?'} as expected`
        : `"${r.hostname}" (${r.deviceId}) is ${r.from}, which may move to ${orList(LIFECYCLE_MOVES[r.from])} only`,
    );
    const more = refused.length > NAMED_IN_MESSAGE ? `; and ${refused.length - NAMED_IN_MESSAGE} more` : '';
    const of = requested === 1 ? 'the device' : `${refused.length} of ${requested} devices`;
    super('CONFLICT', `Not moved to ${to}: ${of} refused, nothing was changed: ${said.join('; ')}${more}`, {
      to,
      expectedFrom,
      requested,
      refusedCount: refused.length,
      refused: refused.slice(0, LIFECYCLE_REFUSALS_LISTED),
    });
    this.name = 'LifecycleMoveError';
  }
}

export interface LifecycleMove {
  /** Distinct ids are moved; a repeated id counts once. */
  deviceIds: readonly string[];
  to: DeviceLifecycle;
  /** Compare-and-set: every device must be in this state now, else nothing moves (reason 'not-expected'). */
  expectedFrom?: DeviceLifecycle;
  /** Who moves them (stored as lifecycle_by). */
  actor: string;
  /** When (ms since epoch); now by default. */
  at?: number;
}

interface StateRow {
  id: string;
  hostname: string;
  lifecycle: DeviceLifecycle;
}

const zeros = (): Record<DeviceLifecycle, number> => Object.fromEntries(DEVICE_LIFECYCLES.map((s) => [s, 0])) as Record<DeviceLifecycle, number>;

export class LifecycleRepository {
  readonly #db: Db;
  readonly #q;

  constructor(db: Db) {
    this.#db = db;
    this.#q = {
      states: db.prepare<[string], StateRow>('SELECT d.id, d.hostname, d.lifecycle FROM json_each(?) j JOIN devices d ON d.id = j.value'),
      move: db.prepare<[DeviceLifecycle, number, string, string]>(
        'UPDATE devices SET lifecycle = ?, lifecycle_at = ?, lifecycle_by = ? WHERE id IN (SELECT value FROM json_each(?))',
      ),
      change: db.prepare<[string], { at: number | null; actor: string | null }>('SELECT lifecycle_at AS at, lifecycle_by AS actor FROM devices WHERE id = ?'),
      sites: db.prepare<[], { id: string; name: string }>('SELECT id, name FROM sites ORDER BY id'),
      perSite: db.prepare<[], { siteId: string; lifecycle: DeviceLifecycle; n: number }>(
        `SELECT m.site_id AS siteId, d.lifecycle, count(*) AS n
         FROM devices d JOIN cabinets c ON c.id = d.cabinet_id JOIN rows r ON r.id = c.row_id JOIN rooms m ON m.id = r.room_id
         GROUP BY m.site_id, d.lifecycle`,
      ),
    };
  }

  /**
   * Moves the devices to `to` in one transaction (a savepoint inside another), all or
   * nothing: an unknown id throws NotFoundError; a device whose state does not allow the move
   * (LIFECYCLE_MOVES), or is not `expectedFrom` when given, throws LifecycleMoveError naming
   * each such device and its state. Without expectedFrom a device already in `to` is left as
   * it was (unchanged); with it, such a device is refused like any other not in expectedFrom.
   */
  set(move: LifecycleMove): LifecycleSetResult {
    const ids = [...new Set(move.deviceIds)];
    const run = (): LifecycleSetResult => {
      const found = new Map(this.#q.states.all(JSON.stringify(ids)).map((r) => [r.id, r]));
      const missing = ids.find((id) => !found.has(id));
      if (missing !== undefined) throw new NotFoundError('device', missing);
      const refused: LifecycleRefusal[] = [];
      const moving: string[] = [];
      let unchanged = 0;
      for (const id of ids) {
        const r = found.get(id)!;
        const base = { deviceId: r.id, hostname: r.hostname, from: r.lifecycle };
        if (move.expectedFrom !== undefined && r.lifecycle !== move.expectedFrom) refused.push({ ...base, reason: 'not-expected' });
        else if (r.lifecycle === move.to) unchanged++;
        else if (!canMove(r.lifecycle, move.to)) refused.push({ ...base, reason: 'not-allowed' });
        else moving.push(id);
      }
      if (refused.length > 0) throw new LifecycleMoveError(move.to, move.expectedFrom ?? null, refused, ids.length);
      if (moving.length > 0) this.#q.move.run(move.to, move.at ?? Date.now(), move.actor, JSON.stringify(moving));
      return { changed: moving.length, unchanged };
    };
    const tx = this.#db.transaction(run);
    // IMMEDIATE: the write lock before the states are read, so no other connection moves a device in between.
    return this.#db.inTransaction ? tx() : tx.immediate();
  }

  /** Who last moved the device's lifecycle, and when; null when never moved since migration 10 (or no such device). */
  change(deviceId: string): LifecycleChange | null {
    const r = this.#q.change.get(deviceId);
    return r && r.at !== null ? { at: r.at, by: r.actor ?? '' } : null;
  }

  /** Devices per state, fleet-wide and per site (every site, by id; every state, 0 when none). One read transaction. */
  counts(): LifecycleCounts {
    return this.#db
      .transaction((): LifecycleCounts => {
        const counts = zeros();
        const bySite = new Map(this.#q.sites.all().map((s) => [s.id, { siteId: s.id, name: s.name, total: 0, counts: zeros() }]));
        let total = 0;
        for (const r of this.#q.perSite.all()) {
          counts[r.lifecycle] += r.n;
          total += r.n;
          const site = bySite.get(r.siteId);
          if (site) {
            site.counts[r.lifecycle] += r.n;
            site.total += r.n;
          }
        }
        return { total, counts: counts as LifecycleCountsByState, sites: [...bySite.values()] };
      })
      .deferred();
  }
}
