// A run names its hosts (WfRunSummary.hostLabels, in the summary, the runs list and the
// detail): the inventory's hostname and SN now while the device is in it, with the name at
// launch beside it when a reinstall renamed it, and the launch snapshot's for a device that
// has left the inventory. The runs list looks each device up once however many runs share it.
import { describe, expect, it } from 'vitest';
import type { ToolHost } from '../../../../src-main/core/workflows/tool';
import { done, fakeTool, HOSTS, hostIds, isOver, rig, settle } from './helpers';

describe('engine: host labels', () => {
  it("names each host by the inventory now, by the launch snapshot once it is gone", async () => {
    const inventory = new Map<string, ToolHost>(HOSTS.slice(0, 3).map((h) => [h.id, h]));
    const lookups: string[] = [];
    const r = rig((calls) => [fakeTool('check', {}, calls, () => done())], {
      hosts: (id) => {
        lookups.push(id);
        return inventory.get(id);
      },
    });
    r.engine.saveTemplate({ id: 'flow', name: 'Flow', params: [], steps: [{ id: 'check', tool: 'check', scope: 'host', inputs: {} }] }, 'alice');
    const run = r.engine.launch('flow', {}, hostIds(3), 'alice');
    expect(run.hostLabels).toEqual({
      d1: { hostname: 'srv-1', sn: 'SN1001', inInventory: true },
      d2: { hostname: 'srv-2', sn: 'SN1002', inInventory: true },
      d3: { hostname: 'srv-3', sn: 'SN1003', inInventory: true },
    });
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');

    // A reinstall renamed d1; d2 left the inventory.
    inventory.set('d1', { id: 'd1', hostname: 'web-01', sn: 'SN1001' });
    inventory.delete('d2');
    const want = {
      d1: { hostname: 'web-01', sn: 'SN1001', inInventory: true, launchHostname: 'srv-1' },
      d2: { hostname: 'srv-2', sn: 'SN1002', inInventory: false },
      d3: { hostname: 'srv-3', sn: 'SN1003', inInventory: true },
    };
    expect(r.engine.summary(run.id).hostLabels).toEqual(want);
    expect(r.engine.run(run.id).hostLabels).toEqual(want);

    const second = r.engine.launch('flow', {}, ['d1', 'd3'], 'alice');
    lookups.length = 0;
    const list = r.engine.runs();
    expect(list.map((x) => [x.id, Object.keys(x.hostLabels)])).toEqual(expect.arrayContaining([[run.id, ['d1', 'd2', 'd3']], [second.id, ['d1', 'd3']]]));
    expect(list.find((x) => x.id === run.id)?.hostLabels).toEqual(want);
    expect(lookups.sort(), 'one lookup per device for the whole list').toEqual(['d1', 'd2', 'd3']);
  });
});
