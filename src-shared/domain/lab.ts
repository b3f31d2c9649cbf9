// The embedded lab fleet: the faults an operator can inject and what the lab reports back.

/** Faults aimed at one device, and faults aimed at a whole cabinet. */
export const DEVICE_FAULTS = ['kill-device', 'revive-device', 'link-down', 'link-up'] as const;
export const CABINET_FAULTS = ['trip-pdu', 'restore-pdu'] as const;

export type DeviceFaultKind = (typeof DEVICE_FAULTS)[number];
export type CabinetFaultKind = (typeof CABINET_FAULTS)[number];

/** link-down takes the device's first link down (oper down, admin up): it answers but is degraded. */
export type LabFault =
  | { readonly kind: DeviceFaultKind; readonly deviceId: string }
  | { readonly kind: CabinetFaultKind; readonly cabinetId: string };

export interface LabStatus {
  readonly running: boolean;
  readonly devices: number;
  readonly deadDevices: readonly string[];
  readonly trippedCabinets: readonly string[];
  /** Devices whose first link the lab has taken down. */
  readonly linksDown: readonly string[];
}
