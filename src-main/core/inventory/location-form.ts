// One site, room, row or cabinet from a form: inventory.putLocation adds, edits or moves it
// after the same checks as an import (validate.ts against the rest of the stored inventory:
// its parent exists, a cabinet stays tall enough for its devices, numbers in range), and
// inventory.deleteLocation removes an empty one once the caller names it. Each is one
// IMMEDIATE transaction. A place that still holds anything goes by a replacing import.
// Floor plans, row places and footprints left out are kept or computed (room-plan.ts).
import type { LocationKind, LocationRecord, LocationTree } from '../../../src-shared/domain';
import type { LocationInput } from '../../../src-shared/api/inventory';
import { NotFoundError } from '../../../src-shared/errors';
import type { Db } from '../store/database';
import { InventoryRepository } from '../store/inventory-repository';
import { LocationRepository } from '../store/location-repository';
import { LocationNotEmptyError } from './errors';
import { checkConfirmation, oneRecord, refuse } from './form-checks';
import { completeLayout } from '../../../src-shared/room-plan';
import { validateInventory } from './validate';

const title = (kind: LocationKind): string => kind.charAt(0).toUpperCase() + kind.slice(1);

/** Every place, and how many devices each cabinet holds. */
export function locationTree(db: Db): LocationTree {
  return new LocationRepository(db).tree();
}

/**
 * Validates the place against the stored inventory (its own stored record replaced) and writes
 * it, or throws VALIDATION with every issue. Room-model fields the form leaves out keep their
 * stored values, else get the computed layout (room-plan.ts), as an import's do.
 */
export function putLocation(db: Db, location: LocationInput | LocationRecord): LocationRecord {
  const repo = new InventoryRepository(db);
  const places = new LocationRepository(db);
  return db
    .transaction(() => {
      const { kind, ...fields } = location;
      // null from a form means "not given", as an absent key does.
      const record = Object.fromEntries(Object.entries(fields).filter(([k, v]) => v !== null || !LAYOUT_KEYS.has(k)));
      const doc = oneRecord(kind, record);
      const stored = repo.document();
      const issues = validateInventory({ document: doc }, stored, repo.credentialKinds());
      if (issues.length) refuse(`${title(kind)} "${location.id}" not saved`, issues);
      const { document, grown } = completeLayout(doc, stored);
      repo.upsert({ ...document, rooms: [...document.rooms, ...grown] });
      return places.location(kind, location.id)!;
    })
    .immediate();
}

const LAYOUT_KEYS = new Set(['widthM', 'depthM', 'xM', 'yM', 'facing', 'coldAisle', 'widthMm', 'depthMm']);

/** Deletes an empty place once confirmName is its name exactly; LocationNotEmptyError (CONFLICT) while it holds anything. */
export function deleteLocation(db: Db, kind: LocationKind, id: string, confirmName: string): { kind: LocationKind; deleted: string } {
  const places = new LocationRepository(db);
  return db
    .transaction(() => {
      const place = places.location(kind, id);
      if (!place) throw new NotFoundError(kind, id);
      checkConfirmation({ kind, id, field: 'confirmName', code: 'confirm-name', expected: place.name, value: confirmName, must: `be the ${kind}'s name`, extra: { kind, id } });
      const holds = places.holds(kind, id);
      if (Object.values(holds).some((n) => n > 0)) throw new LocationNotEmptyError(kind, id, place.name, holds);
      places.delete(kind, id);
      return { kind, deleted: id };
    })
    .immediate();
}
