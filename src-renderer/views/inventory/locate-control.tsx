// Locate: light a device's identify LED for N minutes, with a countdown on screen and Stop
// to turn it off early (stores/locate). Shown on the elevation's selected device and on the
// device page; below the operator role, or without a BMC, there is no control at all.
import { useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { dismissLocateError, LOCATE_MINUTES, remainingSeconds, startLocate, stopLocate, useLocateStore } from '../../stores/locate/locate';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';

export function countdownText(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

export function LocateControl({ deviceId, hasBmc }: { deviceId: string; hasBmc: boolean }) {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  const [minutes, setMinutes] = useState<number>(LOCATE_MINUTES[1]);
  const remaining = useLocateStore((s) => remainingSeconds(s, deviceId));
  const pending = useLocateStore((s) => s.pending);
  const error = useLocateStore((s) => s.error);
  if (!mayCall(role, 'device.identify')) return null;
  if (!hasBmc) return null;
  return (
    <div className="locate" data-testid="locate" data-on={String(remaining !== null)}>
      {remaining === null ? (
        <div className="locate-row">
          <label className="inline-field">
            <span>{t('locate.minutes')}</span>
            <select data-testid="locate-minutes" value={minutes} disabled={pending} onChange={(e) => setMinutes(Number(e.currentTarget.value))}>
              {LOCATE_MINUTES.map((n) => (
                <option key={n} value={n}>
                  {t('locate.minutesValue', { n })}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="primary" data-testid="locate-start" disabled={pending} onClick={() => void startLocate(deviceId, minutes)}>
            {t('locate.start')}
          </button>
        </div>
      ) : (
        <div className="locate-row">
          <span className="locate-countdown" role="timer" data-testid="locate-countdown" data-remaining={remaining}>
            <span className="locate-blink" aria-hidden /> {t('locate.on', { time: countdownText(remaining) })}
          </span>
          <button type="button" className="danger" data-testid="locate-stop" disabled={pending} onClick={() => void stopLocate()}>
            {t('locate.stop')}
          </button>
        </div>
      )}
      {pending && (
        <p className="muted" role="status" data-testid="locate-sending">
          {t('locate.sending')}
        </p>
      )}
      {error && <ErrorBanner error={error} action="action.identify" onDismiss={dismissLocateError} testId="locate-error" />}
    </div>
  );
}
