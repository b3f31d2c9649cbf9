// Schema problems and protocol errors worded for the set-up pages.
import { describe, expect, it } from 'vitest';
import { problemText, protocolErrorWording } from '../../../../src-renderer/i18n/credential-text';

describe('credential text', () => {
  it('keeps the core’s English and words the schema’s problems in Chinese', () => {
    expect(problemText('en', 'must be at least 8 characters')).toBe('must be at least 8 characters');
    expect(problemText('zh-CN', 'must be at least 8 characters')).toBe('至少需要 8 个字符');
    expect(problemText('zh-CN', 'is required for authPriv')).toBe('authPriv 级别必须填写');
    expect(problemText('zh-CN', 'must be a non-empty string')).toBe('不能为空');
  });

  it('words a protocol error by its kind with the core’s message as the detail', () => {
    const e = { name: 'SnmpAuthError', code: 'UNAVAILABLE' as const, message: 'SNMP 127.0.0.1:161: authentication failure (wrong key)' };
    expect(protocolErrorWording('en', e)).toEqual({ text: 'the SNMP agent refused the credential (wrong community, user or key)', detail: e.message });
    expect(protocolErrorWording('zh-CN', e).detail).toBe(e.message);
    const other = { name: 'WeirdError', code: 'INTERNAL' as const, message: 'boom' };
    expect(protocolErrorWording('en', other).text).toBe('boom');
  });
});
