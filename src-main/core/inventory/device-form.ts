// One device from a form: inventory.putDevice adds, edits or moves it after the same checks
// as an import (validate.ts, against the rest of the stored inventory), and
// inventory.deleteDevice removes it once the caller names its host. Each is one IMMEDIATE
// transaction: the check and the write see the same inventory.
import type { Device, ImportIssue } from '../../../src-shared/domain';
import { NotFoundError, ValidationError } from '../../../src-shared/errors';
import type { Db } from '../store/database';
import { InventoryRepository } from '../store/inventory-repository';
import { recordOf } from './formats';
import { validateInventory } from './validate';

function refuse(what: string, issues: ImportIssue[]): never {
  const n = issues.length;
  throw new ValidationError(`${what}: ${issues.map((i) => i.message).join('; ')}`, { issues, fields: [...new Set(issues.map((i) => i.field))], problems: n });
}

/** Validates the device against the stored inventory (its own stored record replaced) and writes it, or throws VALIDATION with every issue. */
export function putDevice(db: Db, device: Device): Device {
  const repo = new InventoryRepository(db);
  return db
    .transaction(() => {
      const doc = { format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [device] } as const;
      const issues = validateInventory({ document: doc }, repo.document(), repo.credentialKinds());
      if (issues.length) refuse(`Device "${device.id}" not saved`, issues);
      repo.putDevice(device);
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
      if (confirmHostname !== dev.hostname) {
        const message = `the confirmation must name the host "${dev.hostname}"`;
        const who = recordOf('device', dev.id);
        const issue: ImportIssue = {
          line: 0, column: 0, field: 'confirmHostname', code: 'confirm-hostname',
          params: { ...who.params, field: 'confirmHostname', expected: dev.hostname, value: confirmHostname },
          message: `${who.name}: ${message}`,
        };
        throw new ValidationError(`Device "${dev.id}" not deleted: ${message}`, { deviceId, expected: dev.hostname, issues: [issue], fields: ['confirmHostname'] });
      }
      repo.deleteDevice(deviceId);
      return { deleted: deviceId };
    })
    .immediate();
}
