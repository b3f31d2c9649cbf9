// Inventory import and export. An import is all or nothing: the whole file is parsed and
// validated against the stored inventory first, and any problem refuses the whole file
// with every problem listed (credential references, endpoints and hostnames included); a
// clean file is upserted in one transaction. A replacing import also deletes, in that
// transaction, what its subtree holds that the file does not name (import-plan.ts); a dry
// run does everything but write.
import type { ImportResult, ReplaceScope } from '../../../src-shared/domain';
import { ValidationError } from '../../../src-shared/errors';
import type { Db } from '../store/database';
import { InventoryRepository, SYSTEM_BINDER, type BindAs } from '../store/inventory-repository';
import { LocationRepository } from '../store/location-repository';
import {
  parseCsvInventory,
  parseJsonInventory,
  serializeCsvInventory,
  serializeJsonInventory,
  type ParsedInventory,
} from './formats';
import { DELETE_ORDER, importResult, planImport } from './import-plan';
import { completeLayout } from '../../../src-shared/room-plan';
import { sortIssues, validateInventory } from './validate';

export type InventoryFormat = 'csv' | 'json';

/**
 * Decodes a file without looking at the store. `issues` holds syntax and type problems
 * only; validateInventory adds the checks that need the stored inventory.
 */
export function parseInventory(format: InventoryFormat, text: string): ParsedInventory {
  return format === 'csv' ? parseCsvInventory(text) : parseJsonInventory(text);
}

export interface ImportOptions {
  /** Delete what this subtree holds that the file does not name; null: add and update only. */
  replace: ReplaceScope | null;
  /** Validate and compute the result, write nothing. */
  dryRun: boolean;
  /**
   * Who binds the written devices' credentials at their endpoints (an admin's name); null
   * or absent binds nothing: a device the file moves, adds or points at another credential is unbound.
   */
  bindAs?: BindAs;
  /** Who imports: the name a device's lifecycle is stamped with when the file sets or changes it (absent: the system). */
  actor?: string;
}

/** A merging import that binds nothing (an operator's). */
const MERGE: ImportOptions = { replace: null, dryRun: false, bindAs: null };

/**
 * Imports a CSV or JSON inventory file: new ids are inserted, existing ids updated, and
 * (with options.replace) the subtree's other records deleted. Throws ValidationError
 * (details.issues: ImportIssue[], sorted by line) and writes nothing when the file has any problem.
 */
export function importInventory(db: Db, format: InventoryFormat, text: string, options: ImportOptions = MERGE): ImportResult {
  return applyInventory(db, format, parseInventory(format, text), options);
}

/** Validates a decoded file against the store and applies it in one transaction, or throws and writes nothing. */
export function applyInventory(db: Db, format: InventoryFormat, parsed: ParsedInventory, options: ImportOptions = MERGE): ImportResult {
  const repo = new InventoryRepository(db);
  const places = new LocationRepository(db);
  const run = db.transaction(() => {
    const stored = repo.document();
    const plan = planImport(stored, parsed.document, options.replace);
    // Validated against the inventory as it will be: a file may reuse what the deleted records held.
    const issues = sortIssues([...parsed.issues, ...plan.issues, ...validateInventory(parsed, plan.remaining, repo.credentialKinds())]);
    if (issues.length) {
      const n = issues.length;
      throw new ValidationError(`${n} ${n === 1 ? 'problem' : 'problems'} in the ${format.toUpperCase()} file; nothing was imported`, {
        issues,
      });
    }
    if (!options.dryRun) {
      // Deleted devices first (their serial numbers free for the file), then the upsert (which
      // may move records out of places about to go), then the places, children before parents.
      for (const d of plan.doomed.device) repo.deleteDevice(d.id);
      // Absent floor plans, places and footprints: stored values, else the computed layout.
      const { document, grown } = completeLayout(parsed.document, plan.remaining);
      repo.upsert({ ...document, rooms: [...document.rooms, ...grown] }, options.bindAs ?? null, options.actor ?? SYSTEM_BINDER);
      for (const kind of DELETE_ORDER) {
        if (kind !== 'device') for (const r of plan.doomed[kind]) places.delete(kind, r.id);
      }
    }
    return importResult(stored, parsed.document, plan, options.replace, options.dryRun);
  });
  // IMMEDIATE: the write lock is taken before the stored inventory is read, so another
  // connection cannot change it between validation and the write. A dry run only reads.
  return options.dryRun ? run.deferred() : run.immediate();
}

/** The whole stored inventory in canonical form: records sorted by id, stable layout. */
export function exportInventory(db: Db, format: InventoryFormat): string {
  const doc = new InventoryRepository(db).document();
  return format === 'csv' ? serializeCsvInventory(doc) : serializeJsonInventory(doc);
}
