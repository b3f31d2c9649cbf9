// Routes live in location.hash: parse and format are inverses, and anything unknown is
// the overview.
import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from '../../../../../src-renderer/stores/fleet/route';

describe('parseRoute / formatRoute', () => {
  const routes: Route[] = [
    { view: 'overview' },
    { view: 'inventory' },
    { view: 'run' },
    { view: 'room', roomId: 'room-1' },
    { view: 'cabinet', cabinetId: 'cab 7/b' },
    { view: 'device', deviceId: 'dev#42?x' },
  ];
  it.each(routes)('round-trips %j', (r) => {
    expect(parseRoute(formatRoute(r))).toEqual(r);
  });
  it('formats the hashes the app links to', () => {
    expect(formatRoute({ view: 'overview' })).toBe('#/');
    expect(formatRoute({ view: 'run' })).toBe('#/run');
    expect(formatRoute({ view: 'cabinet', cabinetId: 'cab 7/b' })).toBe('#/cabinet/cab%207%2Fb');
  });
  it('reads the overview for empty, unknown or incomplete hashes', () => {
    for (const h of ['', '#', '#/', '#/nowhere', '#/room', '#/room/', '#/device/']) expect(parseRoute(h)).toEqual({ view: 'overview' });
  });
  it('accepts a hash without the leading #', () => {
    expect(parseRoute('/room/r9')).toEqual({ view: 'room', roomId: 'r9' });
  });
});
