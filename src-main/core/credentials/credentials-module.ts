// The credentials capability: stores credentials (admin; secrets validated per kind by the
// contract), lists them without secrets but with who uses them, tests one against a device
// with a real request, and hands the other capabilities one resolver for every protocol's
// credentials. credentials.bind (admin) binds devices' references at their endpoints;
// credentials.bindings says what is bound. Every change (put, remove, bind) is announced to
// the onChanged listeners, so the poller and the trap receiver pick it up without a restart.
import type { Capability } from '../../../src-shared/api';
import type { CredentialBinding } from '../../../src-shared/domain';
import { NotFoundError } from '../../../src-shared/errors';
import { toDisposable, type Disposable } from '../../../src-shared/lifecycle';
import type { BindingRepository } from '../store/binding-repository';
import type { CredentialRepository } from '../store/credential-repository';
import type { Db } from '../store/database';
import type { HostKeyRepository } from '../store/host-key-repository';
import type { InventoryRepository } from '../store/inventory-repository';
import { bindingStates } from './credential-binding';
import { createCredentialResolver, type CredentialResolver } from './credential-resolver';
import { createCredentialTester } from './credential-tester';

export type CredentialMethods =
  | 'credentials.list' | 'credentials.put' | 'credentials.remove' | 'credentials.usage' | 'credentials.test' | 'credentials.bind' | 'credentials.bindings';

export interface CredentialsModule extends Capability<CredentialMethods> {
  readonly resolver: CredentialResolver;
  /** Calls `listener` with the id after each credential stored or removed through the api ('' after a bind). */
  onChanged(listener: (id: string) => void): Disposable;
}

export interface CredentialsDeps {
  store: { db: Db; credentials: CredentialRepository; bindings: BindingRepository; inventory: Pick<InventoryRepository, 'device'>; hostKeys: HostKeyRepository };
  /** credentials.test's bound (default 3 s). */
  testTimeoutMs?: number;
  log?: (line: string) => void;
}

export function startCredentials(d: CredentialsDeps): CredentialsModule {
  const repo = d.store.credentials;
  const resolver = createCredentialResolver(repo, d.store.bindings);
  const test = createCredentialTester({ repo, resolver, device: (id) => d.store.inventory.device(id), hostKeys: d.store.hostKeys, timeoutMs: d.testTimeoutMs });
  const listeners = new Set<(id: string) => void>();
  const changed = (id: string): void => {
    for (const l of [...listeners]) {
      try {
        l(id);
      } catch (err) {
        d.log?.(`credentials: applying the change of ${id} failed: ${(err as Error).message}`);
      }
    }
  };
  /** Binds each device's current references where it is now, in one transaction. */
  const bind = (deviceIds: readonly string[], by: string): { bound: CredentialBinding[]; missing: string[] } =>
    d.store.db.transaction(() => {
      const bound: CredentialBinding[] = [];
      const missing: string[] = [];
      for (const id of new Set(deviceIds)) {
        const dev = d.store.inventory.device(id);
        if (dev) bound.push(...d.store.bindings.bindDevice(dev, by));
        else missing.push(id);
      }
      return { bound, missing };
    }).immediate();
  return {
    resolver,
    onChanged: (listener) => {
      listeners.add(listener);
      return toDisposable(() => listeners.delete(listener));
    },
    api: {
      'credentials.list': () => repo.list(),
      'credentials.put': (a) => {
        const info = repo.put(a.id, a.kind, a.name, a.secret);
        changed(a.id);
        return info;
      },
      'credentials.remove': (a) => {
        const out = repo.remove(a.id);
        changed(a.id);
        return out;
      },
      'credentials.usage': (a) => repo.usage(a.id),
      'credentials.test': (a) => test(a.id, a.deviceId),
      'credentials.bind': (a, ctx) => {
        const out = bind(a.deviceIds, ctx.actor);
        changed('');
        return out;
      },
      'credentials.bindings': (a) => {
        const dev = d.store.inventory.device(a.deviceId);
        if (!dev) throw new NotFoundError('device', a.deviceId);
        return bindingStates(dev, d.store.bindings);
      },
    },
    dispose: async () => listeners.clear(),
  };
}
