// Inventory import/export selectors at module scope.
import type { AppState } from '../store';

export const selectExporting = (s: AppState) => s.inventory.exporting;
export const selectExported = (s: AppState) => s.inventory.exported;
export const selectExportError = (s: AppState) => s.inventory.exportError;
export const selectImportJob = (s: AppState) => s.inventory.job;
export const selectImportPhase = (s: AppState) => s.inventory.phase;
export const selectImportResult = (s: AppState) => s.inventory.result;
export const selectImportError = (s: AppState) => s.inventory.error;
export const selectImportIssues = (s: AppState) => s.inventory.issues;
export const selectImportLate = (s: AppState) => s.inventory.late;
export const selectExportProgress = (s: AppState) => s.inventory.exportProgress;
export const selectExportCancelled = (s: AppState) => s.inventory.exportCancelled;
export const selectImportProgress = (s: AppState) => s.inventory.importProgress;
export const selectUploaded = (s: AppState) => s.inventory.uploaded;
export const selectUploadStopped = (s: AppState) => s.inventory.uploadStopped;
