// The inventory capability tells its listener (poller, search, traps reload) after every
// change it writes (an import, a place put or deleted) and never after a dry run or a refusal.
import { describe, expect, it } from 'vitest';
import type { CallContext } from '../../../../src-shared/api';
import { startInventory } from '../../../../src-main/core/inventory/inventory-module';
import { openStore } from '../../../../src-main/core/store/database';
import { oneCabinet } from '../../../support/one-cabinet';

const ctx: CallContext = { actor: 'oli', role: 'operator' };

describe('inventory module: onImported', () => {
  it('is called after a write, not after a preview or a refusal', async () => {
    const db = openStore(':memory:');
    let told = 0;
    const inv = startInventory({ store: { db }, onImported: () => told++ });
    try {
      const text = JSON.stringify(oneCabinet([]));
      const preview = await inv.api['inventory.import']({ format: 'json', text, replace: { kind: 'site', id: 's' }, dryRun: true }, ctx);
      expect(preview).toMatchObject({ dryRun: true, added: { sites: 1, cabinets: 1 } });
      expect(told).toBe(0);
      await inv.api['inventory.import']({ format: 'json', text, replace: null, dryRun: false }, ctx);
      expect(told).toBe(1);
      await inv.api['inventory.putLocation']({ location: { kind: 'row', id: 'w2', roomId: 'r', name: 'W2' } }, ctx);
      expect(told).toBe(2);
      await expect(Promise.resolve().then(() => inv.api['inventory.deleteLocation']({ kind: 'row', id: 'w2', confirmName: 'w2' }, ctx))).rejects.toMatchObject({ code: 'VALIDATION' });
      expect(told).toBe(2);
      await inv.api['inventory.deleteLocation']({ kind: 'row', id: 'w2', confirmName: 'W2' }, ctx);
      expect(told).toBe(3);
      expect(inv.api['inventory.locations'](undefined, ctx)).toMatchObject({ rows: [{ id: 'w' }], cabinets: [{ id: 'c' }], deviceCounts: {} });
      expect(told).toBe(3);
    } finally {
      await inv.dispose();
      db.close();
    }
  });
});
