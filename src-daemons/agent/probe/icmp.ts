// The ICMP echo prober, through fping where it is installed (Node has no raw sockets): the
// ICMP targets that come due in one turn of the event loop go out in ONE fping run,
// `fping -C 1 -q -r 0 -t <timeout> -p <timeout> -i 1 [-S <bind>] addr...`, and its stderr lines
// `addr : 0.12` (ms) or `addr : -` (no answer within the timeout) resolve every probe of that
// address. No fping on PATH (/usr/bin, /usr/sbin included): every ICMP sample is 'unsupported'
// and the log says so once. fping failing as a whole (no permission for its socket, ...)
// makes that run's samples 'error', logged once per distinct message. A run that overstays
// its timeout by far is killed (its process, by pid).
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { ProbeTarget } from '../../../src-shared/agent-protocol/probe';
import { ERR, failed, type ProbeContext, type ProbeOutcome } from './types';

export interface IcmpProberOptions {
  /** fping's path; undefined: looked up on PATH, /usr/bin and /usr/sbin; null: none (unsupported). */
  readonly fping?: string | null;
  readonly log?: (line: string) => void;
  readonly spawn?: (cmd: string, args: readonly string[]) => ChildProcess;
}

export interface IcmpProber {
  probe(target: ProbeTarget, ctx: ProbeContext): Promise<ProbeOutcome>;
  /** The fping used (null: none found, every sample 'unsupported'). */
  readonly fping: string | null;
  /** fping runs so far (one per batch). */
  readonly runs: number;
  close(): void;
}

type Resolve = (o: ProbeOutcome) => void;

export function findExecutable(name: string, extra: readonly string[] = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/sbin', '/bin']): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...extra];
  for (const d of dirs) {
    const p = path.join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** fping -C's summary lines (stderr): address -> round trip in us (-1: no answer). Other lines are skipped. */
export function parseFpingCounts(stderr: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of stderr.split('\n')) {
    const m = /^(\S+)\s+:\s+(\S+)/.exec(line.trim());
    if (!m) continue;
    const ms = m[2] === '-' ? NaN : Number(m[2]);
    if (m[2] !== '-' && !Number.isFinite(ms)) continue;
    const us = Number.isFinite(ms) ? Math.round(ms * 1000) : -1;
    if (!out.has(m[1]) || (out.get(m[1])! < 0 && us >= 0)) out.set(m[1], us);
  }
  return out;
}

export function createIcmpProber(o: IcmpProberOptions = {}): IcmpProber {
  const log = o.log ?? (() => {});
  const fping = o.fping === undefined ? findExecutable('fping') : o.fping;
  const spawn = o.spawn ?? ((cmd: string, args: readonly string[]) => nodeSpawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] }));
  let pending = new Map<string, Resolve[]>();
  let batchCtx: ProbeContext | null = null;
  let queued = false;
  let told = false;
  let runs = 0;
  let closed = false;
  const said = new Set<string>();
  const children = new Set<ChildProcess>();

  const run = (): void => {
    queued = false;
    const batch = pending;
    const ctx = batchCtx!;
    pending = new Map();
    batchCtx = null;
    if (batch.size === 0) return;
    runs++;
    const args = ['-C', '1', '-q', '-r', '0', '-t', String(ctx.timeoutMs), '-p', String(ctx.timeoutMs), '-i', '1'];
    if (ctx.bind) args.push('-S', ctx.bind);
    args.push(...batch.keys());
    let stderr = '';
    let done = false;
    const finish = (why: string | null): void => {
      if (done) return;
      done = true;
      if (killer) clearTimeout(killer);
      const rtts = parseFpingCounts(stderr);
      if (rtts.size === 0 && why && !said.has(why)) {
        said.add(why);
        log(`probe: fping failed: ${why}`);
      }
      for (const [addr, waiters] of batch) {
        const us = rtts.get(addr);
        const outcome = us === undefined ? failed(ERR.error) : us < 0 ? failed(ERR.timeout) : { rttUs: us, err: ERR.ok };
        for (const w of waiters) w(outcome);
      }
    };
    let child: ChildProcess;
    let killer: NodeJS.Timeout | undefined = undefined;
    try {
      child = spawn(fping!, args);
    } catch (err) {
      return finish((err as Error).message);
    }
    children.add(child);
    killer = setTimeout(() => child.kill('SIGKILL'), ctx.timeoutMs * 2 + 5000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      if (stderr.length < 1 << 20) stderr += s;
    });
    child.on('error', (err) => finish(err.message));
    child.on('close', (code, signal) => {
      children.delete(child);
      finish(signal ? `killed by ${signal}` : code !== null && code > 1 ? (stderr.trim().split('\n')[0] || `exit code ${code}`) : null);
    });
  };

  return {
    fping,
    get runs() {
      return runs;
    },
    probe(target, ctx) {
      if (closed) return Promise.resolve(failed(ERR.error));
      if (fping === null) {
        if (!told) {
          told = true;
          log('probe: fping is not installed: ICMP probes are reported as unsupported');
        }
        return Promise.resolve(failed(ERR.unsupported));
      }
      return new Promise<ProbeOutcome>((resolve) => {
        const waiters = pending.get(target.addr);
        if (waiters) waiters.push(resolve);
        else pending.set(target.addr, [resolve]);
        batchCtx ??= ctx;
        if (!queued) {
          queued = true;
          setImmediate(run);
        }
      });
    },
    close() {
      closed = true;
      for (const c of children) c.kill('SIGKILL');
    },
  };
}
