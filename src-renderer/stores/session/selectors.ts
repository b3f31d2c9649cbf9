// Session selectors at module scope: who is signed in, over which transport, in which language.
import type { AppState } from '../store';

export const selectLanguage = (s: AppState) => s.session.language;
export const selectTransport = (s: AppState) => s.session.transport;
export const selectPhase = (s: AppState) => s.session.phase;
export const selectActor = (s: AppState) => s.session.actor;
export const selectRole = (s: AppState) => s.session.role;
export const selectAuthError = (s: AppState) => s.session.authError;
export const selectConnection = (s: AppState) => s.session.connection;
