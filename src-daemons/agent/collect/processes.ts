// Per-process figures for the processes the console names (Hive's process view, issue 13):
// read from /proc/<pid>/{comm,cmdline,stat,status}, no exec. A name matches a process whose
// comm is that name, or whose argv[0]'s basename is (comm is cut at 15 characters, and a
// program may rename its comm). Per name:
//  - pid: the oldest match (smallest start time), null when none runs;
//  - cpuPct and rssBytes: summed over every match (nginx's workers, postgres's backends: the
//    service as a whole). The CPU is utime+stime ticks (USER_HZ, 100 on Linux) over the
//    interval since the last sample, measured on /proc/uptime so the figure does not depend
//    on when the event loop ran the sample; a process started inside the interval counts all
//    its ticks, and the first sample is each process's average since it started. RSS is
//    VmRSS, so pages shared between matches (postgres's shared buffers) count once per match.
//  - qps and latencyMs from the service's own hook: hooks[name], an http://127.0.0.1:<port>/path
//    (or [::1]) URL, answered with JSON {qps, latencyMs}. Loopback only (the console's config
//    must not turn the agent into a proxy), 1 s for the whole exchange, body capped at 64 KiB;
//    anything else (refused, timeout, not 200, bad JSON, a field missing or not a finite
//    non-negative number) gives null for that field, never a throw. Not asked while the
//    process is not running.
import http from 'node:http';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { count, cut, readText } from './read';
import { LIMITS, type ProcessData } from './types';

export interface ProcessCollectorOptions {
  readonly procRoot?: string;
  /** USER_HZ (default 100). */
  readonly clockTicks?: number;
  /** The hook's deadline (default 1000 ms) and body cap (default 64 KiB). */
  readonly hookTimeoutMs?: number;
  readonly hookMaxBytes?: number;
}

export interface ProcessCollector {
  sample(names: readonly string[], hooks?: Readonly<Record<string, string>>): Promise<ProcessData[]>;
}

interface ProcStat {
  readonly pid: number;
  /** utime + stime, in ticks. */
  readonly ticks: number;
  /** Since boot, in ticks. */
  readonly start: number;
}

export function createProcessCollector(opts: ProcessCollectorOptions = {}): ProcessCollector {
  const procRoot = opts.procRoot ?? '/proc';
  const hz = opts.clockTicks ?? 100;
  const hookTimeoutMs = opts.hookTimeoutMs ?? 1000;
  const hookMaxBytes = opts.hookMaxBytes ?? 64 * 1024;
  /** The previous sample's uptime (ticks) and each seen process's ticks, keyed pid:start (a reused pid is another process). */
  let prevUptime: number | null = null;
  let prevTicks = new Map<string, number>();

  async function sample(names: readonly string[], hooks: Readonly<Record<string, string>> = {}): Promise<ProcessData[]> {
    const wanted = new Set(names);
    const uptime = parseUptimeTicks(await readText(path.join(procRoot, 'uptime')), hz);
    const matches = await findMatches(procRoot, wanted);
    const nextTicks = new Map<string, number>();
    const results = await Promise.all(names.map(async (name): Promise<ProcessData> => {
      const procs = (await Promise.all((matches.get(name) ?? []).map((pid) => readProc(procRoot, pid)))).filter((p) => p !== null);
      if (procs.length === 0) return { kind: 'process', name: cut(name, LIMITS.name), pid: null, cpuPct: 0, rssBytes: 0, qps: null, latencyMs: null };
      let pct = 0;
      let rss = 0;
      for (const p of procs) {
        const key = `${p.stat.pid}:${p.stat.start}`;
        nextTicks.set(key, p.stat.ticks);
        rss += p.rssBytes;
        pct += cpuShare(p.stat, prevTicks.get(key), prevUptime, uptime);
      }
      const oldest = procs.reduce((a, b) => (b.stat.start < a.stat.start || (b.stat.start === a.stat.start && b.stat.pid < a.stat.pid) ? b : a));
      const hook = Object.hasOwn(hooks, name) ? await askHook(hooks[name], hookTimeoutMs, hookMaxBytes) : { qps: null, latencyMs: null };
      return { kind: 'process', name: cut(name, LIMITS.name), pid: oldest.stat.pid, cpuPct: Math.max(0, pct), rssBytes: count(rss), ...hook };
    }));
    if (uptime !== null) {
      prevUptime = uptime;
      prevTicks = nextTicks;
    }
    return results;
  }

  return { sample };
}

