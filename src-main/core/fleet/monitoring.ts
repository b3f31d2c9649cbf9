// Whether the console polls a device, why not, and the poller's last protocol error, as the
// elevation and the device page show it (src-shared/domain/fleet.ts Monitoring).
import type { Monitoring, NotMonitoredReason } from '../../../src-shared/domain';
import type { DevicePollState } from './poller/types';

/** What the fleet knows about who is polled: kept by the fleet module at each (re)load. */
export interface MonitoringSource {
  /** Devices not polled, and why. */
  readonly notMonitored: ReadonlyMap<string, NotMonitoredReason>;
  /** Management addresses more than one device uses. */
  readonly sharedAddresses: ReadonlySet<string>;
}

/** A device's monitoring: not polled with its reason, or polled with its last error while unreachable or degraded. */
export function monitoringOf(reason: NotMonitoredReason | undefined, state: Pick<DevicePollState, 'health' | 'lastError'> | undefined): Monitoring {
  if (reason) return { polled: false, reason, lastError: null };
  const failing = state?.health === 'unreachable' || state?.health === 'degraded';
  return { polled: true, reason: null, lastError: failing ? (state?.lastError ?? null) : null };
}
