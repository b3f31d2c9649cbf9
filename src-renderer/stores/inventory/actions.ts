// Inventory actions: export to a file, import a file. The core decides whether this
// session may import and whether the file is valid; the UI shows its answer. An import
// is one transaction in the core, so cancelling only stops waiting for the answer.
import type { ImportIssue } from '../../../src-shared/domain';
import { getClient } from '../client';
import { loadOverview } from '../fleet/actions';
import { toShownError, type ShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { exportFileName, saveTextFile } from './save-file';
import { initialInventory, type InventoryFormat, type InventoryState } from './slice';

const MIME: Record<InventoryFormat, string> = { csv: 'text/csv;charset=utf-8', json: 'application/json;charset=utf-8' };

const inventory = () => useAppStore.getState().inventory;
const patchInventory = (p: Partial<InventoryState>) => patch('inventory', p);

let nextJobId = 1;

export async function exportInventory(format: InventoryFormat): Promise<void> {
  patchInventory({ exporting: format, exported: null, exportError: null });
  try {
    const { text } = await getClient().call('inventory.export', { format });
    const fileName = exportFileName(format);
    saveTextFile(fileName, text, MIME[format]);
    patchInventory({ exporting: null, exported: { fileName, bytes: new Blob([text]).size } });
  } catch (err) {
    patchInventory({ exporting: null, exportError: toShownError(err) });
  }
}

/** The format a file name implies, or null when its extension says neither. */
export function formatOfFileName(name: string): InventoryFormat | null {
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  return ext === 'csv' ? 'csv' : ext === 'json' ? 'json' : null;
}

export async function importInventory(file: File, format: InventoryFormat): Promise<void> {
  if (inventory().phase === 'running') return;
  const job = { id: nextJobId++, fileName: file.name, format, bytes: file.size, startedAt: Date.now() };
  patchInventory({ job, phase: 'running', result: null, error: null, issues: null, late: null });
  const isCurrent = (): boolean => inventory().job?.id === job.id;
  try {
    const text = await file.text();
    if (!isCurrent() || inventory().phase !== 'running') return;
    const result = await getClient().call('inventory.import', { format, text });
    if (!isCurrent()) return;
    if (inventory().phase === 'cancelled') patchInventory({ late: 'imported', result });
    else patchInventory({ phase: 'succeeded', result });
    void loadOverview();
  } catch (err) {
    if (!isCurrent()) return;
    const error = toShownError(err);
    if (inventory().phase === 'cancelled') {
      patchInventory({ late: error.code === 'VALIDATION' || error.code === 'FORBIDDEN' ? 'refused' : 'failed' });
      return;
    }
    const issues = issuesOf(error);
    patchInventory({ phase: issues ? 'invalid' : 'failed', error, issues });
  }
}

/** Stops waiting for the running import. The core does not stop: see `late`. */
export function cancelImport(): void {
  if (inventory().phase === 'running') patchInventory({ phase: 'cancelled' });
}

/** Forgets the last import's outcome (the panel goes back to its idle state). */
export function clearImport(): void {
  if (inventory().phase === 'running') return;
  const { exporting, exported, exportError } = inventory();
  useAppStore.setState({ inventory: { ...initialInventory, exporting, exported, exportError } });
}

export function dismissExportError(): void {
  patchInventory({ exportError: null });
}

/** A VALIDATION error's issues ({ issues: ImportIssue[] } in params), sorted; else null. */
export function issuesOf(error: ShownError): ImportIssue[] | null {
  if (error.code !== 'VALIDATION' || typeof error.params !== 'object' || error.params === null) return null;
  const raw = (error.params as { issues?: unknown }).issues;
  if (!Array.isArray(raw)) return null;
  const issues = raw.filter(isIssue);
  if (issues.length === 0) return null;
  return issues
    .map((issue, n) => ({ issue, n }))
    .sort((a, b) => a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.n - b.n)
    .map((x) => x.issue);
}

function isIssue(v: unknown): v is ImportIssue {
  if (typeof v !== 'object' || v === null) return false;
  const i = v as Record<string, unknown>;
  return typeof i.line === 'number' && typeof i.column === 'number' && typeof i.field === 'string' && typeof i.message === 'string';
}
