// The alarms capability on a real ':memory:' store, an injected clock and a stub status source,
// called through the core api (role checks and audit as every transport gets them): a rule
// "unreachable for 2 min" on a cabinet is pending, then firing after 2 min of injected time,
// only for that cabinet's devices; an operator's acknowledgement is audited with its comment
// and a viewer's is refused; it resolves when the status returns (notified both times) and a
// restarted capability resumes from the store; a rule with a condition the core cannot
// evaluate is refused naming the field, and nothing is stored; a metric rule reads the newest
// sample (a stale one is no data); a maintenance window masks and is ended.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArgsOf, CallContext, Handlers } from '../../../../src-shared/api';
import type { Alarm, AlarmEvent } from '../../../../src-shared/domain/alarm';
import type { DeviceStatus, InventoryDocument } from '../../../../src-shared/domain';
import { createCoreApi } from '../../../../src-main/core/api/core-api';
import { startAlarms, type AlarmsDeps } from '../../../../src-main/core/alarms/alarms-capability';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { openCoreStore, type CoreStore } from '../../../../src-main/core/store/core-store';

const viewer: CallContext = { actor: 'wall-1', role: 'viewer' };
const operator: CallContext = { actor: 'ana', role: 'operator' };
const admin: CallContext = { actor: 'root', role: 'admin' };
const MIN = 60_000;

const device = (id: string, cabinetId: string, kind: 'server' | 'pdu' = 'server'): InventoryDocument['devices'][number] => ({
  id, cabinetId, kind, hostname: id, sn: `SN-${id}`, uPosition: kind === 'pdu' ? 0 : 3, uHeight: kind === 'pdu' ? 0 : 1, mgmtIp: '127.16.0.1', snmpPort: 161,
  bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
});
const cabinet = (id: string, position: number) => ({ id, rowId: 'r1', name: id, position, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 });
const doc: InventoryDocument = {
  format: 'fleetdeck-inventory', version: 1,
  sites: [{ id: 's1', name: 'Site', city: 'Beijing' }],
  rooms: [{ id: 'm1', siteId: 's1', name: 'Hall 1', widthM: 20, depthM: 10 }],
  rows: [{ id: 'r1', roomId: 'm1', name: 'R1', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }],
  cabinets: [cabinet('c1', 1), cabinet('c2', 2)],
  devices: [device('a1', 'c1'), device('a2', 'c1'), device('b1', 'c2'), device('p1', 'c2', 'pdu')],
};

const downRule: ArgsOf<'alarms.setRule'> = {
  id: 'down', name: 'Unreachable for 2 min', severity: 'major', forMs: 2 * MIN, scope: { cabinets: ['c1'] },
  condition: { kind: 'state', state: 'device.status', equals: 'unreachable' },
};

const open: CoreStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.dispose();
});

function setup(over: Partial<AlarmsDeps> = {}, store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) })) {
  open.push(store);
  if (store.inventory.isEmpty()) store.inventory.upsert(doc);
  let t = 1_000_000;
  const status = new Map<string, DeviceStatus>();
  const notified: { alarm: Alarm; event: AlarmEvent }[] = [];
  const changes: number[] = [];
  const hub = new EventHub();
  hub.on('onDidChangeAlarms', (c) => changes.push(c.firing));
  const cap = startAlarms({
    store, hub, status: (id) => status.get(id), clock: () => t, intervalMs: 0,
    onNotify: (alarm, event) => notified.push({ alarm, event }), ...over,
  });
  const api = createCoreApi(cap.api as unknown as Handlers, hub, store.audit);
  return { store, cap, api, status, notified, changes, advance: (ms: number) => (t += ms), now: () => t };
}

const kinds = (events: readonly AlarmEvent[]): string[] => events.map((e) => `${e.kind}:${e.alarmId}`);

