// The other shipped flows through the workflow engine on lab servers, with a real HTTP
// receiver: server-offline (CMDB offline, soft power-off through the BMC, the host gone);
// inspection (an online server checked and reported, a server not online refused at its CMDB
// check); arrival-stress-test (a short burn-in watched on the lab BMC, without load, as the
// lab's hosts run none). Addresses 127.86.x.y (BMCs 127.186.x.y), SNMP port 16884.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallbackReceiver } from '../lab/install/support';
import { closeFlowRig, fastTemplate, finished, startFlowRig, taskStates, type Flow } from './flow-support';
import type { Rig } from './support';

let rig: Rig;
let flow: Flow;
let receiver: CallbackReceiver;
const bodies = (path: string) => receiver.requests.filter((r) => r.path === path).map((r) => r.body as Record<string, unknown>);

beforeAll(async () => {
  ({ rig, flow, receiver } = await startFlowRig({ seed: 86, addressPrefix: '127.86', snmpPort: 16884, devices: 60 }));
  for (const id of ['server-offline', 'inspection', 'arrival-stress-test']) flow.engine.saveTemplate(fastTemplate(id), 'fleetdeck');
}, 60_000);

afterAll(() => closeFlowRig({ rig, flow, receiver }));

describe('server-offline', () => {
  it('moves online servers offline, powers them off softly, waits until they are gone and calls back', async () => {
    const hosts = rig.servers().slice(0, 2);
    const run = flow.engine.launch('server-offline', { callbackUrl: receiver.url('/offline'), purpose: 'decommission' }, hosts.map((d) => d.id), 'ops-off');
    const detail = await finished(flow.engine, run.id);
    expect(detail.state, JSON.stringify(detail.tasks.filter((t) => t.error).map((t) => [t.stepId, t.error]))).toBe('succeeded');
    for (const d of hosts) {
      expect(rig.inventory.device(d.id)?.lifecycle).toBe('offline');
      expect(flow.engine.task(run.id, 'power_off', d.id).outputs).toEqual({ power: 'off' });
      expect(flow.engine.task(run.id, 'host_down', d.id).outputs).toMatchObject({ reachable: false, method: 'tcp' });
    }
    expect(bodies('/offline').map((b) => b.sn).sort()).toEqual(hosts.map((d) => d.sn).sort());
    expect(bodies('/offline')[0]).toMatchObject({ purpose: 'decommission', status: 'offline' });
  }, 40_000);
});

describe('inspection', () => {
  it('reports an online server and refuses one that is not online', async () => {
    const [ok, off] = rig.servers().slice(2, 4);
    rig.inventory.lifecycle.set({ deviceIds: [off.id], to: 'maintenance', actor: 'test' });
    const run = flow.engine.launch('inspection', { callbackUrl: receiver.url('/inspect') }, [ok.id, off.id], 'ops-check');
    const detail = await finished(flow.engine, run.id);
    expect(detail.state).toBe('failed');
    expect(Object.values(taskStates(flow.engine, run.id, ok.id)).every((s) => s === 'succeeded')).toBe(true);
    expect(flow.engine.task(run.id, 'cmdb_check', off.id)).toMatchObject({ state: 'failed', error: `${off.hostname} (${off.id}) is maintenance in the CMDB; this step expects online` });
    const [body] = bodies('/inspect');
    expect(bodies('/inspect')).toHaveLength(1);
    expect(body).toMatchObject({ sn: ok.sn, hostname: ok.hostname, status: 'inspected', power: 'on', selErrors: 0, os: flow.engine.task(run.id, 'check_system', ok.id).outputs?.os });
    expect(typeof body.rttMs).toBe('number');
  }, 40_000);
});

describe('arrival-stress-test', () => {
  it('burns a racked server in for the minutes asked and reports the peak temperature', async () => {
    const [d] = rig.servers().slice(4, 5);
    rig.inventory.putDevice({ ...d, lifecycle: 'racked' }, null, 'test');
    const run = flow.engine.launch('arrival-stress-test', { callbackUrl: receiver.url('/burn'), minutes: 0.03 }, [d.id], 'ops-burn');
    const detail = await finished(flow.engine, run.id);
    expect(detail.state, JSON.stringify(detail.tasks.filter((t) => t.error).map((t) => [t.stepId, t.error]))).toBe('succeeded');
    const out = flow.engine.task(run.id, 'burnin', d.id).outputs!;
    expect(out).toMatchObject({ minutes: 0.03, loadStarted: false, newSelCritical: 0 });
    expect(bodies('/burn')).toEqual([expect.objectContaining({ sn: d.sn, status: 'passed', peakTempC: out.peakTempC, selErrors: 0 })]);
    expect(flow.engine.logs(run.id, { stepId: 'burnin', host: d.id }).map((l) => l.line).join('\n')).toContain('watching the BMC without load');
  }, 40_000);
});
