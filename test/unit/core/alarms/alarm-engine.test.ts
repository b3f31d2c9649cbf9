// The alarm state machine: pending until the condition has held forMs, then firing; resolved
// when it clears; a re-fire is a new occurrence of the same row; an ack lasts until resolved;
// a pending alarm that clears before firing leaves no row.
import { describe, expect, it } from 'vitest';
import { compare, conditionHolds, createAlarmEngine, stepWrites, type Observation } from '../../../../src-main/core/alarms/alarm-engine';
import { alarmId, alarmRuleSchema, type AlarmRule } from '../../../../src-shared/domain/alarm';

const rule: AlarmRule = alarmRuleSchema.parse({
  id: 'hot', name: 'PDU above 90%', severity: 'major', forMs: 120_000, scope: {},
  condition: { kind: 'metric', metric: 'pdu.powerShare', op: '>', value: 0.9 },
});
const obs = (holds: boolean, value = holds ? 0.95 : 0.5): Observation => ({ ruleId: 'hot', objectId: 'pdu1', holds, value });
const id = alarmId('hot', 'pdu1');

describe('alarm engine', () => {
  it('stays pending until the condition has held forMs, then fires once', () => {
    const e = createAlarmEngine([rule]);
    expect(e.evaluate(0, [obs(true)]).map((x) => x.kind)).toEqual(['pending']);
    expect(e.evaluate(119_999, [obs(true)])).toEqual([]);
    expect(e.get(id)?.state).toBe('pending');
    expect(e.evaluate(120_000, [obs(true)]).map((x) => x.kind)).toEqual(['fired']);
    expect(e.evaluate(180_000, [obs(true, 0.97)])).toEqual([]);
    expect(e.get(id)).toMatchObject({ state: 'firing', occurrences: 1, firstSeen: 0, lastSeen: 180_000, value: 0.97, severity: 'major', masked: false });
  });

  it('drops a pending alarm whose condition clears before forMs', () => {
    const e = createAlarmEngine([rule]);
    e.evaluate(0, [obs(true)]);
    expect(e.evaluate(60_000, [obs(false)]).map((x) => x.kind)).toEqual(['cleared']);
    expect(e.get(id)).toBeUndefined();
    // and the duration counts again from the next time it holds
    e.evaluate(70_000, [obs(true)]);
    expect(e.evaluate(180_000, [obs(true)])).toEqual([]);
    expect(e.evaluate(190_000, [obs(true)]).map((x) => x.kind)).toEqual(['fired']);
  });

  it('resolves when the condition clears and counts a re-fire as a new occurrence of the same row', () => {
    const e = createAlarmEngine([{ ...rule, forMs: 0 }]);
    expect(e.evaluate(0, [obs(true)]).map((x) => x.kind)).toEqual(['pending', 'fired']);
    expect(e.evaluate(10, [obs(false)]).map((x) => x.kind)).toEqual(['resolved']);
    expect(e.get(id)).toMatchObject({ state: 'resolved', resolvedAt: 10, occurrences: 1 });
    e.evaluate(20, [obs(true)]);
    expect(e.get(id)).toMatchObject({ state: 'firing', occurrences: 2, firstSeen: 0, since: 20 });
    expect(e.get(id)?.resolvedAt).toBeUndefined();
    expect(e.alarms()).toHaveLength(1);
  });

  it('keeps a once-fired row as resolved when a later pending episode clears', () => {
    const e = createAlarmEngine([{ ...rule, forMs: 0 }]);
    e.evaluate(0, [obs(true)]);
    e.evaluate(10, [obs(false)]);
    e.setRules([rule]);
    e.evaluate(20, [obs(true)]);
    expect(e.get(id)?.state).toBe('pending');
    e.evaluate(30, [obs(false)]);
    expect(e.get(id)).toMatchObject({ state: 'resolved', occurrences: 1, resolvedAt: 10 });
  });

  it('keeps an acknowledgement while firing and ends it when the alarm resolves', () => {
    const e = createAlarmEngine([{ ...rule, forMs: 0 }]);
    expect(() => e.acknowledge(id, 'ops', 0, 'x')).toThrow(/not an active alarm/);
    e.evaluate(0, [obs(true)]);
    const ev = e.acknowledge(id, 'ops', 5, 'breaker checked');
    expect(ev).toMatchObject({ kind: 'acked', actor: 'ops', comment: 'breaker checked', at: 5 });
    e.evaluate(50, [obs(true)]);
    expect(e.get(id)?.ack).toEqual({ by: 'ops', at: 5, comment: 'breaker checked' });
    e.evaluate(60, [obs(false)]);
    expect(e.get(id)?.ack).toBeUndefined();
    expect(() => e.acknowledge(id, 'ops', 70, 'late')).toThrow(/not an active alarm/);
    e.evaluate(80, [obs(true)]);
    expect(e.get(id)?.ack).toBeUndefined();
  });

  it('leaves unobserved alarms as they are, resumes from stored alarms and drops alarms of removed rules', () => {
    const e = createAlarmEngine([{ ...rule, forMs: 0 }]);
    e.evaluate(0, [obs(true)]);
    expect(e.evaluate(100, [])).toEqual([]);
    expect(e.get(id)?.state).toBe('firing');
    const resumed = createAlarmEngine([rule], e.alarms());
    expect(resumed.evaluate(200, [obs(false)]).map((x) => x.kind)).toEqual(['resolved']);
    resumed.setRules([]);
    expect(resumed.alarms()).toEqual([]);
    expect(() => resumed.evaluate(300, [obs(true)])).toThrow(/does not hold/);
  });

  it("turns a step's events into store writes: touched rows changed, cleared pending rows removed", () => {
    const e = createAlarmEngine([rule]);
    const other: Observation = { ruleId: 'hot', objectId: 'pdu2', holds: true, value: 1 };
    const first = [obs(true), other];
    expect(stepWrites(e, first, e.evaluate(0, first)).changed.map((a) => a.objectId)).toEqual(['pdu1', 'pdu2']);
    // pdu2 is still pending: no event, but its lastSeen moved and must be written
    const second = [obs(false), other, { ...other, objectId: 'pdu3', holds: false }];
    const writes = stepWrites(e, second, e.evaluate(10, second));
    expect(writes.removed).toEqual([id]);
    expect(writes.changed.map((a) => `${a.objectId}@${a.lastSeen}`)).toEqual(['pdu2@10']);
  });

  it('judges conditions: comparators on metrics, equality on states', () => {
    expect([compare(1, '>', 1), compare(1, '>=', 1), compare(0, '<', 1), compare(1, '<=', 0), compare(2, '==', 2), compare(2, '!=', 2)])
      .toEqual([false, true, true, false, true, false]);
    expect(conditionHolds(rule, 0.95)).toBe(true);
    expect(conditionHolds(rule, null)).toBe(false);
    expect(conditionHolds(rule, 'up')).toBe(false);
    const down = { condition: { kind: 'state', state: 'device.status', equals: 'unreachable' } } as const;
    expect(conditionHolds(down, 'unreachable')).toBe(true);
    expect(conditionHolds(down, 'up')).toBe(false);
  });

  it('rejects malformed rules at the schema', () => {
    expect(alarmRuleSchema.safeParse({ ...rule, severity: 'info' }).success).toBe(false);
    expect(alarmRuleSchema.safeParse({ ...rule, forMs: -1 }).success).toBe(false);
    expect(alarmRuleSchema.safeParse({ ...rule, condition: { kind: 'metric', metric: 'x', op: '=>', value: 1 } }).success).toBe(false);
    expect(alarmRuleSchema.safeParse({ ...rule, webhook: 'ftp://x' }).success).toBe(false);
    expect(alarmRuleSchema.parse({ ...rule, webhook: 'https://hooks.example/a' }).webhook).toBe('https://hooks.example/a');
  });
});
