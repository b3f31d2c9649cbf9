// The CMDB the provisioning tools use, on the core's store: the device lifecycle through the
// store's lifecycle repository (its compare-and-set and allowed moves: a refusal is its
// CONFLICT naming the state found), and the hostname the installed host reports written to
// the device record in the same transaction (credential bindings untouched: a rename moves no
// endpoint). Typed structurally, so it names only what it calls on the repositories.
import type { Device } from '../../../src-shared/domain';
import { NotFoundError } from '../../../src-shared/errors';
import type { Db } from '../store/database';
import { CMDB_STATES, type CmdbState, type ProvisioningCmdb } from './deps';

export interface CmdbStoreDeps {
  readonly db: Db;
  readonly inventory: {
    device(id: string): (Device & { readonly lifecycle?: string }) | null;
    /** bindAs null: the bindings are left as they are; `by` stamps a lifecycle change. */
    putDevice(device: Device, bindAs: string | null, by: string): void;
    readonly lifecycle: { set(move: { deviceIds: readonly string[]; to: CmdbState; expectedFrom?: CmdbState; actor: string }): { changed: number; unchanged: number } };
  };
  /** After a rename: whatever caches hostnames (search, the poller) re-reads. */
  onRenamed?(deviceId: string): void;
}

const asState = (v: unknown, id: string): CmdbState => {
  if (typeof v === 'string' && (CMDB_STATES as readonly string[]).includes(v)) return v as CmdbState;
  throw new Error(`device ${id} has no lifecycle the provisioning tools know (${JSON.stringify(v)})`);
};

export function storeCmdb(s: CmdbStoreDeps): ProvisioningCmdb {
  return {
    lifecycle(deviceId) {
      const d = s.inventory.device(deviceId);
      return d ? asState(d.lifecycle, deviceId) : null;
    },
    move(req) {
      let renamed = false;
      const out = s.db.transaction(() => {
        const before = s.inventory.device(req.deviceId);
        if (!before) throw new NotFoundError('device', req.deviceId);
        const from = asState(before.lifecycle, req.deviceId);
        const moved = s.inventory.lifecycle.set({ deviceIds: [req.deviceId], to: req.to, expectedFrom: req.expectedFrom, actor: req.actor });
        if (req.hostname !== undefined && req.hostname !== before.hostname) {
          const now = s.inventory.device(req.deviceId)!;
          s.inventory.putDevice({ ...now, hostname: req.hostname }, null, req.actor);
          renamed = true;
        }
        return { changed: moved.changed > 0 || renamed, from, hostnameBefore: before.hostname };
      })();
      if (renamed) s.onRenamed?.(req.deviceId);
      return out;
    },
  };
}
