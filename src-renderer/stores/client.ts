// The CoreClient the actions call. Set once a session is established.
import type { CoreClient } from '../../src-shared/api';
import { RemoteError } from '../../src-shared/errors';

let current: CoreClient | null = null;

export function setClient(c: CoreClient | null): void {
  current = c;
}

export function getClient(): CoreClient {
  if (!current) throw new RemoteError({ name: 'NotConnectedError', code: 'UNAUTHENTICATED', message: 'Not connected to FleetDeck' });
  return current;
}

export function hasClient(): boolean {
  return current !== null;
}
