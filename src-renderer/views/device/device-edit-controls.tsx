// "Edit" and "Delete" on the device page (operators): edit opens the device form on the
// stored record; delete is confirmed by typing the hostname (the core refuses any other).
import type { DeviceDetail } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import { HostnameConfirm } from '../../components/hostname-confirm';
import { useI18n } from '../../i18n/use-i18n';
import { askDeleteDevice, deleteDevice, dismissDeviceDeleteError, openEditDevice } from '../../stores/device-edit/actions';
import { selectDeviceDeleteError, selectDeviceDeleting, selectDeviceSaved } from '../../stores/device-edit/selectors';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { DeviceFormDialog } from '../inventory/device-form';

export function DeviceEditControls({ detail }: { detail: DeviceDetail }) {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  const deleting = useAppStore(selectDeviceDeleting);
  const deleteError = useAppStore(selectDeviceDeleteError);
  const saved = useAppStore(selectDeviceSaved);
  const d = detail.device;
  if (!mayCall(role, 'inventory.putDevice')) return null;
  return (
    <>
      <span className="device-edit-buttons">
        <button type="button" data-testid="device-edit" onClick={() => openEditDevice(d)}>
          {t('devedit.edit')}
        </button>
        <button type="button" className="danger" data-testid="device-delete" onClick={() => askDeleteDevice(d)}>
          {t('devedit.delete')}
        </button>
      </span>
      {saved?.id === d.id && (
        <div className="banner banner-ok" role="status" data-testid="device-saved" data-device-id={d.id}>
          {t('devedit.saved', { hostname: saved.hostname })}
        </div>
      )}
      {deleteError && <ErrorBanner error={deleteError} action="action.deleteDevice" onDismiss={dismissDeviceDeleteError} testId="device-delete-error" />}
      <DeviceFormDialog cabinetName={detail.cabinet.name} />
      {deleting?.deviceId === d.id && (
        <HostnameConfirm
          hostname={d.hostname}
          title={t('devedit.delete.title')}
          effect={t('devedit.delete.effect')}
          submitLabel={t('devedit.delete')}
          testId="device-delete-confirm"
          data={{ 'data-device-id': d.id }}
          onConfirm={(typed) => void deleteDevice(typed)}
          onCancel={() => askDeleteDevice(null)}
        />
      )}
    </>
  );
}
