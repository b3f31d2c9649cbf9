// The alarm conditions beyond device status (alarm-conditions.ts, condition-sources.ts), each
// read from what the core holds: interface down (if.down_count from the poller's link-down
// judgement; an unreachable device is no data), probe P99 and drop rate (the newest server-level minute
// in a real probe store), the cabinet's power share of its rating (its PDUs' meters summed;
// one PDU without a sample is no data), inlet temperature (a stored bmc.inlet_c) and agent
// health (of several agents on a device, the newest not revoked). Through the capability on a
// ':memory:' store with an injected clock: the cabinet rule fires on the cabinet (a window on
// it masks it), the stored inlet, interface, probe and agent rules fire on their devices.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { observeRule, unsupportedCondition, type ConditionSources } from '../../../../src-main/core/alarms/alarm-conditions';
import { startAlarms } from '../../../../src-main/core/alarms/alarms-capability';
import { agentHealth, cabinetPowerShare, interfacesDown, probeReadings } from '../../../../src-main/core/alarms/condition-sources';
import { cabinetsInScope, placeIndex } from '../../../../src-main/core/alarms/selection';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { openCoreStore, type CoreStore } from '../../../../src-main/core/store/core-store';
import { alarmRuleSchema, type AlarmRule } from '../../../../src-shared/domain/alarm';
import { fixtureDocument, inventory } from './fixture';

const MIN = 60_000;
const rule = (id: string, condition: AlarmRule['condition'], scope: object = {}): AlarmRule =>
  alarmRuleSchema.parse({ id, name: id, severity: 'major', forMs: 0, scope, condition });
const noStatus: ConditionSources['status'] = () => undefined;

const open: CoreStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.dispose();
});
const newStore = (): CoreStore => {
  const s = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
  open.push(s);
  return s;
};

describe('alarm conditions', () => {
  it('knows the new conditions and still refuses an unknown one', () => {
    for (const metric of ['if.down_count', 'probe.p99_ms', 'probe.drop_rate', 'cabinet.power_share', 'bmc.inlet_c', 'bmc.cpu_c', 'bmc.power_w']) {
      expect(unsupportedCondition({ kind: 'metric', metric, op: '>', value: 1 }), metric).toBeNull();
    }
    expect(unsupportedCondition({ kind: 'state', state: 'agent.health', equals: 'stale' })).toBeNull();
    expect(unsupportedCondition({ kind: 'state', state: 'agent.health', equals: 'grumpy' })).toMatchObject({ field: 'condition.equals' });
    expect(unsupportedCondition({ kind: 'metric', metric: 'sel.critical', op: '>', value: 0 })).toMatchObject({ field: 'condition.metric' });
  });

  it('interface down: the links the poller judges down of an answering device; an unreachable one is no data', () => {
    const polls = new Map([
      ['sw1', { status: 'up' as const, lastPollAt: 5000, reasons: ['link down: Ethernet1/2', 'slow: 900 ms', 'link down: Ethernet1/7'] }],
      ['sw2', { status: 'up' as const, lastPollAt: 5000, reasons: [] }],
      ['sw3', { status: 'unreachable' as const, lastPollAt: 5000, reasons: ['timeout'] }],
      ['sw4', { status: 'up' as const, lastPollAt: null }],
    ]);
    const read = interfacesDown((id) => polls.get(id));
    expect([...read(['sw1', 'sw2', 'sw3', 'sw4', 'nope'])]).toEqual([['sw1', { ts: 5000, value: 2 }], ['sw2', { ts: 5000, value: 0 }]]);
    const obs = observeRule(rule('ifdown', { kind: 'metric', metric: 'if.down_count', op: '>=', value: 1 }), ['sw1', 'sw2', 'sw3'], { status: noStatus, latest: (_m, ids) => read(ids) }, 6000, MIN);
    expect(obs.map((o) => `${o.objectId}:${o.holds}:${o.value}`)).toEqual(['sw1:true:2', 'sw2:false:0']);
  });

  it('probe P99 and drop rate: the newest server-level minute of each source', () => {
    const store = newStore();
    const m0 = 10 * MIN;
    const pair = (minute: number, src: string, dst: string, p99Us: number, ok: number, drops: number) =>
      ({ minute, level: 'server' as const, src, dst, p50Us: 100, p90Us: 200, p99Us, ok, drops, failed: 0 });
    store.probes.putMinutes([
      pair(m0, 'h1', 'h2', 90_000, 10, 10), // an older minute: not read
      pair(m0 + MIN, 'h1', 'h2', 1_500, 59, 1), pair(m0 + MIN, 'h1', 'h3', 4_200, 60, 0),
      pair(m0 + MIN, 'h2', 'h1', 800, 0, 0),
    ]);
    const p99 = probeReadings(store.probes, 'p99');
    const drops = probeReadings(store.probes, 'drops');
    expect([...p99(['h1', 'h2'])]).toEqual([['h1', { ts: m0 + 2 * MIN, value: 4.2 }]]);
    expect([...drops(['h1', 'h2'])]).toEqual([['h1', { ts: m0 + 2 * MIN, value: 1 / 120 }]]);
    expect(p99([]).size).toBe(0);
    expect(probeReadings(newStore().probes, 'p99')(['h1']).size).toBe(0);
  });

  it('cabinet power share: its PDUs summed over the rating; a PDU without a sample or a rating of 0 is no data', () => {
    const inv = {
      cabinets: [{ id: 'c1', ratedPowerKw: 10 }, { id: 'c2', ratedPowerKw: 5 }, { id: 'c3', ratedPowerKw: 0 }],
      devices: [
        { id: 'c1-pdu-a', cabinetId: 'c1', kind: 'pdu' as const }, { id: 'c1-pdu-b', cabinetId: 'c1', kind: 'pdu' as const },
        { id: 's1', cabinetId: 'c1', kind: 'server' as const },
        { id: 'pdu2', cabinetId: 'c2', kind: 'pdu' as const }, { id: 'pdu3', cabinetId: 'c3', kind: 'pdu' as const },
      ],
    };
    const meters = new Map([['c1-pdu-a', { ts: 900, value: 4000 }], ['c1-pdu-b', { ts: 800, value: 4500 }], ['pdu3', { ts: 900, value: 100 }]]);
    const seen: string[][] = [];
    const share = cabinetPowerShare(() => inv, (m, ids) => {
      expect(m).toBe('pdu.power_w');
      seen.push([...ids]);
      return new Map(ids.flatMap((id) => (meters.has(id) ? [[id, meters.get(id)!] as const] : [])));
    });
    expect([...share(['c1', 'c2', 'c3'])]).toEqual([['c1', { ts: 800, value: 0.85 }]]);
    expect(seen).toEqual([['c1-pdu-a', 'c1-pdu-b', 'pdu2']]);
    expect(cabinetsInScope(alarmRuleSchema.shape.scope.parse({ rows: ['r1'], kinds: ['pdu'] }), placeIndex(inventory))).toEqual(['c1', 'c2']);
  });

  it('agent health: the newest agent of a device that is not revoked, read at most once a second', () => {
    let t = 0;
    let reads = 0;
    const rows = [
      { deviceId: 'h1', health: 'revoked', lastSeenAt: 900 }, { deviceId: 'h1', health: 'stale', lastSeenAt: 100 },
      { deviceId: 'h2', health: 'healthy', lastSeenAt: 50 }, { deviceId: 'h2', health: 'over-cap', lastSeenAt: 60 },
      { deviceId: 'h3', health: 'revoked', lastSeenAt: 1 }, { deviceId: null, health: 'healthy', lastSeenAt: 1 },
    ];
    const health = agentHealth(() => (reads++, rows), () => t);
    expect(['h1', 'h2', 'h3', 'h4'].map(health)).toEqual(['stale', 'over-cap', 'revoked', undefined]);
    expect(reads).toBe(1);
    t = 1000;
    health('h1');
    expect(reads).toBe(2);
  });
});

