// The inventory capability's file side: whole-inventory export, and import validated whole,
// all or nothing, after which the fleet re-reads what it polls. Both take a file as one string
// (WebSocket, IPC) or as a stream (serve mode's HTTP routes).
import type { Capability } from '../../../src-shared/api';
import { INVENTORY_HTTP } from '../../../src-shared/api/inventory';
import type { Db } from '../store/database';
import { exportInventory, importInventory } from './import-export';
import { exportInventoryTo, importInventoryStream } from './inventory-stream';

export function startInventory(d: { store: { db: Db }; onImported: () => void }): Capability<'inventory.export' | 'inventory.import'> {
  return {
    api: {
      'inventory.export': async (a) => {
        if (!a.sink) return { format: a.format, text: exportInventory(d.store.db, a.format) };
        await exportInventoryTo(d.store.db, a.format, a.sink);
        return { format: a.format, text: '' };
      },
      'inventory.import': async (a) => {
        const result = 'text' in a ? importInventory(d.store.db, a.format, a.text) : await importInventoryStream(d.store.db, a.format, a.body, INVENTORY_HTTP.maxImportBytes);
        d.onImported();
        return result;
      },
    },
    dispose: async () => {},
  };
}
