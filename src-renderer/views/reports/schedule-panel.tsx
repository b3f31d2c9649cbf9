// The daily schedule: as it is (on at HH:MM with its formats and languages, or off) and the day
// it last ran; an admin edits it (enabled, time, formats, languages) and saves it, the core's
// refusal shown by field as it words it.
import type { FormEvent } from 'react';
import { REPORT_FORMATS, REPORT_LOCALES } from '../../../src-shared/api/reports';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { useReportsStore } from '../../stores/reports';
import { loadSchedule, saveSchedule, setScheduleForm, toggleScheduleFormat, toggleScheduleLocale } from '../../stores/reports-actions';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';

export function SchedulePanel() {
  const { t } = useI18n();
  const schedule = useReportsStore((s) => s.schedule);
  const error = useReportsStore((s) => s.scheduleError);
  const admin = mayCall(useAppStore(selectRole), 'reports.setSchedule');
  const formats = (list: readonly string[]) => list.map((f) => t(`reports.format.${f}` as MessageKey)).join(', ');
  const locales = (list: readonly string[]) => list.map((l) => t(`reports.locale.${l}` as MessageKey)).join(', ');
  return (
    <section data-testid="report-schedule">
      <h2>{t('reports.schedule.title')}</h2>
      <p className="muted">{t('reports.schedule.hint')}</p>
      {error && <ErrorBanner error={error} action="reports.action.schedule" onRetry={() => void loadSchedule()} />}
      {!schedule && !error && <p className="loading">{t('reports.schedule.loading')}</p>}
      {schedule && (
        <>
          <p data-testid="report-schedule-now" data-enabled={schedule.enabled ? 'yes' : 'no'} data-at={schedule.at}>
            {schedule.enabled ? t('reports.schedule.on', { at: schedule.at, formats: formats(schedule.formats), locales: locales(schedule.locales) }) : t('reports.schedule.off')}
          </p>
          <p data-testid="report-schedule-last" data-day={schedule.lastRunDay ?? ''}>
            {schedule.lastRunDay ? t('reports.schedule.lastRun', { day: schedule.lastRunDay }) : t('reports.schedule.never')}
          </p>
        </>
      )}
      {schedule && (admin ? <ScheduleForm /> : <p className="muted small">{t('reports.schedule.roleNote')}</p>)}
    </section>
  );
}

function ScheduleForm() {
  const { t } = useI18n();
  const form = useReportsStore((s) => s.scheduleForm);
  if (!form) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void saveSchedule();
  };
  return (
    <form className="report-form report-schedule-form" data-testid="report-schedule-form" onSubmit={submit}>
      <label>
        <input type="checkbox" checked={form.enabled} data-testid="report-schedule-enabled" onChange={(e) => setScheduleForm({ enabled: e.target.checked })} />
        {t('reports.schedule.enabled')}
      </label>
      <label>
        {t('reports.schedule.at')}
        <input type="time" required value={form.at} data-testid="report-schedule-at" onChange={(e) => setScheduleForm({ at: e.target.value })} />
      </label>
      <fieldset>
        <legend>{t('reports.schedule.formats')}</legend>
        {REPORT_FORMATS.map((f) => (
          <label key={f}>
            <input type="checkbox" checked={form.formats.includes(f)} data-testid={`report-schedule-format-${f}`} onChange={() => toggleScheduleFormat(f, REPORT_FORMATS)} />
            {t(`reports.format.${f}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('reports.schedule.locales')}</legend>
        {REPORT_LOCALES.map((l) => (
          <label key={l}>
            <input type="checkbox" checked={form.locales.includes(l)} data-testid={`report-schedule-locale-${l}`} onChange={() => toggleScheduleLocale(l, REPORT_LOCALES)} />
            {t(`reports.locale.${l}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={form.busy} data-testid="report-schedule-save">
        {t(form.busy ? 'reports.schedule.saving' : 'reports.schedule.save')}
      </button>
      {form.saved && <span className="muted" data-testid="report-schedule-saved">{t('reports.schedule.saved')}</span>}
      {form.error && <ErrorBanner error={form.error} action="reports.action.saveSchedule" testId="report-schedule-error" />}
    </form>
  );
}
