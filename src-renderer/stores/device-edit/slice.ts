// Adding, editing and deleting one device from a form: the form and the core's refusal by
// field, the credentials it may pick, the delete being confirmed.
import type { StateCreator } from 'zustand';
import type { CredentialInfo, Device } from '../../../src-shared/domain';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';
import type { DeviceFormField, DeviceFormValues, DeviceRefusal, LocalProblem } from './device-form';

export interface DeviceFormState {
  mode: 'add' | 'edit';
  cabinetId: string;
  values: DeviceFormValues;
  serviceTree: Device['serviceTree'];
  saving: boolean;
  local: Partial<Record<DeviceFormField, LocalProblem>>;
  error: ShownError | null;
  refusal: DeviceRefusal | null;
}

export interface DeviceEditState {
  form: DeviceFormState | null;
  credentials: CredentialInfo[] | null;
  credentialsError: ShownError | null;
  /** The device last saved (a confirmation line). */
  saved: { id: string; hostname: string } | null;
  deleting: { deviceId: string; hostname: string; cabinetId: string } | null;
  deleteBusy: boolean;
  deleteError: ShownError | null;
  deleted: string | null;
}

export interface DeviceEditSlice {
  deviceEdit: DeviceEditState;
}

export const initialDeviceEdit: DeviceEditState = {
  form: null,
  credentials: null,
  credentialsError: null,
  saved: null,
  deleting: null,
  deleteBusy: false,
  deleteError: null,
  deleted: null,
};

export const createDeviceEditSlice: StateCreator<AppState, [], [], DeviceEditSlice> = () => ({ deviceEdit: initialDeviceEdit });
