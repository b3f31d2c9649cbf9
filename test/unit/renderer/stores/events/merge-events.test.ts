// The events strip and a device's events: a load and the live stream merged newest first,
// each event once, capped.
import { describe, expect, it } from 'vitest';
import type { FleetEvent } from '../../../../../src-shared/domain';
import { mergeEvents } from '../../../../../src-renderer/stores/events/merge-events';

const ev = (id: number, at: number, message = `e${id}`): FleetEvent => ({ id, at, deviceId: null, kind: 'status', severity: 'info', message });
const ids = (list: FleetEvent[]) => list.map((e) => e.id);

describe('mergeEvents', () => {
  it('orders newest first, by time, then by id for the same time', () => {
    const merged = mergeEvents([ev(1, 100), ev(2, 300)], [ev(4, 200), ev(3, 300)], 10);
    expect(ids(merged)).toEqual([3, 2, 4, 1]);
  });
  it('keeps each id once, the incoming copy winning', () => {
    const merged = mergeEvents([ev(1, 100, 'old'), ev(2, 200)], [ev(1, 100, 'new')], 10);
    expect(ids(merged)).toEqual([2, 1]);
    expect(merged[1].message).toBe('new');
  });
  it('keeps at most keep, dropping the oldest', () => {
    const have = Array.from({ length: 5 }, (_, i) => ev(i + 1, (i + 1) * 10));
    expect(ids(mergeEvents(have, [ev(6, 60)], 3))).toEqual([6, 5, 4]);
    expect(mergeEvents(have, [], 0)).toEqual([]);
  });
  it('an event older than everything kept is not let in over the cap', () => {
    const have = [ev(10, 1000), ev(11, 1100)];
    expect(ids(mergeEvents(have, [ev(1, 1)], 2))).toEqual([11, 10]);
  });
  it('does not change its inputs', () => {
    const have = [ev(1, 100), ev(2, 200)];
    const incoming = [ev(3, 50)];
    mergeEvents(have, incoming, 1);
    expect(ids(have)).toEqual([1, 2]);
    expect(ids(incoming)).toEqual([3]);
  });
  it('works from nothing', () => {
    expect(mergeEvents([], [], 5)).toEqual([]);
    expect(ids(mergeEvents([], [ev(1, 1), ev(2, 2)], 5))).toEqual([2, 1]);
  });
});
