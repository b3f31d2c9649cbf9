// The credentials capability: stores credentials (admin; secrets validated per kind by the
// contract), lists them without secrets but with who uses them, tests one against a device
// with a real request, and hands the other capabilities one resolver for every protocol's
// credentials. Every change (put, remove) is announced to the onChanged listeners, so the
// poller and the trap receiver pick it up without a restart.
import type { Capability } from '../../../src-shared/api';
import { toDisposable, type Disposable } from '../../../src-shared/lifecycle';
import type { CredentialRepository } from '../store/credential-repository';
import type { HostKeyRepository } from '../store/host-key-repository';
import type { InventoryRepository } from '../store/inventory-repository';
import { createCredentialResolver, type CredentialResolver } from './credential-resolver';
import { createCredentialTester } from './credential-tester';

export type CredentialMethods = 'credentials.list' | 'credentials.put' | 'credentials.remove' | 'credentials.usage' | 'credentials.test';

export interface CredentialsModule extends Capability<CredentialMethods> {
  readonly resolver: CredentialResolver;
  /** Calls `listener` with the id after each credential stored or removed through the api. */
  onChanged(listener: (id: string) => void): Disposable;
}

export interface CredentialsDeps {
  store: { credentials: CredentialRepository; inventory: Pick<InventoryRepository, 'device'>; hostKeys: HostKeyRepository };
  /** credentials.test's bound (default 3 s). */
  testTimeoutMs?: number;
  log?: (line: string) => void;
}

export function startCredentials(d: CredentialsDeps): CredentialsModule {
  const repo = d.store.credentials;
  const resolver = createCredentialResolver(repo);
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
    },
    dispose: async () => listeners.clear(),
  };
}