/** One process's CPU % over the interval (or since it started, with no earlier reading). */
/** Ticks over ticks: USER_HZ cancels out once uptime is in ticks too. */
function cpuShare(stat: ProcStat, before: number | undefined, prevUptime: number | null, uptime: number | null): number {
  if (uptime === null) return 0;
  if (prevUptime !== null && uptime > prevUptime) {
    const interval = uptime - prevUptime;
    if (before !== undefined) return (Math.max(0, stat.ticks - before) * 100) / interval;
    if (stat.start >= prevUptime) return (stat.ticks * 100) / interval;
  }
  const lived = uptime - stat.start;
  return lived > 0 ? (stat.ticks * 100) / lived : 0;
}

/** /proc/uptime's first figure (seconds since boot), in clock ticks. */
export function parseUptimeTicks(text: string | null, hz: number): number | null {
  const s = Number(text?.trim().split(/\s+/)[0]);
  return Number.isFinite(s) && s > 0 ? s * hz : null;
}

/** For each wanted name, the pids whose comm or argv[0] basename is that name. */
async function findMatches(procRoot: string, wanted: ReadonlySet<string>): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (wanted.size === 0) return out;
  let entries: string[];
  try {
    entries = await readdir(procRoot);
  } catch {
    return out;
  }
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number);
  // A bounded number of reads in flight: a host with thousands of processes must not run the
  // agent out of file descriptors (EMFILE would silently hide processes).
  await eachLimited(pids, 32, async (pid) => {
    const dir = path.join(procRoot, String(pid));
    const comm = (await readText(path.join(dir, 'comm')))?.replace(/\n$/, '');
    let name = comm !== undefined && wanted.has(comm) ? comm : null;
    if (name === null) {
      const argv0 = (await readText(path.join(dir, 'cmdline')))?.split('\0')[0] ?? '';
      const base = argv0 ? path.posix.basename(argv0) : '';
      if (base && wanted.has(base)) name = base;
    }
    if (name !== null) out.set(name, [...(out.get(name) ?? []), pid]);
  });
  return out;
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function readProc(procRoot: string, pid: number): Promise<{ stat: ProcStat; rssBytes: number } | null> {
  const dir = path.join(procRoot, String(pid));
  const [statText, statusText] = await Promise.all([readText(path.join(dir, 'stat')), readText(path.join(dir, 'status'))]);
  const stat = statText === null ? null : parseStat(statText);
  if (!stat) return null; // it exited between the listing and the read
  const rss = /^VmRSS:\s+(\d+)\s*kB/m.exec(statusText ?? '');
  return { stat, rssBytes: rss ? Number(rss[1]) * 1024 : 0 };
}

/** /proc/<pid>/stat: `pid (comm) state ...`; comm may hold spaces and parentheses, so fields count from the last ')'. */
export function parseStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const f = text.slice(close + 2).trim().split(/\s+/);
  // f[0] is field 3 (state): field n is f[n - 3]. utime 14, stime 15, starttime 22.
  const utime = Number(f[11]);
  const stime = Number(f[12]);
  const start = Number(f[19]);
  if (!Number.isInteger(pid) || pid < 1 || ![utime, stime, start].every(Number.isFinite)) return null;
  return { pid, ticks: utime + stime, start };
}

/** GETs a loopback figures hook; null figures on any failure. */
export function askHook(url: string, timeoutMs: number, maxBytes: number): Promise<{ qps: number | null; latencyMs: number | null }> {
  const none = { qps: null, latencyMs: null };
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(none);
  }
  if (target.protocol !== 'http:' || (target.hostname !== '127.0.0.1' && target.hostname !== '[::1]')) return Promise.resolve(none);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (v: { qps: number | null; latencyMs: number | null }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(v);
    };
    const req = http.get(target, { agent: false, headers: { accept: 'application/json' } }, (res) => {
      if (res.statusCode !== 200) return finish(none);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) return finish(none);
        chunks.push(c);
      });
      res.on('end', () => finish(parseFigures(Buffer.concat(chunks).toString('utf8'))));
      res.on('error', () => finish(none));
    });
    req.on('error', () => finish(none));
    const timer = setTimeout(() => finish(none), timeoutMs);
  });
}

function parseFigures(body: string): { qps: number | null; latencyMs: number | null } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { qps: null, latencyMs: null };
  }
  const field = (k: string): number | null => {
    const v = json !== null && typeof json === 'object' ? (json as Record<string, unknown>)[k] : undefined;
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
  };
  return { qps: field('qps'), latencyMs: field('latencyMs') };
}
