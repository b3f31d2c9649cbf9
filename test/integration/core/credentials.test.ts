// Credential removal through the whole core, as an admin would do it over the contract:
// only admins may, and every attempt is audited (the in-use refusal: credential-repository.test.ts).
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import { createCore, type Core } from '../../../src-main/core/create-core';

const admin: CallContext = { actor: 'ada', role: 'admin' };
const operator: CallContext = { actor: 'oli', role: 'operator' };
let core: Core | null = null;
afterEach(async () => {
  await core?.dispose();
  core = null;
});

describe('credentials.remove', () => {
  it('removes an unused credential for an admin, refuses an operator, and audits both', async () => {
    core = await createCore({ storePath: ':memory:', secretKey: randomBytes(32), lab: false });
    await core.api.call(admin, 'credentials.put', { id: 'old-ro', kind: 'snmp-community', name: 'retired', secret: 'public' });
    await expect(core.api.call(operator, 'credentials.remove', { id: 'old-ro' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await core.api.call(admin, 'credentials.remove', { id: 'old-ro' })).toEqual({ removed: 'old-ro' });
    expect(await core.api.call(admin, 'credentials.list', undefined)).toEqual([]);
    const trail = await core.api.call(admin, 'audit.list', { limit: 10 });
    expect(trail.filter((e) => e.action === 'credentials.remove').map((e) => [e.actor, e.outcome, e.target])).toEqual([
      ['ada', 'succeeded', 'credential old-ro'],
      ['oli', 'refused', 'credential old-ro'],
    ]);
  });
});
