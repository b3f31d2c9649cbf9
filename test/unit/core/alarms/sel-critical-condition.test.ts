// The condition bmc.sel_critical ("SEL critical events in the last 15 min" is > 0): a stored
// metric the BMC sensor poller writes. Through the capability on a ':memory:' store with an
// injected clock: a server with critical entries in the window fires, one with none does not,
// one whose sample is stale (or never written) is no data; a newer sample of 0 resolves it.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { STORED_METRICS, unsupportedCondition } from '../../../../src-main/core/alarms/alarm-conditions';
import { startAlarms } from '../../../../src-main/core/alarms/alarms-capability';
import { BMC_METRICS } from '../../../../src-main/core/device-control/sensor-poller';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { openCoreStore, type CoreStore } from '../../../../src-main/core/store/core-store';
import { alarmRuleSchema } from '../../../../src-shared/domain/alarm';
import { fixtureDocument } from './fixture';

const MIN = 60_000;
const doc = fixtureDocument();
const open: CoreStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.dispose();
});

describe('condition bmc.sel_critical', () => {
  it('is a stored metric under the sensor poller\'s name', () => {
    expect(STORED_METRICS).toContain(BMC_METRICS.selCritical);
    expect(unsupportedCondition({ kind: 'metric', metric: 'bmc.sel_critical', op: '>', value: 0 })).toBeNull();
  });

  it('fires on a server with critical SEL entries in the window, resolves when the count is back to 0; stale or absent is no data', async () => {
    const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
    open.push(store);
    store.inventory.upsert(doc);
    const [hot, calm, stale] = ['s1', 's2', 's3'];
    let t = 100 * MIN;
    store.metrics.append([
      { deviceId: hot, metric: 'bmc.sel_critical', ts: t - 1000, value: 2 },
      { deviceId: calm, metric: 'bmc.sel_critical', ts: t - 1000, value: 0 },
      { deviceId: stale, metric: 'bmc.sel_critical', ts: t - 10 * MIN, value: 5 },
    ]);
    const cap = startAlarms({ store, hub: new EventHub(), status: () => 'up', clock: () => t, intervalMs: 0, staleMs: 5 * MIN });
    await cap.api['alarms.setRule'](alarmRuleSchema.parse({
      id: 'sel', name: 'SEL critical events', severity: 'critical', forMs: 0, scope: {}, condition: { kind: 'metric', metric: 'bmc.sel_critical', op: '>', value: 0 },
    }), { actor: 'root', role: 'admin' });
    cap.evaluateNow();
    expect(cap.alarms().filter((a) => a.state === 'firing').map((a) => [a.objectId, a.value])).toEqual([[hot, 2]]);
    expect(cap.alarms().some((a) => a.objectId === stale)).toBe(false);
    t += MIN;
    store.metrics.append([{ deviceId: hot, metric: 'bmc.sel_critical', ts: t - 1000, value: 0 }]);
    cap.evaluateNow();
    expect(cap.alarms().find((a) => a.objectId === hot)).toMatchObject({ state: 'resolved' });
    await cap.dispose();
  });
});
