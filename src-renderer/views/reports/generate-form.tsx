// The generate form: a report (rack power unless changed; each kind the contract names) of a day
// (yesterday unless changed), in a format and a language; the core starts a job, which the jobs list then follows.
import type { FormEvent } from 'react';
import { REPORT_FORMATS, REPORT_KINDS, REPORT_LOCALES, type ReportFileLocale, type ReportFormat, type ReportKind } from '../../../src-shared/api/reports';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { useReportsStore } from '../../stores/reports';
import { generateReport, setGenerateForm } from '../../stores/reports-actions';

export function GenerateForm() {
  const { t } = useI18n();
  const form = useReportsStore((s) => s.form);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void generateReport();
  };
  return (
    <section data-testid="report-generate">
      <h2>{t('reports.generate.title')}</h2>
      <form className="report-form" onSubmit={submit}>
        <label>
          {t('reports.generate.kind')}
          <select value={form.kind} data-testid="report-kind" onChange={(e) => setGenerateForm({ kind: e.target.value as ReportKind })}>
            {REPORT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`reports.kind.${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('reports.generate.day')}
          <input type="date" required value={form.day} data-testid="report-day" onChange={(e) => setGenerateForm({ day: e.target.value })} />
        </label>
        <label>
          {t('reports.generate.format')}
          <select value={form.format} data-testid="report-format" onChange={(e) => setGenerateForm({ format: e.target.value as ReportFormat })}>
            {REPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`reports.format.${f}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('reports.generate.locale')}
          <select value={form.locale} data-testid="report-locale" onChange={(e) => setGenerateForm({ locale: e.target.value as ReportFileLocale })}>
            {REPORT_LOCALES.map((l) => (
              <option key={l} value={l}>
                {t(`reports.locale.${l}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={form.busy || !form.day} data-testid="report-generate-submit">
          {t(form.busy ? 'reports.generate.busy' : 'reports.generate.submit')}
        </button>
      </form>
      <p className="muted small">{t('reports.generate.note')}</p>
      {form.error && <ErrorBanner error={form.error} action="reports.action.generate" testId="report-generate-error" />}
    </section>
  );
}
