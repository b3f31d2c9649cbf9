// The console's end of the agent protocol: a TLS 1.3 listener and one session per agent
// connection. A session reads frames (src-shared/agent-protocol), runs the handshake (hello ->
// challenge -> proof -> welcome) against the directory of enrolled agents, then takes result
// batches in order: each is handed to ingest, and acknowledged only when ingest's promise
// settles (the store has committed it), so an agent drops nothing the store does not hold.
// Back-pressure: while a session has `maxPending` batches waiting on the store, its socket is
// paused, so TCP slows that agent's uploads; the agent's probes keep their timing (it buffers).
// A second session of the same agent replaces the first (the agent restarted). Everything
// refused (unknown or revoked agent, bad proof, wrong version, malformed frames) is reported
// to onEvent for the audit trail, with the remote address.
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import tls from 'node:tls';
import {
  AGENT_PROTOCOL_VERSION, AgentProtocolError, decodeMessage, encodeMessage, FrameReader, proofMessage, TLS_BINDING_BYTES, TLS_BINDING_LABEL,
  type AgentConfig, type AgentMessage, type AgentMessages, type AgentRefusalReason, type AgentResult, type FrameTypeName,
} from '../../../../src-shared/agent-protocol';
import type { ConsoleTlsIdentity } from './tls-identity';

export interface EnrolledAgent {
  /** Ed25519 public key, SPKI DER. */
  readonly publicKey: Uint8Array;
  readonly revoked: boolean;
}

export interface AgentDirectory {
  /** The enrolled agent, or null when no agent of that id was ever enrolled. */
  lookup(agentId: string): EnrolledAgent | null;
  /** The highest sequence number the store holds for the agent (0: none). */
  lastSeq(agentId: string): number;
  config(agentId: string): AgentConfig;
}

export interface AgentSessionInfo {
  readonly agentId: string;
  readonly agentVersion: string;
  readonly hostname: string;
  readonly remote: string;
  readonly connectedAt: number;
}

export type AgentServerEvent =
  | { readonly kind: 'refused'; readonly agentId: string | null; readonly reason: AgentRefusalReason; readonly message: string; readonly remote: string }
  | { readonly kind: 'connected'; readonly session: AgentSessionInfo }
  | { readonly kind: 'disconnected'; readonly agentId: string; readonly reason: string };

export interface AgentServerOptions {
  readonly host: string;
  readonly port: number;
  readonly identity: Pick<ConsoleTlsIdentity, 'certPem' | 'keyPem'>;
  readonly directory: AgentDirectory;
  /** Stores a batch; resolves once it is committed (then the agent is acknowledged). */
  ingest(agentId: string, results: readonly AgentResult[]): Promise<void>;
  onEvent?(e: AgentServerEvent): void;
  /** From TCP accept to welcome (default 10 s). */
  readonly handshakeTimeoutMs?: number;
  /** Batches of one session waiting on the store before its socket is paused (default 4). */
  readonly maxPending?: number;
  readonly log?: (line: string) => void;
}

export interface AgentServer {
  readonly port: number;
  readonly host: string;
  sessions(): AgentSessionInfo[];
  /** Sends a new configuration to a connected agent; false when it is not connected. */
  pushConfig(agentId: string, config: AgentConfig): boolean;
  /** Ends an agent's session (after a revoke): it is told why. */
  disconnect(agentId: string, reason: string): boolean;
  close(): Promise<void>;
}

interface Session {
  readonly socket: tls.TLSSocket;
  info: AgentSessionInfo | null;
  send<K extends FrameTypeName>(type: K, body: AgentMessages[K]): void;
  end(reason: string): void;
}

