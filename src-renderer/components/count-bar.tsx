// "answering / devices" as a bar, coloured by how much of it answers.
import { useI18n } from '../i18n/use-i18n';

export type Tone = 'good' | 'warn' | 'bad' | 'empty';

export function toneOf(answering: number, devices: number): Tone {
  if (devices === 0) return 'empty';
  const r = answering / devices;
  return r >= 0.95 ? 'good' : r >= 0.7 ? 'warn' : 'bad';
}

export function percentOf(answering: number, devices: number): number {
  return devices === 0 ? 0 : Math.floor((answering / devices) * 1000) / 10;
}

export function CountBar(props: { answering: number; devices: number; label?: boolean; testId?: string }) {
  const { t, num } = useI18n();
  const { answering, devices } = props;
  const pct = percentOf(answering, devices);
  return (
    <div className="count-bar" data-testid={props.testId} data-answering={answering} data-devices={devices}>
      {props.label !== false && (
        <div className="count-bar-label">
          <span>{t('count.answeringOf', { answering: num(answering), devices: num(devices) })}</span>
          <span className={`tone-text-${toneOf(answering, devices)}`}>{t('count.percent', { percent: pct })}</span>
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
        <div className={`count-bar-fill tone-${toneOf(answering, devices)}`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
