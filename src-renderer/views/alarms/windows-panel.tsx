// Maintenance windows: each with its scope, from and to, reason and whether it is active now;
// operators add one (cabinets or rooms, for a number of minutes from now, with a reason) and
// end an active or future one.
import { useState } from 'react';
import type { MaintenanceWindow } from '../../../src-shared/domain/alarm';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { closeWindowForm, endWindow, openWindowForm, saveWindow, type WindowForm } from '../../stores/alarms/rule-actions';
import { selectAlarmWindows, selectAlarmWindowsError, selectWindowForm } from '../../stores/alarms/selectors';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { useNow } from '../device/device-facts';
import { useTime } from './alarm-bits';

export function WindowsPanel() {
  const { t } = useI18n();
  const time = useTime();
  const windows = useAppStore(selectAlarmWindows);
  const error = useAppStore(selectAlarmWindowsError);
  const form = useAppStore(selectWindowForm);
  const role = useAppStore(selectRole);
  const operator = mayCall(role, 'alarms.setWindow');
  const now = useNow(10_000);
  const shown = (windows ?? []).filter((w) => w.to > now).sort((a, b) => a.from - b.from);
  return (
    <section data-testid="alarm-windows">
      <h2>{t('alarms.windows')}</h2>
      {error && <ErrorBanner error={error} action="alarms.action.windows" />}
      {operator && !form && (
        <button type="button" data-testid="alarm-window-add" onClick={openWindowForm}>
          {t('alarms.window.add')}
        </button>
      )}
      {form && <WindowFormView />}
      {windows && shown.length === 0 && <p className="muted">{t('alarms.window.none')}</p>}
      {shown.length > 0 && (
        <table className="alarm-table">
          <thead>
            <tr>
              <th>{t('alarms.rule.scope')}</th>
              <th>{t('alarms.window.from')}</th>
              <th>{t('alarms.window.to')}</th>
              <th>{t('alarms.window.reason')}</th>
              {operator && <th>{t('alarms.col.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {shown.map((w) => (
              <tr key={w.id} data-testid="alarm-window" data-window-id={w.id} data-active={w.from <= now ? 'yes' : 'no'}>
                <td className="small">{scopeOf(w) || t('alarms.rule.everything')}</td>
                <td>{time(w.from)}{w.from <= now && <span className="muted"> · {t('alarms.window.active')}</span>}</td>
                <td>{time(w.to)}</td>
                <td>{w.reason}</td>
                {operator && (
                  <td>
                    <button type="button" data-testid="alarm-window-end" onClick={() => void endWindow(w.id)}>{t('alarms.window.end')}</button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const scopeOf = (w: MaintenanceWindow): string => [...w.scope.sites, ...w.scope.rooms, ...w.scope.rows, ...w.scope.cabinets, ...w.scope.devices].join(', ');

function WindowFormView() {
  const { t } = useI18n();
  const state = useAppStore(selectWindowForm);
  const [f, setF] = useState<WindowForm>({ cabinets: '', rooms: '', minutes: '60', reason: '' });
  const set = (p: Partial<WindowForm>) => setF((x) => ({ ...x, ...p }));
  const reasonRefused = state?.error?.code === 'VALIDATION' && (state.error.params as { field?: unknown } | undefined)?.field === 'reason';
  return (
    <form className="alarm-window-form" data-testid="alarm-window-form" onSubmit={(e) => (e.preventDefault(), void saveWindow(f))}>
      <label className="inv-field">
        <span>{t('alarms.rule.cabinets')}</span>
        <input data-testid="window-cabinets" value={f.cabinets} onChange={(e) => set({ cabinets: e.target.value })} />
      </label>
      <label className="inv-field">
        <span>{t('alarms.rule.rooms')}</span>
        <input data-testid="window-rooms" value={f.rooms} onChange={(e) => set({ rooms: e.target.value })} />
      </label>
      <label className="inv-field">
        <span>{t('alarms.window.minutes')}</span>
        <input data-testid="window-minutes" value={f.minutes} inputMode="numeric" onChange={(e) => set({ minutes: e.target.value })} />
      </label>
      <label className={`inv-field ${reasonRefused ? 'is-invalid' : ''}`}>
        <span>{t('alarms.window.reason')}</span>
        <input data-testid="window-reason" value={f.reason} onChange={(e) => set({ reason: e.target.value })} />
        {reasonRefused && <span className="field-error tone-text-bad small" role="alert">{t('alarms.window.reasonRequired')}</span>}
      </label>
      {state?.error && !reasonRefused && <ErrorBanner error={state.error} action="alarms.action.saveWindow" testId="alarm-window-refused" />}
      <div className="alarm-actions">
        <button type="submit" data-testid="window-save" disabled={state?.busy}>{state?.busy ? t('alarms.sending') : t('alarms.window.save')}</button>
        <button type="button" className="ghost" onClick={closeWindowForm}>{t('alarms.cancel')}</button>
      </div>
    </form>
  );
}
