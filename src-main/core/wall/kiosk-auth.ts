// Kiosk tokens as serve mode's sign-in sees them: a live kiosk token (wall-repository.ts)
// authenticates as a viewer named kiosk:<id>, never more, whatever is stored; revoking one tells
// the transports (onDidRevoke) so the screens signed in with it are disconnected at once.
import { randomBytes } from 'node:crypto';
import type { CallContext } from '../../../src-shared/api';
import { toDisposable, type Disposable } from '../../../src-shared/lifecycle';
import type { WallRepository } from '../store/wall-repository';

/** The actor a kiosk token's session acts as (the transport adds @address). */
export const kioskActor = (id: string): string => `kiosk:${id}`;

export const newKioskId = (): string => `kiosk-${randomBytes(6).toString('hex')}`;

export interface KioskAuth {
  /** The viewer behind a live kiosk token, or null (unknown or revoked). */
  verify(token: string): CallContext | null;
  /** Tells listeners the actor (kiosk:<id>) of each revoked token. */
  onDidRevoke(listener: (actor: string) => void): Disposable;
  /** Called by the wall capability after it revoked tokens. */
  revoked(ids: readonly string[]): void;
}

export function createKioskAuth(repo: WallRepository, clock: () => number = Date.now): KioskAuth {
  const listeners = new Set<(actor: string) => void>();
  return {
    verify(token) {
      const k = repo.verifyKiosk(token, clock());
      return k ? { actor: kioskActor(k.id), role: 'viewer' } : null;
    },
    onDidRevoke(listener) {
      listeners.add(listener);
      return toDisposable(() => void listeners.delete(listener));
    },
    revoked(ids) {
      for (const id of ids) {
        for (const l of [...listeners]) {
          try {
            l(kioskActor(id));
          } catch {
            // a broken transport listener must not stop a revocation
          }
        }
      }
    },
  };
}
