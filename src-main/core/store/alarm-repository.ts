// The alarms' store (migration 15): rules, the engine's alarms (one row per rule and object,
// kept across re-fires), their history and maintenance windows. The alarms capability loads
// rules, alarms and windows at start (createAlarmEngine(rules, alarms)) and after each
// evaluation writes its changed alarms, the rows that went (a pending alarm that cleared) and
// the step's events in one transaction (apply). Rule condition and scope are JSON, read back
// through the domain's zod schemas so a stored rule is always a valid one.
// Retention (expireHistory, which the capability runs hourly): history rows older than the cut
// go, but not those of an alarm still active (pending or firing): its story stays whole while
// it is open. Alarm rows are never expired: one per rule and object, and the engine holds them.
import {
  alarmConditionSchema, inventorySelectionSchema, type Alarm, type AlarmEvent, type AlarmRule, type MaintenanceWindow,
} from '../../../src-shared/domain/alarm';
import type { Db } from './database';

interface RuleRow { id: string; name: string; severity: AlarmRule['severity']; condition: string; for_ms: number; scope: string; webhook: string | null }
interface AlarmRow {
  id: string; rule_id: string; object_id: string; severity: Alarm['severity']; state: Alarm['state']; occurrences: number;
  first_seen: number; last_seen: number; since: number; value: number | null; resolved_at: number | null;
  ack_by: string | null; ack_at: number | null; ack_comment: string | null; root_id: string | null; masked: number;
}
interface EventRow { alarm_id: string; at: number; kind: AlarmEvent['kind']; severity: AlarmEvent['severity']; value: number | null; actor: string | null; comment: string | null }
interface WindowRow { id: string; scope: string; from_ms: number; to_ms: number; reason: string }

const toRule = (r: RuleRow): AlarmRule => ({
  id: r.id, name: r.name, severity: r.severity, condition: alarmConditionSchema.parse(JSON.parse(r.condition)), forMs: r.for_ms,
  scope: inventorySelectionSchema.parse(JSON.parse(r.scope)), ...(r.webhook !== null ? { webhook: r.webhook } : {}),
});

const toAlarm = (r: AlarmRow): Alarm => ({
  id: r.id, ruleId: r.rule_id, objectId: r.object_id, severity: r.severity, state: r.state, occurrences: r.occurrences,
  firstSeen: r.first_seen, lastSeen: r.last_seen, since: r.since, value: r.value, masked: r.masked !== 0,
  ...(r.resolved_at !== null ? { resolvedAt: r.resolved_at } : {}),
  ...(r.ack_by !== null && r.ack_at !== null ? { ack: { by: r.ack_by, at: r.ack_at, comment: r.ack_comment ?? '' } } : {}),
  ...(r.root_id !== null ? { rootId: r.root_id } : {}),
});

const toEvent = (r: EventRow): AlarmEvent => ({ alarmId: r.alarm_id, at: r.at, kind: r.kind, severity: r.severity, value: r.value, actor: r.actor, comment: r.comment });

export interface AlarmFilter {
  readonly state?: Alarm['state'];
  readonly objectId?: string;
}

export class AlarmRepository {
  readonly #db: Db;
  readonly #q;

