// The inventory capability's file side: whole-inventory export, and import validated whole,
// all or nothing, after which the fleet re-reads what it polls.
import type { Capability } from '../../../src-shared/api';
import type { Db } from '../store/database';
import { exportInventory, importInventory } from './import-export';

export function startInventory(d: { store: { db: Db }; onImported: () => void }): Capability<'inventory.export' | 'inventory.import'> {
  return {
    api: {
      'inventory.export': (a) => ({ format: a.format, text: exportInventory(d.store.db, a.format) }),
      'inventory.import': (a) => {
        const result = importInventory(d.store.db, a.format, a.text);
        d.onImported();
        return result;
      },
    },
    dispose: async () => {},
  };
}
