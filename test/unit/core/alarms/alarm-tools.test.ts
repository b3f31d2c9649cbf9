// The workflow steps "mask alarms" / "unmask alarms" (alarm-tools.ts) on a real ':memory:'
// store, through the workflows capability: a per-host mask step opens a window over each
// host (its alarms masked, not notified), an approval holds the run there, and the unmask
// step bound to the mask's output ends it (the alarm back, notified); both audited under the
// launcher with the run named. Directly: a run launched below operator is refused (audited),
// a run-scope mask without a scope is refused, re-running a mask replaces its window, and
// unmask by maskStep finds the window the mask made.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../../src-shared/api';
import type { DeviceStatus } from '../../../../src-shared/domain';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';
import { maskWindowId, alarmTools } from '../../../../src-main/core/alarms/alarm-tools';
import { startAlarms } from '../../../../src-main/core/alarms/alarms-capability';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { openCoreStore, type CoreStore } from '../../../../src-main/core/store/core-store';
import type { ToolContext } from '../../../../src-main/core/workflows/tool';
import { startWorkflowsCapability, type WorkflowsCapability } from '../../../../src-main/core/workflows/workflows-capability';
import { flush } from '../workflows/helpers';
import { fixtureDocument } from './fixture';

const operator: CallContext = { actor: 'oscar', role: 'operator' };
const admin: CallContext = { actor: 'root', role: 'admin' };
const doc = fixtureDocument({ lifecycle: 'online' });

/** Per host: mask its alarms, wait for an approval, unmask them. */
const SCALE_OUT: WfTemplate = {
  id: 'scale-out', name: 'Scale out', params: [],
  steps: [
    { id: 'mask', tool: 'alarms.mask', scope: 'host', inputs: { minutes: 30, reason: 'scale-out' } },
    { id: 'gate', tool: 'wf.approval', scope: 'run', inputs: { message: 'done?' } },
    { id: 'unmask', tool: 'alarms.unmask', scope: 'host', inputs: { windowId: '${steps.mask.outputs.windowId}' } },
  ],
};

const open: { store: CoreStore; wf?: WorkflowsCapability }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.wf?.dispose();
    await o.store.dispose();
  }
});

function rig() {
  const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
  store.inventory.upsert(doc);
  const status = new Map<string, DeviceStatus>();
  const notified: string[] = [];
  const alarms = startAlarms({ store, hub: new EventHub(), status: (id) => status.get(id), intervalMs: 0, onNotify: (a, e) => notified.push(`${e.kind}:${a.id}`) });
  const tools = alarmTools({ alarms, audit: (r) => store.audit.record(r) });
  const o: { store: CoreStore; wf?: WorkflowsCapability } = { store };
  open.push(o);
  return { store, alarms, tools, status, notified, o };
}

const ctx = (over: Partial<ToolContext> = {}): ToolContext => ({
  runId: 'run-1', stepId: 'mask', host: null, attempt: 1, signal: new AbortController().signal, log: () => {}, callbackUrl: null,
  pollState: null, check: 0, actor: 'oscar', role: 'operator', ...over,
});

