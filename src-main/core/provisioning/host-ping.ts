// host.ping (seed 000's "host PING check"), a poll step: is the host's OS reachable (or, with
// expect 'down', gone)? ICMP needs a raw socket, so it goes through fping when fping is on
// the PATH; otherwise, and always for a loopback address (the kernel answers ICMP for every
// address of 127.0.0.0/8 whether a lab host is up or not, which proves nothing), a TCP
// connect to the host's SSH port: a host that accepts one is up. `method` forces either.
// Each check sends `count` probes; reachable when any answers; rttMs their mean.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { z } from 'zod';
import { FleetDeckError } from '../../../src-shared/errors';
import { tool } from '../workflows/tool';
import { deviceOf, named, type ProvisioningDeps } from './deps';

export interface ProbeResult {
  readonly sent: number;
  readonly received: number;
  /** Mean of the answered probes, ms; null when none answered. */
  readonly rttMs: number | null;
}

/** fping's path on the PATH, or null. */
export function findFping(path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter).concat(['/usr/sbin', '/usr/bin', '/sbin', '/bin'])) {
    if (!dir) continue;
    const p = join(dir, 'fping');
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** Whether ICMP to this address tells nothing (loopback answers for every address). */
export const isLoopback = (address: string): boolean => /^127\./.test(address) || address === '::1' || address === 'localhost';

/** fping -c's summary line: "127.0.0.1 : xmt/rcv/%loss = 3/3/0%, min/avg/max = 0.02/0.03/0.05". */
export function parseFping(out: string): ProbeResult | null {
  const m = /xmt\/rcv\/%loss = (\d+)\/(\d+)\/\d+%(?:, min\/avg\/max = [\d.]+\/([\d.]+)\/[\d.]+)?/.exec(out);
  if (!m) return null;
  return { sent: Number(m[1]), received: Number(m[2]), rttMs: m[3] !== undefined ? Number(m[3]) : null };
}

export function fpingProbe(fping: string, address: string, count: number, timeoutMs: number, signal: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    execFile(fping, ['-c', String(count), '-t', String(timeoutMs), '-p', '100', '-q', address], { signal, timeout: count * (timeoutMs + 200) + 2000 }, (err, stdout, stderr) => {
      const r = parseFping(`${stderr}\n${stdout}`);
      if (r) return resolve(r);
      reject(new FleetDeckError('UNAVAILABLE', `fping ${address} gave no summary: ${(stderr || (err as Error | null)?.message || 'no output').trim().slice(0, 200)}`, { address }));
    });
  });
}

function tcpOnce(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<number | null> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const s = connect({ host, port, timeout: timeoutMs });
    const end = (rtt: number | null): void => {
      signal.removeEventListener('abort', onAbort);
      s.destroy();
      resolve(rtt);
    };
    const onAbort = (): void => end(null);
    signal.addEventListener('abort', onAbort, { once: true });
    s.once('connect', () => end(performance.now() - t0));
    s.once('timeout', () => end(null));
    s.once('error', () => end(null));
  });
}

export async function tcpProbe(host: string, port: number, count: number, timeoutMs: number, signal: AbortSignal): Promise<ProbeResult> {
  const rtts: number[] = [];
  for (let i = 0; i < count && !signal.aborted; i++) {
    const rtt = await tcpOnce(host, port, timeoutMs, signal);
    if (rtt !== null) rtts.push(rtt);
  }
  return { sent: count, received: rtts.length, rttMs: rtts.length ? Math.round((rtts.reduce((a, b) => a + b, 0) / rtts.length) * 1000) / 1000 : null };
}

const input = z.object({
  deviceId: z.string().min(1),
  /** auto: TCP to the SSH port on loopback, else ICMP through fping when present, else TCP. */
  method: z.enum(['auto', 'icmp', 'tcp']).default('auto'),
  /** TCP: the port to connect to (default the device's SSH port). */
  port: z.number().int().min(1).max(65535).optional(),
  /** up: done when it answers; down: done when it no longer does (server offline). */
  expect: z.enum(['up', 'down']).default('up'),
  count: z.number().int().min(1).max(10).default(3),
  timeoutMs: z.number().int().min(100).max(10_000).default(1000),
});

export function hostPingTool(deps: ProvisioningDeps) {
  let fping: string | null | undefined = deps.fpingPath;
  return tool({
    name: 'host.ping',
    title: 'Host ping check',
    kind: 'poll',
    idempotent: true,
    input,
    output: z.object({
      reachable: z.boolean(),
      rttMs: z.number().nullable(),
      method: z.enum(['icmp', 'tcp']),
      target: z.string(),
      sent: z.number().int(),
      received: z.number().int(),
    }),
    async run(ctx, a) {
      const dev = deviceOf(deps, a.deviceId);
      const address = dev.mgmtIp;
      if (fping === undefined) fping = findFping();
      let method: 'icmp' | 'tcp';
      if (a.method === 'icmp') {
        if (!fping) throw new FleetDeckError('UNAVAILABLE', 'ICMP ping needs fping (apt-get install fping): FleetDeck has no raw socket of its own; use method tcp or auto', { reason: 'no-fping' });
        method = 'icmp';
      } else method = a.method === 'tcp' || isLoopback(address) || !fping ? 'tcp' : 'icmp';
      const port = a.port ?? dev.sshPort;
      const target = method === 'icmp' ? address : `${address}:${port}`;
      if (ctx.check === 0) {
        const why = a.method !== 'auto' ? 'as the step asks' : method === 'icmp' ? 'through fping' : isLoopback(address) ? 'loopback answers ICMP for any address' : 'fping is not installed';
        ctx.log(`probing ${named(dev)} by ${method === 'icmp' ? 'ICMP' : 'TCP connect'} to ${target} (${why}); waiting until it is ${a.expect}`);
      }
      const r = method === 'icmp' ? await fpingProbe(fping!, address, a.count, a.timeoutMs, ctx.signal) : await tcpProbe(address, port, a.count, a.timeoutMs, ctx.signal);
      const reachable = r.received > 0;
      const out = { reachable, rttMs: r.rttMs, method, target, sent: r.sent, received: r.received };
      if (reachable === (a.expect === 'up')) {
        ctx.log(`${named(dev)} is ${reachable ? `up: ${r.received}/${r.sent} answered, ${r.rttMs?.toFixed(2)} ms` : `down: none of ${r.sent} probes answered`}`);
        return { status: 'done' as const, output: out };
      }
      // Said on the first miss and then every 10th, not on each poll.
      if (ctx.check % 10 === 0) ctx.log(`${named(dev)} is still ${reachable ? 'up' : 'down'} (${r.received}/${r.sent} answered); waiting until it is ${a.expect}`, 'warn');
      return { status: 'pending' as const };
    },
  });
}
