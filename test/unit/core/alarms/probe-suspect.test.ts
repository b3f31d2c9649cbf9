// The probe matrix's suspect as a root: probeSuspect reads the newest localisation's top
// suspect (a ToR or a host link; a spine suspect names a room, so every device is clear; a
// stale or missing localisation is no data) and puts the hosts of its bad pairs behind it;
// groupUnderRoots groups an object's other alarms under its cause alarm (an upstream root
// still wins). Through the capability: a suspect ToR is the one notifiable alarm, the probe
// alarms of hosts in its row and beyond (through the suspect's pairs) grouped under it; then
// a suspect host link takes its own drop alarm and its peers' under it, and the ToR clears.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startAlarms } from '../../../../src-main/core/alarms/alarms-capability';
import { probeSuspect, type SuspectLocalisation } from '../../../../src-main/core/alarms/condition-sources';
import { notifiable } from '../../../../src-main/core/alarms/masking';
import { groupUnderRoots, rootRelations } from '../../../../src-main/core/alarms/topology-roots';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { openCoreStore, type CoreStore } from '../../../../src-main/core/store/core-store';
import { alarmRuleSchema } from '../../../../src-shared/domain/alarm';
import { firing, fixtureDocument, inventory } from './fixture';

const MIN = 60_000;
const loc = (to: number, kind: string, objectId: string, pairs: [string, string][]): SuspectLocalisation =>
  ({ to, suspects: [{ component: { kind, objectId }, pairs: pairs.map(([src, dst]) => ({ src, dst })) }, { component: { kind: 'host-link', objectId: 'other' }, pairs: [] }] });

describe('probe suspect source', () => {
  it('names the top device suspect, clears the rest, and puts its pairs\' hosts behind it', () => {
    let t = 10 * MIN;
    let l: SuspectLocalisation | null = null;
    const s = probeSuspect(() => l, () => t, 5 * MIN);
    expect(s.state('tor1')).toBeUndefined();
    expect(s.behind().size).toBe(0);
    l = loc(10 * MIN, 'tor', 'tor1', [['s1', 's4'], ['s4', 'tor1']]);
    expect(['tor1', 's1', 'other'].map(s.state)).toEqual(['suspect', 'clear', 'clear']);
    expect([...s.behind()]).toEqual([['s1', ['tor1']], ['s4', ['tor1']]]);
    l = loc(10 * MIN, 'spine', 'room1', [['s1', 's4']]);
    expect(s.state('room1')).toBe('clear');
    expect(s.behind().size).toBe(0);
    t = 16 * MIN;
    expect(s.state('room1')).toBeUndefined();
  });

  it('groups an object\'s other alarms under its cause alarm; an upstream root wins', () => {
    const rel = rootRelations(inventory);
    const cause = firing('suspect', 's4', { severity: 'minor' });
    const grouped = groupUnderRoots([cause, firing('drops', 's4'), firing('down', 's1')], rel, new Set([cause.id]));
    expect(grouped.map((a) => `${a.id}>${a.rootId ?? '-'}`)).toEqual(['suspect|s4>-', 'drops|s4>suspect|s4', 'down|s1>-']);
    // Without causes, two alarms on one object stay apart.
    expect(groupUnderRoots([cause, firing('drops', 's4')], rel).filter(notifiable)).toHaveLength(2);
    // s1's cause is grouped under its ToR's alarm, and so is s1's other alarm.
    const onS1 = groupUnderRoots([firing('down', 'tor1'), firing('suspect', 's1'), firing('drops', 's1')], rel, new Set(['suspect|s1']));
    expect(onS1.map((a) => a.rootId ?? '-')).toEqual(['-', 'down|tor1', 'down|tor1']);
  });
});

describe('probe suspect through the capability', () => {
  const open: CoreStore[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.dispose();
  });

  it('raises the suspect ToR as the one notifiable root, then a suspect host link with its own alarms under it', async () => {
    const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
    open.push(store);
    store.inventory.upsert(fixtureDocument());
    let t = 100 * MIN;
    let l: SuspectLocalisation | null = loc(t, 'tor', 'tor1', [['s1', 's4'], ['s3', 's4'], ['s4', 's2']]);
    const dropping = new Set(['s1', 's3', 's4']);
    const suspect = probeSuspect(() => l, () => t, 5 * MIN);
    const notified: string[] = [];
    const cap = startAlarms({
      store, hub: new EventHub(), status: () => 'up', clock: () => t, intervalMs: 0,
      readings: { 'probe.drop_rate': (ids) => new Map(ids.map((id) => [id, { ts: t, value: dropping.has(id) ? 0.2 : 0 }])) },
      state: (s, id) => (s === 'probe.suspect' ? suspect.state(id) : undefined),
      suspectEdges: suspect.behind,
      onNotify: (a, e) => notified.push(`${e.kind}:${a.id}`),
    });
    const admin = { actor: 'root', role: 'admin' } as const;
    const servers = alarmRuleSchema.shape.scope.parse({ kinds: ['server', 'switch'] });
    await cap.api['alarms.setRule']({ id: 'suspect', name: 'Probe suspect', severity: 'critical', forMs: 0, scope: servers, condition: { kind: 'state', state: 'probe.suspect', equals: 'suspect' } }, admin);
    await cap.api['alarms.setRule']({ id: 'drops', name: 'Probe drops', severity: 'major', forMs: 0, scope: servers, condition: { kind: 'metric', metric: 'probe.drop_rate', op: '>', value: 0.01 } }, admin);
    const view = () => Object.fromEntries(cap.alarms().filter((a) => a.state === 'firing').map((a) => [a.id, a.rootId ?? null]));

    cap.evaluateNow();
    // s1, s3 sit behind tor1 in the inventory; s4 (another row) only through the suspect's pairs.
    expect(view()).toEqual({ 'suspect|tor1': null, 'drops|s1': 'suspect|tor1', 'drops|s3': 'suspect|tor1', 'drops|s4': 'suspect|tor1' });
    expect(notified).toEqual(['fired:suspect|tor1']);

    // The localisation moves to s4's link: the ToR clears; s4's own drop alarm and s1's are under s4's suspect.
    t += MIN;
    l = loc(t, 'host-link', 's4', [['s1', 's4']]);
    dropping.delete('s3');
    cap.evaluateNow();
    expect(view()).toEqual({ 'suspect|s4': null, 'drops|s1': 'suspect|s4', 'drops|s4': 'suspect|s4' });
    expect(notified).toEqual(['fired:suspect|tor1', 'resolved:suspect|tor1', 'fired:suspect|s4']);
    await cap.dispose();
  });
});
