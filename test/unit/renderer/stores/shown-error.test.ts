// Errors as the UI shows them, and the role a FORBIDDEN error asks for.
import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../../../src-shared/errors';
import { requiredRole, toShownError } from '../../../../src-renderer/stores/shown-error';

describe('toShownError', () => {
  it('keeps a RemoteError\'s name, code, message and params', () => {
    const e = new RemoteError({ name: 'ValidationError', code: 'VALIDATION', message: 'bad', params: { field: 'x' } });
    expect(toShownError(e)).toEqual({ name: 'ValidationError', code: 'VALIDATION', message: 'bad', params: { field: 'x' } });
  });
  it('makes any other Error INTERNAL', () => {
    expect(toShownError(new TypeError('boom'))).toEqual({ name: 'TypeError', code: 'INTERNAL', message: 'boom' });
  });
  it('makes a thrown non-Error INTERNAL with its text', () => {
    expect(toShownError('nope')).toEqual({ name: 'Error', code: 'INTERNAL', message: 'nope' });
  });
});

describe('requiredRole', () => {
  it('reads params.required of a FORBIDDEN error', () => {
    expect(requiredRole({ name: 'ForbiddenError', code: 'FORBIDDEN', message: 'no', params: { required: 'operator' } })).toBe('operator');
  });
  it('is null otherwise', () => {
    expect(requiredRole({ name: 'ForbiddenError', code: 'FORBIDDEN', message: 'no' })).toBeNull();
    expect(requiredRole({ name: 'ForbiddenError', code: 'FORBIDDEN', message: 'no', params: { required: 3 } })).toBeNull();
    expect(requiredRole({ name: 'ValidationError', code: 'VALIDATION', message: 'no', params: { required: 'admin' } })).toBeNull();
  });
});
