// The launch form's model: drafts from the template's defaults, params out of the drafts
// with the problems found before sending, the core's refusal by field, and pasted host lists.
import { describe, expect, it } from 'vitest';
import { initialDraft, launchRefusal, listItems, paramsFromDraft, splitNames } from '../../../../../src-renderer/stores/workflows/launch-form';
import { TEMPLATE } from './fixtures';

describe('initialDraft / paramsFromDraft', () => {
  const withDefaults = {
    ...TEMPLATE,
    params: [
      { name: 's', type: 'string' as const, required: true, default: 'x' },
      { name: 'n', type: 'number' as const, required: false, default: 3 },
      { name: 'b', type: 'boolean' as const, required: false, default: true },
      { name: 'l', type: 'string[]' as const, required: false, default: ['a', 'b'] },
      { name: 'o', type: 'object' as const, required: false, default: { k: 1 } },
    ],
  };
  it('prefills the defaults as the fields show them', () => {
    expect(initialDraft(withDefaults)).toEqual({ s: 'x', n: '3', b: true, l: 'a\nb', o: '{\n  "k": 1\n}' });
    expect(initialDraft(TEMPLATE)).toEqual({ baseUrl: '', count: '3', dry: false, tags: '', extra: '' });
  });
  it('turns the defaults back into the same values', () => {
    expect(paramsFromDraft(withDefaults, initialDraft(withDefaults))).toEqual({ params: { s: 'x', n: 3, b: true, l: ['a', 'b'], o: { k: 1 } }, problems: {} });
  });
  it('names a missing required param and leaves empty optional ones out', () => {
    expect(paramsFromDraft(TEMPLATE, initialDraft(TEMPLATE))).toEqual({ params: { count: 3, dry: false }, problems: { baseUrl: 'required' } });
    expect(paramsFromDraft(TEMPLATE, { ...initialDraft(TEMPLATE), baseUrl: '   ' }).problems).toEqual({ baseUrl: 'required' });
  });
  it('names values of the wrong shape', () => {
    const r = paramsFromDraft(TEMPLATE, { baseUrl: 'http://x', count: '3x', dry: true, tags: ' a \n\n b ', extra: '[1]' });
    expect(r.problems).toEqual({ count: 'notNumber', extra: 'notObject' });
    expect(r.params).toEqual({ baseUrl: 'http://x', dry: true, tags: ['a', 'b'] });
    expect(paramsFromDraft(TEMPLATE, { baseUrl: 'u', extra: '{oops' }).problems).toEqual({ extra: 'notJson' });
  });
  it('keeps a string as typed (spaces inside are the value)', () => {
    expect(paramsFromDraft(TEMPLATE, { baseUrl: ' a b ' }).params.baseUrl).toBe(' a b ');
    expect(listItems('x\r\ny\n')).toEqual(['x', 'y']);
  });
});

describe('launchRefusal', () => {
  it('maps issues to params and hosts, the rest to other', () => {
    const e = { name: 'ValidationError', code: 'VALIDATION' as const, message: 'm', params: { issues: [
      { field: 'params.count', message: 'param count must be a number' },
      { field: 'hosts', message: 'host(s) given more than once: dev-1' },
      { field: 'template', message: 'something else' },
    ] } };
    expect(launchRefusal(e)).toEqual({ params: { count: ['param count must be a number'] }, hosts: ['host(s) given more than once: dev-1'], other: ['something else'] });
  });
  it('reads one field, or a contract refusal by field', () => {
    expect(launchRefusal({ name: 'ValidationError', code: 'VALIDATION', message: 'Template notify has per-host steps: give at least one host', params: { field: 'hosts' } }))
      .toEqual({ params: {}, hosts: ['Template notify has per-host steps: give at least one host'], other: [] });
    expect(launchRefusal({ name: 'ValidationError', code: 'VALIDATION', message: 'x', params: { fields: [{ field: 'deviceIds', problem: 'must have at most 100000 items' }] } }))
      .toEqual({ params: {}, hosts: ['deviceIds must have at most 100000 items'], other: [] });
  });
  it('is null for errors that are not a VALIDATION', () => {
    expect(launchRefusal({ name: 'ForbiddenError', code: 'FORBIDDEN', message: 'no' })).toBeNull();
    expect(launchRefusal({ name: 'ValidationError', code: 'VALIDATION', message: 'no' })).toBeNull();
  });
});

describe('splitNames', () => {
  it('splits on lines, commas, semicolons and spaces, each name once (case-insensitive), in order', () => {
    expect(splitNames('srv-1, srv-2\nSN9;srv-1\t SRV-2  ')).toEqual(['srv-1', 'srv-2', 'SN9']);
    expect(splitNames('  \n ,')).toEqual([]);
    expect(splitNames('a b c d', 2)).toEqual(['a', 'b']);
  });
});
