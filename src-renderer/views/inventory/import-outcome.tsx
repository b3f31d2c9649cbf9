// What became of the last import: progress with a cancel, the counts imported (and for a
// replacing import what it added, updated and deleted), a preview's changes, the
// core's refusal with every issue in the file (worded from its code), or the note that we
// stopped waiting.
import { useEffect, useState } from 'react';
import type { ImportIssue, ImportResult } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import { sizeText } from '../../components/size-text';
import { errorText } from '../../i18n/error-text';
import { importIssueText } from '../../i18n/import-text';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { cancelImport, clearImport } from '../../stores/inventory/actions';
import type { ImportJob } from '../../stores/inventory/slice';
import type { ShownError } from '../../stores/shown-error';
import { selectImportError, selectImportIssues, selectImportJob, selectImportLate, selectImportPhase, selectImportResult } from '../../stores/inventory/selectors';
import { useAppStore } from '../../stores/store';
import { ChangeTable, DeletedList, Previewed, ScopeLine } from './import-changes';

export function ImportOutcome() {
  const { t } = useI18n();
  const job = useAppStore(selectImportJob);
  const phase = useAppStore(selectImportPhase);
  const result = useAppStore(selectImportResult);
  const error = useAppStore(selectImportError);
  const issues = useAppStore(selectImportIssues);
  if (!job || phase === 'idle') return null;
  const clear = (
    <button type="button" className="ghost" data-testid="import-clear" onClick={clearImport}>
      {t('inv.import.clear')}
    </button>
  );
  return (
    <section className="import-outcome" data-testid="import-outcome" data-phase={phase}>
      {phase === 'running' && <ImportProgress job={job} />}
      {phase === 'cancelled' && <Cancelled job={job} />}
      {phase === 'succeeded' && result && (result.dryRun ? <Previewed job={job} result={result} /> : <Imported job={job} result={result} />)}
      {phase === 'invalid' && error && issues && <Refused job={job} error={error} issues={issues} />}
      {phase === 'failed' && error && (
        <>
          <ErrorBanner error={error} action="action.import" testId={error.code === 'FORBIDDEN' ? 'import-refused' : 'import-error'} />
          {error.code === 'UNAVAILABLE' && <p className="inv-warn">{t('inv.import.maybeDone')}</p>}
        </>
      )}
      {phase !== 'running' && <div className="inv-buttons">{clear}</div>}
    </section>
  );
}

function ImportProgress({ job }: { job: ImportJob }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.floor((now - job.startedAt) / 1000));
  return (
    <div className="banner banner-info" role="status" data-testid="import-progress">
      <div className="inv-progress">
        <span className="spinner" aria-hidden />
        <strong>{t(job.dryRun ? 'inv.import.previewRunning' : 'inv.import.running', { file: job.fileName, size: sizeText(i18n, job.bytes), seconds })}</strong>
        <button type="button" data-testid="import-cancel" onClick={cancelImport}>
          {t('inv.import.cancel')}
        </button>
      </div>
      <p className="muted small">{t('inv.import.cancelNote')}</p>
    </div>
  );
}

function Cancelled({ job }: { job: ImportJob }) {
  const { t } = useI18n();
  const late = useAppStore(selectImportLate);
  const lateKey: Record<NonNullable<typeof late>, MessageKey> = {
    imported: 'inv.import.lateImported',
    refused: 'inv.import.lateRefused',
    failed: 'inv.import.lateFailed',
  };
  return (
    <div className="banner banner-warn" role="status" data-testid="import-cancelled">
      <div>{t('inv.import.cancelled', { file: job.fileName })}</div>
      {late && (
        <div className="inv-late" data-testid="import-late" data-late={late}>
          {t(lateKey[late], { file: job.fileName })}
        </div>
      )}
    </div>
  );
}

const COUNT_KEYS: [keyof ImportResult['imported'], MessageKey][] = [
  ['sites', 'total.sites'],
  ['rooms', 'total.rooms'],
  ['rows', 'total.rows'],
  ['cabinets', 'total.cabinets'],
  ['devices', 'total.devices'],
];

function Imported({ job, result }: { job: ImportJob; result: ImportResult }) {
  const { t, num } = useI18n();
  return (
    <div className="banner banner-ok" role="status" data-testid="import-result">
      <strong>{t('inv.import.done', { file: job.fileName })}</strong>
      <dl className="inv-counts">
        {COUNT_KEYS.map(([k, label]) => (
          <div key={k} className="inv-count">
            <dt>{t(label)}</dt>
            <dd data-testid={`import-count-${k}`} data-value={result.imported[k]}>
              {num(result.imported[k])}
            </dd>
          </div>
        ))}
      </dl>
      {result.replace && (
        <>
          <ScopeLine result={result} />
          <ChangeTable result={result} />
          <DeletedList result={result} title="inv.import.deletedList" />
        </>
      )}
    </div>
  );
}

function Refused({ job, error, issues }: { job: ImportJob; error: ShownError; issues: readonly ImportIssue[] }) {
  const { t, lang } = useI18n();
  return (
    <div className="banner banner-error code-VALIDATION" role="alert" data-testid="import-invalid" data-issues={issues.length}>
      <div className="banner-head">
        <strong className="banner-headline" data-testid="import-nothing">
          {t('inv.import.nothing')}
        </strong>
      </div>
      <div className="banner-message" data-testid="import-message">
        {errorText(lang, error, { format: job.format.toUpperCase() })}
      </div>
      <h3 className="inv-issues-title">{t('inv.import.issues')}</h3>
      <div className="inv-issues-wrap">
        <table className="inv-issues" data-testid="import-issues">
          <thead>
            <tr>
              <th className="num">{t('inv.issue.line')}</th>
              <th className="num">{t('inv.issue.column')}</th>
              <th>{t('inv.issue.field')}</th>
              <th>{t('inv.issue.message')}</th>
            </tr>
          </thead>
          <tbody>
            {issues.map((issue, i) => (
              <tr key={i} data-testid="import-issue" data-line={issue.line} data-column={issue.column} data-field={issue.field}>
                <td className="num">{issue.line}</td>
                <td className="num">{issue.column > 0 ? issue.column : '—'}</td>
                <td>
                  <code>{issue.field}</code>
                </td>
                <td data-testid="import-issue-text" data-code={issue.code ?? ''}>
                  {importIssueText(lang, issue)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="banner-foot">
        <code>
          {error.name} · {error.code}
        </code>
      </div>
    </div>
  );
}
