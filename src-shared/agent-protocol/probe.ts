// The probe part of the agent protocol: the plan the console sends an agent (its pinglist,
// Pingmesh's three levels plus DNS and public targets, with a per-agent budget and the ports of
// the agents' own responders) and the results an agent uploads (one 'probe' result holds a round
// of samples as parallel columns, so a 2,000-peer round is one result of a few kB rather than
// 2,000 JSON objects; one 'route' result is one traceroute).
//
// The responders every agent runs (so any agent can be a target):
//   TCP  plan.responder.tcpPort: accepts and closes. A probe is a connect() from a new source
//        port each time (ECMP spreads them); its time is the SYN -> SYN-ACK round trip, plus
//        1 s or 3 s when the kernel retransmitted the SYN (Linux's initial RTO is 1 s, the next
//        doubles it): that is how Pingmesh sees a drop (classifyTcp below).
//   UDP  plan.responder.udpPort: echoes every datagram that starts with UDP_ECHO_MAGIC back to
//        its sender unchanged. A probe is MAGIC(4) | nonce(8) | sent-at ms (8, float64 BE);
//        anything else is ignored (never amplified: the reply is never longer than the request).
//        One change: when the responder's own event loop was stalled as it answered (the echo
//        waited in it, so the round trip holds the responder's stall, not the network's), the
//        reply carries UDP_ECHO_LATE_MAGIC instead, same length, and the prober sets the
//        sample aside. A responder ignores late echoes, so two responders never ping-pong.
//   ICMP through fping where it is installed (the agent reports 'unsupported' otherwise).
//   DNS  a CHAOS-class TXT query for id.server (RFC 4892) to the target's address: its latency
//        and the answering instance's name (the TXT string), so an anycast catchment shift is seen.
import { z } from 'zod';

export const PROBE_KINDS = ['tcp', 'udp', 'icmp', 'dns'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** Pingmesh's levels (servers under one ToR; ToR to ToR inside a site; site to site), then DNS and the public network. */
export const PROBE_LEVELS = ['intra-tor', 'inter-tor', 'inter-site', 'dns', 'public'] as const;
export type ProbeLevel = (typeof PROBE_LEVELS)[number];

/** Why a probe failed (the 'err' column); 0 is a success. */
export const PROBE_ERRORS = ['ok', 'timeout', 'refused', 'unreachable', 'error', 'unsupported'] as const;
export type ProbeError = (typeof PROBE_ERRORS)[number];

export const UDP_ECHO_MAGIC = 0x46445031; // "FDP1"
/** A responder's echo sent while its own loop was stalled (the round trip is not the network's). */
export const UDP_ECHO_LATE_MAGIC = 0x46445032; // "FDP2"
export const UDP_ECHO_BYTES = 20;

/** The most targets one plan holds (Pingmesh: 2,000-5,000 peers per server). */
export const MAX_PLAN_TARGETS = 10_000;
/** The most samples one probe result holds. */
export const MAX_PROBE_SAMPLES = 20_000;

const address = z.string().min(2).max(64).regex(/^[0-9A-Fa-f.:]+$/, 'an IPv4 or IPv6 address');
const port = z.number().int().min(1).max(65535);

export const probeTarget = z.object({
  /** What is probed: a device id (a host's agent), a resolver, or a public target ('prov:CN-11:ct'). */
  id: z.string().min(1).max(128),
  addr: address,
  /** TCP / UDP: the port (the responder's, unless the target is something else); DNS: 53 by default. */
  port: port.optional(),
  kind: z.enum(PROBE_KINDS),
  level: z.enum(PROBE_LEVELS),
  /** Between two probes of this target (Pingmesh: >= 10 s per pair). */
  intervalMs: z.number().int().min(10_000).max(3_600_000),
});
export type ProbeTarget = z.infer<typeof probeTarget>;

export const probePlan = z.object({
  /** The plan's version (a hash of its content): results name it, so their target indexes are read against the right list. */
  id: z.string().min(1).max(64),
  targets: z.array(probeTarget).max(MAX_PLAN_TARGETS),
  /** The agent's budget: at most this many probes per second over all targets. */
  maxProbesPerSec: z.number().min(0.1).max(2000),
  /** A probe still unanswered after this long fails with 'timeout' (> 3 s, so two SYN retransmissions are seen). */
  timeoutMs: z.number().int().min(1000).max(30_000),
  /** The agent's own responders, on every agent: where it listens (and where it probes other agents). */
  responder: z.object({ tcpPort: port, udpPort: port, bind: address.optional() }),
  /** Paris-style traceroute (one fixed flow identifier per pair) to these targets (indexes into targets). */
  traceroute: z.object({ targets: z.array(z.number().int().min(0).max(MAX_PLAN_TARGETS - 1)).max(64), intervalMs: z.number().int().min(10_000).max(86_400_000), maxHops: z.number().int().min(1).max(32) }).optional(),
  /** Between two uploads of a round's samples (default 10 s). */
  flushMs: z.number().int().min(1000).max(60_000).optional(),
});
export type ProbePlan = z.infer<typeof probePlan>;

/**
 * A column of integers in [min, max], at most MAX_PROBE_SAMPLES long, checked in one loop: an
 * element schema per number (z.array(z.number().int()...)) cost ~0.4 us each, 2 us per sample
 * over five columns, which alone held ingest under 200 k samples/s.
 */
const column = (min: number, max: number) =>
  z.custom<number[]>((v) => {
    if (!Array.isArray(v) || v.length > MAX_PROBE_SAMPLES) return false;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) return false;
    }
    return true;
  }, `must be an array of at most ${MAX_PROBE_SAMPLES} integers from ${min} to ${max}`);

