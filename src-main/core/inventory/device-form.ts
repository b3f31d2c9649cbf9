// One device from a form: inventory.putDevice adds, edits or moves it after the same checks
// as an import (validate.ts, against the rest of the stored inventory), and
// inventory.deleteDevice removes it once the caller names its host. Each is one IMMEDIATE
// transaction: the check and the write see the same inventory. Sites, rooms, rows and
// cabinets: location-form.ts; what both share: form-checks.ts.
import type { Device } from '../../../src-shared/domain';
import { NotFoundError } from '../../../src-shared/errors';
import type { Db } from '../store/database';
import { InventoryRepository, SYSTEM_BINDER, type BindAs } from '../store/inventory-repository';
import { checkConfirmation, oneRecord, refuse } from './form-checks';
import { validateInventory } from './validate';

/**
 * Validates the device against the stored inventory (its own stored record replaced) and
 * writes it, or throws VALIDATION with every issue. `bindAs`: who binds its credentials (an
 * admin's name); null leaves them as bound before (a move or a new reference: unbound).
 * A device without a lifecycle keeps its stored one (a new one is 'online', stamped with `actor`).
 */
export function putDevice(db: Db, device: Device, bindAs: BindAs, actor: string = SYSTEM_BINDER): Device {
  const repo = new InventoryRepository(db);
  return db
    .transaction(() => {
      const doc = oneRecord('device', device);
      const issues = validateInventory({ document: doc }, repo.document(), repo.credentialKinds());
      if (issues.length) refuse(`Device "${device.id}" not saved`, issues);
      repo.putDevice(device, bindAs, actor);
      return repo.device(device.id)!;
    })
    .immediate();
}

/** Deletes the device once confirmHostname names its host exactly (as device.power); events and audit stay. */
export function deleteDevice(db: Db, deviceId: string, confirmHostname: string): { deleted: string } {
  const repo = new InventoryRepository(db);
  return db
    .transaction(() => {
      const dev = repo.device(deviceId);
      if (!dev) throw new NotFoundError('device', deviceId);
      checkConfirmation({
        kind: 'device', id: dev.id, field: 'confirmHostname', code: 'confirm-hostname', expected: dev.hostname, value: confirmHostname, must: 'name the host', extra: { deviceId },
      });
      repo.deleteDevice(deviceId);
      return { deleted: deviceId };
    })
    .immediate();
}
