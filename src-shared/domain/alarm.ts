// Alarms: rules (a condition over a metric or a state, held for a duration, on an inventory
// selection), the alarms they raise (one per rule and object), their history rows and the
// maintenance windows that mask them. Zod schemas for what the API takes as input (a rule, a
// window, an acknowledgement); plain types for what the core returns. Used by the alarm engine
// (src-main/core/alarms), its store (src-main/core/store/alarm-repository.ts) and later the API.
import { z } from 'zod';
import { DEVICE_KINDS } from './inventory';

export const ALARM_SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[number];

export const ALARM_STATES = ['pending', 'firing', 'resolved'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export const COMPARATORS = ['>', '>=', '<', '<=', '==', '!='] as const;

/** Metrics a rule may watch: read from the store's newest samples (the pollers write them). */
export const STORED_METRICS = ['pdu.power_w', 'snmp.rtt_ms', 'if.in_bps', 'if.out_bps', 'bmc.inlet_c', 'bmc.cpu_c', 'bmc.power_w', 'bmc.sel_critical'] as const;
/** Metrics computed by the alarm engine (src-main/core/alarms/condition-sources.ts). */
export const DERIVED_METRICS = ['if.down_count', 'probe.p99_ms', 'probe.drop_rate', 'cabinet.power_share'] as const;
export const METRIC_CONDITIONS = [...STORED_METRICS, ...DERIVED_METRICS] as const;
export type Comparator = (typeof COMPARATORS)[number];

const id = z.string().min(1).max(200);
const ids = z.array(id).max(10_000).default([]);
const ms = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** An inventory selection: an object is in it when it matches any listed id at any level, or a listed kind. Empty: everything. */
export const inventorySelectionSchema = z.strictObject({
  sites: ids,
  rooms: ids,
  rows: ids,
  cabinets: ids,
  devices: ids,
  kinds: z.array(z.enum(DEVICE_KINDS)).max(DEVICE_KINDS.length).default([]),
});
export type InventorySelection = z.infer<typeof inventorySelectionSchema>;

/** A rule's condition: a metric compared with a threshold, or a state equal to a value. */
export const alarmConditionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('metric'), metric: z.string().min(1).max(200), op: z.enum(COMPARATORS), value: z.number().finite() }),
  z.strictObject({ kind: z.literal('state'), state: z.string().min(1).max(200), equals: z.string().max(200) }),
]);
export type AlarmCondition = z.infer<typeof alarmConditionSchema>;

export const alarmRuleSchema = z.strictObject({
  id,
  name: z.string().min(1).max(200),
  severity: z.enum(ALARM_SEVERITIES),
  condition: alarmConditionSchema,
  /** How long the condition must hold before the alarm fires (0: at once). */
  forMs: ms,
  scope: inventorySelectionSchema,
  /** Where notifications go (https or http URL); none: UI only. */
  webhook: z.url({ protocol: /^https?$/ }).max(2000).optional(),
});
export type AlarmRule = z.infer<typeof alarmRuleSchema>;

export const maintenanceWindowSchema = z
  .strictObject({ id, scope: inventorySelectionSchema, from: ms, to: ms, reason: z.string().max(500) })
  .refine((w) => w.to > w.from, { message: 'a window ends after it starts', path: ['to'] });
export type MaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;

export const alarmAckSchema = z.strictObject({ alarmId: id, comment: z.string().max(2000) });
export type AlarmAckInput = z.infer<typeof alarmAckSchema>;

export interface AlarmAck {
  readonly by: string;
  readonly at: number;
  readonly comment: string;
}

/** One alarm: a rule on an object. The id is stable (alarmId(ruleId, objectId)) across re-fires. */
export interface Alarm {
  readonly id: string;
  readonly ruleId: string;
  readonly objectId: string;
  readonly severity: AlarmSeverity;
  readonly state: AlarmState;
  /** Times it went to firing (a re-fire after resolving counts one more). */
  readonly occurrences: number;
  /** When the condition was first seen true (of this row, ever), and last seen true. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** When the condition started holding in the current episode (what forMs counts from). */
  readonly since: number;
  /** The last value observed (metric rules), null for state rules. */
  readonly value: number | null;
  readonly resolvedAt?: number;
  /** Kept while firing; cleared when it resolves. */
  readonly ack?: AlarmAck;
  /** The root alarm this one is grouped under (topology-roots.ts). */
  readonly rootId?: string;
  /** Inside an active maintenance window: kept, shown as masked, not notified. */
  readonly masked: boolean;
}

export const ALARM_EVENT_KINDS = ['pending', 'fired', 'resolved', 'cleared', 'acked'] as const;
/** 'cleared': the condition went away while pending (never fired). */
export type AlarmEventKind = (typeof ALARM_EVENT_KINDS)[number];

/** One history row. */
export interface AlarmEvent {
  readonly alarmId: string;
  readonly at: number;
  readonly kind: AlarmEventKind;
  readonly severity: AlarmSeverity;
  readonly value: number | null;
  /** Who (acked), else null. */
  readonly actor: string | null;
  readonly comment: string | null;
}

/** The stable id of the alarm of a rule on an object. */
export const alarmId = (ruleId: string, objectId: string): string => `${ruleId}|${objectId}`;
