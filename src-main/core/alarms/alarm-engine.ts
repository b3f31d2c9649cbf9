// The alarm state machine: pure, no I/O, the clock passed in. The caller (later the alarms
// capability) reads each rule's condition for each object in its scope and hands the engine
// observations; the engine keeps one alarm per (rule, object) and returns the history events
// each step produced, for the store (alarm-repository.ts) and the notifier.
//
//   const engine = createAlarmEngine(rules, storedAlarms);
//   engine.evaluate(now, [{ ruleId, objectId, holds, value }]) -> AlarmEvent[]
//   engine.acknowledge(alarmId, by, now, comment)            -> AlarmEvent
//
// Semantics (per (rule, object)):
//  - holds, no alarm yet: 'pending' from now (firstSeen = since = now); with forMs 0 it fires at once.
//  - holds while pending: fires once now - since >= forMs; occurrences + 1.
//  - holds while firing: lastSeen and value move on (no event).
//  - holds while resolved: pending again from now (same row: a re-fire is a new occurrence of it).
//  - does not hold while pending: 'cleared' - back to resolved if it ever fired, else the row goes.
//  - does not hold while firing: 'resolved' at now; the acknowledgement ends with it.
//  - not observed in a step: unchanged (no data is not "clear"; staleness is the caller's rule).
// Acknowledging needs a pending or firing alarm; the ack lasts until the alarm resolves.
// stepWrites(engine, observations, events) turns a step into the store's writes (AlarmRepository.apply):
// every alarm observed or evented (a firing alarm's lastSeen and value move without an event).
// Roots and masks are views over the engine's alarms (topology-roots.ts, masking.ts).
import { alarmId, type Alarm, type AlarmEvent, type AlarmRule, type Comparator } from '../../../src-shared/domain/alarm';

/** A rule's condition on one object at one evaluation. */
export interface Observation {
  readonly ruleId: string;
  readonly objectId: string;
  readonly holds: boolean;
  /** The metric's value (metric rules); null for state rules. */
  readonly value: number | null;
}

export interface AlarmEngine {
  evaluate(now: number, observations: Iterable<Observation>): AlarmEvent[];
  acknowledge(alarmId: string, by: string, now: number, comment: string): AlarmEvent;
  /** Replaces the rule set; alarms of rules gone are dropped. */
  setRules(rules: readonly AlarmRule[]): void;
  alarms(): Alarm[];
  get(alarmId: string): Alarm | undefined;
}

/** Whether a metric value meets a comparator and threshold. */
export function compare(value: number, op: Comparator, threshold: number): boolean {
  switch (op) {
    case '>': return value > threshold;
    case '>=': return value >= threshold;
    case '<': return value < threshold;
    case '<=': return value <= threshold;
    case '==': return value === threshold;
    case '!=': return value !== threshold;
  }
}

/** Whether a rule's condition holds for a sample: a number for metric rules, a string for state rules. */
export function conditionHolds(rule: Pick<AlarmRule, 'condition'>, sample: number | string | null): boolean {
  const c = rule.condition;
  if (sample === null) return false;
  return c.kind === 'metric' ? typeof sample === 'number' && compare(sample, c.op, c.value) : sample === c.equals;
}

export function createAlarmEngine(rules: readonly AlarmRule[], stored: readonly Alarm[] = []): AlarmEngine {
  let byRule = new Map(rules.map((r) => [r.id, r]));
  const alarms = new Map(stored.filter((a) => byRule.has(a.ruleId)).map((a) => [a.id, a]));

  const event = (a: Alarm, at: number, kind: AlarmEvent['kind'], actor: string | null = null, comment: string | null = null): AlarmEvent =>
    ({ alarmId: a.id, at, kind, severity: a.severity, value: a.value, actor, comment });

  function step(now: number, o: Observation, rule: AlarmRule, out: AlarmEvent[]): void {
    const id = alarmId(o.ruleId, o.objectId);
    const had = alarms.get(id);
    if (!o.holds) {
      if (had?.state === 'firing') {
        const { ack: _ack, ...rest } = had;
        const next: Alarm = { ...rest, state: 'resolved', resolvedAt: now };
        alarms.set(id, next);
        out.push(event(next, now, 'resolved'));
      } else if (had?.state === 'pending') {
        out.push(event(had, now, 'cleared'));
        if (had.occurrences > 0) {
          const { ack: _ack, ...rest } = had;
          alarms.set(id, { ...rest, state: 'resolved' });
        } else alarms.delete(id);
      }
      return;
    }
    let cur: Alarm;
    if (had === undefined || had.state === 'resolved') {
      cur = {
        id, ruleId: o.ruleId, objectId: o.objectId, severity: rule.severity, state: 'pending', occurrences: had?.occurrences ?? 0,
        firstSeen: had?.firstSeen ?? now, lastSeen: now, since: now, value: o.value, masked: false,
        ...(had?.resolvedAt !== undefined ? { resolvedAt: had.resolvedAt } : {}),
      };
      out.push(event(cur, now, 'pending'));
    } else cur = { ...had, severity: rule.severity, lastSeen: now, value: o.value };
    if (cur.state === 'pending' && now - cur.since >= rule.forMs) {
      const { resolvedAt: _r, ...rest } = cur;
      cur = { ...rest, state: 'firing', occurrences: cur.occurrences + 1 };
      out.push(event(cur, now, 'fired'));
    }
    alarms.set(id, cur);
  }

  return {
    evaluate(now, observations) {
      const out: AlarmEvent[] = [];
      for (const o of observations) {
        const rule = byRule.get(o.ruleId);
        if (rule === undefined) throw new RangeError(`alarm engine: observation of rule ${o.ruleId}, which the engine does not hold`);
        step(now, o, rule, out);
      }
      return out;
    },
    acknowledge(id, by, now, comment) {
      const a = alarms.get(id);
      if (a === undefined || a.state === 'resolved') throw new RangeError(`alarm engine: ${id} is not an active alarm`);
      const next: Alarm = { ...a, ack: { by, at: now, comment } };
      alarms.set(id, next);
      return event(next, now, 'acked', by, comment);
    },
    setRules(next) {
      byRule = new Map(next.map((r) => [r.id, r]));
      for (const [id, a] of alarms) if (!byRule.has(a.ruleId)) alarms.delete(id);
    },
    alarms: () => [...alarms.values()],
    get: (id) => alarms.get(id),
  };
}

/** The store writes of a step: the alarms it observed or evented that exist, and the ids of evented ones that went. */
export function stepWrites(engine: Pick<AlarmEngine, 'get'>, observations: Iterable<Observation>, events: readonly AlarmEvent[]): { changed: Alarm[]; removed: string[] } {
  const changed: Alarm[] = [];
  const removed: string[] = [];
  const touched = new Set<string>();
  const evented = new Set(events.map((e) => e.alarmId));
  for (const o of observations) touched.add(alarmId(o.ruleId, o.objectId));
  for (const id of evented) touched.add(id);
  for (const id of touched) {
    const a = engine.get(id);
    if (a !== undefined) changed.push(a);
    else if (evented.has(id)) removed.push(id);
  }
  return { changed, removed };
}
