// The agent protocol's messages (version 1), one zod schema per frame type, and the codec
// between them and frames (frames.ts). The conversation, inside TLS 1.3 where the agent has
// pinned the console's certificate:
//   agent   -> hello {version, agentId, agentVersion, hostname}
//   console -> challenge {nonce}                 (or refused: unknown / revoked / version)
//   agent   -> proof {signature}                 Ed25519 over proofMessage(): the nonce and the
//                                                TLS session's exported keying material, so a
//                                                proof cannot be replayed on another session
//   console -> welcome {lastSeq, config}         (or refused: bad proof), audited either way
//   agent   -> results {results[]}               in sequence order, numbered per agent from 1
//   console -> ack {upTo}                        after the store has committed them
//   either  -> ping/pong, config (console), bye {reason}
// The agent's private key never leaves its host: deploy reads its public key and enrols it.
import { z } from 'zod';
import { AGENT_PROTOCOL_VERSION, AgentProtocolError, encodeFrame, type FrameTypeName, type RawFrame } from './frames';
import { probePlan, probeResult, routeResult } from './probe';

const id = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');
const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const finite = z.number().finite();
const b64 = (min: number, max: number) => z.string().min(min).max(max).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const name = z.string().min(1).max(256);

export const metricsResult = z.object({
  kind: z.literal('metrics'),
  cpuIdlePct: finite.min(0).max(100),
  load: z.tuple([finite.min(0), finite.min(0), finite.min(0)]),
  memTotalBytes: count,
  memFreeBytes: count,
  disks: z.array(z.object({ mount: name, totalBytes: count, usedBytes: count })).max(256),
  nets: z.array(z.object({ iface: name, rxBytes: count, txBytes: count, rxPackets: count, txPackets: count, rxErrors: count, txErrors: count })).max(256),
});

export const processResult = z.object({
  kind: z.literal('process'),
  name,
  /** null: no process of that name runs. */
  pid: z.number().int().min(1).nullable(),
  cpuPct: finite.min(0),
  rssBytes: count,
  /** From the service's own figures hook, when it exposes one. */
  qps: finite.min(0).nullable(),
  latencyMs: finite.min(0).nullable(),
});

export const inventoryResult = z.object({
  kind: z.literal('inventory'),
  osRelease: z.string().max(256),
  kernel: z.string().max(256),
  packages: z.array(z.object({ name, version: z.string().max(256) })).max(20_000),
  /** Packages left out so the result fits one frame (the agent sends the first ones by name). */
  packagesOmitted: count.optional(),
  /** Declared files: sha256 hex, or null with the reason it could not be read. */
  files: z.array(z.object({ path: z.string().min(1).max(4096), sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(), error: z.string().max(256).nullable() })).max(1024),
});

/** The agent about itself: over a cap it stops collecting and says why. */
export const statusResult = z.object({
  kind: z.literal('status'),
  state: z.enum(['ok', 'over-cpu-cap', 'over-memory-cap']),
  cpuPct: finite.min(0),
  rssBytes: count,
  /** Results held unacknowledged on disk, and dropped (oldest first) past the buffer's bound. */
  bufferDepth: count,
  bufferBytes: count,
  dropped: count,
});

export const agentResult = z.object({
  seq,
  /** Wall-clock ms when the sample was taken on the host. */
  at: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  data: z.discriminatedUnion('kind', [metricsResult, processResult, inventoryResult, statusResult, probeResult, routeResult]),
});
export type AgentResult = z.infer<typeof agentResult>;
export type AgentResultData = AgentResult['data'];

export const agentConfig = z.object({
  /** Between metrics samples (and process figures). */
  intervalMs: z.number().int().min(1000).max(3_600_000),
  /** Between inventory samples (OS, packages, file checksums). */
  inventoryIntervalMs: z.number().int().min(10_000).max(86_400_000),
  processes: z.array(name).max(64),
  files: z.array(z.string().min(1).max(4096)).max(1024),
  /** Hard caps on the agent itself. */
  maxCpuPct: z.number().min(1).max(400),
  maxRssBytes: z.number().int().min(16 * 1024 * 1024).max(4 * 1024 * 1024 * 1024),
  /** The agent's pinglist and responders (probe.ts); absent: it probes nothing and runs no responder. */
  probes: probePlan.optional(),
});
export type AgentConfig = z.infer<typeof agentConfig>;

