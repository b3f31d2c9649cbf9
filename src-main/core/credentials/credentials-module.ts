// The credentials capability: stores credentials (admin), lists them without secrets, and
// hands the other capabilities one resolver for every protocol's credentials.
import type { Capability } from '../../../src-shared/api';
import type { CredentialRepository } from '../store/credential-repository';
import { createCredentialResolver, type CredentialResolver } from './credential-resolver';

export interface CredentialsModule extends Capability<'credentials.list' | 'credentials.put' | 'credentials.remove'> {
  readonly resolver: CredentialResolver;
}

export function startCredentials(d: { store: { credentials: CredentialRepository } }): CredentialsModule {
  const repo = d.store.credentials;
  return {
    resolver: createCredentialResolver(repo),
    api: {
      'credentials.list': () => repo.list(),
      'credentials.put': (a) => repo.put(a.id, a.kind, a.name, a.secret),
      'credentials.remove': (a) => repo.remove(a.id),
    },
    dispose: async () => {},
  };
}
