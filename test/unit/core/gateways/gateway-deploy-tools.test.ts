// The gateway deploy's tools on a fake host (an in-memory answer to exactly the commands
// gateway-host.ts builds) and its template against the real tool registry: the plan's
// refusals (the schema's words, an unmapped node, a device without an SSH credential); two
// nodes on one host restarted one at a time, the second only once the first answers /health;
// a second upload ships nothing and a second activation touches nothing; the template's
// bindings fit the tools.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Device } from '../../../../src-shared/domain';
import type { MgwCluster } from '../../../../src-shared/mgw/config';
import type { DeployHost } from '../../../../src-main/core/agents/deploy/deploy-deps';
import { GATEWAY_DEPLOY_TEMPLATE, gatewayDeployTools, type GatewayDeployDeps } from '../../../../src-main/core/gateways/deploy';
import { gatewayBundle } from '../../../../src-main/core/gateways/deploy/gateway-host';
import { planOf } from '../../../../src-main/core/gateways/deploy/gateway-plan';
import { validateTemplate } from '../../../../src-main/core/workflows/template';
import { toolRegistry, type Tool, type ToolContext } from '../../../../src-main/core/workflows/tool';
import { BUILTIN_TOOLS } from '../../../../src-main/core/workflows/workflows-module';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fd-gw-deploy-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(path.join(dir, 'bundle'));
writeFileSync(path.join(dir, 'bundle', 'mgw.js'), '// mgw\n');
writeFileSync(path.join(dir, 'bundle', 'agent-supervise.js'), '// supervise\n');
writeFileSync(path.join(dir, 'bundle', 'mgw-mmsg.node'), 'addon\n');
writeFileSync(path.join(dir, 'node'), 'not really node');
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

const device = (id: string, credential: string | null = `key-${id}`): Device => ({
  id, cabinetId: 'c', kind: 'server', hostname: `host-${id}`, sn: `SN-${id}`, uPosition: 1, uHeight: 1, mgmtIp: '10.0.0.1', snmpPort: 161,
  bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: credential, ipmiCredential: null, serviceTree: null,
});
const DEVICES = new Map([['a', device('a')], ['nokey', device('nokey', null)]]);
const node = (id: string, last: number) => ({ id, ingress: { address: `10.1.0.${last}`, port: 7001 }, sync: { address: `10.1.0.${last}`, port: 7002 }, control: { address: `10.1.0.${last}`, port: 7003 } });
const CLUSTER = {
  cluster: 'c1', r: 2, nodes: [node('gw1', 11), node('gw2', 12)], vips: [{ address: '10.1.0.1', port: 5300 }],
  backends: [{ name: 'be1', address: '10.1.0.101', port: 7100 }], controlTokenSha256: 'ab'.repeat(32),
} as unknown as MgwCluster;

/** Files by path with their sha256, supervisors alive by node dir, markers; answers the gateway's commands. */
function fakeHost() {
  const files = new Map<string, string>();
  const alive = new Set<string>();
  const markers = new Map<string, string>();
  const starts: string[] = [];
  const uploads: string[] = [];
  const nodeDirOf = (cmd: string): string => /(\/\S+\/mgw\/c1\/[^/\s]+)\//.exec(cmd)![1];
  const host: DeployHost = {
    async exec(_dev, cmd) {
      const ok = (stdout = '') => ({ exitCode: 0, signal: null, stdout, stderr: '' });
      if (cmd.startsWith('uname')) return ok('Linux x86_64\ninit\n0\nnot-booted\n');
      if (cmd.startsWith('mkdir')) return ok();
      if (cmd.startsWith('sha256sum')) return ok([...cmd.matchAll(/\/[\w./-]+/g)].map((m) => m[0]).filter((p) => files.has(p)).map((p) => `${files.get(p)}  ${p}\n`).join(''));
      if (cmd.includes('kill -0')) return ok(`${markers.get(nodeDirOf(cmd)) ?? 'none'}\n${alive.has(nodeDirOf(cmd)) ? 'alive' : 'dead'}\n`);
      if (cmd.includes(' stop --pid-file ')) return alive.delete(nodeDirOf(cmd)), ok();
      if (cmd.includes(' start --daemonize ')) return alive.add(nodeDirOf(cmd)), starts.push(nodeDirOf(cmd)), ok('supervisor 1 started\n');
      if (cmd.startsWith('printf')) return markers.set(nodeDirOf(cmd), /^printf '%s\\n' (\S+)/.exec(cmd)![1]), ok();
      if (cmd.startsWith('tail')) return ok('mgw: planted log line\n');
      throw new Error(`fake host: unexpected command ${cmd}`);
    },
    async upload(_dev, u) {
      files.set(u.remotePath, u.sha256!);
      uploads.push(u.remotePath);
      return { bytes: 1 };
    },
  };
  return { host, files, alive, markers, starts, uploads };
}

