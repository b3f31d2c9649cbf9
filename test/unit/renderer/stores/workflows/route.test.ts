// The workflows routes: parse and format are inverses; a selected task rides in the query.
import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from '../../../../../src-renderer/stores/fleet/route';

describe('workflows routes', () => {
  const routes: Route[] = [
    { view: 'workflows' },
    { view: 'workflows', tab: 'templates' },
    { view: 'workflows', tab: 'stats' },
    { view: 'wf-launch', templateId: 'server-online' },
    { view: 'wf-run', runId: 'a b/c' },
    { view: 'wf-run', runId: 'r1', stepId: 'approve' },
    { view: 'wf-run', runId: 'r1', stepId: 'notify', host: 'dev-bj1 #1' },
  ];
  it.each(routes)('round-trips %j', (r) => {
    expect(parseRoute(formatRoute(r))).toEqual(r);
  });
  it('formats the hashes the views link to', () => {
    expect(formatRoute({ view: 'workflows' })).toBe('#/workflows');
    expect(formatRoute({ view: 'wf-run', runId: 'r1', stepId: 'notify', host: 'dev-1' })).toBe('#/workflows/run/r1?step=notify&host=dev-1');
    expect(formatRoute({ view: 'wf-run', runId: 'r1', host: 'dev-1' })).toBe('#/workflows/run/r1');
  });
  it('reads the runs list for unknown or incomplete workflow hashes', () => {
    for (const h of ['#/workflows/', '#/workflows/nope', '#/workflows/run', '#/workflows/launch/']) expect(parseRoute(h)).toEqual({ view: 'workflows' });
  });
});
