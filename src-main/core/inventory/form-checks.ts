// What the inventory's forms share (device-form.ts, location-form.ts): one record as an
// import document (so it is checked by the import's own validator against the rest of the
// store), the refusal listing every issue with the fields they name, and the refusal of a
// delete whose confirmation does not name the record.
import type { ImportIssue, ImportIssueCode, InventoryDocument } from '../../../src-shared/domain';
import { ValidationError } from '../../../src-shared/errors';
import { COLLECTION, recordOf, type RecordKind } from './formats';

/** An import document holding just `record`, of `kind`. */
export function oneRecord(kind: RecordKind, record: object): InventoryDocument {
  return { format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [], [COLLECTION[kind]]: [record] };
}

/** Throws VALIDATION with every issue, and the fields they name. */
export function refuse(what: string, issues: ImportIssue[]): never {
  const n = issues.length;
  throw new ValidationError(`${what}: ${issues.map((i) => i.message).join('; ')}`, { issues, fields: [...new Set(issues.map((i) => i.field))], problems: n });
}

export interface Confirmation {
  kind: RecordKind;
  id: string;
  /** The request's field carrying the confirmation, e.g. 'confirmHostname'. */
  field: string;
  code: ImportIssueCode;
  /** What it must say (the hostname, the name), and what it said. */
  expected: string;
  value: string;
  /** What the confirmation must do, in words: 'name the host', "be the cabinet's name". */
  must: string;
  /** More params for the error (beside issues and fields). */
  extra?: Readonly<Record<string, unknown>>;
}

/** Throws VALIDATION with one issue (code, field, params expected and value) unless the confirmation says exactly what it must. */
export function checkConfirmation(c: Confirmation): void {
  if (c.value === c.expected) return;
  const message = `the confirmation must ${c.must} "${c.expected}"`;
  const who = recordOf(c.kind, c.id);
  const issue: ImportIssue = {
    line: 0, column: 0, field: c.field, code: c.code,
    params: { ...who.params, field: c.field, expected: c.expected, value: c.value },
    message: `${who.name}: ${message}`,
  };
  const kind = c.kind.charAt(0).toUpperCase() + c.kind.slice(1);
  throw new ValidationError(`${kind} "${c.id}" not deleted: ${message}`, { ...c.extra, expected: c.expected, issues: [issue], fields: [c.field] });
}
