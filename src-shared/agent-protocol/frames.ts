// The agent protocol's framing (version 1), shared by the console, the agent daemon and the
// lab: inside a TLS 1.3 stream, each frame is a 4-byte big-endian length (of what follows),
// a 1-byte message type and the payload, UTF-8 JSON that messages.ts validates. Pure TS over
// Uint8Array (src-shared has no Buffer), so the daemon, the core and the browser-free lab use
// the same code. A FrameReader takes the stream in whatever chunks TCP delivers and yields
// whole frames; anything malformed is an AgentProtocolError naming what was wrong, after
// which the connection is closed (a stream that lost its framing cannot be resynchronised).
import { FleetDeckError } from '../errors';

export const AGENT_PROTOCOL_VERSION = 1;
/** Largest frame (type + payload) either side accepts: a results batch stays under it. */
export const MAX_FRAME_BYTES = 1024 * 1024;
export const FRAME_HEADER_BYTES = 5;

/** The message types on the wire; numbers never change meaning within a protocol version. */
export const FRAME_TYPES = {
  hello: 1,
  challenge: 2,
  proof: 3,
  welcome: 4,
  refused: 5,
  results: 6,
  ack: 7,
  config: 8,
  ping: 9,
  pong: 10,
  bye: 11,
} as const;
export type FrameTypeName = keyof typeof FRAME_TYPES;
const TYPE_NAMES = new Map<number, FrameTypeName>(Object.entries(FRAME_TYPES).map(([k, v]) => [v, k as FrameTypeName]));

export type AgentProtocolFault =
  | 'frame-empty'
  | 'frame-too-large'
  | 'unknown-type'
  | 'bad-utf8'
  | 'bad-json'
  | 'bad-message'
  | 'unexpected-message'
  | 'version';

/** A frame or message that does not fit the protocol: params.fault names the rule broken. */
export class AgentProtocolError extends FleetDeckError {
  readonly fault: AgentProtocolFault;
  constructor(fault: AgentProtocolFault, message: string, params: Record<string, unknown> = {}) {
    super('BAD_REQUEST', message, { fault, ...params });
    this.name = 'AgentProtocolError';
    this.fault = fault;
  }
}

export interface RawFrame {
  readonly type: FrameTypeName;
  readonly payload: Uint8Array;
}

export function typeName(code: number): FrameTypeName {
  const name = TYPE_NAMES.get(code);
  if (!name) throw new AgentProtocolError('unknown-type', `Unknown agent message type ${code}`, { type: code });
  return name;
}

/** One frame: header and payload in one array. */
export function encodeFrame(type: FrameTypeName, payload: Uint8Array): Uint8Array {
  const length = 1 + payload.length;
  if (length > MAX_FRAME_BYTES) throw new AgentProtocolError('frame-too-large', `An agent frame of ${length} bytes is over the ${MAX_FRAME_BYTES}-byte limit`, { bytes: length, limit: MAX_FRAME_BYTES });
  const out = new Uint8Array(4 + length);
  new DataView(out.buffer).setUint32(0, length);
  out[4] = FRAME_TYPES[type];
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

/**
 * Reassembles frames from stream chunks. push() returns the frames completed by the chunk;
 * it throws an AgentProtocolError at the first bad header (the reader is then spent). The
 * length is checked before the payload is buffered, so a hostile peer cannot make it hold
 * more than MAX_FRAME_BYTES plus one chunk.
 */
export class FrameReader {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #need = -1;
  #type: FrameTypeName | null = null;
  #failed: AgentProtocolError | null = null;

  /** Bytes held waiting for the rest of a frame. */
  get buffered(): number {
    return this.#buffered;
  }

  push(chunk: Uint8Array): RawFrame[] {
    if (this.#failed) throw this.#failed;
    if (chunk.length) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    const out: RawFrame[] = [];
    try {
      for (;;) {
        if (this.#need < 0) {
          if (this.#buffered < FRAME_HEADER_BYTES) break;
          const head = this.#take(FRAME_HEADER_BYTES);
          const length = new DataView(head.buffer, head.byteOffset, 4).getUint32(0);
          if (length === 0) throw new AgentProtocolError('frame-empty', 'An agent frame declared length 0 (no message type)');
          if (length > MAX_FRAME_BYTES) throw new AgentProtocolError('frame-too-large', `An agent frame declared ${length} bytes, over the ${MAX_FRAME_BYTES}-byte limit`, { bytes: length, limit: MAX_FRAME_BYTES });
          this.#type = typeName(head[4]);
          this.#need = length - 1;
        }
        if (this.#buffered < this.#need) break;
        out.push({ type: this.#type!, payload: this.#take(this.#need) });
        this.#need = -1;
        this.#type = null;
      }
    } catch (err) {
      this.#failed = err as AgentProtocolError;
      this.#chunks = [];
      this.#buffered = 0;
      throw err;
    }
    return out;
  }

  /** The first n buffered bytes (n <= buffered), as one array. */
  #take(n: number): Uint8Array {
    const first = this.#chunks[0];
    let out: Uint8Array;
    if (first && first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
    } else {
      out = new Uint8Array(n);
      let at = 0;
      while (at < n) {
        const c = this.#chunks[0];
        const part = Math.min(c.length, n - at);
        out.set(c.subarray(0, part), at);
        at += part;
        if (part === c.length) this.#chunks.shift();
        else this.#chunks[0] = c.subarray(part);
      }
    }
    this.#buffered -= n;
    return out;
  }
}
