// The smallest inventory a test needs around its devices: one site, room, row and 42 U
// cabinet 'c'; and writing it straight to a store (bypassing import checks, as a store
// written by an older import may hold references the checks would now refuse).
import type { Device, InventoryDocument } from '../../src-shared/domain';
import { openStore } from '../../src-main/core/store/database';
import { InventoryRepository } from '../../src-main/core/store/inventory-repository';

export function oneCabinet(devices: readonly Device[]): InventoryDocument {
  return {
    format: 'fleetdeck-inventory',
    version: 1,
    sites: [{ id: 's', name: 'S', city: 'C' }],
    rooms: [{ id: 'r', siteId: 's', name: 'R', widthM: 20, depthM: 10 }],
    rows: [{ id: 'w', roomId: 'r', name: 'W', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }],
    cabinets: [{ id: 'c', rowId: 'w', name: 'C1', position: 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 }],
    devices,
  };
}

/** Writes oneCabinet(devices) into the store at `path` and closes it. */
export function seedOneCabinet(path: string, devices: readonly Device[]): void {
  const db = openStore(path);
  try {
    new InventoryRepository(db).upsert(oneCabinet(devices));
  } finally {
    db.close();
  }
}
