// Paris-style traceroute (one fixed flow identifier per pair, so every TTL's probe hashes onto
// the same ECMP path and the hops found are one real path, not a mix): the system traceroute
// (Debian's `traceroute` package, Dmitry Butskoy's) with UDP to one destination port and one
// source port for every TTL:
//   traceroute -n -U --sport=<src> -p <dst> -q 1 -w 1 -m <maxHops> [-s <bind>] <addr>
// (--sport implies -N 1: one probe at a time). Node cannot do this itself: reading the ICMP
// time-exceeded replies needs a raw socket or IP_RECVERR on the UDP socket, and Node offers
// neither. The source port is stable per pair (a hash of the agent id and target id into
// 33434-60999), so the same pair keeps its path between rounds and a changed fingerprint
// means a changed route. The destination port is TRACE_DST_PORT (33434, traceroute's own
// base), where nothing listens, so the target answers port-unreachable (the agents' UDP echo
// port would swallow the probe silently). No traceroute installed: a route result with error
// 'traceroute not installed' and no hops. A run is killed (by pid) past its time bound.
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { RouteResult } from '../../../src-shared/agent-protocol/probe';
import { findExecutable } from './icmp';

export const TRACE_DST_PORT = 33434;
const SPORT_MIN = 33434;
const SPORT_MAX = 60999;

/** The pair's source port: stable for (agent, target), in 33434-60999. */
export function traceSourcePort(agentId: string, targetId: string): number {
  const h = createHash('sha256').update(agentId).update('\0').update(targetId).digest();
  return SPORT_MIN + (h.readUInt32BE(0) % (SPORT_MAX - SPORT_MIN + 1));
}

type Hop = RouteResult['hops'][number];

/** traceroute -n -q 1's hop lines (` 3  10.0.0.1  0.512 ms`, ` 4  *`, ` 5  10.0.0.9  1.2 ms !H`) as hops in TTL order. */
export function parseTraceroute(stdout: string): Hop[] {
  const hops: Hop[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const ttl = Number(m[1]);
    if (ttl < 1 || ttl > 64) continue;
    const rest = m[2].trim();
    const a = /^([0-9A-Fa-f.:]+)\s+([\d.]+)\s*ms/.exec(rest);
    const hop: Hop = a && /[.:]/.test(a[1]) ? { addr: a[1], rttUs: Math.round(Number(a[2]) * 1000) } : { addr: null, rttUs: -1 };
    while (hops.length < ttl - 1) hops.push({ addr: null, rttUs: -1 });
    hops[ttl - 1] = hop;
  }
  return hops.slice(0, 64);
}

export interface TracerouteOptions {
  /** traceroute's path; undefined: looked up on PATH, /usr/bin and /usr/sbin; null: none. */
  readonly traceroute?: string | null;
  readonly spawn?: (cmd: string, args: readonly string[]) => ChildProcess;
}

export interface TraceRequest {
  readonly plan: string;
  readonly target: number;
  readonly addr: string;
  readonly srcPort: number;
  readonly maxHops: number;
  readonly bind?: string;
}

export interface Tracer {
  trace(r: TraceRequest): Promise<RouteResult>;
  readonly traceroute: string | null;
  close(): void;
}

export function createTracer(o: TracerouteOptions = {}): Tracer {
  const bin = o.traceroute === undefined ? findExecutable('traceroute') : o.traceroute;
  const spawn = o.spawn ?? ((cmd: string, args: readonly string[]) => nodeSpawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  const children = new Set<ChildProcess>();
  return {
    traceroute: bin,
    trace(r) {
      const base = { kind: 'route', plan: r.plan, target: r.target, srcPort: r.srcPort, dstPort: TRACE_DST_PORT } as const;
      if (bin === null) return Promise.resolve({ ...base, hops: [], reached: false, error: 'traceroute not installed' });
      const args = ['-n', '-U', `--sport=${r.srcPort}`, '-p', String(TRACE_DST_PORT), '-q', '1', '-w', '1', '-m', String(r.maxHops)];
      if (r.bind) args.push('-s', r.bind);
      args.push(r.addr);
      return new Promise<RouteResult>((resolve) => {
        let out = '';
        let err = '';
        let child: ChildProcess;
        try {
          child = spawn(bin, args);
        } catch (e) {
          return resolve({ ...base, hops: [], reached: false, error: `traceroute failed: ${(e as Error).message}`.slice(0, 256) });
        }
        children.add(child);
        const killer = setTimeout(() => child.kill('SIGKILL'), r.maxHops * 1500 + 5000);
        child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
        child.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s));
        let done = false;
        const finish = (why: string | null): void => {
          if (done) return;
          done = true;
          clearTimeout(killer);
          children.delete(child);
          const hops = parseTraceroute(out);
          const reached = hops.length > 0 && hops[hops.length - 1].addr === r.addr;
          if (hops.length === 0) resolve({ ...base, hops, reached, error: (why ?? (err.trim().split('\n')[0] || 'traceroute printed no hops')).slice(0, 256) });
          else resolve({ ...base, hops, reached });
        };
        child.on('error', (e) => finish(`traceroute failed: ${e.message}`));
        child.on('close', (code, signal) => finish(signal ? `traceroute killed by ${signal}` : code ? `traceroute exit ${code}: ${err.trim().split('\n')[0] ?? ''}` : null));
      });
    },
    close() {
      for (const c of children) c.kill('SIGKILL');
    },
  };
}
