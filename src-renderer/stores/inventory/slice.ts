// Inventory import and export: the export in flight, and the one import the panel is
// about (running, done, refused with its issues, failed, or no longer waited for), a
// replacing import's scope and whether it was only a preview.
import type { StateCreator } from 'zustand';
import type { ImportIssue, ImportResult, ReplaceScope } from '../../../src-shared/domain';
import type { TransferProgress } from '../../transport/bulk-http';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';

export type InventoryFormat = 'csv' | 'json';
export type { TransferProgress };

export interface ImportJob {
  id: number;
  fileName: string;
  format: InventoryFormat;
  bytes: number;
  startedAt: number;
  /** The subtree the import replaces (null: it only adds and updates). */
  replace: ReplaceScope | null;
  /** A preview: the core writes nothing and answers what the import would do. */
  dryRun: boolean;
  /** The file itself, kept so a preview's "Import this file" sends the same one. */
  file: File;
}

/**
 * running: waiting for the core; succeeded: imported (or, for a dry run, previewed); invalid: refused with issues
 * (nothing imported); failed: any other error (refused role included); cancelled: the
 * operator stopped waiting (the core may still finish: see `late`).
 */
export type ImportPhase = 'idle' | 'running' | 'succeeded' | 'invalid' | 'failed' | 'cancelled';

export interface InventoryState {
  exporting: InventoryFormat | null;
  exported: { fileName: string; bytes: number } | null;
  exportError: ShownError | null;
  job: ImportJob | null;
  phase: ImportPhase;
  result: ImportResult | null;
  error: ShownError | null;
  /** The core's issues for a refused file, sorted by line then column. */
  issues: readonly ImportIssue[] | null;
  /** After a cancel: what the core answered once it did. */
  late: 'imported' | 'refused' | 'failed' | null;
  /** Serve mode's HTTP transfers: bytes moved (null in the desktop, or before the first byte). */
  exportProgress: TransferProgress | null;
  /** The download was cancelled before the file was complete: nothing was saved. */
  exportCancelled: boolean;
  importProgress: TransferProgress | null;
  /** The whole file has reached the server: from here the core may be importing it. */
  uploaded: boolean;
  /** Cancelled while the file was still uploading: the core never had all of it, nothing was imported. */
  uploadStopped: boolean;
}

export interface InventorySlice {
  inventory: InventoryState;
}

export const initialInventory: InventoryState = {
  exporting: null,
  exported: null,
  exportError: null,
  job: null,
  phase: 'idle',
  result: null,
  error: null,
  issues: null,
  late: null,
  exportProgress: null,
  exportCancelled: false,
  importProgress: null,
  uploaded: false,
  uploadStopped: false,
};

export const createInventorySlice: StateCreator<AppState, [], [], InventorySlice> = () => ({ inventory: initialInventory });
