// The shipped provisioning flows pass the engine's template check against the real
// provisioning tools (schemas, bindings and their types, poll settings), keep the seed's step
// order and launch parameters, and a mistyped binding in one of them is refused naming the
// step and field. Also the tools' declared kinds and idempotent flags.
import { describe, expect, it } from 'vitest';
import { PROVISIONING_TEMPLATES, provisioningTools, type ProvisioningDeps } from '../../../../src-main/core/provisioning';
import { validateTemplate } from '../../../../src-main/core/workflows/template';
import { toolRegistry } from '../../../../src-main/core/workflows/tool';
import { BUILTIN_TOOLS } from '../../../../src-main/core/workflows/workflows-module';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';

const unused = (): never => {
  throw new Error('not called by a template check');
};
const deps = {
  device: unused, bmc: { info: unused, power: unused, bootDevice: unused }, ssh: { pool: {} }, hostKeys: { get: unused, pin: unused, forget: unused },
  credentials: { requireBound: unused }, cmdb: { lifecycle: unused, move: unused }, audit: unused, pxe: null, fpingPath: null,
} as unknown as ProvisioningDeps;
const tools = toolRegistry([...BUILTIN_TOOLS, ...provisioningTools(deps)]);
const byId = (id: string): WfTemplate => PROVISIONING_TEMPLATES.find((t) => t.id === id)!;

describe('shipped provisioning templates', () => {
  it.each(PROVISIONING_TEMPLATES.map((t) => [t.id, t] as const))('%s passes the template check', (_id, t) => {
    expect(validateTemplate(t, tools).template.id).toBe(t.id);
  });

  it('ships the four flows of seed 000, with its launch parameters', () => {
    expect(PROVISIONING_TEMPLATES.map((t) => t.id)).toEqual(['server-online', 'server-offline', 'arrival-stress-test', 'inspection']);
    for (const t of PROVISIONING_TEMPLATES) {
      const names = t.params.map((p) => p.name);
      expect(names, t.id).toEqual(expect.arrayContaining(['callbackMethod', 'callbackUrl', 'sn', 'purpose']));
      expect(t.steps.at(-1)?.tool, t.id).toBe('http.callback');
    }
    expect(byId('server-online').params.map((p) => p.name)).toEqual(expect.arrayContaining(['hostname', 'hostnames', 'os']));
  });

  it('server-online keeps the seed order: check system, BMC, check CMDB, change CMDB, install OS, ping, callback', () => {
    const tools = byId('server-online').steps.map((s) => s.tool);
    const seed = ['system.check', 'bmc.status', 'cmdb.check', 'cmdb.set', 'os.install', 'host.ping', 'http.callback'];
    expect(tools.filter((t, i) => seed.includes(t) && !(t === 'cmdb.set' && i > tools.indexOf('os.install')))).toEqual(seed);
    // Between them: the new host key accepted after the install, the CMDB online with the reported hostname.
    expect(tools).toEqual(['system.check', 'bmc.status', 'cmdb.check', 'cmdb.set', 'os.install', 'ssh.acceptNewHostKey', 'host.ping', 'cmdb.set', 'http.callback']);
  });

  it('refuses a mistyped binding in a provisioning flow, naming the step and the field', () => {
    const t = byId('server-online');
    const bad = { ...t, steps: t.steps.map((s) => (s.id === 'cmdb_online' ? { ...s, inputs: { ...s.inputs, hostname: '${steps.host_ping.outputs.rttMs}' } } : s)) };
    let err: unknown;
    try {
      validateTemplate(bad, tools);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'VALIDATION', params: { step: 'cmdb_online', field: 'hostname' } });
    expect((err as Error).message).toMatch(/steps\.host_ping\.outputs\.rttMs/);
  });

  it('declares kinds and idempotence honestly', () => {
    const info = Object.fromEntries(provisioningTools(deps).map((t) => [t.name, `${t.kind}/${t.idempotent ? 'idempotent' : 'once'}`]));
    expect(info).toEqual({
      'system.check': 'sync/idempotent', 'bmc.status': 'sync/idempotent', 'bmc.power': 'sync/idempotent', 'cmdb.check': 'sync/idempotent',
      'cmdb.set': 'sync/idempotent', 'os.install': 'callback/once', 'ssh.acceptNewHostKey': 'sync/idempotent', 'host.ping': 'poll/idempotent',
      'burnin.run': 'poll/once',
    });
  });
});
