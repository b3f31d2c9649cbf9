// Isolation of Hive instances by the agent, where it runs as root (issue 17; seed 002: CPU
// quota cpu.cfs_quota_us = 1,000,000 x 40 % x cores over a 1 s period). One jail per instance
// (or per module on a host), on either cgroup layout:
//   v1  (these machines: one hierarchy per controller) <root>/cpu/fleetdeck/<name> with
//       cpu.cfs_period_us 1000000 and cpu.cfs_quota_us share x cores x 1e6, and
//       <root>/memory/fleetdeck/<name> with memory.limit_in_bytes (and memsw the same where
//       the kernel accounts swap); OOM kills counted by memory.oom_control's oom_kill
//   v2  (the unified hierarchy) <root>/fleetdeck/<name> with cpu.max "quota period" and
//       memory.max, the controllers enabled in the parents' cgroup.subtree_control; OOM kills
//       counted by memory.events's oom_kill
// The root is a parameter so the v2 path is tested on a fake cgroupfs (a temp directory).
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const CPU_PERIOD_US = 1_000_000;

export interface JailLimits {
  /** The share of `cores` cores (the seed's 0.4), or of one core when cores is not given. */
  readonly cpuShare?: number;
  readonly cores?: number;
  readonly memoryBytes?: number;
}

export type CgroupVersion = 1 | 2;

/** Which layout `root` has, or null (no cgroupfs, or neither the cpu nor the memory controller). */
export function detectCgroup(root = '/sys/fs/cgroup'): CgroupVersion | null {
  if (existsSync(path.join(root, 'cgroup.controllers'))) return 2;
  if (existsSync(path.join(root, 'cpu')) && existsSync(path.join(root, 'memory'))) return 1;
  return null;
}

/** The seed's quota in µs per 1 s period: 1,000,000 x share x cores. */
export const cpuQuotaUs = (share: number, cores = 1): number => Math.round(CPU_PERIOD_US * share * cores);

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export class CgroupJail {
  private constructor(
    readonly version: CgroupVersion,
    readonly name: string,
    /** The jail's directories: v1 cpu and memory, v2 one. */
    readonly dirs: readonly string[],
    private readonly memDir: string,
  ) {}

  /** Makes the jail and writes its limits; throws with the file that refused. */
  static create(name: string, limits: JailLimits, root = '/sys/fs/cgroup'): CgroupJail {
    if (!NAME.test(name)) throw new Error(`cgroup: ${JSON.stringify(name)} is not a jail name (letters, digits, _ . -)`);
    if (limits.cpuShare !== undefined && !(limits.cpuShare > 0)) throw new Error(`cgroup: a CPU share must be > 0 (got ${limits.cpuShare})`);
    if (limits.memoryBytes !== undefined && !(limits.memoryBytes >= 4096)) throw new Error(`cgroup: a memory limit must be at least 4096 bytes (got ${limits.memoryBytes})`);
    const version = detectCgroup(root);
    if (version === null) throw new Error(`cgroup: no cgroup v1 (cpu, memory) or v2 hierarchy at ${root}`);
    const quota = limits.cpuShare === undefined ? null : cpuQuotaUs(limits.cpuShare, limits.cores ?? 1);
    if (version === 1) {
      const cpu = path.join(root, 'cpu', 'fleetdeck', name);
      const mem = path.join(root, 'memory', 'fleetdeck', name);
      mkdirSync(cpu, { recursive: true });
      mkdirSync(mem, { recursive: true });
      if (quota !== null) {
        write(cpu, 'cpu.cfs_period_us', String(CPU_PERIOD_US));
        write(cpu, 'cpu.cfs_quota_us', String(quota));
      }
      if (limits.memoryBytes !== undefined) {
        write(mem, 'memory.limit_in_bytes', String(limits.memoryBytes));
        if (existsSync(path.join(mem, 'memory.memsw.limit_in_bytes'))) write(mem, 'memory.memsw.limit_in_bytes', String(limits.memoryBytes));
      }
      return new CgroupJail(1, name, [cpu, mem], mem);
    }
    const parent = path.join(root, 'fleetdeck');
    mkdirSync(parent, { recursive: true });
    const wanted = ['cpu', 'memory'].filter((c) => readFileSync(path.join(root, 'cgroup.controllers'), 'utf8').split(/\s+/).includes(c));
    for (const dir of [root, parent]) write(dir, 'cgroup.subtree_control', wanted.map((c) => `+${c}`).join(' '));
    const dir = path.join(parent, name);
    mkdirSync(dir, { recursive: true });
    if (quota !== null) write(dir, 'cpu.max', `${quota} ${CPU_PERIOD_US}`);
    if (limits.memoryBytes !== undefined) write(dir, 'memory.max', String(limits.memoryBytes));
    return new CgroupJail(2, name, [dir], dir);
  }

  /** Moves a process (all its threads) into the jail. */
  add(pid: number): void {
    for (const d of this.dirs) write(d, 'cgroup.procs', String(pid));
  }

  /** OOM kills inside the jail so far. */
  oomKills(): number {
    const file = this.version === 1 ? 'memory.oom_control' : 'memory.events';
    try {
      const m = /^oom_kill (\d+)$/m.exec(readFileSync(path.join(this.memDir, file), 'utf8'));
      return m ? Number(m[1]) : 0;
    } catch {
      return 0;
    }
  }

  /** Removes the jail (its processes must have ended); false when the kernel still holds it. */
  remove(): boolean {
    let ok = true;
    for (const d of this.dirs) {
      try {
        rmdirSync(d);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') ok = false;
      }
    }
    return ok;
  }
}

function write(dir: string, file: string, value: string): void {
  try {
    writeFileSync(path.join(dir, file), value);
  } catch (err) {
    throw new Error(`cgroup: writing ${JSON.stringify(value)} to ${path.join(dir, file)}: ${(err as Error).message}`, { cause: err });
  }
}
