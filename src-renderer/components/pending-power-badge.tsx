// "powering off…" / "powering on…" / "restarting…" beside a device's status while the
// console's own power action awaits the poller's confirmation (stores/fleet/pending-power).
// Renders nothing when no action is pending on the device.
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/use-i18n';
import type { PendingExpect, PendingPower } from '../stores/fleet/pending-power';
import { selectPendingPowerOf } from '../stores/fleet/selectors';
import { useAppStore } from '../stores/store';
import './pending-power-badge.css';

const TEXT: Record<PendingExpect, MessageKey> = { off: 'scale.pending.off', on: 'scale.pending.on', restart: 'scale.pending.restart' };

export function pendingText(expect: PendingExpect): MessageKey {
  return TEXT[expect];
}

export function PendingPowerBadge(props: { deviceId: string; testId?: string }) {
  const pending = useAppStore(selectPendingPowerOf(props.deviceId));
  return pending ? <PendingPowerText pending={pending} testId={props.testId ?? 'pending-power'} /> : null;
}

export function PendingPowerText({ pending, testId }: { pending: PendingPower; testId?: string }) {
  const { t, time } = useI18n();
  return (
    <span
      className="pending-power"
      role="status"
      data-testid={testId}
      data-device-id={pending.deviceId}
      data-expect={pending.expect}
      data-action={pending.action}
      title={t('scale.pending.title', { action: t(`power.${pending.action}` as MessageKey), time: time(pending.since) })}
    >
      <span className="spinner" aria-hidden /> {t(TEXT[pending.expect])}
    </span>
  );
}
