// The rule conditions the alarms capability can evaluate, and how it reads them. Pure but for
// the two sources it is handed (the poller's device status, the metrics' newest samples).
//
//   state 'device.status' equals 'up' | 'degraded' | 'unreachable': the fleet poller's health
//     of the device (src-main/core/fleet/snmp-poller.ts). A device the poller has no status
//     for (not monitored, or not polled yet: 'unknown') is not observed: no data is not "clear".
//   metric 'pdu.power_w' | 'snmp.rtt_ms' | 'if.in_bps' | 'if.out_bps': the device's newest
//     raw sample of that series (what the fleet poller stores), compared with the threshold.
//     A device with no sample newer than staleMs is not observed.
// unsupportedCondition(rule) names the field and the reason for anything else (setRule refuses it).
import type { AlarmCondition, AlarmRule } from '../../../src-shared/domain/alarm';
import type { DeviceStatus } from '../../../src-shared/domain/fleet';
import { compare, type Observation } from './alarm-engine';

export const STATE_CONDITIONS = { 'device.status': ['up', 'degraded', 'unreachable'] } as const satisfies Record<string, readonly string[]>;
export const METRIC_CONDITIONS = ['pdu.power_w', 'snmp.rtt_ms', 'if.in_bps', 'if.out_bps'] as const;

export interface ConditionSources {
  /** The poller's status of a device; undefined when it has none. */
  status(deviceId: string): DeviceStatus | undefined;
  /** Each device's newest sample of a metric; devices without one absent. */
  latest(metric: string, deviceIds: readonly string[]): ReadonlyMap<string, { readonly ts: number; readonly value: number }>;
}

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

/** One rule's observations over its devices at `now`. */
export function observeRule(rule: AlarmRule, devices: readonly string[], src: ConditionSources, now: number, staleMs: number): Observation[] {
  const out: Observation[] = [];
  const c = rule.condition;
  if (unsupportedCondition(c)) return out;
  if (c.kind === 'state') {
    for (const objectId of devices) {
      const s = src.status(objectId);
      if (s === undefined || s === 'unknown') continue;
      out.push({ ruleId: rule.id, objectId, holds: s === c.equals, value: null });
    }
    return out;
  }
  const last = src.latest(c.metric, devices);
  for (const objectId of devices) {
    const r = last.get(objectId);
    if (r === undefined || now - r.ts > staleMs) continue;
    out.push({ ruleId: rule.id, objectId, holds: compare(r.value, c.op, c.value), value: r.value });
  }
  return out;
}
