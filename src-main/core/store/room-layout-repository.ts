// One room's geometry for the 3D view (inventory.roomLayout): its site, the room, its rows,
// their cabinets and every device with its U slot, in five statements whatever the room holds.
import type { RoomLayout, RoomLayoutDevice, Room, Row, Site } from '../../../src-shared/domain';
import type { Db } from './database';
import { ROOM, ROW, SITE, toCabinet, type CabinetRow } from './inventory-repository';

export class RoomLayoutRepository {
  readonly #q;

  constructor(db: Db) {
    this.#q = {
      room: db.prepare<[string], Room>(`${ROOM} WHERE id = ?`),
      site: db.prepare<[string], Site>(`${SITE} WHERE id = ?`),
      rows: db.prepare<[string], Row>(`${ROW} WHERE room_id = ? ORDER BY id`),
      cabinets: db.prepare<[string], CabinetRow>(
        'SELECT c.* FROM cabinets c JOIN rows r ON r.id = c.row_id WHERE r.room_id = ? ORDER BY c.id',
      ),
      devices: db.prepare<[string], RoomLayoutDevice>(
        `SELECT d.id, d.cabinet_id AS cabinetId, d.kind, d.hostname, d.sn, d.u_position AS uPosition, d.u_height AS uHeight
         FROM devices d JOIN cabinets c ON c.id = d.cabinet_id JOIN rows r ON r.id = c.row_id
         WHERE r.room_id = ? ORDER BY d.id`,
      ),
    };
  }

  /** The room's layout, or null when there is no such room. Read in one transaction (a consistent snapshot). */
  layout(roomId: string): RoomLayout | null {
    const q = this.#q;
    const room = q.room.get(roomId);
    if (!room) return null;
    return {
      site: q.site.get(room.siteId)!,
      room,
      rows: q.rows.all(roomId),
      cabinets: q.cabinets.all(roomId).map(toCabinet),
      devices: q.devices.all(roomId),
    };
  }
}
