// A process's resources as test/bench/agents.ts reports them, read from /proc (Linux): RSS
// (VmRSS of /proc/<pid>/status) and CPU time (utime + stime of /proc/<pid>/stat, in clock
// ticks of `getconf CLK_TCK`). watchProcess samples RSS every second over a window and gives
// its CPU as a percentage of one core (100 % = one core busy for the whole window).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rssMb } from './rss';

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** VmRSS in MiB (rss.ts reads it), NaN once the process is gone. */
export const rssMib = rssMb;

/** utime + stime in seconds, NaN once the process is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: the fields after it start past its ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK; // fields 14 and 15 of proc(5)
  } catch {
    return NaN;
  }
}

/** CPU seconds the whole machine spent busy so far (all cores; /proc/stat, idle and iowait left out). */
export function machineBusySeconds(): number {
  try {
    const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const n = f.map(Number);
    const total = n.slice(0, 8).reduce((a, b) => a + b, 0); // user nice system idle iowait irq softirq steal
    return (total - n[3] - n[4]) / CLK_TCK;
  } catch {
    return NaN;
  }
}

export interface ProcessFigures {
  readonly seconds: number;
  /** CPU over the window, % of one core. */
  readonly cpuPct: number;
  readonly rssMeanMib: number;
  readonly rssMaxMib: number;
}

/** Samples `pid` over `seconds`: RSS once a second, CPU time at both ends. */
export async function watchProcess(pid: number, seconds: number): Promise<ProcessFigures> {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const rss: number[] = [];
  const end = t0 + seconds * 1000;
  while (performance.now() < end) {
    rss.push(rssMib(pid));
    await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, end - performance.now()))));
  }
  rss.push(rssMib(pid));
  const wall = (performance.now() - t0) / 1000;
  return {
    seconds: wall,
    cpuPct: ((cpuSeconds(pid) - cpu0) / wall) * 100,
    rssMeanMib: rss.reduce((a, b) => a + b, 0) / rss.length,
    rssMaxMib: Math.max(...rss),
  };
}

/** One line of a figures table: what, the value, the goal beside it. */
export function row(what: string, value: string, goal = ''): void {
  console.log(`  ${what.padEnd(58)} ${value.padStart(18)}  ${goal}`);
}
