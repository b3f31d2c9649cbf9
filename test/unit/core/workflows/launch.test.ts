// A launch is checked before anything is written: params by declared type (defaults filled in,
// unknown and missing ones named), hosts known and distinct (at least one for per-host
// steps), the template known; a refused launch leaves no run behind.
import { describe, expect, it } from 'vitest';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';
import { rig } from './helpers';
import { provisioningTools } from './template-tools';

const template: WfTemplate = {
  id: 'server-online', name: 'Server online',
  params: [
    { name: 'callbackUrl', type: 'string', required: true },
    { name: 'minutes', type: 'number', required: false, default: 30 },
    { name: 'dryRun', type: 'boolean', required: false },
    { name: 'tags', type: 'string[]', required: false },
    { name: 'extra', type: 'object', required: false },
  ],
  steps: [{ id: 'check', tool: 'sys.check', scope: 'host', inputs: {} }],
};

function setup() {
  const r = rig((calls) => provisioningTools(calls));
  r.engine.saveTemplate(template, 'alice');
  return r;
}

describe('launch', () => {
  it('fills in defaults and keeps the given values', () => {
    const r = setup();
    const run = r.engine.launch('server-online', { callbackUrl: 'http://x/cb', tags: ['a'], extra: { k: 1 } }, ['d1', 'd2'], 'alice');
    expect(run.params).toEqual({ callbackUrl: 'http://x/cb', minutes: 30, tags: ['a'], extra: { k: 1 } });
    expect(r.engine.run(run.id).template.id).toBe('server-online');
  });

  it('names every bad param at once and writes nothing', () => {
    const r = setup();
    let err: { message: string; params: { issues: { field: string }[] } } | undefined;
    try {
      r.engine.launch('server-online', { minutes: '30', dryRun: 1, tags: ['a', 2], extra: [], colour: 'red' }, ['d1'], 'alice');
    } catch (e) {
      err = e as never;
    }
    expect(err!.params.issues.map((i) => i.field)).toEqual(['params.colour', 'params.callbackUrl', 'params.minutes', 'params.dryRun', 'params.tags', 'params.extra']);
    expect(err!.message).toBe('The launch of server-online has 6 problems: param colour is not declared by template server-online (it takes: callbackUrl, minutes, dryRun, tags, extra); ' +
      'param callbackUrl is required; param minutes must be a number, not a string; param dryRun must be a boolean, not an integer; param tags must be a list of strings, not a list; param extra must be an object, not a list');
    expect(r.engine.runs()).toEqual([]);
  });

  it('refuses unknown, repeated or missing hosts, an unknown template and a missing actor', () => {
    const r = setup();
    const p = { callbackUrl: 'http://x/cb' };
    expect(() => r.engine.launch('server-online', p, ['d1', 'nope', 'd1'], 'alice')).toThrow(expect.objectContaining({
      code: 'VALIDATION', message: 'The host list has 2 problems: 1 host(s) are not known devices: nope; host(s) given more than once: d1', params: expect.objectContaining({ unknown: ['nope'], duplicates: ['d1'] }),
    }));
    expect(() => r.engine.launch('server-online', p, [], 'alice')).toThrow('Template server-online has per-host steps: give at least one host');
    expect(() => r.engine.launch('server-online', p, 'd1', 'alice')).toThrow('hosts must be a list of device ids');
    expect(() => r.engine.launch('nope', p, ['d1'], 'alice')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => r.engine.launch('server-online', p, ['d1'], ' ')).toThrow(expect.objectContaining({ code: 'VALIDATION', params: { field: 'actor' } }));
    expect(r.engine.runs()).toEqual([]);
  });

  it('launches the latest saved version', () => {
    const r = setup();
    const v2 = r.engine.saveTemplate({ ...template, name: 'Server online v2' }, 'bob');
    expect(v2).toMatchObject({ version: 2, savedBy: 'bob' });
    const run = r.engine.launch('server-online', { callbackUrl: 'http://x' }, ['d1'], 'alice');
    expect(run).toMatchObject({ templateVersion: 2, name: 'Server online v2' });
    expect(r.engine.template('server-online', 1).name).toBe('Server online');
    expect(r.engine.templates().map((t) => [t.id, t.version])).toEqual([['server-online', 2]]);
  });
});
