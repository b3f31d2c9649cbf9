// Inventory import and export. An import is all or nothing: the whole file is parsed and
// validated against the stored inventory first, and any problem refuses the whole file
// with every problem listed (credential references, endpoints and hostnames included); a
// clean file is upserted in one transaction.
import type { ImportResult } from '../../../src-shared/domain';
import { ValidationError } from '../../../src-shared/errors';
import type { Db } from '../store/database';
import { InventoryRepository } from '../store/inventory-repository';
import {
  parseCsvInventory,
  parseJsonInventory,
  serializeCsvInventory,
  serializeJsonInventory,
  type ParsedInventory,
} from './formats';
import { sortIssues, validateInventory } from './validate';

export type InventoryFormat = 'csv' | 'json';

/**
 * Decodes a file without looking at the store. `issues` holds syntax and type problems
 * only; validateInventory adds the checks that need the stored inventory.
 */
export function parseInventory(format: InventoryFormat, text: string): ParsedInventory {
  return format === 'csv' ? parseCsvInventory(text) : parseJsonInventory(text);
}

/**
 * Imports a CSV or JSON inventory file: new ids are inserted, existing ids updated,
 * nothing deleted. Throws ValidationError (details.issues: ImportIssue[], sorted by line)
 * and writes nothing when the file has any problem.
 */
export function importInventory(db: Db, format: InventoryFormat, text: string): ImportResult {
  return applyInventory(db, format, parseInventory(format, text));
}

/** Validates a decoded file against the store and upserts it in one transaction, or throws and writes nothing. */
export function applyInventory(db: Db, format: InventoryFormat, parsed: ParsedInventory): ImportResult {
  const repo = new InventoryRepository(db);
  // IMMEDIATE: the write lock is taken before the stored inventory is read, so another
  // connection cannot change it between validation and the write.
  return db
    .transaction(() => {
      const issues = sortIssues([...parsed.issues, ...validateInventory(parsed, repo.document(), repo.credentialKinds())]);
      if (issues.length) {
        const n = issues.length;
        throw new ValidationError(`${n} ${n === 1 ? 'problem' : 'problems'} in the ${format.toUpperCase()} file; nothing was imported`, {
          issues,
        });
      }
      return repo.upsert(parsed.document);
    })
    .immediate();
}

/** The whole stored inventory in canonical form: records sorted by id, stable layout. */
export function exportInventory(db: Db, format: InventoryFormat): string {
  const doc = new InventoryRepository(db).document();
  return format === 'csv' ? serializeCsvInventory(doc) : serializeJsonInventory(doc);
}
