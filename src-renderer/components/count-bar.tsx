// "answering / devices" as a bar, coloured by how much of it answers (amber at least when
// any of it is degraded).
import { useI18n } from '../i18n/use-i18n';
import { healthTone, percentOf } from './tone';

export function CountBar(props: { answering: number; devices: number; degraded?: number; label?: boolean; testId?: string }) {
  const { t, num } = useI18n();
  const { answering, devices } = props;
  const degraded = props.degraded ?? 0;
  const pct = percentOf(answering, devices);
  const tone = healthTone(answering, devices, degraded);
  return (
    <div className="count-bar" data-testid={props.testId} data-answering={answering} data-devices={devices} data-degraded={degraded} data-tone={tone}>
      {props.label !== false && (
        <div className="count-bar-label">
          <span>{t('count.answeringOf', { answering: num(answering), devices: num(devices) })}</span>
          <span className={`tone-text-${tone}`}>{t('count.percent', { percent: pct })}</span>
        </div>
      )}
      <div
        className="count-bar-track"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={devices}
        aria-valuenow={answering}
        aria-label={t('count.answeringOf', { answering, devices })}
      >
        <div className={`count-bar-fill tone-${tone}`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
