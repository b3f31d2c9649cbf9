// The app shell's alarm count: firing alarms not masked by a maintenance window, those grouped
// under a root counted in their root (a tripped PDU is one), coloured by the worst of them;
// the title says how many there are with the grouped ones; nothing shown at zero (data-count
// says 0 for tests).
import { useI18n } from '../../i18n/use-i18n';
import { SEVERITY_RANK, selectBadgeCount, selectFiringAlarms, selectFiringUnmasked } from '../../stores/alarms/selectors';
import { useAppStore } from '../../stores/store';

export function AlarmBadge() {
  const { t } = useI18n();
  const count = useAppStore(selectBadgeCount);
  const firing = useAppStore(selectFiringAlarms);
  const all = useAppStore(selectFiringUnmasked);
  let worst: string | null = null;
  for (const a of firing ?? []) if (!a.masked && (!worst || SEVERITY_RANK[a.severity] > SEVERITY_RANK[worst as keyof typeof SEVERITY_RANK])) worst = a.severity;
  return (
    <span
      className={`alarm-badge ${count > 0 ? `sev-bg-${worst ?? 'warning'}` : 'alarm-badge-zero'}`}
      data-testid="alarm-badge"
      data-count={count}
      data-all={all}
      title={t('alarms.badge', { n: count, all })}
      aria-label={t('alarms.badge', { n: count, all })}
    >
      {count > 0 ? count : ''}
    </span>
  );
}
