// What the poller's changes mean as fleet events: a device's status moving (not its first
// answer), and an interface's oper status moving, each with a code and params for wording.
import type { FleetEvent } from '../../../src-shared/domain';
import type { DeviceHealthChange, InterfaceChange } from './snmp-poller';

type NewEvent = Omit<FleetEvent, 'id'>;

export function statusEvents(health: readonly DeviceHealthChange[], hostname: (deviceId: string) => string): NewEvent[] {
  // A device's first answer is not news; every change after it is.
  return health
    .filter((h) => h.previous !== 'unknown')
    .map((h) => ({
      at: h.at,
      deviceId: h.deviceId,
      kind: 'status' as const,
      severity: h.status === 'unreachable' ? ('critical' as const) : h.status === 'degraded' ? ('warning' as const) : ('info' as const),
      code: 'status.changed' as const,
      params: { hostname: hostname(h.deviceId), previous: h.previous, status: h.status },
      message: `${hostname(h.deviceId)}: ${h.previous} -> ${h.status}`,
      ...(h.reasons.length ? { details: { reasons: h.reasons } } : {}),
    }));
}

export function interfaceEvents(changes: readonly InterfaceChange[], hostname: (deviceId: string) => string): NewEvent[] {
  return changes.map((c) => ({
    at: c.at,
    deviceId: c.deviceId,
    kind: 'interface' as const,
    severity: c.status === 'down' && c.adminStatus === 'up' ? ('warning' as const) : ('info' as const),
    code: 'interface.changed' as const,
    params: { hostname: hostname(c.deviceId), name: c.name, previous: c.previous, status: c.status },
    message: `${hostname(c.deviceId)} ${c.name}: ${c.previous} -> ${c.status}`,
  }));
}
