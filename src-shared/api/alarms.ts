// Alarms: the alarms the rules raise (one per rule and object, with masked and grouped-under-
// root shown on each), one alarm's history, the rules (admin sets and deletes them), the
// acknowledgement with a comment (operator, audited with it) and the maintenance windows that
// mask alarms (operator; a window needs a reason). The rule conditions the core evaluates are listed in
// src-main/core/alarms/alarm-conditions.ts; a rule with any other is refused (VALIDATION).
// onDidChangeAlarms announces that alarms moved, so views refetch alarms.list.
import { z } from 'zod';
import { event, method, noArgs, optInt, optionalArgs, result, text } from './contract';
import {
  ALARM_STATES, alarmRuleSchema, maintenanceWindowSchema,
  type Alarm, type AlarmEvent, type AlarmRule, type MaintenanceWindow,
} from '../domain/alarm';

const id = text(200);

/** What onDidChangeAlarms carries: when, and how many alarms are pending and firing now. */
export interface AlarmsChange {
  readonly at: number;
  readonly pending: number;
  readonly firing: number;
}

export const alarmMethods = {
  /** The alarms (masked and rootId set as of the last evaluation), optionally of one state or object. */
  'alarms.list': method({
    role: 'viewer',
    args: optionalArgs({ state: z.enum(ALARM_STATES).optional(), objectId: id.optional() }),
    result: result<Alarm[]>(),
    example: { state: 'firing' },
  }),
  /** One alarm's history, newest first. */
  'alarms.history': method({
    role: 'viewer',
    args: z.strictObject({ alarmId: id, limit: optInt(1, 1000) }),
    result: result<AlarmEvent[]>(),
    example: { alarmId: 'down|dev-1' },
  }),
  'alarms.rules': method({ role: 'viewer', args: noArgs, result: result<AlarmRule[]>(), example: undefined }),
  /** Adds or replaces a rule; a condition the core cannot evaluate is refused (VALIDATION naming the field). */
  'alarms.setRule': method({
    role: 'admin',
    args: alarmRuleSchema,
    result: result<AlarmRule>(),
    audit: (r) => `${r.id} (${r.name})`,
    example: {
      id: 'down', name: 'Device unreachable', severity: 'major', forMs: 120_000, scope: {},
      condition: { kind: 'state', state: 'device.status', equals: 'unreachable' },
    },
  }),
  /** Deletes a rule and its alarms (their history stays). */
  'alarms.deleteRule': method({
    role: 'admin',
    args: z.strictObject({ id }),
    result: result<{ deleted: boolean }>(),
    audit: (a) => a.id,
    example: { id: 'down' },
  }),
  /** Acknowledges a pending or firing alarm (a comment is required); the comment is in the audit trail and the history. */
  'alarms.acknowledge': method({
    role: 'operator',
    args: z.strictObject({ alarmId: id, comment: text(2000) }),
    result: result<Alarm>(),
    audit: (a) => `${a.alarmId}: ${a.comment}`.slice(0, 2000),
    example: { alarmId: 'down|dev-1', comment: 'breaker checked' },
  }),
  /** Every stored maintenance window (past, active, future). */
  'alarms.windows': method({ role: 'viewer', args: noArgs, result: result<MaintenanceWindow[]>(), example: undefined }),
  /** Adds or replaces a maintenance window: alarms of objects in its scope are masked while it is active. */
  'alarms.setWindow': method({
    role: 'operator',
    args: maintenanceWindowSchema.refine((w) => w.reason.trim() !== '', { message: 'must be a non-empty string', path: ['reason'] }),
    result: result<MaintenanceWindow>(),
    audit: (w) => `${w.id} ${new Date(w.from).toISOString()}..${new Date(w.to).toISOString()} ${w.reason}`.trim(),
    example: { id: 'w1', scope: { cabinets: ['cab-1'] }, from: 0, to: 3_600_000, reason: 'rewiring' },
  }),
  /** Ends a window now (one that has not started yet is deleted). */
  'alarms.endWindow': method({
    role: 'operator',
    args: z.strictObject({ id }),
    result: result<{ ended: boolean }>(),
    audit: (a) => a.id,
    example: { id: 'w1' },
  }),
};

export const alarmEvents = {
  /** Alarms moved (an evaluation, an acknowledgement, a rule or window change): refetch alarms.list. */
  onDidChangeAlarms: event({ role: 'viewer', payload: result<AlarmsChange>() }),
};
