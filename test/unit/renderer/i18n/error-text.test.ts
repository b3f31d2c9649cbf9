// The UI words core errors from name, code and params in both languages; English reads as
// the core's own message, unknown names fall back to it.
import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, ValidationError, serializeError } from '../../../../src-shared/errors';
import { errorText, wordError } from '../../../../src-renderer/i18n/error-text';

describe('errorText: named errors from their params', () => {
  it('words a ForbiddenError with method, required and actual role', () => {
    const e = serializeError(new ForbiddenError('lab.fault', 'operator', 'viewer'));
    expect(errorText('en', e)).toBe(e.message);
    expect(errorText('en', e)).toBe('"lab.fault" needs the operator role; this session is viewer');
    expect(errorText('zh-CN', e)).toBe('“lab.fault”需要操作员角色；当前会话的角色是只读观察员');
  });

  it('words a NotFoundError with what and id, translating known kinds', () => {
    const e = serializeError(new NotFoundError('device', 'dev-9'));
    expect(errorText('en', e)).toBe('device "dev-9" does not exist');
    expect(errorText('en', e)).toBe(e.message);
    expect(errorText('zh-CN', e)).toBe('设备“dev-9”不存在');
    const odd = serializeError(new NotFoundError('SNMP poll target', 'dev-1'));
    expect(errorText('zh-CN', odd)).toBe('SNMP poll target“dev-1”不存在');
  });

  it('words a contract ValidationError from method, field, problem and the count of fields', () => {
    const one = serializeError(
      new ValidationError('device.power: "action" must be one of on, off', {
        method: 'device.power',
        field: 'action',
        problem: 'must be one of on, off',
        fields: [{ field: 'action', problem: 'must be one of on, off' }],
      }),
    );
    expect(errorText('en', one)).toBe(one.message);
    // The problem is the core's English: zh-CN folds it into the detail.
    expect(wordError('zh-CN', one)).toEqual({ text: 'device.power：参数“action”无效', detail: 'must be one of on, off' });
    const three = serializeError(
      new ValidationError('fleet.run: "command" must be a non-empty string (and 2 more)', {
        method: 'fleet.run',
        field: 'command',
        problem: 'must be a non-empty string',
        fields: [{}, {}, {}],
      }),
    );
    expect(errorText('en', three)).toBe(three.message);
    expect(errorText('zh-CN', three)).toContain('另有 2 处问题');
  });

  it('words an import refusal by its issues, with the format the place showing it knows', () => {
    const issue = { line: 3, column: 2, field: 'hostname', message: 'duplicate' };
    const five = serializeError(new ValidationError('5 problems in the CSV file; nothing was imported', { issues: Array(5).fill(issue) }));
    expect(errorText('en', five, { format: 'CSV' })).toBe(five.message);
    expect(errorText('zh-CN', five, { format: 'CSV' })).toBe('CSV 文件中有 5 个问题，未导入任何内容');
    const one = serializeError(new ValidationError('1 problem in the JSON file; nothing was imported', { issues: [issue] }));
    expect(errorText('en', one, { format: 'JSON' })).toBe(one.message);
    expect(errorText('en', one)).toBe('1 problem; nothing was changed');
  });

  it('words a ValidationError that names only its field', () => {
    const e = serializeError(new ValidationError('PDU profile: oid is not an OID', { field: 'oid' }));
    expect(errorText('en', e)).toBe('"oid" is not valid');
    expect(errorText('zh-CN', e)).toBe('“oid”无效');
  });
});

describe('errorText: by code, and the fallback', () => {
  it('words UNAVAILABLE and UNAUTHENTICATED by code, keeping the core message as the detail', () => {
    const down = { name: 'IpmiTimeoutError', code: 'UNAVAILABLE', message: 'IPMI GetChassisStatus to 10.0.0.5:623 got no answer within 2000 ms' };
    expect(wordError('en', down)).toEqual({ text: 'What this needs cannot be reached right now.', detail: down.message });
    expect(wordError('zh-CN', down)).toEqual({ text: '此操作所需的服务当前无法访问。', detail: down.message });
    const auth = { name: 'FleetDeckError', code: 'UNAUTHENTICATED', message: 'Unknown or revoked access token' };
    expect(wordError('zh-CN', auth)).toEqual({ text: '服务端不接受此会话：令牌缺失、未知或已被吊销。', detail: auth.message });
  });

  it('falls back to the English message in English, and in zh-CN to the code in words with the message as the detail', () => {
    const e = { name: 'StoreVersionError', code: 'STORE_VERSION', message: 'database schema 9 is newer than this console (7)' };
    expect(wordError('en', e)).toEqual({ text: e.message, detail: null });
    expect(wordError('zh-CN', e)).toEqual({ text: '数据库由另一版本的 FleetDeck 写入。', detail: e.message });
    const snmp = { name: 'SnmpTimeoutError', code: 'INTERNAL', message: 'SnmpTimeoutError: no answer from 10.0.0.1' };
    expect(wordError('zh-CN', snmp).text).not.toContain('SnmpTimeoutError');
    // A code this renderer does not know keeps the message (nothing better to say).
    expect(wordError('zh-CN', { name: 'X', code: 'NEW_CODE', message: 'm' })).toEqual({ text: 'm', detail: null });
  });

  it('words RATE_LIMITED from params.retryAfterMs, rounded up to whole seconds', () => {
    const e = { name: 'RateLimitedError', code: 'RATE_LIMITED', message: 'too many requests', params: { retryAfterMs: 1200 } };
    expect(wordError('en', e)).toEqual({ text: 'Too many requests from this screen: the core asks to wait 2 s before the next one.', detail: null });
    expect(errorText('zh-CN', e)).toBe('此屏幕的请求过多：核心要求等待 2 秒后再发下一个请求。');
    expect(wordError('zh-CN', { ...e, params: {} })).toEqual({ text: '此屏幕的请求过多，请稍候。', detail: 'too many requests' });
  });

  it('falls back when a known name lacks the params it is worded with', () => {
    const e = { name: 'ForbiddenError', code: 'FORBIDDEN', message: 'refused', params: { method: 'lab.fault' } };
    expect(wordError('zh-CN', e)).toEqual({ text: '当前会话无权执行此操作。', detail: 'refused' });
    expect(errorText('en', { name: 'NotFoundError', code: 'NOT_FOUND', message: 'gone', params: null })).toBe('gone');
  });

  it('words the transfer limits (a frame too large for the WebSocket, a file too large to import) with sizes', () => {
    const frame = { name: 'MessageTooLargeError', code: 'BAD_REQUEST', message: 'too big', params: { method: 'inventory.import', bytes: 9 * 1024 * 1024, limitBytes: 8 * 1024 * 1024 } };
    expect(errorText('en', frame)).toBe('This request is too large to send (9 MB; at most 8 MB): large files go by file transfer.');
    expect(errorText('zh-CN', frame)).toContain('上限');
    const file = { name: 'PayloadTooLargeError', code: 'BAD_REQUEST', message: 'file too big', params: { limitBytes: 256 * 1024 * 1024 } };
    expect(errorText('en', file)).toBe('The file is larger than 256 MB; nothing was imported.');
    expect(errorText('zh-CN', file)).toBe('文件超过 256 MB，未导入任何内容。');
  });
});