export const REFUSAL_REASONS = ['unknown-agent', 'revoked', 'bad-proof', 'version', 'duplicate-session', 'protocol'] as const;
export type AgentRefusalReason = (typeof REFUSAL_REASONS)[number];

export const MESSAGE_SCHEMAS = {
  hello: z.object({ version: z.number().int().min(1).max(255), agentId: id, agentVersion: z.string().min(1).max(64), hostname: z.string().min(1).max(255) }),
  challenge: z.object({ nonce: b64(43, 44) }),
  proof: z.object({ signature: b64(86, 88) }),
  welcome: z.object({ version: z.number().int().min(1).max(255), lastSeq: count, config: agentConfig }),
  refused: z.object({ reason: z.enum(REFUSAL_REASONS), message: z.string().max(1024) }),
  results: z.object({ results: z.array(agentResult).min(1).max(10_000) }),
  ack: z.object({ upTo: count }),
  config: z.object({ config: agentConfig }),
  ping: z.object({ at: z.number().int().min(0) }),
  pong: z.object({ at: z.number().int().min(0) }),
  bye: z.object({ reason: z.string().max(1024) }),
} satisfies Record<FrameTypeName, z.ZodType>;

export type AgentMessages = { [K in FrameTypeName]: z.infer<(typeof MESSAGE_SCHEMAS)[K]> };
export type AgentMessage = { [K in FrameTypeName]: { readonly type: K; readonly body: AgentMessages[K] } }[FrameTypeName];

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** One message as a frame; the body is validated first (a console or agent bug never reaches the wire). */
export function encodeMessage<K extends FrameTypeName>(type: K, body: AgentMessages[K]): Uint8Array {
  const parsed = MESSAGE_SCHEMAS[type].safeParse(body);
  if (!parsed.success) throw badMessage(type, parsed.error);
  return encodeFrame(type, encoder.encode(JSON.stringify(parsed.data)));
}

/** A frame's message, validated: an AgentProtocolError (bad-utf8, bad-json, bad-message) otherwise. */
export function decodeMessage(frame: RawFrame): AgentMessage {
  let text: string;
  try {
    text = decoder.decode(frame.payload);
  } catch {
    throw new AgentProtocolError('bad-utf8', `The agent ${frame.type} message is not UTF-8`, { type: frame.type });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AgentProtocolError('bad-json', `The agent ${frame.type} message is not JSON: ${(err as Error).message}`, { type: frame.type });
  }
  const parsed = MESSAGE_SCHEMAS[frame.type].safeParse(json);
  if (!parsed.success) throw badMessage(frame.type, parsed.error);
  if (frame.type === 'results') assertAscending(parsed.data as AgentMessages['results']);
  return { type: frame.type, body: parsed.data } as AgentMessage;
}

function badMessage(type: FrameTypeName, error: z.ZodError): AgentProtocolError {
  const issue = error.issues[0];
  const field = issue?.path.join('.') ?? '';
  return new AgentProtocolError('bad-message', `The agent ${type} message is malformed${field ? ` at ${field}` : ''}: ${issue?.message ?? 'invalid'}`, { type, field });
}

function assertAscending(m: AgentMessages['results']): void {
  for (let i = 1; i < m.results.length; i++) {
    if (m.results[i].seq <= m.results[i - 1].seq) {
      throw new AgentProtocolError('bad-message', `The agent results are out of sequence at ${i}: ${m.results[i].seq} after ${m.results[i - 1].seq}`, { type: 'results', field: `results.${i}.seq` });
    }
  }
}

/** What the agent signs to prove it holds its enrolled key, bound to this TLS session. */
export function proofMessage(agentId: string, nonce: string, tlsBinding: Uint8Array): Uint8Array {
  const head = encoder.encode(`fleetdeck-agent-v${AGENT_PROTOCOL_VERSION}\n${agentId}\n${nonce}\n`);
  const out = new Uint8Array(head.length + tlsBinding.length);
  out.set(head);
  out.set(tlsBinding, head.length);
  return out;
}

/** The label of the TLS keying-material export (RFC 8446 section 7.5) both sides bind proofs to. */
export const TLS_BINDING_LABEL = 'EXPORTER-fleetdeck-agent';
export const TLS_BINDING_BYTES = 32;
