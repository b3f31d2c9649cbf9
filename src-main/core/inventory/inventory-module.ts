// The inventory capability: whole-inventory export, import validated whole, all or nothing
// (merging, or replacing a subtree; or only previewed, a dry run), and one device or one
// site, room, row or cabinet added, edited, moved or deleted from a form (device-form.ts,
// location-form.ts). After any change (not after a dry run) the listener is told (the fleet
// re-reads what it polls, search re-indexes). Files come as one string (WebSocket, IPC) or
// as a stream (serve mode's HTTP routes). An admin's write binds the written devices'
// credentials at their endpoints; an operator's binds nothing (a device it moves, adds or
// points at another credential stays unbound until an admin binds it: credentials.bind).
// inventory.roomLayout reads one room's geometry, what the 3D room view draws.
// inventory.setLifecycle moves devices along their lifecycle (the store's LifecycleRepository:
// all or nothing, by the allowed moves); inventory.lifecycleCounts counts them per state.
import type { CallContext, Capability } from '../../../src-shared/api';
import { INVENTORY_HTTP } from '../../../src-shared/api/inventory';
import { NotFoundError } from '../../../src-shared/errors';
import type { Db } from '../store/database';
import { LifecycleRepository } from '../store/lifecycle-repository';
import type { BindAs } from '../store/inventory-repository';
import { RoomLayoutRepository } from '../store/room-layout-repository';
import { deleteDevice, putDevice } from './device-form';
import { exportInventory, importInventory } from './import-export';
import { exportInventoryTo, importInventoryStream } from './inventory-stream';
import { deleteLocation, locationTree, putLocation } from './location-form';

type InventoryMethods =
  | 'inventory.export' | 'inventory.import' | 'inventory.putDevice' | 'inventory.deleteDevice'
  | 'inventory.locations' | 'inventory.putLocation' | 'inventory.deleteLocation' | 'inventory.roomLayout'
  | 'inventory.setLifecycle' | 'inventory.lifecycleCounts';

export interface InventoryDeps {
  store: { db: Db };
  /** After the stored inventory changed (an import that wrote, a device or place put or deleted). */
  onImported: () => void;
}

/** Who the caller's write binds credentials as: an admin by name; anyone else binds nothing. */
export const bindAsOf = (ctx: CallContext): BindAs => (ctx.role === 'admin' ? ctx.actor : null);

export function startInventory(d: InventoryDeps): Capability<InventoryMethods> {
  const lifecycle = new LifecycleRepository(d.store.db);
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
      'inventory.import': async (a, ctx) => {
        const options = { replace: a.replace, dryRun: a.dryRun, bindAs: bindAsOf(ctx), actor: ctx.actor };
        const result =
          'text' in a ? importInventory(d.store.db, a.format, a.text, options) : await importInventoryStream(d.store.db, a.format, a.body, INVENTORY_HTTP.maxImportBytes, options);
        return result.dryRun ? result : changed(result);
      },
      'inventory.putDevice': (a, ctx) => changed(putDevice(d.store.db, a.device, bindAsOf(ctx), ctx.actor)),
      'inventory.deleteDevice': (a) => changed(deleteDevice(d.store.db, a.deviceId, a.confirmHostname)),
      'inventory.locations': () => locationTree(d.store.db),
      'inventory.putLocation': (a) => changed(putLocation(d.store.db, a.location)),
      'inventory.deleteLocation': (a) => changed(deleteLocation(d.store.db, a.kind, a.id, a.confirmName)),
      'inventory.roomLayout': (a) => {
        const layout = d.store.db.transaction(() => new RoomLayoutRepository(d.store.db).layout(a.roomId)).deferred();
        if (!layout) throw new NotFoundError('room', a.roomId);
        return layout;
      },
      // The lifecycle is no poll target, address or search field: nothing else re-reads after a move.
      'inventory.setLifecycle': (a, ctx) => lifecycle.set({ deviceIds: a.deviceIds, to: a.to, expectedFrom: a.expectedFrom, actor: ctx.actor }),
      'inventory.lifecycleCounts': () => lifecycle.counts(),
    },
    dispose: async () => {},
  };
}
