// The agent's end of the agent protocol: dials the console over TLS 1.3, refuses a console
// whose certificate is not the one pinned at deploy (before a byte of its own is sent), proves
// it holds its enrolled Ed25519 key (signature bound to this TLS session), then uploads its
// buffered results in sequence order: at most `window` batches unacknowledged, each removed
// from the buffer only when the console acknowledges it (after its store committed). The
// socket's own back-pressure (write() false) holds further batches until it drains, so a slow
// console slows uploads and nothing else: collection runs on its own timers into the buffer.
// Reconnects with backoff (1 s doubling to 30 s; a refusal as revoked or unknown waits 5 min,
// since only an operator can change that). Welcome's lastSeq tells the agent what the console
// already holds: those results are dropped from the buffer without being sent again.
import { sign, type KeyObject } from 'node:crypto';
import tls from 'node:tls';
import {
  AGENT_PROTOCOL_VERSION, decodeMessage, encodeMessage, FrameReader, proofMessage, TLS_BINDING_BYTES, TLS_BINDING_LABEL,
  type AgentConfig, type AgentMessage, type AgentMessages, type AgentRefusalReason, type AgentResult, type FrameTypeName,
} from '../../src-shared/agent-protocol';

/** What the link needs of the result buffer (buffer.ts). */
export interface LinkBuffer {
  read(afterSeq: number, maxCount: number, maxBytes: number): AgentResult[];
  ack(upTo: number): void;
  readonly lastSeq: number;
}

export interface LinkOptions {
  readonly host: string;
  readonly port: number;
  /** The console certificate's SHA-256 fingerprint (Node's fingerprint256 form), pinned at deploy. */
  readonly pinnedFingerprint256: string;
  readonly agentId: string;
  readonly agentVersion: string;
  readonly hostname: string;
  /** The agent's Ed25519 private key. */
  readonly key: KeyObject;
  readonly buffer: LinkBuffer;
  onConfig?(config: AgentConfig): void;
  onState?(state: LinkState): void;
  readonly window?: number;
  readonly batchMax?: number;
  readonly batchBytes?: number;
  readonly backoffMs?: { readonly min: number; readonly max: number; readonly refused: number };
  readonly log?: (line: string) => void;
}

export type LinkState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'live'; readonly lastSeq: number }
  | { readonly kind: 'refused'; readonly reason: AgentRefusalReason | 'pin-mismatch'; readonly message: string }
  | { readonly kind: 'down'; readonly error: string; readonly retryInMs: number };

export interface Link {
  /** New results are in the buffer: send them when the window allows. */
  kick(): void;
  readonly connected: boolean;
  close(): Promise<void>;
}