/**
 * A round of samples, as columns of equal length n: sample i probed plan.targets[target[i]] at
 * (the result's at + offsetMs[i]), took rttUs[i] (-1 when it failed) and ended with err[i]
 * (PROBE_ERRORS index). DNS samples also name the instance that answered: instance[i] is an
 * index into names (-1: none).
 */
export const probeResult = z
  .object({
    kind: z.literal('probe'),
    plan: z.string().min(1).max(64),
    target: column(0, MAX_PLAN_TARGETS - 1),
    offsetMs: column(0, 3_600_000),
    rttUs: column(-1, 60_000_000),
    err: column(0, PROBE_ERRORS.length - 1),
    /** TCP: the source port each probe used (ECMP spreading is visible). */
    srcPort: column(0, 65535).optional(),
    instance: column(-1, 255).optional(),
    names: z.array(z.string().max(255)).max(256).optional(),
  })
  .refine((r) => {
    const n = r.target.length;
    return r.offsetMs.length === n && r.rttUs.length === n && r.err.length === n && (r.srcPort === undefined || r.srcPort.length === n) && (r.instance === undefined || r.instance.length === n);
  }, 'the columns must have one entry per sample');
export type ProbeResult = z.infer<typeof probeResult>;

/** One hop of a traceroute: the address that answered (null: none within the timeout) and its round trip. */
export const routeHop = z.object({ addr: address.nullable(), rttUs: z.number().int().min(-1).max(60_000_000) });

/** One Paris-style traceroute: every probe of it carried the same flow identifier (srcPort -> dstPort). */
export const routeResult = z.object({
  kind: z.literal('route'),
  plan: z.string().min(1).max(64),
  target: z.number().int().min(0).max(MAX_PLAN_TARGETS - 1),
  srcPort: port,
  dstPort: port,
  hops: z.array(routeHop).max(64),
  /** The target itself answered (the last hop is it). */
  reached: z.boolean(),
  /** Why there is no route (traceroute missing, not permitted, ...), when hops is empty. */
  error: z.string().max(256).optional(),
});
export type RouteResult = z.infer<typeof routeResult>;

/** Linux's initial SYN retransmission timeout and the second (it doubles): 1 s, then 3 s after the first SYN. */
export const SYN_RTO_MS = [1000, 3000] as const;

/**
 * Pingmesh's drop signal on Linux: a TCP connect that took about one SYN retransmission timeout
 * (1 s, one SYN lost) or two (3 s, two lost) saw drops; the number of SYNs lost is returned.
 * "About": from the RTO up to the RTO plus `slackMs` (the path's own round trip on top of it).
 */
export function synDrops(rttUs: number, slackMs = 200): 0 | 1 | 2 {
  const ms = rttUs / 1000;
  if (ms >= SYN_RTO_MS[1] && ms < SYN_RTO_MS[1] + slackMs * 2) return 2;
  if (ms >= SYN_RTO_MS[0] && ms < SYN_RTO_MS[0] + slackMs) return 1;
  return 0;
}

/** A path's fingerprint: its hop addresses in order ('*' where none answered), e.g. for change detection. */
export function routeFingerprint(hops: readonly { addr: string | null }[]): string {
  return hops.map((h) => h.addr ?? '*').join('>');
}

/** The UDP echo probe datagram (see the top of this file); late: a responder's late echo of one. */
export function encodeUdpEcho(nonce: bigint, sentAtMs: number, late = false): Uint8Array {
  const b = new Uint8Array(UDP_ECHO_BYTES);
  const v = new DataView(b.buffer);
  v.setUint32(0, late ? UDP_ECHO_LATE_MAGIC : UDP_ECHO_MAGIC);
  v.setBigUint64(4, nonce);
  v.setFloat64(12, sentAtMs);
  return b;
}

/** An echo probe or a late echo (late: true); null for anything else. */
export function decodeUdpEcho(b: Uint8Array): { nonce: bigint; sentAtMs: number; late: boolean } | null {
  if (b.length !== UDP_ECHO_BYTES) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = v.getUint32(0);
  if (magic !== UDP_ECHO_MAGIC && magic !== UDP_ECHO_LATE_MAGIC) return null;
  return { nonce: v.getBigUint64(4), sentAtMs: v.getFloat64(12), late: magic === UDP_ECHO_LATE_MAGIC };
}

/** Turns an echo probe into its late echo in place (same length): the magic rewritten. */
export function markUdpEchoLate(b: Uint8Array): void {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(0, UDP_ECHO_LATE_MAGIC);
}
