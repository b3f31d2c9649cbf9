// The template check at save: every refusal names its step and field, type mismatches between
// a binding's source and the input it feeds are caught (a 20-step template with one bad binding
// is refused naming that step), every problem is reported at once, and a good template passes.
import { describe, expect, it } from 'vitest';
import type { WfTemplate, WfTemplateStep } from '../../../../src-shared/domain/workflow';
import { validateTemplate } from '../../../../src-main/core/workflows/template';
import { registry } from './template-tools';

const tools = registry();

const base = (steps: WfTemplateStep[], params: WfTemplate['params'] = []): WfTemplate => ({ id: 'server-online', name: 'Server online', params, steps });

function refusal(t: unknown): { message: string; params: { step?: string; field?: string; issues: { step?: string; field?: string; message: string }[] } } {
  try {
    validateTemplate(t, tools);
  } catch (err) {
    expect((err as { code: string }).code).toBe('VALIDATION');
    return err as never;
  }
  throw new Error('the template was accepted');
}

const online = (): WfTemplate => base([
  { id: 'check_system', tool: 'sys.check', scope: 'host', inputs: {} },
  { id: 'bmc_check', tool: 'bmc.status', scope: 'host', inputs: { address: '${params.bmc}', port: 623 }, retry: { max: 3, backoffMs: 100, factor: 2, maxBackoffMs: 1000 } },
  { id: 'cmdb_set', tool: 'cmdb.set', scope: 'host', inputs: { sn: '${host.sn}', status: 'provisioning' } },
  { id: 'install_os', tool: 'os.install', scope: 'host', inputs: { bootDevice: 'pxe', image: '${params.os}', hostname: 'new-${host.hostname}' }, timeoutMs: 60_000, onTimeout: 'fail-and-skip' },
  { id: 'ping', tool: 'host.ping', scope: 'host', inputs: { address: '${host.hostname}' }, poll: { intervalMs: 1000, deadlineMs: 60_000 } },
  { id: 'callback', tool: 'http.callback', scope: 'host', inputs: { method: '${params.method}', url: '${params.url}', body: { sn: '${host.sn}', os: '${steps.install_os.outputs.release}', power: '${steps.bmc_check.outputs.power}' } } },
], [
  { name: 'bmc', type: 'string', required: true },
  { name: 'os', type: 'string', required: false, default: 'centos7' },
  { name: 'method', type: 'string', required: true },
  { name: 'url', type: 'string', required: true },
]);

