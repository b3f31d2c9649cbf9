// Hive's service tree (src-shared/domain/service-tree.ts): paths company > ... > job, their
// levels, bad paths refused with the reason, and attachments rolled up to every ancestor.
import { describe, expect, it } from 'vitest';
import { buildTree, parseTreePath } from '../../../../src-shared/domain/service-tree';

describe('Hive service tree', () => {
  it('names each level of a path, company to job', () => {
    expect(parseTreePath('tencent')).toMatchObject({ ok: true, level: 'company' });
    expect(parseTreePath('tencent/ieg/王者/gz-1/logic/login/jg1/job-7')).toMatchObject({ ok: true, level: 'job', segments: ['tencent', 'ieg', '王者', 'gz-1', 'logic', 'login', 'jg1', 'job-7'] });
    expect(parseTreePath('a/b/c/d/e/f/g/h/i')).toEqual({ ok: false, reason: 'A service-tree path has at most 8 levels (company to job)' });
    expect(parseTreePath('a//b')).toMatchObject({ ok: false, reason: expect.stringMatching(/Each level of a service-tree path is a name/) });
  });

  it('rolls hosts, modules, instances and alarms up to every ancestor, children by name', () => {
    const tree = buildTree([
      { path: 'co/games/arena/gz-1/logic/login', add: { modules: 1, instances: 12, hosts: 5 } },
      { path: 'co/games/arena/gz-1/logic/match', add: { modules: 1, instances: 4, alarms: 2 } },
      { path: 'co/games/arena/sh-1', add: { hosts: 3 } },
      { path: 'co/ads', add: { hosts: 1 } },
    ]);
    expect(tree).toHaveLength(1);
    const co = tree[0];
    expect(co.total).toEqual({ hosts: 9, modules: 2, instances: 16, alarms: 2 });
    expect(co.children.map((c) => c.name)).toEqual(['ads', 'games']);
    const arena = co.children[1].children[0];
    expect(arena).toMatchObject({ path: 'co/games/arena', level: 'product', total: { hosts: 8, modules: 2, instances: 16, alarms: 2 } });
    const logic = arena.children[0].children[0];
    expect(logic).toMatchObject({ level: 'serviceGroup', own: { hosts: 0, modules: 0, instances: 0, alarms: 0 }, total: { modules: 2, instances: 16 } });
    expect(() => buildTree([{ path: '/bad', add: {} }])).toThrow(/"\/bad": Each level/);
  });
});
