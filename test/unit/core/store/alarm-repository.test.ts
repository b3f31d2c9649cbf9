// The alarms' store: rules round-trip (condition and scope through the schemas), an engine's
// steps applied in one go read back as the engine's alarms (ack, resolve, re-fire on one row),
// history newest first outlives a cleared pending alarm, deleting a rule takes its alarms,
// windows round-trip and a window that ends before it starts is refused by the table;
// retention drops old history rows but not those of an alarm still active, nor alarm rows.
import { describe, expect, it } from 'vitest';
import { createAlarmEngine } from '../../../../src-main/core/alarms/alarm-engine';
import { AlarmRepository } from '../../../../src-main/core/store/alarm-repository';
import { openStore } from '../../../../src-main/core/store/database';
import { alarmId, alarmRuleSchema, maintenanceWindowSchema } from '../../../../src-shared/domain/alarm';

const rule = alarmRuleSchema.parse({
  id: 'down', name: 'Device unreachable', severity: 'critical', forMs: 0, scope: { rooms: ['room1'], kinds: ['server'] },
  condition: { kind: 'state', state: 'device.status', equals: 'unreachable' }, webhook: 'https://hooks.example/noc',
});

describe('AlarmRepository', () => {
  it('round-trips rules and deletes a rule with its alarms', () => {
    const repo = new AlarmRepository(openStore(':memory:'));
    repo.putRule(rule);
    const { webhook: _w, ...noHook } = rule;
    const hot = { ...noHook, id: 'hot', condition: { kind: 'metric', metric: 'pdu.powerShare', op: '>', value: 0.9 } } as const;
    repo.putRule(hot);
    expect(repo.rules()).toEqual([rule, hot]);
    expect('webhook' in repo.rules()[1]).toBe(false);
    const e = createAlarmEngine(repo.rules());
    const events = e.evaluate(0, [{ ruleId: 'down', objectId: 's1', holds: true, value: null }]);
    repo.apply(e.alarms(), [], events);
    expect(repo.list()).toHaveLength(1);
    expect(repo.deleteRule('down')).toBe(true);
    expect(repo.list()).toEqual([]);
    expect(repo.history(alarmId('down', 's1')).map((x) => x.kind)).toEqual(['fired', 'pending']);
  });

  it("stores the engine's alarms across ack, resolve and re-fire, and keeps their history", () => {
    const repo = new AlarmRepository(openStore(':memory:'));
    repo.putRule(rule);
    const e = createAlarmEngine(repo.rules());
    const id = alarmId('down', 's1');
    const step = (now: number, holds: boolean) => {
      const events = e.evaluate(now, [{ ruleId: 'down', objectId: 's1', holds, value: null }]);
      repo.apply(e.alarms(), [], events);
    };
    step(0, true);
    const acked = e.acknowledge(id, 'ops', 5, 'on it');
    repo.apply(e.alarms(), [], [acked]);
    expect(repo.list({ state: 'firing' })).toEqual(e.alarms());
    expect(repo.list()[0].ack).toEqual({ by: 'ops', at: 5, comment: 'on it' });
    step(10, false);
    step(20, true);
    expect(repo.list()).toEqual(e.alarms());
    expect(repo.list()[0]).toMatchObject({ state: 'firing', occurrences: 2, firstSeen: 0, since: 20 });
    expect(repo.list()[0].ack).toBeUndefined();
    expect(repo.list({ objectId: 's2' })).toEqual([]);
    expect(repo.history(id).map((x) => `${x.at}:${x.kind}`)).toEqual(['20:fired', '20:pending', '10:resolved', '5:acked', '0:fired', '0:pending']);
    expect(repo.history(id, 1)[0]).toMatchObject({ kind: 'fired', severity: 'critical', actor: null });
    expect(repo.history(id).find((x) => x.kind === 'acked')).toMatchObject({ actor: 'ops', comment: 'on it' });
    // a resumed engine picks up where the stored rows are
    const resumed = createAlarmEngine(repo.rules(), repo.list());
    // retention keeps the whole history of an alarm still firing, and drops the old rows once it resolved
    expect(repo.expireHistory(10)).toBe(0);
    expect(repo.history(id)).toHaveLength(6);
    const resolved = resumed.evaluate(30, [{ ruleId: 'down', objectId: 's1', holds: false, value: null }]);
    expect(resolved.map((x) => x.kind)).toEqual(['resolved']);
    repo.apply(resumed.alarms(), [], resolved);
    expect(repo.expireHistory(10)).toBe(3);
    expect(repo.history(id).map((x) => `${x.at}:${x.kind}`)).toEqual(['30:resolved', '20:fired', '20:pending', '10:resolved']);
    expect(repo.list()).toHaveLength(1); // the alarm's own row stays
  });

  it('removes rows in apply and stores grouping and masks', () => {
    const repo = new AlarmRepository(openStore(':memory:'));
    repo.putRule(rule);
    const e = createAlarmEngine(repo.rules());
    const events = e.evaluate(0, [{ ruleId: 'down', objectId: 's1', holds: true, value: null }]);
    repo.apply(e.alarms(), [], events);
    const [a] = e.alarms();
    repo.upsert({ ...a, rootId: 'trip|pdu1', masked: true });
    expect(repo.list()[0]).toMatchObject({ rootId: 'trip|pdu1', masked: true });
    repo.apply([], [a.id], []);
    expect(repo.list()).toEqual([]);
  });

  it('round-trips maintenance windows and refuses one that ends before it starts', () => {
    const repo = new AlarmRepository(openStore(':memory:'));
    const w = maintenanceWindowSchema.parse({ id: 'w1', scope: { cabinets: ['c1'] }, from: 1000, to: 2000, reason: 'PDU swap' });
    repo.putWindow(w);
    repo.putWindow({ ...w, id: 'w0', from: 500 });
    expect(repo.windows().map((x) => x.id)).toEqual(['w0', 'w1']);
    expect(repo.windows()[1]).toEqual(w);
    expect(() => repo.putWindow({ ...w, id: 'bad', to: 1000 })).toThrow(/CHECK/);
    expect(repo.deleteWindow('w0')).toBe(true);
    expect(repo.deleteWindow('w0')).toBe(false);
    expect(repo.windows()).toEqual([w]);
  });
});
