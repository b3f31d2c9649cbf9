// The inventory capability: whole-inventory export, import validated whole, all or nothing,
// and one device added, edited, moved or deleted from a form (device-form.ts). After any
// change the listener is told (the fleet re-reads what it polls, search re-indexes). Files
// come as one string (WebSocket, IPC) or as a stream (serve mode's HTTP routes).
import type { Capability } from '../../../src-shared/api';
import { INVENTORY_HTTP } from '../../../src-shared/api/inventory';
import type { Db } from '../store/database';
import { deleteDevice, putDevice } from './device-form';
import { exportInventory, importInventory } from './import-export';
import { exportInventoryTo, importInventoryStream } from './inventory-stream';

type InventoryMethods = 'inventory.export' | 'inventory.import' | 'inventory.putDevice' | 'inventory.deleteDevice';

export interface InventoryDeps {
  store: { db: Db };
  /** After the stored inventory changed (an import, a device put or deleted). */
  onImported: () => void;
}

export function startInventory(d: InventoryDeps): Capability<InventoryMethods> {
  const changed = <T>(result: T): T => {
    d.onImported();
    return result;
  };
  return {
    api: {
      'inventory.export': async (a) => {
        if (!a.sink) return { format: a.format, text: exportInventory(d.store.db, a.format) };
        await exportInventoryTo(d.store.db, a.format, a.sink);
        return { format: a.format, text: '' };
      },
      'inventory.import': async (a) =>
        changed('text' in a ? importInventory(d.store.db, a.format, a.text) : await importInventoryStream(d.store.db, a.format, a.body, INVENTORY_HTTP.maxImportBytes)),
      'inventory.putDevice': (a) => changed(putDevice(d.store.db, a.device)),
      'inventory.deleteDevice': (a) => changed(deleteDevice(d.store.db, a.deviceId, a.confirmHostname)),
    },
    dispose: async () => {},
  };
}