  constructor(db: Db) {
    this.#db = db;
    this.#q = {
      putRule: db.prepare('INSERT OR REPLACE INTO alarm_rules (id, name, severity, condition, for_ms, scope, webhook) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      deleteRule: db.prepare<[string]>('DELETE FROM alarm_rules WHERE id = ?'),
      rules: db.prepare<[], RuleRow>('SELECT * FROM alarm_rules ORDER BY id'),
      upsert: db.prepare(`INSERT INTO alarms (id, rule_id, object_id, severity, state, occurrences, first_seen, last_seen, since, value, resolved_at, ack_by, ack_at, ack_comment, root_id, masked)
        VALUES (@id, @rule_id, @object_id, @severity, @state, @occurrences, @first_seen, @last_seen, @since, @value, @resolved_at, @ack_by, @ack_at, @ack_comment, @root_id, @masked)
        ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, state = excluded.state, occurrences = excluded.occurrences,
          first_seen = excluded.first_seen, last_seen = excluded.last_seen, since = excluded.since, value = excluded.value,
          resolved_at = excluded.resolved_at, ack_by = excluded.ack_by, ack_at = excluded.ack_at, ack_comment = excluded.ack_comment,
          root_id = excluded.root_id, masked = excluded.masked`),
      deleteAlarm: db.prepare<[string]>('DELETE FROM alarms WHERE id = ?'),
      alarms: db.prepare<[{ state: string | null; objectId: string | null }], AlarmRow>('SELECT * FROM alarms WHERE (@state IS NULL OR state = @state) AND (@objectId IS NULL OR object_id = @objectId) ORDER BY id'),
      event: db.prepare('INSERT INTO alarm_events (alarm_id, at, kind, severity, value, actor, comment) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      history: db.prepare<[string, number], EventRow>('SELECT * FROM alarm_events WHERE alarm_id = ? ORDER BY id DESC LIMIT ?'),
      putWindow: db.prepare('INSERT OR REPLACE INTO maintenance_windows (id, scope, from_ms, to_ms, reason) VALUES (?, ?, ?, ?, ?)'),
      deleteWindow: db.prepare<[string]>('DELETE FROM maintenance_windows WHERE id = ?'),
      windows: db.prepare<[], WindowRow>('SELECT * FROM maintenance_windows ORDER BY from_ms, id'),
      expireEvents: db.prepare<[number]>("DELETE FROM alarm_events WHERE at < ? AND alarm_id NOT IN (SELECT id FROM alarms WHERE state <> 'resolved')"),
    };
  }

  putRule(r: AlarmRule): void {
    this.#q.putRule.run(r.id, r.name, r.severity, JSON.stringify(r.condition), r.forMs, JSON.stringify(r.scope), r.webhook ?? null);
  }

  /** Deletes a rule and its alarms (their history stays). */
  deleteRule(id: string): boolean {
    return this.#q.deleteRule.run(id).changes > 0;
  }

  rules(): AlarmRule[] {
    return this.#q.rules.all().map(toRule);
  }

  /** One evaluation step's writes, in one transaction: alarms changed, rows gone, history events. */
  apply(changed: readonly Alarm[], removed: readonly string[], events: readonly AlarmEvent[]): void {
    this.#db.transaction(() => {
      for (const a of changed) this.#upsert(a);
      for (const id of removed) this.#q.deleteAlarm.run(id);
      for (const e of events) this.#q.event.run(e.alarmId, e.at, e.kind, e.severity, e.value, e.actor, e.comment);
    })();
  }

  upsert(a: Alarm): void {
    this.#upsert(a);
  }

  list(f: AlarmFilter = {}): Alarm[] {
    return this.#q.alarms.all({ state: f.state ?? null, objectId: f.objectId ?? null }).map(toAlarm);
  }

  /** An alarm's history, newest first. */
  history(alarmId: string, limit = 200): AlarmEvent[] {
    return this.#q.history.all(alarmId, limit).map(toEvent);
  }

  /** Drops history rows older than `before` (ms) but those of alarms still active (pending or firing); how many went. */
  expireHistory(before: number): number {
    return this.#q.expireEvents.run(before).changes;
  }

  putWindow(w: MaintenanceWindow): void {
    this.#q.putWindow.run(w.id, JSON.stringify(w.scope), w.from, w.to, w.reason);
  }

  deleteWindow(id: string): boolean {
    return this.#q.deleteWindow.run(id).changes > 0;
  }

  windows(): MaintenanceWindow[] {
    return this.#q.windows.all().map((r) => ({ id: r.id, scope: inventorySelectionSchema.parse(JSON.parse(r.scope)), from: r.from_ms, to: r.to_ms, reason: r.reason }));
  }

  #upsert(a: Alarm): void {
    this.#q.upsert.run({
      id: a.id, rule_id: a.ruleId, object_id: a.objectId, severity: a.severity, state: a.state, occurrences: a.occurrences,
      first_seen: a.firstSeen, last_seen: a.lastSeen, since: a.since, value: a.value, resolved_at: a.resolvedAt ?? null,
      ack_by: a.ack?.by ?? null, ack_at: a.ack?.at ?? null, ack_comment: a.ack?.comment ?? null, root_id: a.rootId ?? null, masked: a.masked ? 1 : 0,
    });
  }
}