describe('validateTemplate', () => {
  it('accepts a well-formed flow and compiles its DAG (absent after = the step before)', () => {
    const { plan } = validateTemplate(online(), tools);
    expect(plan.byId.get('ping')!.deps).toEqual(['install_os']);
    expect(plan.byId.get('check_system')!.deps).toEqual([]);
    expect(plan.byId.get('bmc_check')!.children).toEqual(['cmdb_set']);
  });

  it('refuses a 20-step template with one type-mismatched binding, naming that step and field', () => {
    const steps: WfTemplateStep[] = [{ id: 'bmc_check', tool: 'bmc.status', scope: 'host', inputs: { address: '${host.hostname}' } }];
    for (let i = 2; i <= 20; i++) {
      if (i === 12) steps.push({ id: 'install_os', tool: 'os.install', scope: 'host', inputs: { bootDevice: '${steps.bmc_check.outputs.power}', image: 'centos7', hostname: '${host.hostname}' } });
      else steps.push({ id: `step_${i}`, tool: 'note', scope: 'host', inputs: { text: `step ${i} on \${host.sn}` } });
    }
    const t = base(steps);
    const e = refusal(t);
    expect(e.message).toBe('step install_os, input bootDevice: ${steps.bmc_check.outputs.power} is a boolean, the tool wants a string');
    expect(e.params.issues).toHaveLength(1);
    expect(e.params).toMatchObject({ step: 'install_os', field: 'bootDevice' });
    // The same template with the binding fed from a string output is accepted.
    steps[11] = { ...steps[11], inputs: { ...steps[11].inputs, bootDevice: '${steps.step_11.outputs.text}' } };
    expect(() => validateTemplate(base(steps), tools)).not.toThrow();
  });

  it('collects every problem: unknown tool, unknown step in after, duplicate id, unknown input, missing required input', () => {
    const e = refusal(base([
      { id: 'a', tool: 'sys.check', scope: 'host', inputs: {} },
      { id: 'a', tool: 'no.such', scope: 'host', inputs: {} },
      { id: 'b', tool: 'bmc.status', scope: 'host', inputs: { adress: 'x' }, after: ['ghost'] },
    ]));
    const got = e.params.issues.map((i) => [i.step, i.field]);
    expect(got).toEqual(expect.arrayContaining([['a', 'id'], ['a', 'tool'], ['b', 'after'], ['b', 'adress'], ['b', 'address']]));
    expect(e.message).toMatch(/^Template server-online has 5 problems: /);
    expect(e.message).toContain('step b, input adress: the tool bmc.status has no input adress (it takes: address, port)');
    expect(e.message).toContain('step b, input address: required by the tool bmc.status, not given');
    expect(e.message).toContain('step a, tool: no tool is registered as no.such');
  });

  it('refuses a cycle in after, naming the steps', () => {
    const e = refusal(base([
      { id: 'a', tool: 'sys.check', scope: 'host', inputs: {}, after: ['c'] },
      { id: 'b', tool: 'sys.check', scope: 'host', inputs: {}, after: ['a'] },
      { id: 'c', tool: 'sys.check', scope: 'host', inputs: {}, after: ['b'] },
    ]));
    expect(e.message).toMatch(/steps (a -> c -> b -> a|a -> b -> c -> a|c -> b -> a -> c|b -> a -> c -> b) wait for each other \(a cycle\)/);
    expect(e.params.field).toBe('after');
  });

  it('checks each binding: declared param, existing ancestor step, declared output, host fields only per host', () => {
    const e = refusal(base([
      { id: 'first', tool: 'note', scope: 'run', inputs: { text: '${params.nope}' } },
      { id: 'bmc', tool: 'bmc.status', scope: 'host', inputs: { address: '${steps.later.outputs.text}' } },
      { id: 'later', tool: 'note', scope: 'host', inputs: { text: '${steps.bmc.outputs.voltage}' } },
      { id: 'summary', tool: 'note', scope: 'run', inputs: { text: '${host.sn}' } },
      { id: 'summary2', tool: 'note', scope: 'run', inputs: { text: '${steps.bmc.outputs.note}' } },
      { id: 'odd', tool: 'note', scope: 'host', inputs: { text: '${whatever}' } },
    ]));
    const byStep = Object.fromEntries(e.params.issues.map((i) => [i.step, i.message]));
    expect(byStep.first).toBe('step first, input text: ${params.nope}: the template declares no param nope');
    expect(byStep.bmc).toBe('step bmc, input address: ${steps.later.outputs.text}: step later does not come before this step (name it, or a step after it, in after)');
    expect(byStep.later).toBe("step later, input text: ${steps.bmc.outputs.voltage}: step bmc's tool bmc.status has no output voltage (it gives: reachable, power, sel, note)");
    expect(byStep.summary).toBe("step summary, input text: ${host.sn} is only known in a per-host step (scope 'host')");
    expect(byStep.summary2).toBe('step summary2, input text: ${steps.bmc.outputs.note} is a per-host output; a run-scope step cannot bind it');
    expect(byStep.odd).toMatch(/^step odd, input text: unknown binding \$\{whatever\}/);
  });

  it('types: params, nullable outputs, lists, integers, text around bindings, objects inside text', () => {
    const params: WfTemplate['params'] = [
      { name: 'n', type: 'number', required: true },
      { name: 'flag', type: 'boolean', required: true },
      { name: 'tags', type: 'string[]', required: true },
    ];
    const e = refusal(base([
      { id: 'bmc', tool: 'bmc.status', scope: 'host', inputs: { address: 'x', port: '${params.n}' } },
      { id: 'n1', tool: 'note', scope: 'host', inputs: { text: '${steps.bmc.outputs.note}' } },
      { id: 'n2', tool: 'note', scope: 'host', inputs: { text: 'x', count: 'n=${params.n}', flags: '${steps.bmc.outputs.sel}' } },
      { id: 'n3', tool: 'note', scope: 'host', inputs: { text: 'sel: ${steps.bmc.outputs.sel}', flags: '${params.tags}' } },
      { id: 'n4', tool: 'note', scope: 'host', inputs: { text: '${params.flag}' } },
    ], params));
    const msgs = e.params.issues.map((i) => i.message);
    expect(msgs).toEqual([
      'step bmc, input port: ${params.n} is a number, the tool wants an integer',
      'step n1, input text: ${steps.bmc.outputs.note} is a string or null, the tool wants a string',
      'step n2, input count: "n=${params.n}" is a string (text around bindings), the tool wants a number',
      'step n3, input text: ${steps.bmc.outputs.sel} is a list of strings; only a string, number or boolean can sit inside text',
      'step n4, input text: ${params.flag} is a boolean, the tool wants a string',
    ]);
  });

  it('checks literal inputs with the tool schema, and shape problems by step and key', () => {
    const e1 = refusal(base([{ id: 'c', tool: 'cmdb.set', scope: 'host', inputs: { sn: 'x', status: 'gone' } }]));
    expect(e1.message).toMatch(/^step c, input status: "gone" is refused by the tool: Invalid option/);
    const e2 = refusal({ ...base([{ id: 'c', tool: 'sys.check', scope: 'host', inputs: {}, retires: 3 } as never]) });
    expect(e2.params.issues[0]).toMatchObject({ step: 'c' });
    expect(e2.message).toMatch(/^step c: Unrecognized key: "retires"/);
    const e3 = refusal(base([{ id: 'c', tool: 'sys.check', scope: 'host', inputs: {}, retry: { max: 50, backoffMs: 10, factor: 2, maxBackoffMs: 100 } }]));
    expect(e3.message).toMatch(/^step c, retry\.max: Too big/);
  });

  it('checks step options against the tool kind and scope, and param defaults against their type', () => {
    const e = refusal(base([
      { id: 'p', tool: 'host.ping', scope: 'host', inputs: { address: 'x' } },
      { id: 'r', tool: 'sys.check', scope: 'run', inputs: {}, fanOut: { concurrency: 1, batchSize: 1, maxFailPct: 0 } },
      { id: 's', tool: 'sys.check', scope: 'host', inputs: {}, onTimeout: 'fail-and-skip' },
    ], [{ name: 'n', type: 'number', required: false, default: 'ten' }]));
    expect(e.params.issues.map((i) => i.message)).toEqual([
      'param n: the default is a string, the param is a number',
      'step p, poll: the tool host.ping polls: give poll.intervalMs and poll.deadlineMs',
      "step r, fanOut: fanOut applies to per-host steps (scope 'host')",
      'step s, onTimeout: onTimeout is given but the step has no timeoutMs or poll deadline',
    ]);
  });
});
