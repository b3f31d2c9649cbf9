// Alarm history retention through the capability on a ':memory:' store with an injected clock:
// after 90 days (the default) a resolved alarm's old history rows go and recent rows stay; an
// alarm still firing keeps its whole history and its own row; historyMs 0 keeps everything;
// the capability's own timer runs the pass (polled with a deadline, not timed).
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatus, InventoryDocument } from '../../../../src-shared/domain';
import { alarmRuleSchema } from '../../../../src-shared/domain/alarm';
import { startAlarms, type AlarmsDeps } from '../../../../src-main/core/alarms/alarms-capability';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { openCoreStore, type CoreStore } from '../../../../src-main/core/store/core-store';

const DAY = 86_400_000;
const device = (id: string): InventoryDocument['devices'][number] => ({
  id, cabinetId: 'c1', kind: 'server', hostname: id, sn: `SN-${id}`, uPosition: 3, uHeight: 1, mgmtIp: '127.16.0.1', snmpPort: 161,
  bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
});
const doc: InventoryDocument = {
  format: 'fleetdeck-inventory', version: 1,
  sites: [{ id: 's1', name: 'Site', city: 'Beijing' }],
  rooms: [{ id: 'm1', siteId: 's1', name: 'Hall 1', widthM: 20, depthM: 10 }],
  rows: [{ id: 'r1', roomId: 'm1', name: 'R1', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }],
  cabinets: [{ id: 'c1', rowId: 'r1', name: 'c1', position: 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 }],
  devices: [device('old'), device('open'), device('recent')],
};
const downRule = alarmRuleSchema.parse({
  id: 'down', name: 'Unreachable', severity: 'major', forMs: 0, scope: {}, condition: { kind: 'state', state: 'device.status', equals: 'unreachable' },
});

const open: CoreStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.dispose();
});

/** Day 0: 'old' and 'open' go down; day 1: 'old' comes back; day 100: 'recent' goes down and up. */
async function history(over: Partial<AlarmsDeps> = {}) {
  const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
  open.push(store);
  store.inventory.upsert(doc);
  let t = 1_000_000;
  const status = new Map<string, DeviceStatus>([['old', 'up'], ['open', 'up'], ['recent', 'up']]);
  const cap = startAlarms({ store, hub: new EventHub(), status: (id) => status.get(id), clock: () => t, intervalMs: 0, historyEveryMs: 0, ...over });
  await cap.api['alarms.setRule'](downRule, { actor: 'root', role: 'admin' });
  const step = (days: number, set: Record<string, DeviceStatus>): void => {
    t += days * DAY;
    for (const [id, s] of Object.entries(set)) status.set(id, s);
    cap.evaluateNow();
  };
  step(0, { old: 'unreachable', open: 'unreachable' });
  step(1, { old: 'up' });
  step(99, { recent: 'unreachable' });
  step(0.01, { recent: 'up' });
  const kinds = (id: string): string[] => store.alarms.history(`down|${id}`).map((e) => e.kind);
  return { store, cap, kinds, advance: (ms: number) => (t += ms) };
}

describe('alarm history retention', () => {
  it('drops rows older than 90 days, keeps recent ones, and keeps an active alarm\'s history and row', async () => {
    const { store, cap, kinds } = await history();
    expect(kinds('old')).toEqual(['resolved', 'fired', 'pending']);
    expect(cap.expireHistoryNow()).toBe(3);
    expect(kinds('old')).toEqual([]);
    expect(kinds('recent')).toEqual(['resolved', 'fired', 'pending']);
    // 'open' has fired 100 days ago and still is: all of it stays, its row too.
    expect(kinds('open')).toEqual(['fired', 'pending']);
    expect(store.alarms.list({ state: 'firing' }).map((a) => a.id)).toEqual(['down|open']);
    // The resolved alarm's own row is not history: it stays (the engine holds it; occurrences go on counting).
    expect(store.alarms.list().map((a) => a.id).sort()).toEqual(['down|old', 'down|open', 'down|recent']);
    expect(cap.expireHistoryNow()).toBe(0);
    await cap.dispose();
  });

  it('historyMs 0 keeps everything; a shorter one drops more', async () => {
    const keep = await history({ historyMs: 0 });
    expect(keep.cap.expireHistoryNow()).toBe(0);
    expect(keep.kinds('old')).toHaveLength(3);
    await keep.cap.dispose();
    const short = await history({ historyMs: 30 * DAY });
    expect(short.cap.expireHistoryNow()).toBe(3);
    expect(short.kinds('recent')).toHaveLength(3);
    await short.cap.dispose();
  });

  it('runs on its own timer', async () => {
    const { cap, kinds } = await history({ historyEveryMs: 20 });
    const deadline = Date.now() + 5000;
    while (kinds('old').length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(kinds('old')).toEqual([]);
    expect(kinds('open')).toEqual(['fired', 'pending']);
    await cap.dispose();
  });
});
