// Suppression by topology: a tripped PDU's cabinet devices group under its one root alarm; a
// dead ToR's servers group under it; chains end at the topmost firing root; alarms with no
// firing upstream (or not firing themselves) stay ungrouped; a whole-cabinet trip of both
// feeds is one root, not one per PDU.
import { describe, expect, it } from 'vitest';
import { notifiable } from '../../../../src-main/core/alarms/masking';
import { groupUnderRoots, powerPeers, rootRelations } from '../../../../src-main/core/alarms/topology-roots';
import { firing, inventory } from './fixture';

const rel = rootRelations(inventory);
const roots = (alarms: ReturnType<typeof firing>[]) => Object.fromEntries(groupUnderRoots(alarms, rel).map((a) => [a.id, a.rootId ?? null]));

describe('topology roots', () => {
  it('derives power and network relations from the inventory', () => {
    expect(rel.get('s1')).toEqual(['c1-pdu-a', 'c1-pdu-b', 'tor1']);
    expect(rel.get('tor1')).toEqual(['c1-pdu-a']);
    expect(rel.get('s3')).toEqual(['pdu2', 'tor1']);
    expect(rel.get('s4')).toBeUndefined();
    expect(rel.get('c1-pdu-a')).toBeUndefined();
  });

  it('trips a PDU: the cabinet device alarms are grouped under its one root alarm', () => {
    const pdu = firing('pdu.trip', 'c1-pdu-a', { severity: 'critical' });
    const alarms = [pdu, firing('down', 's1'), firing('psu', 's2'), firing('down', 'tor1'), firing('down', 's3'), firing('down', 's4')];
    const grouped = groupUnderRoots(alarms, rel);
    const by = Object.fromEntries(grouped.map((a) => [a.objectId, a.rootId ?? null]));
    expect(by).toEqual({ 'c1-pdu-a': null, s1: pdu.id, s2: pdu.id, tor1: pdu.id, s3: pdu.id, s4: null });
    expect(grouped.filter(notifiable).map((a) => a.objectId)).toEqual(['c1-pdu-a', 's4']);
  });

  it('groups a dead ToR\'s servers under it when its power is fine', () => {
    const tor = firing('down', 'tor1');
    expect(roots([tor, firing('down', 's1'), firing('down', 's3')])).toEqual({ [tor.id]: null, 'down|s1': tor.id, 'down|s3': tor.id });
  });

  it('does not climb through an upstream object that is not firing', () => {
    // c1-pdu-a tripped but tor1 (behind it) is fine: s3 (on pdu2, behind tor1) is not the PDU's doing
    expect(roots([firing('pdu.trip', 'c1-pdu-a'), firing('down', 's3')])).toEqual({ 'pdu.trip|c1-pdu-a': null, 'down|s3': null });
  });

  it('picks the most severe upstream root, and leaves pending or resolved alarms ungrouped', () => {
    const a = firing('hot', 'c1-pdu-a', { severity: 'minor' });
    const b = firing('trip', 'c1-pdu-b', { severity: 'critical' });
    const pend = firing('down', 's2', { state: 'pending', rootId: 'stale' });
    const out = roots([a, b, firing('down', 's1'), pend]);
    expect(out['down|s1']).toBe(b.id);
    expect(out['down|s2']).toBeNull();
  });

  it('makes a whole-cabinet trip (both feeds) one root; one feed alone stays its own root', () => {
    const peers = powerPeers(inventory);
    expect(peers.get('c1-pdu-a')).toBe(peers.get('c1-pdu-b'));
    const a = firing('pdu.trip', 'c1-pdu-a', { severity: 'critical' });
    const b = firing('pdu.trip', 'c1-pdu-b', { severity: 'critical' });
    const both = groupUnderRoots([b, a, firing('down', 's1'), firing('down', 's2'), firing('down', 'tor1')], rel, new Set(), peers);
    expect(both.filter(notifiable).map((x) => x.id)).toEqual([a.id]);
    expect(both.filter((x) => x.id !== a.id).every((x) => x.rootId === a.id)).toBe(true);
    // The feed B PDU alone, and without peers (the old grouping): two roots for a whole-cabinet trip.
    expect(groupUnderRoots([b], rel, new Set(), peers)[0].rootId).toBeUndefined();
    expect(groupUnderRoots([a, b], rel).filter(notifiable)).toHaveLength(2);
  });
});
