// The technician's routes: a cabinet with a device to light, the label sheets (a cabinet
// or a row) and the scan page round-trip through location.hash.
import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from '../../../../../src-renderer/stores/fleet/route';

describe('technician routes', () => {
  const routes: Route[] = [
    { view: 'cabinet', cabinetId: 'cab-1', deviceId: 'dev 7?x' },
    { view: 'labels', scope: 'cabinet', id: 'cab/1' },
    { view: 'labels', scope: 'row', id: 'row-2' },
    { view: 'scan' },
    { view: 'scan', sn: 'SN 0012' },
  ];
  it.each(routes)('round-trips %j', (r) => {
    expect(parseRoute(formatRoute(r))).toEqual(r);
  });
  it('reads ?device= on a cabinet', () => {
    expect(parseRoute('#/cabinet/c1?device=d9')).toEqual({ view: 'cabinet', cabinetId: 'c1', deviceId: 'd9' });
    expect(formatRoute({ view: 'cabinet', cabinetId: 'c1', deviceId: 'd9' })).toBe('#/cabinet/c1?device=d9');
  });
  it('reads an incomplete label route as the overview', () => {
    for (const h of ['#/labels', '#/labels/cabinet', '#/labels/site/x']) expect(parseRoute(h)).toEqual({ view: 'overview' });
  });
});
