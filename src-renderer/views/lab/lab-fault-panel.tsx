// The selected device's details and the lab fault panel (shown only while the lab runs):
// kill/revive a device, take its link down/up, trip or restore the cabinet's PDUs, or (a
// cabinet on both feeds) trip one feed's PDU alone. A role below operator sees no
// fault buttons (a wall screen must not offer red buttons it cannot use), only a note;
// the core decides anyway, and a refusal it sends is shown as a red banner. Its Network
// section (net-fault-section.tsx) puts faults in the lab's network model between the hosts'
// agents and lists the active ones.
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import type { LabFault } from '../../../src-shared/domain';
import { dismissLabMessage, injectFault } from '../../stores/lab/actions';
import { selectElevation, selectSelectedDevice } from '../../stores/fleet/selectors';
import { selectLabError, selectLabPending, selectLabResult } from '../../stores/lab/selectors';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { DeviceDetails } from '../inventory/selected-device';
import { NetFaultSection } from './net-fault-section';

export function LabFaultPanel({ cabinetId }: { cabinetId: string }) {
  const { t, num } = useI18n();
  const device = useAppStore(selectSelectedDevice);
  const role = useAppStore(selectRole);
  const pending = useAppStore(selectLabPending);
  const result = useAppStore(selectLabResult);
  const error = useAppStore(selectLabError);
  const fault = (f: LabFault) => () => void injectFault(f);
  const elevation = useAppStore(selectElevation);
  // A cabinet on both feeds has a PDU on each: either feed can trip alone (dual-corded loads stay up).
  const twoFeeds = elevation?.cabinet.id === cabinetId && Boolean(elevation.cabinet.feedA && elevation.cabinet.feedB);
  const may = mayCall(role, 'lab.fault');
  return (
    <aside className="fault-panel" data-testid="fault-panel">
      <h2>{t('fault.title')}</h2>
      {device ? <DeviceDetails device={device} /> : <p className="muted">{t('fault.pick')}</p>}
      {may && (
        <div className="fault-buttons">
          <button
            type="button"
            className="danger"
            data-testid="fault-kill"
            disabled={!device || pending !== null}
            onClick={device ? fault({ kind: 'kill-device', deviceId: device.id }) : undefined}
          >
            {t('fault.kill')}
          </button>
          <button
            type="button"
            data-testid="fault-revive"
            disabled={!device || pending !== null}
            onClick={device ? fault({ kind: 'revive-device', deviceId: device.id }) : undefined}
          >
            {t('fault.revive')}
          </button>
          <button
            type="button"
            className="danger"
            data-testid="fault-link-down"
            disabled={!device || pending !== null}
            onClick={device ? fault({ kind: 'link-down', deviceId: device.id }) : undefined}
          >
            {t('fault.linkDown')}
          </button>
          <button
            type="button"
            data-testid="fault-link-up"
            disabled={!device || pending !== null}
            onClick={device ? fault({ kind: 'link-up', deviceId: device.id }) : undefined}
          >
            {t('fault.linkUp')}
          </button>
          <button type="button" className="danger" data-testid="fault-trip-pdu" disabled={pending !== null} onClick={fault({ kind: 'trip-pdu', cabinetId })}>
            {t('fault.tripPdu')}
          </button>
          <button type="button" data-testid="fault-restore-pdu" disabled={pending !== null} onClick={fault({ kind: 'restore-pdu', cabinetId })}>
            {t('fault.restorePdu')}
          </button>
          {twoFeeds &&
            (['A', 'B'] as const).map((feed) => (
              <button key={feed} type="button" className="danger" data-testid={`fault-trip-feed-${feed.toLowerCase()}`} disabled={pending !== null} onClick={fault({ kind: 'trip-pdu', cabinetId, feed })}>
                {t('fault.tripFeed', { feed })}
              </button>
            ))}
        </div>
      )}
      {elevation?.cabinet.id === cabinetId && <NetFaultSection elevation={elevation} may={may} />}
      {role && !may && (
        <p className="muted small" data-testid="fault-role-note">
          {t('fault.roleNote', { role: t(`role.${role}` as MessageKey) })}
        </p>
      )}
      {pending && (
        <p className="muted" role="status">
          {t('fault.sending')}
        </p>
      )}
      {error && (
        <ErrorBanner
          error={error}
          action="action.fault"
          onDismiss={dismissLabMessage}
          testId={error.code === 'FORBIDDEN' ? 'fault-refused' : 'fault-error'}
        />
      )}
      {result && (
        <div className="banner banner-ok" role="status" data-testid="fault-result">
          {t('fault.done', { dead: num(result.deadDevices.length), tripped: num(result.trippedCabinets.length) })}
        </div>
      )}
    </aside>
  );
}
