// The session capability: who is calling (session.whoami), and serve mode's token auth,
// with every refused token written to the audit trail.
import type { CallContext, Capability } from '../../../src-shared/api';
import type { AuditRepository } from '../store/audit-repository';
import type { IssuedToken, TokenRepository } from '../store/token-repository';

export interface CoreAuth {
  /** The caller behind a serve-mode token, or null (and the refusal audited). */
  authenticate(token: string, from?: string): CallContext | null;
  hasTokens(): boolean;
  /** Issues a fresh token per role, replacing the old ones; plaintext only in the result. */
  rotateTokens(): IssuedToken[];
}

export interface SessionModule extends Capability<'session.whoami'> {
  readonly auth: CoreAuth;
}

export function startSession(d: { store: { tokens: TokenRepository; audit: AuditRepository } }): SessionModule {
  const { tokens, audit } = d.store;
  return {
    api: { 'session.whoami': (_a, ctx) => ({ actor: ctx.actor, role: ctx.role }) },
    auth: {
      authenticate: (token, from = 'unknown') => {
        const who = tokens.verify(token);
        if (!who) audit.record({ actor: from, role: 'viewer', action: 'session.auth', target: '', outcome: 'refused', detail: 'unknown or revoked token' });
        return who;
      },
      hasTokens: () => !tokens.isEmpty(),
      rotateTokens: () => tokens.rotate(),
    },
    dispose: async () => {},
  };
}
