// Credentials through createCore's api: a malformed secret is refused at save with the field
// named (secret.authKey...) and nothing stored; list carries usedBy/updatedAt; usage and test
// answer for a stored credential; every change calls the onChanged listeners. Also the trap
// attribution rule: by source address, then by the community / v3 user a device's credential has.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../../src-shared/api';
import { createCore, type Core } from '../../../../src-main/core/create-core';
import { attribute } from '../../../../src-main/core/fleet/trap-intake';
import type { SnmpCredentials, TrapEvent } from '../../../../src-main/core/protocols/snmp';

const admin: CallContext = { actor: 'ada', role: 'admin' };
let core: Core | null = null;
afterEach(async () => {
  await core?.dispose();
  core = null;
});
const open = async () => (core = await createCore({ storePath: ':memory:', secretKey: randomBytes(32), lab: false }));

describe('credentials.put validation', () => {
  it('refuses a malformed v3 secret naming the field, and stores nothing', async () => {
    const c = await open();
    const put = (secret: unknown) => c.api.call(admin, 'credentials.put', { id: 'v3', kind: 'snmp-v3', name: 'v3', secret } as never);
    const err = await put({ name: 'u', level: 'authPriv', authProtocol: 'sha', authKey: 'short', privProtocol: 'aes' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VALIDATION' });
    const text = JSON.stringify(err);
    expect(text).toContain('secret.authKey');
    expect(text).toContain('secret.privKey');
    await expect(put('{not json')).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(put({ name: 'u', level: 'authNoPriv', authProtocol: 'sha', authKey: 'long-enough-key', extra: 1 })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await c.api.call(admin, 'credentials.list', undefined)).toEqual([]);
  });

  it('stores a valid secret (object or its JSON text) and lists it with usedBy and updatedAt', async () => {
    const c = await open();
    const user = { name: 'u', level: 'authNoPriv', authProtocol: 'sha', authKey: 'long-enough-key' };
    await c.api.call(admin, 'credentials.put', { id: 'v3', kind: 'snmp-v3', name: 'v3', secret: JSON.stringify(user) } as never);
    const [info] = await c.api.call(admin, 'credentials.list', undefined);
    expect(info).toMatchObject({ id: 'v3', kind: 'snmp-v3', usedBy: 0, updatedAt: expect.any(Number) });
    expect(info).not.toHaveProperty('secret');
    expect(await c.api.call(admin, 'credentials.usage', { id: 'v3' })).toEqual([]);
    await expect(c.api.call(admin, 'credentials.test', { id: 'v3', deviceId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('trap attribution', () => {
  const trap = (over: Partial<TrapEvent>, community?: string): TrapEvent => {
    const t: TrapEvent = { at: 0, source: { address: '127.0.0.1', port: 5000 }, version: '2c', kind: 'trap', trapOid: '1.3.6.1.6.3.1.1.5.3', uptime: null, varbinds: [], ...over };
    if (community) Object.defineProperty(t, 'community', { value: community, enumerable: false });
    return t;
  };
  const creds: Record<string, SnmpCredentials> = {
    a: { version: '2c', community: 'ca' }, b: { version: '2c', community: 'cb' }, v: { version: '3', user: { name: 'ops' } },
  };
  const at = [{ id: 'A', snmpCredential: 'a' }, { id: 'B', snmpCredential: 'b' }, { id: 'V', snmpCredential: 'v' }, { id: 'B2', snmpCredential: 'b' }];
  const of = (id: string) => creds[id] ?? null;

  it('uses the address alone when one device is there', () => {
    expect(attribute(trap({}, 'zz'), [at[0]], of)).toEqual({ deviceId: 'A', candidates: [] });
    expect(attribute(trap({}, 'ca'), [], of)).toEqual({ deviceId: null, candidates: [] });
  });
  it('picks the one device whose community or v3 user it came with', () => {
    expect(attribute(trap({}, 'ca'), at, of)).toEqual({ deviceId: 'A', candidates: [] });
    expect(attribute(trap({ version: '3', user: 'ops' }), at, of)).toEqual({ deviceId: 'V', candidates: [] });
    expect(attribute(trap({ version: '1' }, 'ca'), at, of)).toEqual({ deviceId: 'A', candidates: [] });
  });
  it('leaves it unattributed with the candidates when still ambiguous', () => {
    expect(attribute(trap({}, 'cb'), at, of)).toEqual({ deviceId: null, candidates: ['B', 'B2'] });
    expect(attribute(trap({}, 'other'), at, of)).toEqual({ deviceId: null, candidates: ['A', 'B', 'V', 'B2'] });
    expect(attribute(trap({ version: '3', user: 'nobody' }), at, of)).toEqual({ deviceId: null, candidates: ['A', 'B', 'V', 'B2'] });
  });
});
