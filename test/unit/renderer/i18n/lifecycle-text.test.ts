// The lifecycle in both languages: states, a choice of states, and the core's
// LifecycleMoveError (params as the core sends them: the renderer's tests do not import the
// core) worded per refused device, the rest counted; params it cannot read fall back to the message.
import { describe, expect, it } from 'vitest';
import { errorText } from '../../../../src-renderer/i18n/error-text';
import { lifecycleChoice, lifecycleWord } from '../../../../src-renderer/i18n/lifecycle-text';

const refusal = (params: Record<string, unknown>) => ({ name: 'LifecycleMoveError', code: 'CONFLICT', message: 'the core says no', params });
const r = (hostname: string, from: string, reason = 'not-allowed') => ({ deviceId: hostname, hostname, from, reason });

describe('lifecycle wording', () => {
  it('words states and choices', () => {
    expect(lifecycleWord('zh-CN', 'racked')).toBe('已上架');
    expect(lifecycleWord('en', 'maintenance')).toBe('maintenance');
    expect(lifecycleChoice('en', ['provisioning', 'offline', 'maintenance'])).toBe('provisioning, offline or maintenance');
    expect(lifecycleChoice('zh-CN', ['provisioning', 'offline', 'maintenance'])).toBe('装机中、已下线或维护中');
    expect(lifecycleChoice('en', ['racked'])).toBe('racked');
  });

  it('words a refused move per device with where it may go, or that someone moved it', () => {
    const notAllowed = refusal({ to: 'online', expectedFrom: null, requested: 2, refusedCount: 1, refused: [r('srv-1', 'retired')] });
    expect(errorText('en', notAllowed)).toBe('Not moved to online, nothing was changed: srv-1 is retired, which may move to racked only');
    expect(errorText('zh-CN', notAllowed)).toBe('未变更为在线，未做任何修改：srv-1 当前为已退役，只能变更为已上架');
    const stale = refusal({ to: 'provisioning', expectedFrom: 'racked', requested: 1, refusedCount: 1, refused: [r('srv-2', 'provisioning', 'not-expected')] });
    expect(errorText('en', stale)).toBe('Not moved to provisioning, nothing was changed: srv-2 is provisioning, not racked: someone else moved it meanwhile');
    expect(errorText('zh-CN', stale)).toBe('未变更为装机中，未做任何修改：srv-2 当前为装机中，而不是已上架：已被他人变更');
  });

  it('names the first three refused devices and counts the rest', () => {
    const many = refusal({ to: 'maintenance', expectedFrom: null, requested: 9, refusedCount: 5, refused: ['a', 'b', 'c', 'd', 'e'].map((h) => r(h, 'racked')) });
    expect(errorText('en', many)).toBe(
      'Not moved to maintenance, nothing was changed: a is racked, which may move to provisioning or retired only; ' +
        'b is racked, which may move to provisioning or retired only; c is racked, which may move to provisioning or retired only; and 2 more',
    );
    expect(errorText('zh-CN', many)).toMatch(/；另有 2 台$/);
  });

  it('falls back to the core’s message when the params are not what it sends', () => {
    expect(errorText('en', refusal({ to: 'sideways', refused: [r('x', 'racked')] }))).toBe('the core says no');
    expect(errorText('en', refusal({ to: 'online', refused: [{ hostname: 'x', from: 'broken', reason: 'not-allowed' }] }))).toBe('the core says no');
  });
});
