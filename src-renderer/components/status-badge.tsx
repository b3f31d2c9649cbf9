// A device status as a coloured pill: green answering, amber degraded, red unreachable,
// grey not polled yet. The same colours as the elevation.
import type { DeviceStatus } from '../../src-shared/domain';
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/use-i18n';

export function statusKey(status: DeviceStatus): MessageKey {
  return `status.${status}` as MessageKey;
}

export function StatusBadge(props: { status: DeviceStatus; testId?: string; big?: boolean }) {
  const { t } = useI18n();
  return (
    <span className={`status-badge status-${props.status} ${props.big ? 'big' : ''}`} data-testid={props.testId} data-status={props.status}>
      <span className="dev-status-dot" aria-hidden />
      {t(statusKey(props.status))}
    </span>
  );
}
