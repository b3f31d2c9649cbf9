// Device form selectors at module scope.
import type { AppState } from '../store';

export const selectDeviceForm = (s: AppState) => s.deviceEdit.form;
export const selectDeviceFormCredentials = (s: AppState) => s.deviceEdit.credentials;
export const selectDeviceFormCredentialsError = (s: AppState) => s.deviceEdit.credentialsError;
export const selectDeviceSaved = (s: AppState) => s.deviceEdit.saved;
export const selectDeviceDeleting = (s: AppState) => s.deviceEdit.deleting;
export const selectDeviceDeleteBusy = (s: AppState) => s.deviceEdit.deleteBusy;
export const selectDeviceDeleteError = (s: AppState) => s.deviceEdit.deleteError;
export const selectDeviceDeleted = (s: AppState) => s.deviceEdit.deleted;
