// The template editor's routes: #/workflows/templates/<id> opens a template (ids that need
// escaping round-trip), #/workflows/new-template a new one, and the templates tab itself stays
// the list.
import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from '../../../../../src-renderer/stores/fleet/route';

describe('template editor routes', () => {
  const routes: Route[] = [
    { view: 'wf-template', templateId: 'server-online' },
    { view: 'wf-template', templateId: 'a b/c' },
    { view: 'wf-template', templateId: null },
  ];
  it.each(routes)('round-trips %j', (r) => {
    expect(parseRoute(formatRoute(r))).toEqual(r);
  });
  it('formats and reads the hashes the templates tab links to', () => {
    expect(formatRoute({ view: 'wf-template', templateId: 'server-online' })).toBe('#/workflows/templates/server-online');
    expect(formatRoute({ view: 'wf-template', templateId: null })).toBe('#/workflows/new-template');
    expect(parseRoute('#/workflows/templates')).toEqual({ view: 'workflows', tab: 'templates' });
    expect(parseRoute('#/workflows/templates/new')).toEqual({ view: 'wf-template', templateId: 'new' });
  });
});