describe('workflow steps mask / unmask alarms', () => {
  it('masks each host\'s alarms for the run and unmasks them at its unmask step, audited under the launcher', async () => {
    const { store, alarms, tools, status, notified, o } = rig();
    const wf = startWorkflowsCapability({ store, hub: new EventHub(), tools, templates: [], callbackBaseUrl: null });
    o.wf = wf;
    await alarms.api['alarms.setRule']({ id: 'down', name: 'Down', severity: 'major', forMs: 0, scope: { sites: [], rooms: [], rows: [], cabinets: [], devices: [], kinds: [] }, condition: { kind: 'state', state: 'device.status', equals: 'unreachable' } }, admin);
    wf.engine.saveTemplate(SCALE_OUT, 'root');
    const runId = (wf.api['workflows.launch']({ templateId: 'scale-out', params: {}, deviceIds: ['s1', 's4'] }, operator) as { id: string }).id;
    for (let i = 0; i < 50 && wf.engine.task(runId, 'gate', '').state !== 'awaiting-approval'; i++) await flush();
    expect(wf.engine.task(runId, 'gate', '').state).toBe('awaiting-approval');

    const windows = await alarms.api['alarms.windows'](undefined, operator);
    expect(windows.map((w) => `${w.id}:${w.scope.devices.join(',')}:${w.reason}:${(w.to - w.from) / 60_000}`).sort())
      .toEqual([`${maskWindowId(runId, 'mask', 's1')}:s1:scale-out:30`, `${maskWindowId(runId, 'mask', 's4')}:s4:scale-out:30`]);
    // The scaled hosts reboot: masked, not notified; a host outside the run is.
    status.set('s1', 'unreachable');
    status.set('s3', 'unreachable');
    alarms.evaluateNow();
    expect(alarms.alarms().map((a) => `${a.id}:${a.masked}`).sort()).toEqual(['down|s1:true', 'down|s3:false']);
    expect(notified).toEqual(['fired:down|s3']);

    wf.api['workflows.approve']({ runId, stepId: 'gate' }, operator);
    for (let i = 0; i < 50 && wf.engine.summary(runId).state === 'running'; i++) await flush();
    expect(wf.engine.summary(runId).state).toBe('succeeded');
    // s1 still down after the run: unmasked, notified now.
    expect(alarms.alarms().find((a) => a.id === 'down|s1')!.masked).toBe(false);
    expect(notified).toEqual(['fired:down|s3', 'fired:down|s1']);
    expect((await alarms.api['alarms.windows'](undefined, operator)).every((w) => w.to <= Date.now())).toBe(true);
    const audit = store.audit.list({ action: 'alarms.' }).filter((e) => e.action === 'alarms.mask' || e.action === 'alarms.unmask');
    expect(audit.map((e) => `${e.action}/${e.actor}/${e.role}/${e.outcome}/${e.target}`).sort()).toEqual([
      `alarms.mask/oscar/operator/succeeded/${maskWindowId(runId, 'mask', 's1')}`, `alarms.mask/oscar/operator/succeeded/${maskWindowId(runId, 'mask', 's4')}`,
      `alarms.unmask/oscar/operator/succeeded/${maskWindowId(runId, 'mask', 's1')}`, `alarms.unmask/oscar/operator/succeeded/${maskWindowId(runId, 'mask', 's4')}`,
    ]);
    expect(audit.every((e) => e.detail.includes(`workflow run ${runId}`))).toBe(true);
  });

  it('refuses a run below operator (audited), a run-scope mask without a scope; re-running replaces; unmask by maskStep', async () => {
    const { store, alarms, tools } = rig();
    const [mask, unmask] = tools;
    await expect(mask.run(ctx({ role: 'viewer', host: { id: 's1', hostname: 's1', sn: 'SN-s1' } }), mask.input.parse({}))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(store.audit.list({ action: 'alarms.mask' })[0]).toMatchObject({ actor: 'oscar', role: 'viewer', outcome: 'refused', target: 'wf:run-1:mask:s1' });
    await expect(mask.run(ctx(), mask.input.parse({}))).rejects.toMatchObject({ code: 'VALIDATION', params: { field: 'scope' } });
    expect(await alarms.api['alarms.windows'](undefined, operator)).toEqual([]);

    const cabinet = mask.input.parse({ scope: { cabinets: ['c2'] }, minutes: 10 });
    const first = await mask.run(ctx(), cabinet);
    const again = await mask.run(ctx({ attempt: 2 }), cabinet);
    expect(first).toMatchObject({ status: 'done', output: { windowId: 'wf:run-1:mask' } });
    expect(again).toMatchObject({ status: 'done', output: { windowId: 'wf:run-1:mask' } });
    expect((await alarms.api['alarms.windows'](undefined, operator)).map((w) => `${w.id}:${w.scope.cabinets.join(',')}:${w.reason}`)).toEqual(['wf:run-1:mask:c2:workflow run run-1, step mask']);
    expect(await unmask.run(ctx({ stepId: 'unmask' }), unmask.input.parse({ maskStep: 'mask' }))).toEqual({ status: 'done', output: { windowId: 'wf:run-1:mask', ended: true } });
    await expect(unmask.run(ctx({ stepId: 'unmask' }), unmask.input.parse({ windowId: 'nobody' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(store.audit.list({ action: 'alarms.unmask' })[0]).toMatchObject({ outcome: 'failed', target: 'nobody' });
    await expect(unmask.run(ctx(), unmask.input.parse({}))).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
