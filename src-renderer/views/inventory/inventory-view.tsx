// Inventory import and export. Export saves the core's canonical file; import sends a
// CSV or JSON file to the core, which validates all of it and imports all or nothing.
// In serve mode both travel over HTTP: byte progress, and cancel (the export, and the
// import while its file uploads).
// An import may replace everything under one place (a subtree), and be previewed first:
// the core answers what it would add, update and delete and writes nothing.
// Import controls are disabled below the role the contract names, but the core is the
// one that checks: a refusal is shown as it comes back.
import { useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { sizeText } from '../../components/size-text';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { cancelExport, dismissExportError, exportInventory, formatOfFileName, importInventory } from '../../stores/inventory/actions';
import type { InventoryFormat, TransferProgress } from '../../stores/inventory/slice';
import {
  selectExportCancelled,
  selectExported,
  selectExportError,
  selectExporting,
  selectExportProgress,
  selectImportJob,
  selectImportPhase,
  selectImportProgress,
  selectUploaded,
  selectUploadStopped,
} from '../../stores/inventory/selectors';
import './inventory-view.css';
import { selectRole } from '../../stores/session/selectors';
import { leastRole, mayCall } from '../../stores/session/roles';
import { useAppStore } from '../../stores/store';
import { ImportOutcome } from './import-outcome';
import { PlacesPanel } from './places-panel';
import { ReplacePick, replaceOf } from './replace-pick';

const IMPORT_ROLE = leastRole('inventory.import');

export function InventoryView() {
  const { t } = useI18n();
  return (
    <main className="inventory-view" data-testid="inventory">
      <div className="view-head">
        <h1 data-testid="inventory-title">{t('inv.title')}</h1>
      </div>
      <div className="inventory-panels">
        <ExportPanel />
        <ImportPanel />
      </div>
      <ImportOutcome />
      <PlacesPanel />
    </main>
  );
}

function ExportPanel() {
  const i18n = useI18n();
  const { t } = i18n;
  const exporting = useAppStore(selectExporting);
  const exported = useAppStore(selectExported);
  const error = useAppStore(selectExportError);
  const progress = useAppStore(selectExportProgress);
  const cancelled = useAppStore(selectExportCancelled);
  const button = (format: InventoryFormat, label: MessageKey) => (
    <button type="button" data-testid={`export-${format}`} disabled={exporting !== null} onClick={() => void exportInventory(format)}>
      {t(label)}
    </button>
  );
  return (
    <section className="inv-panel" data-testid="export-panel">
      <h2>{t('inv.export.title')}</h2>
      <p className="muted">{t('inv.export.hint')}</p>
      <div className="inv-buttons">
        {button('csv', 'inv.export.csv')}
        {button('json', 'inv.export.json')}
      </div>
      {exporting && (
        <p className="muted" role="status" data-testid="export-progress">
          <span className="spinner" aria-hidden /> {t('inv.export.running', { format: exporting.toUpperCase() })}
        </p>
      )}
      {exporting && progress && (
        <div className="inv-transfer" data-testid="export-transfer" data-loaded={progress.loaded} data-total={progress.total ?? ''}>
          <TransferBar progress={progress} />
          <span className="muted small">
            {progress.total
              ? t('scale.transfer.download', { loaded: sizeText(i18n, progress.loaded), total: sizeText(i18n, progress.total), percent: percent(progress) })
              : t('scale.transfer.downloadUnknown', { loaded: sizeText(i18n, progress.loaded) })}
          </span>
          <button type="button" data-testid="export-cancel" onClick={cancelExport}>
            {t('scale.transfer.cancelExport')}
          </button>
        </div>
      )}
      {cancelled && !exporting && (
        <p className="muted" role="status" data-testid="export-cancelled">
          {t('scale.transfer.exportCancelled')}
        </p>
      )}
      {exported && !exporting && (
        <p className="inv-ok" role="status" data-testid="export-done">
          {t('inv.export.done', { file: exported.fileName, size: sizeText(i18n, exported.bytes) })}
        </p>
      )}
      {error && <ErrorBanner error={error} action="action.export" onDismiss={dismissExportError} testId="export-error" />}
    </section>
  );
}

type FormatChoice = 'auto' | InventoryFormat;

function ImportPanel() {
  const i18n = useI18n();
  const { t } = i18n;
  const role = useAppStore(selectRole);
  const phase = useAppStore(selectImportPhase);
  const [file, setFile] = useState<File | null>(null);
  const [choice, setChoice] = useState<FormatChoice>('auto');
  const [replace, setReplace] = useState('');
  // Unknown role (the desktop shell could not ask): leave it to the core.
  const mayImport = mayCall(role, 'inventory.import');
  const running = phase === 'running';
  const format = choice === 'auto' ? (file ? formatOfFileName(file.name) : null) : choice;
  const disabled = !mayImport || running;
  return (
    <section className="inv-panel" data-testid="import-panel">
      <h2>{t('inv.import.title')}</h2>
      <p className="muted">{t('inv.import.hint')}</p>
      <div className="inv-form">
        <label className="inv-field">
          <span>{t('inv.import.file')}</span>
          <input
            type="file"
            accept=".csv,.json,text/csv,application/json"
            data-testid="import-file"
            disabled={disabled}
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        </label>
        <label className="inv-field">
          <span>{t('inv.import.format')}</span>
          <select data-testid="import-format" value={choice} disabled={disabled} onChange={(e) => setChoice(e.currentTarget.value as FormatChoice)}>
            <option value="auto">{t('inv.import.formatAuto')}</option>
            <option value="csv">CSV</option>
            <option value="json">JSON</option>
          </select>
        </label>
        <ReplacePick value={replace} disabled={disabled} onChange={setReplace} />
      </div>
      {file && (
        <p className="muted small" data-testid="import-chosen">
          {format
            ? t('inv.import.chosen', { file: file.name, size: sizeText(i18n, file.size), format: format.toUpperCase() })
            : t('inv.import.formatUnknown')}
        </p>
      )}
      <div className="inv-buttons">
        <button
          type="button"
          className="primary"
          data-testid="import-submit"
          disabled={disabled || !file || !format}
          onClick={file && format ? () => void importInventory(file, format, { replace: replaceOf(replace) }) : undefined}
        >
          {t('inv.import.submit')}
        </button>
        <button
          type="button"
          data-testid="import-preview-submit"
          disabled={disabled || !file || !format}
          onClick={file && format ? () => void importInventory(file, format, { replace: replaceOf(replace), dryRun: true }) : undefined}
        >
          {t('inv.import.preview')}
        </button>
      </div>
      <UploadState />
      {role && !mayImport && (
        <p className="inv-role-note" data-testid="import-role-note">
          {t('inv.import.roleNote', { required: t(`role.${IMPORT_ROLE}` as MessageKey), role: t(`role.${role}` as MessageKey) })}
        </p>
      )}
    </section>
  );
}

/** The upload's bytes while it runs, and the note when a cancel stopped it mid-file. */
function UploadState() {
  const i18n = useI18n();
  const { t } = i18n;
  const job = useAppStore(selectImportJob);
  const phase = useAppStore(selectImportPhase);
  const progress = useAppStore(selectImportProgress);
  const uploaded = useAppStore(selectUploaded);
  const stopped = useAppStore(selectUploadStopped);
  if (!job) return null;
  if (phase === 'cancelled' && stopped) {
    return (
      <p className="inv-warn" role="status" data-testid="import-upload-stopped">
        {t('scale.transfer.uploadStopped', { file: job.fileName })}
      </p>
    );
  }
  if (phase !== 'running' || !progress) return null;
  return (
    <div className="inv-transfer" data-testid="import-upload" data-loaded={progress.loaded} data-total={progress.total ?? ''} data-uploaded={uploaded}>
      <TransferBar progress={uploaded ? null : progress} />
      <span className="muted small">
        {uploaded
          ? t('scale.transfer.uploaded', { file: job.fileName })
          : t('scale.transfer.upload', {
              file: job.fileName,
              loaded: sizeText(i18n, progress.loaded),
              total: sizeText(i18n, progress.total ?? job.bytes),
              percent: percent({ loaded: progress.loaded, total: progress.total ?? job.bytes }),
            })}
      </span>
    </div>
  );
}

/** A determinate bar when the size is known; indeterminate (no value) otherwise. */
function TransferBar({ progress }: { progress: TransferProgress | null }) {
  return progress?.total ? <progress className="inv-transfer-bar" max={progress.total} value={progress.loaded} /> : <progress className="inv-transfer-bar" />;
}

function percent(p: TransferProgress): number {
  return p.total ? Math.min(100, Math.floor((p.loaded / p.total) * 100)) : 0;
}