const ctx = (over: Partial<ToolContext> = {}): ToolContext => ({
  runId: 'run-1', stepId: 'step', host: { id: 'a', hostname: 'host-a', sn: 'SN-a' }, attempt: 1, signal: new AbortController().signal, log: () => {},
  callbackUrl: null, pollState: null, check: 0, actor: 'oli', role: 'operator', ...over,
});

function rig() {
  const h = fakeHost();
  const ready = new Set<string>();
  let clock = 1000;
  const deps: GatewayDeployDeps = {
    device: (id) => DEVICES.get(id) ?? null, host: h.host, bundle: gatewayBundle(path.join(dir, 'bundle')),
    runtime: async () => ({ path: path.join(dir, 'node'), sha256: sha('not really node'), bytes: 15 }),
    runHosts: () => ['a'],
    health: async (at) => {
      if (!ready.has(at.address)) throw new Error('/health answered 503: resyncing');
    },
    now: () => clock,
  };
  const tools = new Map((gatewayDeployTools(deps) as Tool[]).map((t) => [t.name, t]));
  const call = async (name: string, input: Record<string, unknown>, over: Partial<ToolContext> = {}) => {
    const t = tools.get(name)!;
    return t.run(ctx(over), t.input.parse(input));
  };
  return { ...h, ready, tools, call, tick: (ms: number) => void (clock += ms) };
}

const PLAN = { cluster: CLUSTER, nodes: { gw1: 'a', gw2: 'a' } };

describe('the plan', () => {
  it('refuses a cluster the schema refuses with its words, an unmapped node, a device without an SSH credential', () => {
    expect(() => planOf((id) => DEVICES.get(id) ?? null, { cluster: { ...CLUSTER, r: 3 }, nodes: PLAN.nodes })).toThrow(expect.objectContaining({ code: 'VALIDATION', message: 'The gateway cluster config is not valid: r: is 3 but the cluster has 2 node(s)' }));
    expect(() => planOf((id) => DEVICES.get(id) ?? null, { cluster: CLUSTER, nodes: { gw1: 'a' } })).toThrow(expect.objectContaining({ params: expect.objectContaining({ field: 'params.nodes.gw2' }) }));
    expect(() => planOf((id) => DEVICES.get(id) ?? null, { cluster: CLUSTER, nodes: { gw1: 'a', gw2: 'nokey' } })).toThrow('Node gw2 is mapped to host-nokey (nokey), which has no SSH credential to deploy it with');
    expect(() => planOf((id) => DEVICES.get(id) ?? null, { cluster: CLUSTER, nodes: { ...PLAN.nodes, gw7: 'a' } })).toThrow('params.nodes maps gw7, which is not a node of cluster c1 (its nodes: gw1, gw2)');
  });
});

