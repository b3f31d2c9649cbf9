// The pieces together, as the capability will run them: engine steps over a tripped PDU give
// one notifiable root alarm with the cabinet's device alarms grouped under it; restoring it
// resolves them all; a maintenance window masks a cabinet's alarms and they come back when it
// ends; the store (through openCoreStore) holds what the engine holds.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAlarmEngine, stepWrites, type Observation } from '../../../../src-main/core/alarms/alarm-engine';
import { maskAlarms, notifiable } from '../../../../src-main/core/alarms/masking';
import { devicesInScope, placeIndex } from '../../../../src-main/core/alarms/selection';
import { groupUnderRoots, rootRelations } from '../../../../src-main/core/alarms/topology-roots';
import { openCoreStore } from '../../../../src-main/core/store/core-store';
import { alarmRuleSchema, maintenanceWindowSchema, type MaintenanceWindow } from '../../../../src-shared/domain/alarm';
import { inventory } from './fixture';

const rules = [
  alarmRuleSchema.parse({ id: 'trip', name: 'PDU tripped', severity: 'critical', forMs: 0, scope: { kinds: ['pdu'] },
    condition: { kind: 'state', state: 'pdu.breaker', equals: 'tripped' } }),
  alarmRuleSchema.parse({ id: 'down', name: 'Unreachable', severity: 'major', forMs: 60_000, scope: { kinds: ['server', 'switch'] },
    condition: { kind: 'state', state: 'device.status', equals: 'unreachable' } }),
];
const places = placeIndex(inventory);
const relations = rootRelations(inventory);

function run(windows: MaintenanceWindow[] = []) {
  const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
  for (const r of rules) store.alarms.putRule(r);
  const engine = createAlarmEngine(store.alarms.rules());
  /** One step: each rule observed on its scope's devices; `bad` is the set of objects whose condition holds. */
  const step = (now: number, bad: ReadonlySet<string>) => {
    const obs: Observation[] = rules.flatMap((r) => devicesInScope(r.scope, places).map((objectId) => ({ ruleId: r.id, objectId, holds: bad.has(objectId), value: null })));
    const events = engine.evaluate(now, obs);
    const { changed, removed } = stepWrites(engine, obs, events);
    store.alarms.apply(changed, removed, events);
    const view = groupUnderRoots(maskAlarms(engine.alarms(), windows, places, now), relations);
    return { view, notify: view.filter(notifiable).map((a) => a.id).sort() };
  };
  return { store, engine, step };
}

describe('alarms end to end (pure engine, views and store)', () => {
  it('trips a PDU: one root alarm, the devices behind it grouped; restores: all resolve', () => {
    const { store, step } = run();
    const dark = new Set(['c1-pdu-a', 'tor1', 's1', 's2', 's3']);
    expect(step(0, dark).notify).toEqual(['trip|c1-pdu-a']);
    const { view, notify } = step(60_000, dark);
    expect(notify).toEqual(['trip|c1-pdu-a']);
    expect(view.filter((a) => a.state === 'firing').map((a) => `${a.objectId}:${a.rootId ?? '-'}`).sort())
      .toEqual(['c1-pdu-a:-', 's1:trip|c1-pdu-a', 's2:trip|c1-pdu-a', 's3:trip|c1-pdu-a', 'tor1:trip|c1-pdu-a']);
    const restored = step(120_000, new Set());
    expect(restored.notify).toEqual([]);
    expect(restored.view.map((a) => a.state)).toEqual(Array(5).fill('resolved'));
    expect(store.alarms.list({ state: 'resolved' })).toHaveLength(5);
    expect(store.alarms.list({ state: 'firing' })).toEqual([]);
  });

  it('masks a cabinet in a maintenance window and brings its alarms back when the window ends', () => {
    const w = maintenanceWindowSchema.parse({ id: 'w', scope: { cabinets: ['c2'] }, from: 0, to: 120_000, reason: 'rewiring' });
    const { step } = run([w]);
    const bad = new Set(['s3', 's4']);
    step(0, bad);
    const during = step(60_000, bad);
    expect(during.view.find((a) => a.objectId === 's3')).toMatchObject({ state: 'firing', masked: true });
    expect(during.notify).toEqual(['down|s4']);
    expect(step(120_000, bad).notify).toEqual(['down|s3', 'down|s4']);
  });
});
