// The rule conditions the alarms capability can evaluate, and how it reads them. Pure but for
// the sources it is handed (condition-sources.ts builds the derived ones from the core).
//
// Done (each with a unit test in test/unit/core/alarms/conditions.test.ts):
//   state 'device.status' = up | degraded | unreachable: the fleet poller's health of the
//     device (src-main/core/fleet/snmp-poller.ts). 'unknown' (not polled yet) is no data.
//   state 'agent.health' = healthy | over-cap | stale | never-reported | revoked: the health of
//     the device's agent as the agents list shows it (agents-capability.ts); a device with no
//     agent is not observed.
//   state 'probe.suspect' = suspect | clear: whether the device is the probe matrix's top
//     suspect (a host link, a ToR or its uplink) in its newest localisation; an alarm of such a
//     rule is a cause: the alarms of the hosts of the suspect's bad pairs, and the device's own
//     other alarms, are grouped under it (topology-roots.ts). Spine and WAN suspects (rooms,
//     sites) are not alarmed on: the objects are devices.
//   metric, the newest stored raw sample of the device (older than staleMs: no data):
//     'pdu.power_w' (PDU meter), 'snmp.rtt_ms', 'if.in_bps', 'if.out_bps' (the fleet poller),
//     'bmc.inlet_c' (inlet temperature), 'bmc.cpu_c', 'bmc.power_w' (the BMC sensor poller).
//   metric 'bmc.sel_critical' (stored too, by the BMC sensor poller on every read of a BMC): the
//     critical SEL entries first seen in the last 15 min (the poller's selWindowMs; what is
//     critical: device-control/sel-critical.ts) - "SEL critical events in the last 15 min" is
//     bmc.sel_critical > 0 (test/unit/core/alarms/sel-critical-condition.test.ts); it resolves
//     a window after the last such entry. A BMC whose SEL was never read has no data.
//   metric 'if.down_count': the device's links the poller judges down in its last answered poll
//     (seen up, now oper down while admin up: what makes it degraded; a port that never came up
//     or was shut is not down) - "interface down" is if.down_count >= 1.
//   metric 'probe.p99_ms' / 'probe.drop_rate': the probe matrix's newest stored server-level
//     minute of the device as a source: its worst P99 over its destinations (ms), and its
//     drops over drops + answered probes (0..1). The minute's end is its time (staleMs applies).
//   metric 'cabinet.power_share' (the object is the cabinet): its PDUs' newest pdu.power_w
//     summed over the cabinet's rated power (ratedPowerKw) - "PDU power above 80% of rated" is
//     cabinet.power_share > 0.8. Observed only when every PDU of the cabinet has a fresh sample
//     and the rating is above 0. A rule's kinds do not narrow a cabinet condition.
// Not done:
//   gateway and cluster metrics: later issues.
// unsupportedCondition(rule) names the field and the reason for anything else (setRule refuses it).
import { DERIVED_METRICS, METRIC_CONDITIONS, STORED_METRICS, type AlarmCondition, type AlarmRule } from '../../../src-shared/domain/alarm';
import { AGENT_HEALTH } from '../../../src-shared/domain/agent';
import type { DeviceStatus } from '../../../src-shared/domain/fleet';
import { compare, type Observation } from './alarm-engine';

export const STATE_CONDITIONS = {
  'device.status': ['up', 'degraded', 'unreachable'],
  'agent.health': AGENT_HEALTH,
  'probe.suspect': ['suspect', 'clear'],
} as const satisfies Record<string, readonly string[]>;
// The metric names (stored: read from the store's newest samples; derived: computed by
// condition-sources.ts) are the contract's, so the rules form offers the same list.
export { DERIVED_METRICS, METRIC_CONDITIONS, STORED_METRICS };
export type DerivedMetric = (typeof DERIVED_METRICS)[number];
/** Conditions whose objects are cabinets (the rest: devices). */
export const CABINET_METRICS: readonly string[] = ['cabinet.power_share'];

export type Reading = { readonly ts: number; readonly value: number };

export interface ConditionSources {
  /** The poller's status of a device; undefined when it has none. */
  status(deviceId: string): DeviceStatus | undefined;
  /** Each object's newest reading of a metric (stored or derived); objects without one absent. */
  latest(metric: string, objectIds: readonly string[]): ReadonlyMap<string, Reading>;
  /** Other states ('agent.health') of a device; undefined: no data. */
  state?(state: string, deviceId: string): string | undefined;
}

/** Whether a condition's objects are cabinets (else devices). */
export const onCabinets = (c: AlarmCondition): boolean => c.kind === 'metric' && CABINET_METRICS.includes(c.metric);

/** Why the capability cannot evaluate a condition ({ field, problem }), or null when it can. */
export function unsupportedCondition(c: AlarmCondition): { field: string; problem: string } | null {
  if (c.kind === 'state') {
    const values: readonly string[] | undefined = Object.hasOwn(STATE_CONDITIONS, c.state) ? (STATE_CONDITIONS as Record<string, readonly string[]>)[c.state] : undefined;
    if (!values) return { field: 'condition.state', problem: `is not a state the alarms understand (known: ${Object.keys(STATE_CONDITIONS).join(', ')})` };
    if (!values.includes(c.equals)) return { field: 'condition.equals', problem: `is not a value of ${c.state} (known: ${values.join(', ')})` };
    return null;
  }
  if (!(METRIC_CONDITIONS as readonly string[]).includes(c.metric)) {
    return { field: 'condition.metric', problem: `is not a metric the alarms understand (known: ${METRIC_CONDITIONS.join(', ')})` };
  }
  return null;
}

/** One rule's observations over its objects (devices, or cabinets for a cabinet condition) at `now`. */
export function observeRule(rule: AlarmRule, objects: readonly string[], src: ConditionSources, now: number, staleMs: number): Observation[] {
  const out: Observation[] = [];
  const c = rule.condition;
  if (unsupportedCondition(c)) return out;
  if (c.kind === 'state') {
    for (const objectId of objects) {
      const s = c.state === 'device.status' ? src.status(objectId) : src.state?.(c.state, objectId);
      if (s === undefined || s === 'unknown') continue;
      out.push({ ruleId: rule.id, objectId, holds: s === c.equals, value: null });
    }
    return out;
  }
  const last = src.latest(c.metric, objects);
  for (const objectId of objects) {
    const r = last.get(objectId);
    if (r === undefined || now - r.ts > staleMs) continue;
    out.push({ ruleId: rule.id, objectId, holds: compare(r.value, c.op, c.value), value: r.value });
  }
  return out;
}