describe('alarms capability', () => {
  it('fires "unreachable for 2 min" on the cabinet only, audits an acknowledgement, refuses a viewer, resolves and resumes', async () => {
    const { store, cap, api, status, notified, changes, advance } = setup();
    await api.call(admin, 'alarms.setRule', downRule);
    for (const id of ['a1', 'a2', 'b1']) status.set(id, 'up');
    expect(cap.evaluateNow()).toEqual([]);

    status.set('a1', 'unreachable');
    status.set('b1', 'unreachable'); // outside the rule's scope
    advance(10_000);
    expect(kinds(cap.evaluateNow())).toEqual(['pending:down|a1']);
    expect(await api.call(viewer, 'alarms.list', { state: 'pending' })).toMatchObject([{ id: 'down|a1', objectId: 'a1', state: 'pending' }]);
    advance(2 * MIN - 1);
    expect(cap.evaluateNow()).toEqual([]);
    advance(1);
    expect(kinds(cap.evaluateNow())).toEqual(['fired:down|a1']);
    expect(store.alarms.list({ state: 'firing' }).map((a) => a.id)).toEqual(['down|a1']);
    expect(notified.map((n) => `${n.event.kind}:${n.alarm.id}`)).toEqual(['fired:down|a1']);
    expect(changes.at(-1)).toBe(1);

    // A viewer may not acknowledge: refused, audited as refused, the alarm untouched.
    await expect(api.call(viewer, 'alarms.acknowledge', { alarmId: 'down|a1', comment: 'mine' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(store.audit.list(1)[0]).toMatchObject({ actor: 'wall-1', action: 'alarms.acknowledge', outcome: 'refused' });
    expect(cap.alarms()[0].ack).toBeUndefined();

    advance(5_000);
    const acked = await api.call(operator, 'alarms.acknowledge', { alarmId: 'down|a1', comment: 'PSU swap under way' });
    expect(acked.ack).toEqual({ by: 'ana', at: 1_000_000 + 10_000 + 2 * MIN + 5_000, comment: 'PSU swap under way' });
    expect(store.audit.list(1)[0]).toMatchObject({ actor: 'ana', role: 'operator', action: 'alarms.acknowledge', target: 'down|a1: PSU swap under way', outcome: 'succeeded' });
    expect(store.alarms.list({ state: 'firing' })[0].ack?.comment).toBe('PSU swap under way');
    await expect(api.call(operator, 'alarms.acknowledge', { alarmId: 'down|zz', comment: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // A restarted capability resumes the firing alarm from the store.
    const again = setup({}, store);
    expect(again.cap.alarms()).toMatchObject([{ id: 'down|a1', state: 'firing', ack: { by: 'ana' } }]);
    await again.cap.dispose();

    status.set('a1', 'up');
    advance(10_000);
    expect(kinds(cap.evaluateNow())).toEqual(['resolved:down|a1']);
    expect(notified.map((n) => `${n.event.kind}:${n.alarm.id}`)).toEqual(['fired:down|a1', 'resolved:down|a1']);
    expect(store.alarms.list({ state: 'firing' })).toEqual([]);
    expect((await api.call(viewer, 'alarms.history', { alarmId: 'down|a1' })).map((e) => e.kind)).toEqual(['resolved', 'acked', 'fired', 'pending']);
    expect(changes.at(-1)).toBe(0);
    await cap.dispose();
  });

  it('refuses a rule it cannot evaluate, naming the field, and stores nothing; rules are the admin\'s', async () => {
    const { store, api } = setup();
    const bad: ArgsOf<'alarms.setRule'> = { ...downRule, id: 'hot', condition: { kind: 'metric', metric: 'pdu.power_share_of_rated', op: '>', value: 0.9 } };
    const err = await api.call(admin, 'alarms.setRule', bad).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VALIDATION', params: { field: 'condition.metric' } });
    expect((err as Error).message).toMatch(/"condition\.metric" is not a metric the alarms understand \(known: pdu\.power_w/);
    await expect(api.call(admin, 'alarms.setRule', { ...downRule, condition: { kind: 'state', state: 'device.status', equals: 'sleepy' } }))
      .rejects.toMatchObject({ code: 'VALIDATION', params: { field: 'condition.equals' } });
    expect(store.alarms.rules()).toEqual([]);
    expect(await api.call(viewer, 'alarms.rules', undefined)).toEqual([]);
    expect(store.audit.list(2).map((a) => a.outcome)).toEqual(['failed', 'failed']);
    await expect(api.call(operator, 'alarms.setRule', downRule)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(store.alarms.rules()).toEqual([]);
    await api.call(admin, 'alarms.setRule', downRule);
    expect(store.alarms.rules().map((r) => r.id)).toEqual(['down']);
    await expect(api.call(operator, 'alarms.deleteRule', { id: 'down' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await api.call(admin, 'alarms.deleteRule', { id: 'down' })).toEqual({ deleted: true });
    expect(store.audit.list(1)[0]).toMatchObject({ actor: 'root', action: 'alarms.deleteRule', target: 'down', outcome: 'succeeded' });
    expect(store.alarms.rules()).toEqual([]);
    await expect(api.call(admin, 'alarms.deleteRule', { id: 'down' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('evaluates a metric rule on the newest sample; a stale sample is no data', async () => {
    const samples = new Map<string, { ts: number; value: number }>();
    const { cap, api, now, advance } = setup({
      latest: (_m, ids) => {
        const out = new Map<string, { ts: number; value: number }>();
        for (const id of ids) {
          const x = samples.get(id);
          if (x) out.set(id, x);
        }
        return out;
      },
      staleMs: 5 * MIN,
    });
    await api.call(admin, 'alarms.setRule', { ...downRule, id: 'watts', forMs: 0, scope: { kinds: ['pdu'] }, condition: { kind: 'metric', metric: 'pdu.power_w', op: '>', value: 5000 } });
    samples.set('p1', { ts: now(), value: 6200 });
    expect(kinds(cap.evaluateNow())).toEqual(['pending:watts|p1', 'fired:watts|p1']);
    expect(cap.alarms()[0].value).toBe(6200);
    advance(6 * MIN); // the sample is stale now: unchanged, not resolved
    expect(cap.evaluateNow()).toEqual([]);
    samples.set('p1', { ts: now(), value: 4000 });
    expect(kinds(cap.evaluateNow())).toEqual(['resolved:watts|p1']);
  });

  it('masks the alarms of a window\'s scope (not notified) and ends the window', async () => {
    const { cap, api, status, notified, now, advance } = setup();
    await api.call(admin, 'alarms.setRule', { ...downRule, forMs: 0 });
    await api.call(operator, 'alarms.setWindow', { id: 'w1', scope: { cabinets: ['c1'] }, from: now(), to: now() + 60 * MIN, reason: 'recabling' });
    status.set('a2', 'unreachable');
    advance(1000);
    expect(kinds(cap.evaluateNow())).toEqual(['pending:down|a2', 'fired:down|a2']);
    expect(cap.alarms()).toMatchObject([{ id: 'down|a2', state: 'firing', masked: true }]);
    expect(notified).toEqual([]);
    expect(await api.call(operator, 'alarms.endWindow', { id: 'w1' })).toEqual({ ended: true });
    expect((await api.call(viewer, 'alarms.windows', undefined))[0].to).toBe(now());
    expect(cap.alarms()).toMatchObject([{ id: 'down|a2', state: 'firing', masked: false }]);
    await expect(api.call(viewer, 'alarms.setWindow', { id: 'w2', scope: {}, from: 0, to: 1, reason: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
