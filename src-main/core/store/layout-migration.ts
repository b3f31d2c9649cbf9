// Migration 8's data step: every room and row stored before the room model gets the computed
// layout (room-plan.ts), as an older file imported now would: rows in pairs across cold aisles
// after the CRAC gap, each room sized to hold its rows. Cabinets keep the columns' 600 x 1200 mm.
import type { InventoryDocument } from '../../../src-shared/domain';
import { completeLayout } from '../../../src-shared/room-plan';
import type { Db } from './database';

export function fillStoredLayout(db: Db): void {
  const file = {
    format: 'fleetdeck-inventory',
    version: 1,
    sites: [],
    rooms: db.prepare('SELECT id, site_id AS siteId, name FROM rooms ORDER BY id').all(),
    rows: db.prepare('SELECT id, room_id AS roomId, name FROM rows ORDER BY id').all(),
    cabinets: db.prepare('SELECT id, row_id AS rowId, name, position, width_mm AS widthMm, depth_mm AS depthMm FROM cabinets ORDER BY id').all(),
    devices: [],
  } as unknown as InventoryDocument;
  const empty: InventoryDocument = { format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [] };
  const { document } = completeLayout(file, empty);
  const room = db.prepare<[number, number, string]>('UPDATE rooms SET width_m = ?, depth_m = ? WHERE id = ?');
  const row = db.prepare<[number, number, string, string, string]>('UPDATE rows SET x_m = ?, y_m = ?, facing = ?, cold_aisle = ? WHERE id = ?');
  for (const r of document.rooms) room.run(r.widthM, r.depthM, r.id);
  for (const r of document.rows) row.run(r.xM, r.yM, r.facing, r.coldAisle, r.id);
}
