// The retry editor's model: fields from the last attempt's inputs, parsed back (a field that
// is not JSON named), the whole object as JSON, and only the changed inputs sent.
import { describe, expect, it } from 'vitest';
import { editsOf, fieldsOf, parseFields, parseInputsJson, sameJson } from '../../../../../src-renderer/stores/workflows/edit-inputs';

const last = { notifyUrl: 'http://127.0.0.1:9/a', message: '', retries: 2, body: { a: [1, { b: true }] } };

describe('edit inputs', () => {
  it('shows strings as text and the rest as JSON, and reads them back unchanged', () => {
    const fields = fieldsOf(last);
    expect(fields).toEqual([
      { name: 'notifyUrl', kind: 'text', value: 'http://127.0.0.1:9/a' },
      { name: 'message', kind: 'text', value: '' },
      { name: 'retries', kind: 'json', value: '2' },
      { name: 'body', kind: 'json', value: '{"a":[1,{"b":true}]}' },
    ]);
    const { values, problems } = parseFields(fields);
    expect(problems).toEqual({});
    expect(editsOf(last, values)).toBeNull();
  });
  it('sends only what changed', () => {
    const fields = fieldsOf(last).map((f) => (f.name === 'notifyUrl' ? { ...f, value: 'http://127.0.0.1:8/ok' } : f.name === 'retries' ? { ...f, value: '3' } : f));
    expect(editsOf(last, parseFields(fields).values)).toEqual({ notifyUrl: 'http://127.0.0.1:8/ok', retries: 3 });
  });
  it('names a JSON field that does not parse', () => {
    const fields = fieldsOf(last).map((f) => (f.name === 'body' ? { ...f, value: '{a:1}' } : f));
    expect(parseFields(fields).problems).toEqual({ body: 'notJson' });
  });
  it('reads the whole object as JSON: key order does not matter, new keys count as edits', () => {
    const r = parseInputsJson('{"body":{"a":[1,{"b":true}]},"retries":2,"message":"","notifyUrl":"http://127.0.0.1:9/a","headers":{"x":"1"}}');
    expect('values' in r && editsOf(last, r.values)).toEqual({ headers: { x: '1' } });
    expect(parseInputsJson('[1]')).toEqual({ problem: 'notObject' });
    expect(parseInputsJson('{')).toEqual({ problem: 'notJson' });
  });
  it('compares JSON values by structure', () => {
    expect(sameJson({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson(null, {})).toBe(false);
    expect(sameJson('1', 1)).toBe(false);
  });
});