export async function startAgentServer(o: AgentServerOptions): Promise<AgentServer> {
  const live = new Map<string, Session>();
  const all = new Set<Session>();
  const log = o.log ?? (() => {});
  const server = tls.createServer({ cert: o.identity.certPem, key: o.identity.keyPem, minVersion: 'TLSv1.3' }, (socket) => serve(socket));
  // A TLS failure can come after the socket is gone (a peer that hangs up mid-handshake, as an
  // agent refusing a certificate it did not pin does): its address is kept from the accept.
  const accepted = new WeakMap<object, string>();
  server.on('connection', (raw: Socket) => accepted.set(raw, `${raw.remoteAddress}:${raw.remotePort}`));
  server.on('tlsClientError', (err, socket) => {
    const parent = (socket as unknown as { _parent?: object })._parent; // the accepted net.Socket (Node keeps it on the TLSSocket)
    const remote = (parent && accepted.get(parent)) ?? (socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : 'an unknown address');
    o.onEvent?.({ kind: 'refused', agentId: null, reason: 'protocol', message: `TLS: ${err.message}`, remote });
  });

  function serve(socket: tls.TLSSocket): void {
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    const reader = new FrameReader();
    let state: 'hello' | 'proof' | 'live' | 'closed' = 'hello';
    let agentId: string | null = null;
    let hello: AgentMessages['hello'] | null = null;
    let nonce = '';
    let pending = 0;
    let ingestFailed = false;
    let chain: Promise<void> = Promise.resolve();
    const s: Session = {
      socket,
      info: null,
      send: (type, body) => {
        if (state !== 'closed' && !socket.destroyed) socket.write(encodeMessage(type, body));
      },
      end: (reason) => {
        if (state === 'closed') return;
        s.send('bye', { reason: reason.slice(0, 1024) });
        close(reason);
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
      },
    };
    all.add(s);
    const timer = setTimeout(() => refuse('protocol', `no welcome within ${o.handshakeTimeoutMs ?? 10_000} ms`), o.handshakeTimeoutMs ?? 10_000);
    timer.unref();

    const close = (reason: string): void => {
      if (state === 'closed') return;
      state = 'closed';
      clearTimeout(timer);
      all.delete(s);
      if (agentId && s.info && live.get(agentId) === s) {
        live.delete(agentId);
        o.onEvent?.({ kind: 'disconnected', agentId, reason });
      }
    };
    const refuse = (reason: AgentRefusalReason, message: string): void => {
      if (state === 'closed') return;
      o.onEvent?.({ kind: 'refused', agentId, reason, message, remote });
      try {
        s.send('refused', { reason, message: message.slice(0, 1024) });
      } catch {
        // a message too odd to word still closes the session
      }
      close(`refused: ${reason}`);
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    };

    const onMessage = (m: AgentMessage): void => {
      if (state === 'hello') {
        if (m.type !== 'hello') return refuse('protocol', `expected hello, got ${m.type}`);
        hello = m.body;
        agentId = m.body.agentId;
        if (m.body.version !== AGENT_PROTOCOL_VERSION) return refuse('version', `this console speaks agent protocol ${AGENT_PROTOCOL_VERSION}, the agent ${m.body.version}`);
        const enrolled = o.directory.lookup(agentId);
        if (!enrolled) return refuse('unknown-agent', `agent ${agentId} is not enrolled on this console`);
        if (enrolled.revoked) return refuse('revoked', `agent ${agentId} was revoked`);
        nonce = randomBytes(32).toString('base64');
        state = 'proof';
        s.send('challenge', { nonce });
        return;
      }
      if (state === 'proof') {
        if (m.type !== 'proof' || !agentId || !hello) return refuse('protocol', `expected proof, got ${m.type}`);
        const enrolled = o.directory.lookup(agentId);
        if (!enrolled || enrolled.revoked) return refuse(enrolled ? 'revoked' : 'unknown-agent', `agent ${agentId} is ${enrolled ? 'revoked' : 'not enrolled'}`);
        if (!checkProof(enrolled.publicKey, agentId, nonce, socket, m.body.signature)) return refuse('bad-proof', `agent ${agentId}'s proof does not verify with its enrolled key`);
        clearTimeout(timer);
        state = 'live';
        s.info = { agentId, agentVersion: hello.agentVersion, hostname: hello.hostname, remote, connectedAt: Date.now() };
        const old = live.get(agentId);
        live.set(agentId, s);
        old?.end('replaced by a new session of the same agent');
        s.send('welcome', { version: AGENT_PROTOCOL_VERSION, lastSeq: o.directory.lastSeq(agentId), config: o.directory.config(agentId) });
        o.onEvent?.({ kind: 'connected', session: s.info });
        return;
      }
      if (state !== 'live' || !agentId) return;
      switch (m.type) {
        case 'results': {
          const id = agentId;
          const batch = m.body.results;
          pending++;
          if (pending >= (o.maxPending ?? 4)) socket.pause();
          chain = chain.then(async () => {
            // A batch behind one that failed, or of a session that ended, is not stored: ingest keeps
            // only numbers above the highest held, so storing it would leave the failed one's
            // results out for good. The agent sends them all again on its next session.
            if (state !== 'live' || ingestFailed) return;
            try {
              await o.ingest(id, batch);
              s.send('ack', { upTo: batch[batch.length - 1].seq });
            } catch (err) {
              ingestFailed = true;
              log(`agent ${id}: results not stored: ${(err as Error).message}`);
              s.end('the console could not store results; reconnect later');
            } finally {
              pending--;
              if (pending < (o.maxPending ?? 4) && state === 'live') socket.resume();
            }
          });
          return;
        }
        case 'ping':
          return s.send('pong', { at: m.body.at });
        case 'pong':
          return;
        case 'bye':
          close(`agent said bye: ${m.body.reason}`);
          socket.end();
          return;
        default:
          return refuse('protocol', `an agent does not send ${m.type}`);
      }
    };

    socket.on('data', (chunk: Buffer) => {
      if (state === 'closed') return;
      try {
        for (const f of reader.push(chunk)) {
          onMessage(decodeMessage(f));
          if ((state as string) === 'closed') return; // onMessage may have closed it
        }
      } catch (err) {
        if (err instanceof AgentProtocolError) refuse('protocol', err.message);
        else refuse('protocol', `internal: ${(err as Error).message}`);
      }
    });
    socket.on('error', (err) => close(`socket: ${err.message}`));
    socket.on('close', () => close('connection closed'));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  return {
    port: addr.port,
    host: addr.address,
    sessions: () => [...live.values()].map((s) => s.info!),
    pushConfig: (agentId, config) => {
      const s = live.get(agentId);
      if (!s) return false;
      s.send('config', { config });
      return true;
    },
    disconnect: (agentId, reason) => {
      const s = live.get(agentId);
      if (!s) return false;
      s.end(reason);
      return true;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of [...all]) s.end('the console is stopping');
      for (const s of [...all]) s.socket.destroy();
      await closed;
    },
  };
}

function checkProof(publicKey: Uint8Array, agentId: string, nonce: string, socket: tls.TLSSocket, signature: string): boolean {
  try {
    const key: KeyObject = createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    const binding = socket.exportKeyingMaterial(TLS_BINDING_BYTES, TLS_BINDING_LABEL, Buffer.alloc(0));
    return verify(null, proofMessage(agentId, nonce, binding), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
