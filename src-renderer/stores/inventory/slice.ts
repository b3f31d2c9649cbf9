// Inventory import and export: the export in flight, and the one import the panel is
// about (running, done, refused with its issues, failed, or no longer waited for).
import type { StateCreator } from 'zustand';
import type { ImportIssue, ImportResult } from '../../../src-shared/domain';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';

export type InventoryFormat = 'csv' | 'json';

export interface ImportJob {
  id: number;
  fileName: string;
  format: InventoryFormat;
  bytes: number;
  startedAt: number;
}

/**
 * running: waiting for the core; succeeded: imported; invalid: refused with issues
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
};

export const createInventorySlice: StateCreator<AppState, [], [], InventorySlice> = () => ({ inventory: initialInventory });
