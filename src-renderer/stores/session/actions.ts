// Session actions: pick the transport, sign in (serve mode), follow the connection,
// sign out, switch language.
import type { Disposable } from '../../../src-shared/api';
import { saveLang, type Lang } from '../../i18n/i18n';
import { pickClient, type Transport } from '../../transport/pick-client';
import type { ConnectionState, WsClient } from '../../transport/ws-client';
import { setClient } from '../client';
import { applyRoute, loadOverview } from '../fleet/actions';
import { parseRoute } from '../fleet/route';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { attachLive, reloadAll, resetFleetState } from './live';
import type { SessionState } from './slice';

const TOKEN_KEY = 'fleetdeck.token';

const patchSession = (p: Partial<SessionState>) => patch('session', p);

let transport: Transport | null = null;
let ws: WsClient | null = null;
let live: Disposable | null = null;

/** Called once at startup. */
export function startSession(): void {
  saveLang(useAppStore.getState().session.language);
  transport = pickClient();
  if (transport.kind === 'ipc') {
    void startIpc(transport.client);
    return;
  }
  patchSession({ transport: 'ws' });
  const token = storage('get');
  if (token) void signIn(token, { remembered: true });
  else patchSession({ phase: 'signed-out' });
}

async function startIpc(client: Extract<Transport, { kind: 'ipc' }>['client']): Promise<void> {
  patchSession({ transport: 'ipc', phase: 'signing-in' });
  setClient(client);
  live = attachLive(client);
  try {
    const who = await client.call('session.whoami', undefined);
    patchSession({ phase: 'ready', actor: who.actor, role: who.role, authError: null });
  } catch (err) {
    // No login in the desktop shell: show why, and carry on with what can be shown.
    patchSession({ phase: 'ready', authError: toShownError(err) });
  }
  applyRoute(parseRoute(location.hash));
  void loadOverview();
}

/** Serve mode: authenticate with a token. A remembered token waits for the server to come up. */
export async function signIn(token: string, opts: { remembered?: boolean } = {}): Promise<void> {
  if (transport?.kind !== 'ws') return;
  closeConnection();
  patchSession({ phase: 'signing-in', authError: null, connection: null });
  const client = transport.open(token.trim(), { waitForServer: opts.remembered ?? false });
  ws = client;
  client.onState((s) => onConnectionState(client, s));
  let who: Awaited<ReturnType<WsClient['connect']>>;
  try {
    who = await client.connect();
  } catch (err) {
    if (ws !== client) return;
    ws = null;
    const shown = toShownError(err);
    if (shown.code === 'UNAUTHENTICATED') storage('remove');
    patchSession({ phase: 'signed-out', authError: shown, connection: null });
    return;
  }
  if (ws !== client) return;
  storage('set', token.trim());
  setClient(client);
  patchSession({ phase: 'ready', actor: who.actor, role: who.role, authError: null, connection: null });
  live = attachLive(client);
  applyRoute(parseRoute(location.hash));
  void loadOverview();
}

function onConnectionState(client: WsClient, s: ConnectionState): void {
  if (ws !== client) return;
  const phase = useAppStore.getState().session.phase;
  if (s.phase === 'reconnecting') {
    patchSession({
      phase: phase === 'signing-in' ? 'signing-in' : 'reconnecting',
      connection: { attempt: s.attempt, reason: s.reason },
    });
  } else if (s.phase === 'open' && phase === 'reconnecting') {
    patchSession({ phase: 'ready', connection: null, role: s.role, actor: s.actor });
    reloadAll();
  } else if (s.phase === 'closed' && s.error && (phase === 'ready' || phase === 'reconnecting')) {
    // The server refused the token on a reconnect (revoked, or the server's tokens changed).
    if (s.error.code === 'UNAUTHENTICATED') storage('remove');
    closeConnection();
    resetFleetState();
    patchSession({ phase: 'signed-out', actor: null, role: null, connection: null, authError: toShownError(s.error) });
  }
}

export function signOut(): void {
  storage('remove');
  closeConnection();
  resetFleetState();
  patchSession({ phase: 'signed-out', actor: null, role: null, authError: null, connection: null });
}

export function setLanguage(language: Lang): void {
  patchSession({ language });
  saveLang(language);
}

function closeConnection(): void {
  live?.dispose();
  live = null;
  const c = ws;
  ws = null;
  setClient(null);
  c?.dispose();
}

function storage(op: 'get'): string | null;
function storage(op: 'set', value: string): void;
function storage(op: 'remove'): void;
function storage(op: 'get' | 'set' | 'remove', value?: string): string | null | void {
  try {
    if (op === 'get') return localStorage.getItem(TOKEN_KEY);
    if (op === 'set') localStorage.setItem(TOKEN_KEY, value ?? '');
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    return null; // storage unavailable (private window): the token lasts for this page only
  }
}
