// The core's CredentialUnboundError (a credential not bound to the device's current endpoint,
// so nothing was sent) worded by name in both languages, naming the protocol, the credential
// and the endpoint; without those params it falls back to the code's wording.
import { describe, expect, it } from 'vitest';
import { errorText } from '../../../../src-renderer/i18n/error-text';

const unbound = (params: Record<string, unknown>) => ({
  name: 'CredentialUnboundError',
  code: 'CONFLICT',
  message: 'the SSH credential ssh-ops of srv-1 is not bound to 127.91.0.2:2222; an admin must bind it',
  params,
});

describe('errorText: CredentialUnboundError', () => {
  const e = unbound({ deviceId: 'srv-1', role: 'ssh', credentialId: 'ssh-ops', endpoint: '127.91.0.2:2222' });

  it('names the protocol, the credential and the endpoint, and says nothing was sent', () => {
    expect(errorText('en', e)).toBe('The SSH credential ssh-ops is not bound to 127.91.0.2:2222: nothing was sent. An admin must bind it on the device page.');
    expect(errorText('zh-CN', e)).toBe('SSH 凭据 ssh-ops 未绑定到 127.91.0.2:2222：未发送任何内容。需由管理员在设备页绑定。');
  });

  it('falls back to the generic wording without its params', () => {
    expect(errorText('zh-CN', unbound({}))).not.toContain('凭据 ssh-ops');
  });
});
