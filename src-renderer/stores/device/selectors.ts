// Selectors of the open device at module scope: detail, BMC, events, controls, host key, lifecycle move.
import type { AppState } from '../store';

export const selectDeviceDetail = (s: AppState) => s.device.detail;
export const selectDeviceDetailError = (s: AppState) => s.device.detailError;
export const selectBmc = (s: AppState) => s.device.bmc;
export const selectBmcLoading = (s: AppState) => s.device.bmcLoading;
export const selectBmcError = (s: AppState) => s.device.bmcError;
export const selectDeviceEvents = (s: AppState) => s.device.events;
export const selectDeviceEventsError = (s: AppState) => s.device.eventsError;
export const selectControl = (s: AppState) => s.device.control;
export const selectHostKey = (s: AppState) => s.device.hostKey;
export const selectDeviceAnsweredAt = (s: AppState) => s.device.answeredAt;
export const selectLifecycleMove = (s: AppState) => s.device.lifecycle;
