// Who is signed in, over which transport, in which language.
import type { StateCreator } from 'zustand';
import type { Role } from '../../../src-shared/domain';
import { initialLang, type Lang } from '../../i18n/i18n';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';

export type SessionPhase = 'starting' | 'signed-out' | 'signing-in' | 'ready' | 'reconnecting';

export interface SessionState {
  transport: 'ipc' | 'ws' | null;
  phase: SessionPhase;
  actor: string | null;
  role: Role | null;
  language: Lang;
  /** Why the last sign-in failed (a refused token, an unreachable server). */
  authError: ShownError | null;
  /** While reconnecting: which attempt and why the socket dropped. */
  connection: { attempt: number; reason: string } | null;
}

export interface SessionSlice {
  session: SessionState;
}

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = () => ({
  session: {
    transport: null,
    phase: 'starting',
    actor: null,
    role: null,
    language: initialLang(),
    authError: null,
    connection: null,
  },
});
