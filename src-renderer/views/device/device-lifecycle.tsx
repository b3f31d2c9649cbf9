// The device's lifecycle (CMDB status) on its page: the state, who set it and when, and for
// operators a select of the states it may move to (LIFECYCLE_MOVES) with a Move button. The
// move is sent with the state shown as expectedFrom, so a device someone else moved meanwhile
// is refused, and the refusal is shown (ErrorBanner, worded by lifecycle-text.ts).
import { useMemo, useState } from 'react';
import { nextLifecycles, SYSTEM_ACTOR, type DeviceDetail, type DeviceLifecycle } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { lifecycleWord } from '../../i18n/lifecycle-text';
import { useI18n } from '../../i18n/use-i18n';
import { dismissLifecycleMove, moveLifecycle } from '../../stores/device/lifecycle-actions';
import { selectLifecycleMove } from '../../stores/device/selectors';
import { leastRole, mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';

/** The state as a chip (the device page's header). */
export function LifecycleChip({ state }: { state: DeviceLifecycle }) {
  const { lang } = useI18n();
  return (
    <span className={`kind-chip lifecycle-chip lifecycle-${state}`} data-testid="device-lifecycle-chip" data-lifecycle={state}>
      {lifecycleWord(lang, state)}
    </span>
  );
}

export function DeviceLifecycleCard({ detail }: { detail: DeviceDetail }) {
  const { t, lang } = useI18n();
  const role = useAppStore(selectRole);
  const move = useAppStore(selectLifecycleMove);
  const state = detail.device.lifecycle;
  const next = useMemo(() => (state ? nextLifecycles(state) : []), [state]);
  const [picked, setPicked] = useState<DeviceLifecycle | null>(null);
  const to = picked && next.includes(picked) ? picked : (next[0] ?? null);
  const may = mayCall(role, 'inventory.setLifecycle');
  const when = useMemo(() => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }), [lang]);
  if (!state) return null; // a core without the lifecycle
  const change = detail.lifecycleChange;
  return (
    <section className="card device-lifecycle" data-testid="device-lifecycle" data-lifecycle={state}>
      <h2>{t('lifecycle.title')}</h2>
      <p>
        <strong data-testid="lifecycle-state">{lifecycleWord(lang, state)}</strong>{' '}
        <span className="muted small" data-testid="lifecycle-change" data-by={change?.by ?? ''}>
          {change ? t('lifecycle.changed', { time: when.format(new Date(change.at)), actor: change.by === SYSTEM_ACTOR ? t('lifecycle.systemActor') : change.by }) : t('lifecycle.neverChanged')}
        </span>
      </p>
      {role && !may && (
        <p className="inv-role-note" data-testid="lifecycle-role-note">
          {t('lifecycle.roleNote', { required: t(`role.${leastRole('inventory.setLifecycle')}` as MessageKey), role: t(`role.${role}` as MessageKey) })}
        </p>
      )}
      {may && to && (
        <div className="ctl-row">
          <label>
            {t('lifecycle.moveTo')}{' '}
            <select data-testid="lifecycle-to" value={to} disabled={move.pending !== null} onChange={(e) => setPicked(e.currentTarget.value as DeviceLifecycle)}>
              {next.map((s) => (
                <option key={s} value={s}>
                  {lifecycleWord(lang, s)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" data-testid="lifecycle-move" disabled={move.pending !== null} onClick={() => void moveLifecycle(detail.device.id, state, to)}>
            {move.pending ? t('lifecycle.moving', { state: lifecycleWord(lang, move.pending) }) : t('lifecycle.move')}
          </button>
        </div>
      )}
      {move.done && (
        <div className="banner banner-ok" role="status" data-testid="lifecycle-moved" data-lifecycle={move.done}>
          {t('lifecycle.moved', { state: lifecycleWord(lang, move.done) })}
        </div>
      )}
      {move.error && <ErrorBanner error={move.error} action="action.setLifecycle" onDismiss={dismissLifecycleMove} testId="lifecycle-error" />}
    </section>
  );
}
