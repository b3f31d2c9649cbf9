// What every prober of the agent's probe engine shares: a prober takes one target of the plan
// and the engine's context and resolves (never rejects) with the round trip in microseconds
// and an index into PROBE_ERRORS; TCP adds the source port it used, DNS the instance that
// answered, UDP whether the responder's echo came back late (stalled). Kept apart so the
// probers, the scheduler and the tests name one shape.
import { PROBE_ERRORS, type ProbeError, type ProbeTarget } from '../../../src-shared/agent-protocol/probe';

/** An index into PROBE_ERRORS (0: ok). */
export type ProbeErrorIndex = number;

export const ERR: Readonly<Record<ProbeError, ProbeErrorIndex>> = Object.fromEntries(PROBE_ERRORS.map((e, i) => [e, i])) as Record<ProbeError, ProbeErrorIndex>;

export interface ProbeOutcome {
  /** Microseconds from send to answer; -1 when the probe failed. */
  readonly rttUs: number;
  readonly err: ProbeErrorIndex;
  /** TCP: the local (source) port the probe's connection used. */
  readonly srcPort?: number;
  /** DNS: the answering instance's name (id.server TXT, else NSID). */
  readonly instance?: string;
  /**
   * UDP: the answer came back as a late echo (the responder's own loop stalled while it
   * answered), so the round trip is not the network's: the engine sets the sample aside.
   */
  readonly stalled?: boolean;
}

export interface ProbeContext {
  /** A probe still unanswered after this long ends with 'timeout'. */
  readonly timeoutMs: number;
  /** The local address probes leave from (plan.responder.bind), when set. */
  readonly bind?: string;
  /** The agent's own responder ports: the default port of a TCP / UDP target. */
  readonly tcpPort: number;
  readonly udpPort: number;
}

export type Prober = (target: ProbeTarget, ctx: ProbeContext) => Promise<ProbeOutcome>;

export const failed = (err: ProbeErrorIndex, srcPort?: number): ProbeOutcome => (srcPort === undefined ? { rttUs: -1, err } : { rttUs: -1, err, srcPort });

/** Microseconds between two process.hrtime.bigint() readings, as a whole number. */
export const elapsedUs = (t0: bigint, t1 = process.hrtime.bigint()): number => Number((t1 - t0) / 1000n);

/** Where a target's traffic goes: 'udp6' for an IPv6 address, else 'udp4'. */
export const familyOf = (addr: string): 'udp4' | 'udp6' => (addr.includes(':') ? 'udp6' : 'udp4');
