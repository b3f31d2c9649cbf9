// The device lifecycle (the "CMDB status"): where a device is in its life, the moves allowed
// between states, and what inventory.setLifecycle and inventory.lifecycleCounts answer. Pure.

/** In life order: racked (in the cabinet, no OS), provisioning (installing), online (in service), offline, maintenance, retired. */
export const DEVICE_LIFECYCLES = ['racked', 'provisioning', 'online', 'offline', 'maintenance', 'retired'] as const;
export type DeviceLifecycle = (typeof DEVICE_LIFECYCLES)[number];

/** What a device gets when nothing says otherwise: every device stored before the lifecycle existed, and a new one a file or form does not give one. */
export const DEFAULT_LIFECYCLE: DeviceLifecycle = 'online';

/**
 * The moves allowed from each state. provisioning -> racked: a failed install goes back;
 * online/offline -> provisioning: a reinstall; retired -> racked: the hardware re-used
 * (re-racked for another purpose, keeping its id, events and audit). Staying put is no move.
 */
export const LIFECYCLE_MOVES: Readonly<Record<DeviceLifecycle, readonly DeviceLifecycle[]>> = {
  racked: ['provisioning', 'retired'],
  provisioning: ['online', 'racked'],
  online: ['offline', 'maintenance', 'provisioning'],
  offline: ['online', 'maintenance', 'retired', 'provisioning'],
  maintenance: ['online', 'offline'],
  retired: ['racked'],
};

export function isDeviceLifecycle(v: unknown): v is DeviceLifecycle {
  return typeof v === 'string' && (DEVICE_LIFECYCLES as readonly string[]).includes(v);
}

/** Whether a device in `from` may be moved to `to` (false for from === to: that is no move). */
export function canMove(from: DeviceLifecycle, to: DeviceLifecycle): boolean {
  return LIFECYCLE_MOVES[from].includes(to);
}

/** The states a device in `from` may be moved to, in life order. */
export function nextLifecycles(from: DeviceLifecycle): DeviceLifecycle[] {
  return DEVICE_LIFECYCLES.filter((to) => canMove(from, to));
}

/** The store's own actor: the lab's inventory at start, and imports or forms that name no one. */
export const SYSTEM_ACTOR = 'system';

/** Who last moved a device's lifecycle, and when; absent on a device not moved since the lifecycle was added to the store. */
export interface LifecycleChange {
  /** ms since epoch. */
  readonly at: number;
  /** The actor (an operator's name, SYSTEM_ACTOR for the lab's own inventory). */
  readonly by: string;
}

/** inventory.setLifecycle's answer: devices moved, and devices already in the target state (left as they were). */
export interface LifecycleSetResult {
  readonly changed: number;
  readonly unchanged: number;
}

/** Why one device refused a move: the table does not allow it, or it is not in the state the caller expected (someone else moved it). */
export type LifecycleRefusalReason = 'not-allowed' | 'not-expected';

/** One device that refused (LifecycleMoveError's params.refused). */
export interface LifecycleRefusal {
  readonly deviceId: string;
  readonly hostname: string;
  readonly from: DeviceLifecycle;
  readonly reason: LifecycleRefusalReason;
}

/** How many refusals a LifecycleMoveError lists by device (params.refusedCount is whole). */
export const LIFECYCLE_REFUSALS_LISTED = 100;

export type LifecycleCountsByState = Readonly<Record<DeviceLifecycle, number>>;

/** inventory.lifecycleCounts: devices per lifecycle state for the fleet and per site (sites by id; every state present, 0 when none). */
export interface LifecycleCounts {
  readonly total: number;
  readonly counts: LifecycleCountsByState;
  readonly sites: readonly { readonly siteId: string; readonly name: string; readonly total: number; readonly counts: LifecycleCountsByState }[];
}
