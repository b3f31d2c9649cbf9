// The embedded lab fleet: the faults an operator can inject and what the lab reports back.
import type { Feed } from '../power-feeds';

/** Faults aimed at one device, and faults aimed at a whole cabinet. */
export const DEVICE_FAULTS = ['kill-device', 'revive-device', 'link-down', 'link-up'] as const;
export const CABINET_FAULTS = ['trip-pdu', 'restore-pdu'] as const;

export type DeviceFaultKind = (typeof DEVICE_FAULTS)[number];
export type CabinetFaultKind = (typeof CABINET_FAULTS)[number];

/**
 * link-down takes the device's first link down (oper down, admin up): it answers but is degraded.
 * trip-pdu without a feed trips the whole cabinet (every PDU: all its devices lose power);
 * with one, only that feed's PDU, and only the loads whose every PSU is on it go dark (the
 * cabinet must have that feed). restore-pdu with a feed restores that feed; without one, the
 * whole cabinet (its trip and any feed tripped on its own).
 */
export type LabFault =
  | { readonly kind: DeviceFaultKind; readonly deviceId: string }
  | { readonly kind: CabinetFaultKind; readonly cabinetId: string; readonly feed?: Feed };

export interface LabStatus {
  readonly running: boolean;
  readonly devices: number;
  readonly deadDevices: readonly string[];
  /** Cabinets tripped whole (trip-pdu without a feed). */
  readonly trippedCabinets: readonly string[];
  /** Feeds tripped on their own (trip-pdu with a feed); absent from a lab that is not running. */
  readonly trippedFeeds?: readonly { readonly cabinetId: string; readonly feed: Feed }[];
  /** Devices whose first link the lab has taken down. */
  readonly linksDown: readonly string[];
}
