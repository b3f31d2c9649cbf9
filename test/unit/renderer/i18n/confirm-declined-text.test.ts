// The desktop's ConfirmationDeclinedError (src-main/electron/confirm-gate.ts: the main
// process's native dialog was declined) worded by name in both languages, as it arrives over IPC.
import { describe, expect, it } from 'vitest';
import { errorText, wordError } from '../../../../src-renderer/i18n/error-text';

const declined = (target: string) => ({
  name: 'ConfirmationDeclinedError',
  code: 'FORBIDDEN',
  message: `"device.power" was not confirmed${target ? ` (${target})` : ''}: nothing was done`,
  params: { method: 'device.power', target },
});

describe('errorText: ConfirmationDeclinedError', () => {
  it('words it with the method and target, in English as the main process\'s message', () => {
    const e = declined('off dev-1 (confirmed as "srv-1")');
    expect(errorText('en', e)).toBe(e.message);
    expect(wordError('zh-CN', e)).toEqual({ text: '“device.power”未在确认对话框中获得确认（off dev-1 (confirmed as "srv-1")）：未执行任何操作', detail: null });
  });

  it('leaves an empty target out', () => {
    expect(errorText('en', declined(''))).toBe('"device.power" was not confirmed: nothing was done');
    expect(errorText('zh-CN', declined(''))).toBe('“device.power”未在确认对话框中获得确认：未执行任何操作');
  });
});
