// The search capability: `search.devices` over an index of the inventory, built at start and
// rebuilt after the inventory changes (reload()). The devices are read in pages with a turn of
// the event loop between them, so 100 k devices do not stall the core for the whole read;
// a query waits for a rebuild in progress, so it never answers from the inventory before it.
import type { Capability } from '../../../src-shared/api';
import type { InventoryRepository } from '../store/inventory-repository';
import { buildSearchIndex, type SearchIndex, type SearchRecord } from './search-index';

export interface SearchModule extends Capability<'search.devices'> {
  /** The inventory changed: rebuild the index. */
  reload(): void;
  /** Devices and keys in the index, and how long the last build took (ms, reads included). */
  stats(): Promise<{ devices: number; keys: number; buildMs: number }>;
}

export interface SearchDeps {
  store: { inventory: Pick<InventoryRepository, 'searchRowsAfter'> };
  /** Devices read per page (default 5,000). */
  pageSize?: number;
}

export function startSearch(d: SearchDeps): SearchModule {
  const pageSize = d.pageSize ?? 5000;
  let index: SearchIndex = buildSearchIndex([]);
  let buildMs = 0;
  /** The rebuild in progress; `again` when the inventory changed while it ran. */
  let building: Promise<void> | null = null;
  let again = false;
  let disposed = false;
  const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

  async function rebuild(): Promise<void> {
    do {
      again = false;
      const t0 = performance.now();
      const records: SearchRecord[] = [];
      let after = '';
      for (;;) {
        const rows = d.store.inventory.searchRowsAfter(after, pageSize);
        records.push(...rows);
        if (rows.length < pageSize) break;
        after = rows[rows.length - 1].deviceId;
        await turn();
        if (disposed) return;
      }
      index = buildSearchIndex(records);
      buildMs = performance.now() - t0;
    } while (again && !disposed);
  }

  function reload(): void {
    if (disposed) return;
    if (building) {
      again = true;
      return;
    }
    building = rebuild().finally(() => {
      building = null;
    });
  }

  const ready = async (): Promise<SearchIndex> => {
    while (building) await building;
    return index;
  };

  reload();
  return {
    reload,
    stats: async () => {
      const i = await ready();
      return { devices: i.devices, keys: i.keys, buildMs };
    },
    api: {
      'search.devices': async (a) => (await ready()).search(a.q, a.limit),
    },
    dispose: async () => {
      disposed = true;
      await building?.catch(() => {});
      index = buildSearchIndex([]);
    },
  };
}
