// The app shell's alarm count: firing alarms not masked by a maintenance window, coloured by
// the worst of them; nothing shown at zero (data-count says 0 for tests).
import { useI18n } from '../../i18n/use-i18n';
import { SEVERITY_RANK, selectBadgeCount, selectFiringAlarms } from '../../stores/alarms/selectors';
import { useAppStore } from '../../stores/store';

export function AlarmBadge() {
  const { t } = useI18n();
  const count = useAppStore(selectBadgeCount);
  const firing = useAppStore(selectFiringAlarms);
  let worst: string | null = null;
  for (const a of firing ?? []) if (!a.masked && (!worst || SEVERITY_RANK[a.severity] > SEVERITY_RANK[worst as keyof typeof SEVERITY_RANK])) worst = a.severity;
  return (
    <span
      className={`alarm-badge ${count > 0 ? `sev-bg-${worst ?? 'warning'}` : 'alarm-badge-zero'}`}
      data-testid="alarm-badge"
      data-count={count}
      title={t('alarms.badge', { n: count })}
      aria-label={t('alarms.badge', { n: count })}
    >
      {count > 0 ? count : ''}
    </span>
  );
}
