// The generated files in the reports folder, newest first: report, day, format, language, size,
// when it was written, and a download (the file's bytes from the core, saved by the browser).
import { ErrorBanner } from '../../components/error-banner';
import { sizeText } from '../../components/size-text';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { useReportsStore } from '../../stores/reports';
import { downloadReport, loadHistory } from '../../stores/reports-actions';

export function HistoryList() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const history = useReportsStore((s) => s.history);
  const error = useReportsStore((s) => s.historyError);
  const downloading = useReportsStore((s) => s.downloading);
  const downloadError = useReportsStore((s) => s.downloadError);
  return (
    <section data-testid="report-history">
      <h2>{t('reports.history.title')}</h2>
      {error && <ErrorBanner error={error} action="reports.action.history" onRetry={() => void loadHistory()} />}
      {downloadError && <ErrorBanner error={downloadError} action="reports.action.download" testId="report-download-error" />}
      {!history && !error && <p className="loading">{t('reports.history.loading')}</p>}
      {history && history.length === 0 && <p className="muted" data-testid="report-history-none">{t('reports.history.none')}</p>}
      {history && history.length > 0 && (
        <table className="report-table">
          <thead>
            <tr>
              <th>{t('reports.col.report')}</th>
              <th>{t('reports.col.day')}</th>
              <th>{t('reports.col.format')}</th>
              <th>{t('reports.col.locale')}</th>
              <th>{t('reports.col.size')}</th>
              <th>{t('reports.col.created')}</th>
              <th>{t('reports.col.file')}</th>
              <th>{t('reports.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((f) => (
              <tr key={f.id} data-testid="report-file" data-file-id={f.id} data-day={f.day} data-format={f.format} data-locale={f.locale}>
                <td>{t(`reports.kind.${f.kind}` as MessageKey)}</td>
                <td>{f.day}</td>
                <td>{t(`reports.format.${f.format}` as MessageKey)}</td>
                <td>{t(`reports.locale.${f.locale}` as MessageKey)}</td>
                <td data-testid="report-file-size" data-value={f.size}>{sizeText(i18n, f.size)}</td>
                <td>{new Date(f.createdAt).toLocaleString(lang)}</td>
                <td>
                  <code className="small" data-testid="report-file-name">{f.id}</code>
                </td>
                <td>
                  <button type="button" data-testid="report-download" disabled={downloading !== null} onClick={() => void downloadReport(f.id)}>
                    {t(downloading === f.id ? 'reports.downloading' : 'reports.download')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
