// The desktop shell's caller: the OS account at its own workstation.
import type { CallContext } from '../../src-shared/api';

/**
 * Who the desktop shell says is calling. The desktop app is the operator at their own
 * workstation, running under their own OS account: whoever can use this window can already
 * read the database and key in userData, so a role below admin would protect nothing. The
 * OS account name is recorded as the actor so the audit trail still says who acted.
 * (Serve mode is different: there, a token's role decides.)
 */
export function desktopCallContext(osUsername: string | undefined): CallContext {
  const name = osUsername && osUsername.trim() !== '' ? osUsername.trim() : 'unknown';
  return { actor: `${name}@desktop`, role: 'admin' };
}