describe('gateway.upload and gateway.activate on one host with two nodes', () => {
  it('restarts the nodes one at a time, each once the one before is ready; a second run ships and restarts nothing', async () => {
    const r = rig();
    const up = await r.call('gateway.upload', { deviceId: 'a', ...PLAN });
    expect(up.status).toBe('done');
    const out = (up as { output: Record<string, unknown> }).output;
    expect(out).toMatchObject({ nodes: ['gw1', 'gw2'], runtimeShipped: true, bundleShipped: ['mgw.js', 'agent-supervise.js', 'mgw-mmsg.node'], configsWritten: ['gw1', 'gw2'] });
    expect(r.uploads.filter((p) => p.endsWith('run.json'))).toEqual(['/opt/fleetdeck/mgw/c1/gw1/run.json', '/opt/fleetdeck/mgw/c1/gw2/run.json']);
    const act = { deviceId: 'a', ...PLAN, runtimeSha256: out.runtimeSha256, bundleKey: out.bundleKey, sums: out.sums, readyWindowMs: 5000 };

    const first = await r.call('gateway.activate', act);
    expect(first.status).toBe('pending');
    expect(r.starts).toEqual(['/opt/fleetdeck/mgw/c1/gw1']);
    let state = (first as { state: unknown }).state;
    const again = await r.call('gateway.activate', act, { check: 1, pollState: state });
    expect(again.status).toBe('pending');
    expect(r.starts, 'gw2 waits while gw1 is not ready').toEqual(['/opt/fleetdeck/mgw/c1/gw1']);
    r.ready.add('10.1.0.11');
    const next = await r.call('gateway.activate', act, { check: 2, pollState: state });
    expect(next.status).toBe('pending');
    expect(r.starts).toEqual(['/opt/fleetdeck/mgw/c1/gw1', '/opt/fleetdeck/mgw/c1/gw2']);
    state = (next as { state: unknown }).state;
    r.ready.add('10.1.0.12');
    const done = await r.call('gateway.activate', act, { check: 3, pollState: state });
    expect(done).toMatchObject({ status: 'done', output: { nodes: ['gw1', 'gw2'], restarted: ['gw1', 'gw2'], changed: true } });

    r.uploads.length = 0;
    const up2 = await r.call('gateway.upload', { deviceId: 'a', ...PLAN });
    expect((up2 as { output: unknown }).output).toMatchObject({ runtimeShipped: false, bundleShipped: [], configsWritten: [], bytesShipped: 0, sums: out.sums });
    expect(r.uploads).toEqual([]);
    expect(await r.call('gateway.activate', act)).toMatchObject({ status: 'done', output: { restarted: [], changed: false } });
    expect(r.starts).toHaveLength(2);
  });

  it('a node not ready within the window fails the task with its last /health answer and its log', async () => {
    const r = rig();
    const out = ((await r.call('gateway.upload', { deviceId: 'a', ...PLAN })) as { output: Record<string, unknown> }).output;
    const act = { deviceId: 'a', ...PLAN, runtimeSha256: out.runtimeSha256, bundleKey: out.bundleKey, sums: out.sums, readyWindowMs: 5000 };
    const first = await r.call('gateway.activate', act);
    r.tick(5000);
    await expect(r.call('gateway.activate', act, { check: 1, pollState: (first as { state: unknown }).state })).rejects.toMatchObject({
      name: 'GatewayNodeNotReadyError', code: 'UNAVAILABLE',
      message: 'gateway node gw1 on host-a was not ready within 5 s (/health answered 503: resyncing); the last lines of its log:\nmgw: planted log line',
    });
    expect(r.starts, 'gw2 is not touched').toEqual(['/opt/fleetdeck/mgw/c1/gw1']);
  });
});

describe('the gateway-deploy template', () => {
  it('fits the tools it names', () => {
    const r = rig();
    expect(() => validateTemplate(GATEWAY_DEPLOY_TEMPLATE, toolRegistry([...BUILTIN_TOOLS, ...r.tools.values()]))).not.toThrow();
  });
});
