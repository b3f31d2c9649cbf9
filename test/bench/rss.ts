// A process's resident set size in MB, read from /proc/<pid>/status (Linux): the benchmarks'
// memory figure for the console, the lab and serve; NaN once the process is gone.
import { readFileSync } from 'node:fs';

export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
