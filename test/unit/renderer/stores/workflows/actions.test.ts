// The workflows list and launch actions against a fake client: the runs filter is sent and
// an older answer dropped; statistics ask for the period ending now; pasted hostnames / SNs
// add only exact matches (in the order pasted), the rest listed as not found; a launch sends
// the params and the picked device ids and opens the new run; a refusal stays on the form.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceSearchHit } from '../../../../../src-shared/domain/search';
import type { WfRunSummary } from '../../../../../src-shared/domain/workflow';
import { RemoteError } from '../../../../../src-shared/errors';
import { setClient } from '../../../../../src-renderer/stores/client';
import { useAppStore } from '../../../../../src-renderer/stores/store';
import { addHosts, addPasted, launchRun, loadRuns, loadStats, openLaunch, removeHost, searchHosts } from '../../../../../src-renderer/stores/workflows/actions';
import { launchRefusal } from '../../../../../src-renderer/stores/workflows/launch-form';
import { initialWorkflows } from '../../../../../src-renderer/stores/workflows/slice';
import { detail, fakeClient, TEMPLATE } from './fixtures';

const wf = () => useAppStore.getState().workflows;
const fakeLocation = { hash: '' };

const hit = (hostname: string, sn: string, match: DeviceSearchHit['match'] = 'exact'): DeviceSearchHit => ({
  deviceId: `dev-${hostname}`, hostname, sn, kind: 'server', mgmtIp: '10.0.0.1', bmcAddress: null, field: 'hostname', match,
  siteName: 'Beijing 1', roomName: 'Hall 1', cabinetId: 'cab-1', cabinetName: 'C0101', uPosition: 1,
});

const summary = (id: string): WfRunSummary => {
  const { template: _t, tasks: _k, ...s } = detail({ id });
  return s;
};

beforeEach(() => {
  vi.stubGlobal('location', fakeLocation);
  fakeLocation.hash = '';
});

afterEach(() => {
  setClient(null);
  vi.useRealTimers();
  vi.unstubAllGlobals();
  useAppStore.setState({ workflows: initialWorkflows });
});

describe('runs and statistics', () => {
  it('sends the filter and drops an answer overtaken by a newer request', async () => {
    let release: (v: WfRunSummary[]) => void = () => {};
    const { calls } = fakeClient({
      'workflows.runs': (a) => (a.state === 'failed' ? [summary('run-new')] : new Promise((r) => (release = r))),
    });
    const first = loadRuns();
    await loadRuns({ templateId: 'notify', state: 'failed' });
    release([summary('run-old')]);
    await first;
    expect(calls('workflows.runs')).toEqual([
      { templateId: undefined, state: undefined, limit: 200 },
      { templateId: 'notify', state: 'failed', limit: 200 },
    ]);
    expect(wf().runs?.map((r) => r.id)).toEqual(['run-new']);
    expect(wf().runsFilter).toEqual({ templateId: 'notify', state: 'failed' });
  });

  it('asks for the chosen period ending now and keeps an error', async () => {
    vi.useFakeTimers({ now: 1_000_000_000_000 });
    const { calls } = fakeClient({ 'workflows.stats': () => [] });
    await loadStats('24h');
    expect(calls('workflows.stats')).toEqual([{ from: 1_000_000_000_000 - 86_400_000, to: 1_000_000_000_001 }]);
    expect(wf()).toMatchObject({ period: '24h', stats: [], statsLoading: false });
    fakeClient({ 'workflows.stats': () => Promise.reject(new Error('down')) });
    await loadStats('30d');
    expect(wf()).toMatchObject({ period: '30d', statsError: { message: 'down' }, statsLoading: false });
  });
});

