// The places of the inventory in SQLite: sites, rooms, rows and cabinets one at a time (read,
// deleted) and as the tree location forms choose parents from, with what each one holds. The
// whole-document reads and upserts are InventoryRepository's.
import type { Cabinet, LocationKind, LocationRecord, LocationTree, RecordCounts, Room, Row, Site } from '../../../src-shared/domain';
import type { Db } from './database';
import { CABINET, ROOM, ROW, SITE, toCabinet, type CabinetRow } from './inventory-repository';

/** Each level of the tree from the top: its table and the column naming its parent. */
const LEVELS = [
  { kind: 'site', table: 'sites', parent: null, count: 'sites' },
  { kind: 'room', table: 'rooms', parent: 'site_id', count: 'rooms' },
  { kind: 'row', table: 'rows', parent: 'room_id', count: 'rows' },
  { kind: 'cabinet', table: 'cabinets', parent: 'row_id', count: 'cabinets' },
  { kind: 'device', table: 'devices', parent: 'cabinet_id', count: 'devices' },
] as const;

const levelOf = (kind: LocationKind): number => LEVELS.findIndex((l) => l.kind === kind);

/**
 * One statement counting every record under one place of level `top`, per kind below it:
 * for each lower level a chain of joins up to the level just under `top`, whose parent is the place.
 */
function subtreeCountSql(top: number): string {
  const columns = LEVELS.map((level, n) => {
    if (n <= top) return `0 AS ${level.count}`;
    let from = `${level.table} t${n}`;
    for (let k = n - 1; k > top; k--) from += ` JOIN ${LEVELS[k].table} t${k} ON t${k}.id = t${k + 1}.${LEVELS[k + 1].parent}`;
    return `(SELECT count(*) FROM ${from} WHERE t${top + 1}.${LEVELS[top + 1].parent} = @id) AS ${level.count}`;
  });
  return `SELECT ${columns.join(', ')}`;
}

export class LocationRepository {
  readonly #q;

  constructor(db: Db) {
    this.#q = {
      sites: db.prepare<[], Site>(`${SITE} ORDER BY id`),
      rooms: db.prepare<[], Room>(`${ROOM} ORDER BY id`),
      rows: db.prepare<[], Row>(`${ROW} ORDER BY id`),
      cabinets: db.prepare<[], CabinetRow>(`${CABINET} ORDER BY id`),
      deviceCounts: db.prepare<[], { cabinetId: string; n: number }>('SELECT cabinet_id AS cabinetId, count(*) AS n FROM devices GROUP BY cabinet_id'),
      site: db.prepare<[string], Site>(`${SITE} WHERE id = ?`),
      room: db.prepare<[string], Room>(`${ROOM} WHERE id = ?`),
      row: db.prepare<[string], Row>(`${ROW} WHERE id = ?`),
      cabinet: db.prepare<[string], CabinetRow>(`${CABINET} WHERE id = ?`),
      holds: LEVELS.slice(0, 4).map((_, top) => db.prepare<[{ id: string }], RecordCounts>(subtreeCountSql(top))),
      delete: LEVELS.slice(0, 4).map((l) => db.prepare<[string]>(`DELETE FROM ${l.table} WHERE id = ?`)),
    };
  }

  /** Every site, room, row and cabinet by id, and the number of devices in each cabinet that has any (one GROUP BY). */
  tree(): LocationTree {
    const deviceCounts: Record<string, number> = {};
    for (const r of this.#q.deviceCounts.all()) deviceCounts[r.cabinetId] = r.n;
    return { sites: this.#q.sites.all(), rooms: this.#q.rooms.all(), rows: this.#q.rows.all(), cabinets: this.#q.cabinets.all().map(toCabinet), deviceCounts };
  }

  /** One place with its kind, or null. */
  location(kind: LocationKind, id: string): LocationRecord | null {
    const q = this.#q;
    switch (kind) {
      case 'site': return withKind('site', q.site.get(id));
      case 'room': return withKind('room', q.room.get(id));
      case 'row': return withKind('row', q.row.get(id));
      case 'cabinet': {
        const r = q.cabinet.get(id);
        return withKind('cabinet', r && toCabinet(r));
      }
    }
  }

  /** What is stored under the place, at every depth (zeros for its own kind and above). */
  holds(kind: LocationKind, id: string): RecordCounts {
    return this.#q.holds[levelOf(kind)].get({ id })!;
  }

  /** Deletes one place record; true when there was one. The caller sees that nothing refers to it (the foreign keys refuse otherwise). */
  delete(kind: LocationKind, id: string): boolean {
    return this.#q.delete[levelOf(kind)].run(id).changes > 0;
  }
}

function withKind<K extends LocationKind, T extends Site | Room | Row | Cabinet>(kind: K, r: T | undefined): LocationRecord | null {
  return r ? ({ kind, ...r } as unknown as LocationRecord) : null;
}
