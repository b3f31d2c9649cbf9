// Spreadsheet-safe CSV cells (the OWASP CSV-injection rule): a cell a spreadsheet would
// evaluate (leading =, +, -, @, tab or CR) is exported with a leading single quote and quoted;
// import takes exactly one such quote off again, so export -> import gives the original value.
import { formatCsvField } from './csv';

/** A value that, after any leading single quotes, starts with a character a spreadsheet evaluates. */
const NEEDS_GUARD = /^'*[=+\-@\t\r]/;
/** A guarded cell: one or more quotes, then such a character. */
const GUARDED = /^'+[=+\-@\t\r]/;

/**
 * The cell as exported: `=1+1` -> `'=1+1`. Values that already start with quotes before such a
 * character get one more (`'=x` -> `''=x`), so restoreCell is its exact inverse.
 */
export function neutraliseCell(value: string): string {
  return NEEDS_GUARD.test(value) ? `'${value}` : value;
}

/** The value an imported cell stands for: one guarding quote removed, anything else unchanged. */
export function restoreCell(cell: string): string {
  return GUARDED.test(cell) ? cell.slice(1) : cell;
}

/** One exported field: neutralised cells are always quoted (so no reader mistakes them for formulas). */
export function formatSafeCsvField(value: string): string {
  const safe = neutraliseCell(value);
  return safe === value ? formatCsvField(value) : `"${safe.replaceAll('"', '""')}"`;
}
