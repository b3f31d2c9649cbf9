// The session capability: who is calling (session.whoami), and serve mode's token auth (the
// role tokens, then wall mode's kiosk tokens: viewers only), with every refused token written to
// the audit trail; onDidRevoke tells transports whose sessions a revocation ends.
import type { CallContext, Capability } from '../../../src-shared/api';
import type { Disposable } from '../../../src-shared/lifecycle';
import type { AuditRepository } from '../store/audit-repository';
import type { IssuedToken, TokenRepository } from '../store/token-repository';

export interface CoreAuth {
  /** The caller behind a serve-mode token, or null (and the refusal audited). */
  authenticate(token: string, from?: string): CallContext | null;
  hasTokens(): boolean;
  /** Issues a fresh token per role, replacing the old ones; plaintext only in the result. */
  rotateTokens(): IssuedToken[];
  /** Tells the actor (as authenticate returned it) of each revoked credential: its live sessions should end. */
  onDidRevoke?(listener: (actor: string) => void): Disposable;
}

/** Credentials beside the role tokens (wall mode's kiosk tokens). */
export interface ExtraAuth {
  verify(token: string): CallContext | null;
  onDidRevoke(listener: (actor: string) => void): Disposable;
}

export interface SessionModule extends Capability<'session.whoami'> {
  readonly auth: CoreAuth;
}

export function startSession(d: { store: { tokens: TokenRepository; audit: AuditRepository }; kiosk?: ExtraAuth }): SessionModule {
  const { tokens, audit } = d.store;
  return {
    api: { 'session.whoami': (_a, ctx) => ({ actor: ctx.actor, role: ctx.role }) },
    auth: {
      authenticate: (token, from = 'unknown') => {
        const who = tokens.verify(token) ?? d.kiosk?.verify(token) ?? null;
        if (!who) audit.record({ actor: from, role: 'viewer', action: 'session.auth', target: '', outcome: 'refused', detail: 'unknown or revoked token' });
        return who;
      },
      hasTokens: () => !tokens.isEmpty(),
      rotateTokens: () => tokens.rotate(),
      onDidRevoke: (listener) => d.kiosk?.onDidRevoke(listener) ?? { dispose: () => {} },
    },
    dispose: async () => {},
  };
}
