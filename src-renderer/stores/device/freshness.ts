// How fresh what the device page shows is, from the detail and the BMC read: which power
// reading to show (the PDU's meter or the server's BMC, by detail.powerSource; the BMC read
// on this page when the detail has none) and whether it is stale; when the device last
// answered; why its interfaces were not read, as a code. Pure: the unit tests call it.
import type { BmcInfo, DeviceDetail, DeviceStatus, InterfacesProblem } from '../../../src-shared/domain';

/** A PDU is polled every cycle and the BMC sensor poller runs about once a minute: three missed rounds is stale. */
export const POWER_STALE_MS = 180_000;

export type PowerShown =
  | { kind: 'pdu' | 'bmc'; watts: number; at: number | null; stale: boolean }
  | { kind: 'bmc-live'; watts: number; at: number; stale: false; source: 'dcmi' | 'sensor' | null };

const answering = (s: DeviceStatus) => s === 'up' || s === 'degraded';

/**
 * The power reading the page shows. The detail's own reading comes first, marked stale when
 * it is old or the device does not answer; a server whose detail has no reading shows what
 * its BMC said on this page (never "no power reading" beside a BMC panel showing watts).
 */
export function powerShown(detail: DeviceDetail, bmc: BmcInfo | null, now: number): PowerShown | null {
  if (detail.powerWatts !== null) {
    const kind = detail.powerSource ?? (detail.device.kind === 'pdu' ? 'pdu' : 'bmc');
    const at = detail.powerAt ?? null;
    const old = at !== null && now - at > POWER_STALE_MS;
    // A PDU that does not answer is not metered now; a BMC reading stands on its own age.
    const stale = old || (kind === 'pdu' && !answering(detail.status));
    return { kind, watts: detail.powerWatts, at, stale };
  }
  if (bmc && bmc.deviceId === detail.device.id && bmc.powerWatts !== null) {
    return { kind: 'bmc-live', watts: bmc.powerWatts, at: bmc.fetchedAt, stale: false, source: bmc.powerSource };
  }
  return null;
}

/** When the device last answered a poll, as far as this page knows (null: not since it was opened). */
export function nextAnsweredAt(previous: number | null, status: DeviceStatus, lastPollAt: number | null): number | null {
  return answering(status) && lastPollAt !== null ? Math.max(lastPollAt, previous ?? 0) : previous;
}

/** Whether the page's sysName, uptime and RTT are from an earlier answer, not from now. */
export function factsStale(status: DeviceStatus): boolean {
  return status === 'unreachable';
}

/**
 * Why the interfaces were not read, as a code: detail.interfacesProblem when the core sends
 * it; else recognised from the core's English interfacesError (cores before the codes).
 */
export function interfacesProblemOf(detail: Pick<DeviceDetail, 'interfacesProblem' | 'interfacesError' | 'status'>): InterfacesProblem | null {
  if (detail.interfacesProblem) return detail.interfacesProblem;
  const e = detail.interfacesError;
  if (e === null || e === undefined) return null;
  if (/no SNMP credential/i.test(e)) return { code: 'no-credential' };
  if (/^not read: the device is \w+$/i.test(e)) return { code: 'not-read', status: detail.status };
  const named = /^(\w+Error): ([\s\S]*)$/.exec(e);
  // The live read failed between the poll and now: the device stopped answering.
  return { code: 'read-failed', error: { name: named ? named[1] : 'Error', code: 'UNAVAILABLE', message: named ? named[2] : e } };
}
