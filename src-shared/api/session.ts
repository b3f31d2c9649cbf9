// The session: who the transport says is calling.
import { method, noArgs, result } from './contract';
import type { Role } from '../domain/roles';

export const sessionMethods = {
  'session.whoami': method({ role: 'viewer', args: noArgs, result: result<{ actor: string; role: Role }>(), example: undefined }),
};
