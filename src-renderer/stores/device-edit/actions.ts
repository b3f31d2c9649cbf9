// Device form actions: open the form to add a device at a U of a cabinet or to edit one,
// save through inventory.putDevice (the core checks it as an import would; its issues are
// kept by field), delete through inventory.deleteDevice confirmed by the typed hostname.
// After a change the open cabinet or device page is read again.
import type { Device } from '../../../src-shared/domain';
import { getClient } from '../client';
import { loadDeviceDetail } from '../device/actions';
import { loadElevation, navigate } from '../fleet/actions';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { deviceFormOf, deviceRecordOf, deviceRefusalOf, newDeviceForm, type DeviceFormField } from './device-form';
import type { DeviceEditState, DeviceFormState } from './slice';

const state = () => useAppStore.getState().deviceEdit;
const patchEdit = (p: Partial<DeviceEditState> | ((s: DeviceEditState) => Partial<DeviceEditState>)) => patch('deviceEdit', p);
const patchForm = (p: Partial<DeviceFormState>) => patchEdit((s) => ({ form: s.form ? { ...s.form, ...p } : null }));

async function loadFormCredentials(): Promise<void> {
  try {
    const list = await getClient().call('credentials.list', undefined);
    patchEdit({ credentials: [...list], credentialsError: null });
  } catch (err) {
    patchEdit({ credentialsError: toShownError(err) });
  }
}

export function openAddDevice(cabinetId: string, uPosition: number): void {
  patchEdit({
    saved: null,
    form: { mode: 'add', cabinetId, values: newDeviceForm(uPosition), serviceTree: null, saving: false, local: {}, error: null, refusal: null },
  });
  void loadFormCredentials();
}

export function openEditDevice(d: Device): void {
  patchEdit({
    saved: null,
    form: { mode: 'edit', cabinetId: d.cabinetId, values: deviceFormOf(d), serviceTree: d.serviceTree, saving: false, local: {}, error: null, refusal: null },
  });
  void loadFormCredentials();
}

export function setDeviceFormField(field: DeviceFormField, value: string): void {
  const f = state().form;
  if (f) patchForm({ values: { ...f.values, [field]: value } });
}

export function closeDeviceForm(): void {
  patchEdit({ form: null });
}

function reloadOpenView(deviceId: string): void {
  const r = useAppStore.getState().fleet.route;
  if (r.view === 'cabinet') void loadElevation(r.cabinetId);
  if (r.view === 'device' && r.deviceId === deviceId) void loadDeviceDetail(deviceId);
}

export async function saveDevice(): Promise<void> {
  const f = state().form;
  if (!f || f.saving) return;
  const built = deviceRecordOf(f.values, f.cabinetId, f.serviceTree);
  if (!built.record) {
    patchForm({ local: built.problems, error: null, refusal: null });
    return;
  }
  patchForm({ saving: true, local: {}, error: null, refusal: null });
  try {
    const device = await getClient().call('inventory.putDevice', { device: built.record });
    patchEdit({ form: null, saved: { id: device.id, hostname: device.hostname } });
    reloadOpenView(device.id);
  } catch (err) {
    const error = toShownError(err);
    patchForm({ saving: false, error, refusal: deviceRefusalOf(error) });
  }
}

export function askDeleteDevice(d: { id: string; hostname: string; cabinetId: string } | null): void {
  patchEdit({ deleting: d ? { deviceId: d.id, hostname: d.hostname, cabinetId: d.cabinetId } : null, deleteError: null, deleted: null });
}

export async function deleteDevice(typed: string): Promise<void> {
  const d = state().deleting;
  if (!d || state().deleteBusy) return;
  patchEdit({ deleteBusy: true, deleteError: null });
  try {
    await getClient().call('inventory.deleteDevice', { deviceId: d.deviceId, confirmHostname: typed });
    patchEdit({ deleteBusy: false, deleting: null, deleted: d.hostname });
    const r = useAppStore.getState().fleet.route;
    if (r.view === 'device') navigate({ view: 'cabinet', cabinetId: d.cabinetId });
    else reloadOpenView(d.deviceId);
  } catch (err) {
    patchEdit({ deleteBusy: false, deleteError: toShownError(err) });
  }
}

export function dismissDeviceDeleteError(): void {
  patchEdit({ deleteError: null });
}