export function startLink(o: LinkOptions): Link {
  const log = o.log ?? (() => {});
  const window = o.window ?? 4;
  const backoff = o.backoffMs ?? { min: 1000, max: 30_000, refused: 300_000 };
  let closed = false;
  let socket: tls.TLSSocket | null = null;
  let live = false;
  let delay = backoff.min;
  let retry: NodeJS.Timeout | null = null;
  let kickPump: () => void = () => {};

  const state = (s: LinkState): void => o.onState?.(s);

  const schedule = (error: string, ms: number): void => {
    live = false;
    socket = null;
    if (closed) return;
    state({ kind: 'down', error, retryInMs: ms });
    retry = setTimeout(dial, ms);
    retry.unref?.();
  };

  function dial(): void {
    retry = null;
    if (closed) return;
    state({ kind: 'connecting' });
    const s = tls.connect({ host: o.host, port: o.port, minVersion: 'TLSv1.3', rejectUnauthorized: false, servername: undefined });
    socket = s;
    const reader = new FrameReader();
    let phase: 'tls' | 'hello' | 'proof' | 'live' | 'done' = 'tls';
    let sentUpTo = 0;
    let inFlight = 0;
    let refusedHow: Extract<LinkState, { kind: 'refused' }> | null = null;
    const send = <K extends FrameTypeName>(type: K, body: AgentMessages[K]): boolean => s.write(encodeMessage(type, body));

    const pump = (): void => {
      if (phase !== 'live') return;
      while (inFlight < window && !s.writableNeedDrain) {
        const batch = o.buffer.read(sentUpTo, o.batchMax ?? 500, o.batchBytes ?? 256 * 1024);
        if (!batch.length) return;
        const { frame, upTo } = resultsFrame(batch);
        sentUpTo = upTo;
        if (!frame) continue; // nothing sendable in it: the next batch's ack covers these numbers
        inFlight++;
        s.write(frame);
      }
    };
    /**
     * The batch as one frame. A result the protocol refuses (over the frame limit, or a value
     * its schema does not take) would block the upload forever if it were sent again and again:
     * it is left out and logged by its sequence number; the console sees a gap there.
     */
    const resultsFrame = (batch: AgentResult[]): { frame: Uint8Array | null; upTo: number } => {
      const upTo = batch[batch.length - 1].seq;
      try {
        return { frame: encodeMessage('results', { results: batch }), upTo };
      } catch {
        const ok = batch.filter((r) => {
          try {
            encodeMessage('results', { results: [r] });
            return true;
          } catch (err) {
            log(`link: result ${r.seq} (${r.data.kind}) cannot be sent and is left out: ${(err as Error).message}`);
            return false;
          }
        });
        if (!ok.length) return { frame: null, upTo };
        try {
          return { frame: encodeMessage('results', { results: ok }), upTo };
        } catch {
          // Each fits alone but not all together: send the first half now, the rest next turn.
          return resultsFrame(ok.slice(0, Math.ceil(ok.length / 2)));
        }
      }
    };
    s.on('drain', pump);

    s.once('secureConnect', () => {
      const got = s.getPeerCertificate()?.fingerprint256 ?? '';
      if (got.toUpperCase() !== o.pinnedFingerprint256.toUpperCase()) {
        refusedHow = { kind: 'refused', reason: 'pin-mismatch', message: `the console's certificate ${got || '(none)'} is not the pinned ${o.pinnedFingerprint256}: refusing it` };
        log(`link: ${refusedHow.message}`);
        phase = 'done';
        s.destroy();
        return;
      }
      phase = 'hello';
      send('hello', { version: AGENT_PROTOCOL_VERSION, agentId: o.agentId, agentVersion: o.agentVersion, hostname: o.hostname.slice(0, 255) || 'unknown' });
    });

    const onMessage = (m: AgentMessage): void => {
      switch (m.type) {
        case 'challenge': {
          if (phase !== 'hello') throw new Error('challenge out of turn');
          const binding = s.exportKeyingMaterial(TLS_BINDING_BYTES, TLS_BINDING_LABEL, Buffer.alloc(0));
          const signature = sign(null, proofMessage(o.agentId, m.body.nonce, binding), o.key).toString('base64');
          phase = 'proof';
          send('proof', { signature });
          return;
        }
        case 'welcome':
          if (phase !== 'proof') throw new Error('welcome out of turn');
          phase = 'live';
          live = true;
          delay = backoff.min;
          o.buffer.ack(m.body.lastSeq);
          sentUpTo = Math.max(m.body.lastSeq, 0);
          o.onConfig?.(m.body.config);
          state({ kind: 'live', lastSeq: m.body.lastSeq });
          kickPump = pump;
          pump();
          return;
        case 'ack':
          inFlight = Math.max(0, inFlight - 1);
          o.buffer.ack(m.body.upTo);
          pump();
          return;
        case 'config':
          o.onConfig?.(m.body.config);
          return;
        case 'ping':
          send('pong', { at: m.body.at });
          return;
        case 'pong':
          return;
        case 'refused':
          refusedHow = { kind: 'refused', reason: m.body.reason, message: m.body.message };
          log(`link: the console refused this agent (${m.body.reason}): ${m.body.message}`);
          phase = 'done';
          s.end();
          return;
        case 'bye':
          log(`link: the console closed the session: ${m.body.reason}`);
          phase = 'done';
          s.end();
          return;
        default:
          throw new Error(`a console does not send ${m.type}`);
      }
    };

    s.on('data', (chunk: Buffer) => {
      try {
        for (const f of reader.push(chunk)) {
          onMessage(decodeMessage(f));
          if (phase === 'done') return;
        }
      } catch (err) {
        log(`link: ${(err as Error).message}`);
        phase = 'done';
        s.destroy();
      }
    });
    let lastError = '';
    s.on('error', (err) => void (lastError = err.message));
    s.on('close', () => {
      if (kickPump === pump) kickPump = () => {};
      if (refusedHow) {
        state(refusedHow);
        const ms = (refusedHow.reason === 'revoked' || refusedHow.reason === 'unknown-agent' || refusedHow.reason === 'pin-mismatch') ? backoff.refused : delay;
        schedule(refusedHow.message, ms);
        return;
      }
      const ms = delay;
      delay = Math.min(backoff.max, delay * 2);
      schedule(lastError || 'connection closed', ms);
    });
  }

  dial();
  return {
    kick: () => kickPump(),
    get connected() {
      return live;
    },
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      const s = socket;
      if (s && !s.destroyed) {
        await new Promise<void>((resolve) => {
          s.once('close', () => resolve());
          try {
            if (live) s.write(encodeMessage('bye', { reason: 'agent stopping' }));
          } catch {
            // closing anyway
          }
          s.end();
          setTimeout(() => s.destroy(), 500).unref();
        });
      }
    },
  };
}
