// Whether the signed-in role is enough for a method, by the contract's least roles. Only
// to disable controls and say why: the core is the one that checks.
import { methodRole, type Method } from '../../../src-shared/api';
import { ROLE_RANK, type Role } from '../../../src-shared/domain';

/** Unknown role (the desktop shell could not ask): leave it to the core. */
export function mayCall(role: Role | null, method: Method): boolean {
  return role === null || ROLE_RANK[role] >= ROLE_RANK[methodRole(method)];
}

/** The least role the contract names for a method (for "needs the operator role" notes). */
export function leastRole(method: Method): Role {
  return methodRole(method);
}