describe('the new conditions through the capability', () => {
  const doc = fixtureDocument();

  it('fires the cabinet share on the cabinet (masked by a window on it), and inlet, interface, probe and agent rules on devices', async () => {
    const store = newStore();
    store.inventory.upsert(doc);
    const t = 100 * MIN;
    store.metrics.append([
      { deviceId: 'pdu2', metric: 'pdu.power_w', ts: t - 1000, value: 7200 }, // c2: 90% of 8 kW
      { deviceId: 'c1-pdu-a', metric: 'pdu.power_w', ts: t - 1000, value: 2000 }, { deviceId: 'c1-pdu-b', metric: 'pdu.power_w', ts: t - 1000, value: 2000 },
      { deviceId: 's1', metric: 'bmc.inlet_c', ts: t - 1000, value: 36 }, { deviceId: 's2', metric: 'bmc.inlet_c', ts: t - 1000, value: 24 },
    ]);
    const cap = startAlarms({
      store, hub: new EventHub(), status: () => 'up', clock: () => t, intervalMs: 0,
      readings: {
        'if.down_count': (ids) => new Map(ids.filter((id) => id === 'tor1').map((id) => [id, { ts: t, value: 1 }])),
        'probe.drop_rate': (ids) => new Map(ids.map((id) => [id, { ts: t, value: id === 's4' ? 0.05 : 0 }])),
      },
      state: (s, id) => (s === 'agent.health' && id === 's3' ? 'stale' : undefined),
    });
    const admin = { actor: 'root', role: 'admin' } as const;
    const set = (r: AlarmRule) => cap.api['alarms.setRule'](r, admin);
    await set(rule('hot-cab', { kind: 'metric', metric: 'cabinet.power_share', op: '>', value: 0.8 }, { kinds: ['server'] }));
    await set(rule('inlet', { kind: 'metric', metric: 'bmc.inlet_c', op: '>', value: 32 }));
    await set(rule('ifdown', { kind: 'metric', metric: 'if.down_count', op: '>=', value: 1 }));
    await set(rule('drops', { kind: 'metric', metric: 'probe.drop_rate', op: '>', value: 0.01 }));
    await set(rule('agent', { kind: 'state', state: 'agent.health', equals: 'stale' }));
    await cap.api['alarms.setWindow']({ id: 'w', scope: alarmRuleSchema.shape.scope.parse({ cabinets: ['c3'] }), from: t - MIN, to: t + MIN, reason: 'x' }, { actor: 'ana', role: 'operator' });
    cap.evaluateNow();
    const firing = cap.alarms().filter((a) => a.state === 'firing').map((a) => `${a.id}${a.masked ? ' (masked)' : ''}`).sort();
    expect(firing).toEqual(['agent|s3', 'drops|s4 (masked)', 'hot-cab|c2', 'ifdown|tor1', 'inlet|s1']);
    expect(cap.alarms().find((a) => a.id === 'hot-cab|c2')!.value).toBeCloseTo(0.9, 9);
    await cap.dispose();
  });
});
