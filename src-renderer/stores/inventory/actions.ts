// Inventory actions: export to a file, import a file (optionally replacing a subtree, or
// only previewing what the import would do). The core decides whether this
// session may import and whether the file is valid; the UI shows its answer. In serve mode
// both travel as HTTP (streamed, with progress, cancellable: transport/bulk-http), in the
// desktop as the contract's inventory.export / inventory.import calls. An import is one
// transaction in the core: cancelling while the file uploads stops it for real (the core
// never has the whole file); once uploaded, cancelling only stops waiting for the answer.
import type { ImportIssue, ImportResult, ReplaceScope } from '../../../src-shared/domain';
import {
  BulkHttpMissingError,
  TransferAbortedError,
  bulkTokenOf,
  downloadInventory,
  uploadInventory,
  type TransferProgress,
} from '../../transport/bulk-http';
import { getClient } from '../client';
import { loadOverview, refreshOpenView } from '../fleet/actions';
import { loadPlaces } from '../places/actions';
import { toShownError, type ShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { exportFileName, saveBlobFile, saveTextFile } from './save-file';
import { initialInventory, type InventoryFormat, type InventoryState } from './slice';

const MIME: Record<InventoryFormat, string> = { csv: 'text/csv;charset=utf-8', json: 'application/json;charset=utf-8' };
/** Progress reaches the store at most this often (a 50 MB file arrives in ~800 chunks). */
const PROGRESS_EVERY_MS = 100;

const inventory = () => useAppStore.getState().inventory;
const patchInventory = (p: Partial<InventoryState>) => patch('inventory', p);

let nextJobId = 1;
let exportAbort: AbortController | null = null;
let importAbort: { controller: AbortController; jobId: number } | null = null;

export async function exportInventory(format: InventoryFormat): Promise<void> {
  if (inventory().exporting) return;
  patchInventory({ exporting: format, exported: null, exportError: null, exportProgress: null, exportCancelled: false });
  const fileName = exportFileName(format);
  try {
    const client = getClient();
    const token = bulkTokenOf(client);
    const blob = token ? await downloadOverHttp(token, format) : null;
    if (blob) {
      saveBlobFile(fileName, blob.type ? blob : new Blob([blob], { type: MIME[format] }));
      patchInventory({ exporting: null, exported: { fileName, bytes: blob.size } });
      return;
    }
    const { text } = await client.call('inventory.export', { format });
    saveTextFile(fileName, text, MIME[format]);
    patchInventory({ exporting: null, exported: { fileName, bytes: new Blob([text]).size } });
  } catch (err) {
    if (err instanceof TransferAbortedError) patchInventory({ exporting: null, exportProgress: null, exportCancelled: true });
    else patchInventory({ exporting: null, exportProgress: null, exportError: toShownError(err) });
  }
}

/** The export as a Blob over HTTP; null when this server has no bulk endpoint (use the WebSocket). */
async function downloadOverHttp(token: string, format: InventoryFormat): Promise<Blob | null> {
  const controller = new AbortController();
  exportAbort = controller;
  patchInventory({ exportProgress: { loaded: 0, total: null } });
  try {
    return await downloadInventory({ token, format, signal: controller.signal, onProgress: throttled((p) => patchInventory({ exportProgress: p })) });
  } catch (err) {
    if (err instanceof BulkHttpMissingError) {
      patchInventory({ exportProgress: null });
      return null;
    }
    throw err;
  } finally {
    if (exportAbort === controller) exportAbort = null;
  }
}

/** Stops the download in flight (serve mode); nothing is saved. */
export function cancelExport(): void {
  exportAbort?.abort();
}

/** The format a file name implies, or null when its extension says neither. */
export function formatOfFileName(name: string): InventoryFormat | null {
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  return ext === 'csv' ? 'csv' : ext === 'json' ? 'json' : null;
}

/** What an import asks besides the file: a subtree to replace, a preview only. */
export interface ImportOptions {
  replace?: ReplaceScope | null;
  dryRun?: boolean;
}

export async function importInventory(file: File, format: InventoryFormat, opts: ImportOptions = {}): Promise<void> {
  if (inventory().phase === 'running') return;
  const replace = opts.replace ?? null;
  const dryRun = opts.dryRun ?? false;
  const job = { id: nextJobId++, fileName: file.name, format, bytes: file.size, startedAt: Date.now(), replace, dryRun, file };
  patchInventory({ job, phase: 'running', result: null, error: null, issues: null, late: null, importProgress: null, uploaded: false, uploadStopped: false });
  const isCurrent = (): boolean => inventory().job?.id === job.id;
  try {
    const client = getClient();
    const token = bulkTokenOf(client);
    if (token) patchInventory({ importProgress: { loaded: 0, total: file.size } });
    let result: ImportResult | null = token ? await uploadOverHttp(token, file, format, job.id, isCurrent, { replace, dryRun }) : null;
    if (!result) {
      const text = await file.text();
      if (!isCurrent() || inventory().phase !== 'running') return;
      // Only what the operator asked for travels: a plain import's arguments stay { format, text }.
      result = await client.call('inventory.import', { format, text, ...(replace ? { replace } : {}), ...(dryRun ? { dryRun } : {}) });
    }
    if (!isCurrent()) return;
    if (inventory().phase === 'cancelled') patchInventory({ late: 'imported', result });
    else patchInventory({ phase: 'succeeded', result });
    if (!dryRun) afterImport();
  } catch (err) {
    if (!isCurrent()) return;
    if (err instanceof TransferAbortedError) {
      patchInventory({ phase: 'cancelled', uploadStopped: true });
      return;
    }
    const error = toShownError(err);
    if (inventory().phase === 'cancelled') {
      patchInventory({ late: error.code === 'VALIDATION' || error.code === 'FORBIDDEN' ? 'refused' : 'failed' });
      return;
    }
    const issues = issuesOf(error);
    patchInventory({ phase: issues ? 'invalid' : 'failed', error, issues });
  }
}

/** The import's answer over HTTP; null when this server has no bulk endpoint (use the WebSocket). */
async function uploadOverHttp(
  token: string,
  file: File,
  format: InventoryFormat,
  jobId: number,
  isCurrent: () => boolean,
  query: ImportOptions,
): Promise<ImportResult | null> {
  const controller = new AbortController();
  importAbort = { controller, jobId };
  try {
    return await uploadInventory({
      token,
      format,
      ...query,
      body: file,
      signal: controller.signal,
      onProgress: throttled((p) => {
        if (isCurrent() && !inventory().uploaded) patchInventory({ importProgress: p });
      }),
      onUploaded: () => {
        if (isCurrent()) patchInventory({ uploaded: true, importProgress: { loaded: file.size, total: file.size } });
      },
    });
  } catch (err) {
    if (err instanceof BulkHttpMissingError) {
      if (isCurrent()) patchInventory({ importProgress: null });
      return null;
    }
    throw err;
  } finally {
    if (importAbort?.controller === controller) importAbort = null;
  }
}

/** After a preview: the same file with the same scope, imported for real. */
export function importPreviewed(): Promise<void> {
  const s = inventory();
  if (!s.job || !s.job.dryRun || s.phase !== 'succeeded') return Promise.resolve();
  return importInventory(s.job.file, s.job.format, { replace: s.job.replace, dryRun: false });
}

/** Everything an import changes: the overview, the places tree, the open room or cabinet. */
function afterImport(): void {
  void loadOverview();
  void loadPlaces();
  refreshOpenView();
}

/**
 * Cancels the running import. While the file is still uploading (serve mode) the upload is
 * aborted and nothing is imported; after that the core does not stop: see `late`.
 */
export function cancelImport(): void {
  const s = inventory();
  if (s.phase !== 'running') return;
  if (importAbort && importAbort.jobId === s.job?.id && !s.uploaded) {
    patchInventory({ phase: 'cancelled', uploadStopped: true });
    importAbort.controller.abort();
    return;
  }
  patchInventory({ phase: 'cancelled' });
}

/** Calls fn at most every PROGRESS_EVERY_MS, but always for the first and the last byte. */
export function throttled(fn: (p: TransferProgress) => void, everyMs = PROGRESS_EVERY_MS, now: () => number = Date.now): (p: TransferProgress) => void {
  let last = -Infinity;
  return (p) => {
    const t = now();
    if (t - last < everyMs && p.loaded !== 0 && p.loaded !== p.total) return;
    last = t;
    fn(p);
  };
}

/** Forgets the last import's outcome (the panel goes back to its idle state). */
export function clearImport(): void {
  if (inventory().phase === 'running') return;
  const { exporting, exported, exportError, exportProgress, exportCancelled } = inventory();
  useAppStore.setState({ inventory: { ...initialInventory, exporting, exported, exportError, exportProgress, exportCancelled } });
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
