// When the alarms capability notifies (onNotify, where create-core plugs in the webhook
// notifier): a tripped PDU's root alarm is notified firing and resolved, the devices grouped
// under it never; an alarm that fires inside a maintenance window is notified when the window
// ends while it still fires (once), then resolved; one that fires and resolves inside a window
// is not notified at all; a throwing hook is logged and the step goes on. A real ':memory:'
// store, the fixture's inventory (fixture.ts), an injected clock and status, no timer.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startAlarms } from '../../../../src-main/core/alarms/alarms-capability';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { openCoreStore, type CoreStore } from '../../../../src-main/core/store/core-store';
import type { AlarmRule } from '../../../../src-shared/domain/alarm';
import type { DeviceStatus } from '../../../../src-shared/domain';
import { fixtureDocument, inventory } from './fixture';

const doc = fixtureDocument();

const rules: AlarmRule[] = [
  { id: 'dark', name: 'PDU dark', severity: 'critical', forMs: 0, scope: { sites: [], rooms: [], rows: [], cabinets: [], devices: [], kinds: ['pdu'] },
    condition: { kind: 'metric', metric: 'pdu.power_w', op: '<', value: 5 } },
  { id: 'down', name: 'Unreachable', severity: 'major', forMs: 0, scope: { sites: [], rooms: [], rows: [], cabinets: [], devices: [], kinds: ['server', 'switch'] },
    condition: { kind: 'state', state: 'device.status', equals: 'unreachable' } },
];

const open: CoreStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.dispose();
});

function setup(onNotifyThrows = false) {
  const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
  open.push(store);
  store.inventory.upsert(doc);
  for (const r of rules) store.alarms.putRule(r);
  let t = 1_000_000;
  const status = new Map<string, DeviceStatus>(inventory.devices.map((d) => [d.id, 'up']));
  const watts = new Map<string, number>(inventory.devices.filter((d) => d.kind === 'pdu').map((d) => [d.id, 900]));
  const sent: string[] = [];
  const logged: string[] = [];
  const cap = startAlarms({
    store, hub: new EventHub(), status: (id) => status.get(id), clock: () => t, intervalMs: 0, log: (l) => logged.push(l),
    latest: (_m, ids) => new Map(ids.flatMap((id) => (watts.has(id) ? [[id, { ts: t, value: watts.get(id)! }] as const] : []))),
    onNotify: (a, e) => {
      sent.push(`${e.kind}:${a.id}#${a.occurrences}`);
      if (onNotifyThrows) throw new Error('receiver gone');
    },
  });
  /** Trips (or restores) cabinet c2: its PDU reads 0 W, its server is unreachable. */
  const trip = (on: boolean): void => {
    watts.set('pdu2', on ? 0 : 900);
    status.set('s3', on ? 'unreachable' : 'up');
  };
  const step = (): void => {
    t += 1000;
    cap.evaluateNow();
  };
  return { cap, trip, step, sent, logged, now: () => t };
}

describe('alarm notifications', () => {
  it('notifies the root alarm fired and resolved, never the devices grouped under it', () => {
    const { cap, trip, step, sent } = setup();
    step();
    trip(true);
    step();
    expect(cap.alarms().map((a) => `${a.id}:${a.state}:${a.rootId ?? '-'}`).sort()).toEqual(['dark|pdu2:firing:-', 'down|s3:firing:dark|pdu2']);
    step();
    trip(false);
    step();
    expect(sent).toEqual(['fired:dark|pdu2#1', 'resolved:dark|pdu2#1']);
  });

  it('notifies an alarm once when its window ends while it fires, then its resolving; nothing for one over within the window', async () => {
    const { cap, trip, step, sent, now } = setup();
    await cap.api['alarms.setWindow']({ id: 'w1', scope: { sites: [], rooms: [], rows: [], cabinets: ['c2'], devices: [], kinds: [] }, from: now(), to: now() + 5000, reason: 'breaker work' }, { actor: 'ana', role: 'operator' });
    trip(true);
    step();
    trip(false);
    step();
    expect(sent).toEqual([]);
    trip(true);
    step();
    expect(cap.alarms().find((a) => a.id === 'dark|pdu2')).toMatchObject({ state: 'firing', masked: true, occurrences: 2 });
    step();
    step(); // the window is over: unmasked while firing
    expect(cap.alarms().find((a) => a.id === 'dark|pdu2')).toMatchObject({ state: 'firing', masked: false });
    expect(sent).toEqual(['fired:dark|pdu2#2']);
    step();
    trip(false);
    step();
    expect(sent).toEqual(['fired:dark|pdu2#2', 'resolved:dark|pdu2#2']);
  });

  it('notifies when a window is ended by hand while the alarm fires', async () => {
    const { cap, trip, step, sent, now } = setup();
    const ctx = { actor: 'ana', role: 'operator' } as const;
    await cap.api['alarms.setWindow']({ id: 'w1', scope: { sites: [], rooms: [], rows: [], cabinets: ['c2'], devices: [], kinds: [] }, from: now(), to: now() + 60_000, reason: 'x' }, ctx);
    trip(true);
    step();
    expect(sent).toEqual([]);
    await cap.api['alarms.endWindow']({ id: 'w1' }, ctx);
    expect(sent).toEqual(['fired:dark|pdu2#1']);
    step();
    expect(sent).toEqual(['fired:dark|pdu2#1']);
  });

  it('logs a throwing hook and goes on', () => {
    const { cap, trip, step, logged } = setup(true);
    trip(true);
    step();
    expect(cap.alarms().find((a) => a.id === 'dark|pdu2')?.state).toBe('firing');
    expect(logged.some((l) => l.includes('notification hook failed for dark|pdu2: receiver gone'))).toBe(true);
  });
});