describe('the launch form', () => {
  it('adds pasted names that match exactly, in the order pasted, and lists the rest', async () => {
    const table: Record<string, DeviceSearchHit[]> = {
      'srv-2': [hit('srv-2', 'SN2')],
      SN1: [hit('srv-1', 'SN1')],
      'srv-9': [hit('srv-90', 'SN90', 'prefix')], // a prefix is not the host asked for
    };
    fakeClient({ 'workflows.template': () => ({ id: 'notify', version: 1, name: TEMPLATE.name, savedBy: 'a', savedAt: 1, template: TEMPLATE }), 'search.devices': (a) => table[String(a.q)] ?? [] });
    await openLaunch('notify');
    await addPasted('srv-2, SN1\nsrv-9  nobody SRV-2');
    expect(wf().launch.hosts.map((h) => h.id)).toEqual(['dev-srv-2', 'dev-srv-1']);
    expect(wf().launch.unresolved).toEqual(['srv-9', 'nobody']);
    expect(wf().launch.resolving).toBeNull();
    addHosts([{ id: 'dev-srv-1', hostname: 'srv-1', sn: 'SN1' }]);
    removeHost('dev-srv-2');
    expect(wf().launch.hosts.map((h) => h.id)).toEqual(['dev-srv-1']);
  });

  it('keeps the hosts when the same template opens again, starts empty for another', async () => {
    fakeClient({ 'workflows.template': (a) => ({ id: a.id, version: 1, name: 'x', savedBy: 'a', savedAt: 1, template: { ...TEMPLATE, id: String(a.id) } }) });
    await openLaunch('notify');
    addHosts([{ id: 'dev-1', hostname: 'one', sn: 'S1' }]);
    await openLaunch('notify');
    expect(wf().launch.hosts).toHaveLength(1);
    await openLaunch('other');
    expect(wf().launch).toMatchObject({ templateId: 'other', hosts: [] });
    expect(wf().launch.info?.id).toBe('other');
  });

  it('drops search answers for an older text', async () => {
    let release: (v: DeviceSearchHit[]) => void = () => {};
    fakeClient({ 'search.devices': (a) => (a.q === 'old' ? new Promise((r) => (release = r)) : [hit('new-1', 'N1')]) });
    const first = searchHosts('old');
    await searchHosts('new');
    release([hit('old-1', 'O1')]);
    await first;
    expect(wf().launch.hits?.map((h) => h.hostname)).toEqual(['new-1']);
    await searchHosts('n');
    expect(wf().launch.hits).toBeNull();
  });

  it('launches with the params and the picked ids, then opens the run', async () => {
    const { calls } = fakeClient({
      'workflows.template': () => ({ id: 'notify', version: 1, name: TEMPLATE.name, savedBy: 'a', savedAt: 1, template: TEMPLATE }),
      'workflows.launch': () => summary('run-7'),
    });
    await openLaunch('notify');
    addHosts([{ id: 'dev-a', hostname: 'a', sn: 'SA' }, { id: 'dev-b', hostname: 'b', sn: 'SB' }]);
    expect(await launchRun({ baseUrl: 'http://x' })).toBe(true);
    expect(calls('workflows.launch')).toEqual([{ templateId: 'notify', params: { baseUrl: 'http://x' }, deviceIds: ['dev-a', 'dev-b'] }]);
    expect(fakeLocation.hash).toBe('#/workflows/run/run-7');
    expect(wf().launch).toMatchObject({ submitting: false, error: null });
  });

  it('keeps a refusal for the form to show by field', async () => {
    const refusal = new RemoteError({
      name: 'ValidationError', code: 'VALIDATION', message: 'The launch of notify has 2 problems',
      params: { field: 'params.baseUrl', issues: [{ field: 'params.baseUrl', message: 'param baseUrl is required' }, { field: 'hosts', message: '1 host(s) are not known devices: dev-x' }] },
    });
    fakeClient({
      'workflows.template': () => ({ id: 'notify', version: 1, name: TEMPLATE.name, savedBy: 'a', savedAt: 1, template: TEMPLATE }),
      'workflows.launch': () => Promise.reject(refusal),
    });
    await openLaunch('notify');
    addHosts([{ id: 'dev-x', hostname: 'x', sn: 'SX' }]);
    expect(await launchRun({})).toBe(false);
    expect(fakeLocation.hash).toBe('');
    const error = wf().launch.error!;
    expect(error.code).toBe('VALIDATION');
    expect(launchRefusal(error)).toEqual({ params: { baseUrl: ['param baseUrl is required'] }, hosts: ['1 host(s) are not known devices: dev-x'], other: [] });
  });
});
