// The agent's host metrics, read from procfs (Linux only, no exec): CPU idle % from /proc/stat
// deltas between samples, load from /proc/loadavg, memory from /proc/meminfo, disks from the
// mount table with statfs, and network counters from /proc/net/dev. procRoot, statfs and the
// file reader (readText) are injectable so tests read fixture trees and the lab gives each
// simulated host its own figures.
//
// Choices, so the console can read the figures right:
//  - CPU idle is the `idle` column only (as top's "id", mpstat's %idle and Open-Falcon's
//    cpu.idle): iowait counts as not idle. The total is user..steal; guest time is already
//    inside user/nice and is not added twice. The first sample covers the time since boot;
//    two samples within one clock tick repeat the last figure.
//  - Memory free is MemAvailable (what can be allocated without swapping); kernels before
//    3.14 lack it and get MemFree + Buffers + Cached.
//  - Disks: real filesystems only. Pseudo filesystems are skipped (proc, sysfs, tmpfs,
//    devtmpfs, devpts, cgroup*, squashfs images, overlay except when it is the root "/" of
//    a container, and the rest in PSEUDO_FS), and so are network filesystems (NFS, CIFS,
//    Ceph, ...: a dead server hangs statfs). A mount point mounted twice counts once (the
//    later mount, the one visible); a /dev device mounted at several places (bind mounts)
//    counts once, at its shortest mount point; a filesystem reporting 0 blocks is skipped.
//    Used = blocks - free blocks (df's "Used"; root-reserved blocks count as not used).
//  - Networks: every interface in /proc/net/dev, loopback included, in the kernel's order,
//    at most the protocol's 256.
import { statfs as fsStatfs } from 'node:fs/promises';
import path from 'node:path';
import { count, cut, readText, type ReadText } from './read';
import { LIMITS, type MetricsData } from './types';

export interface StatfsFigures {
  readonly bsize: number;
  readonly blocks: number;
  readonly bfree: number;
}

export interface MetricsCollectorOptions {
  /** Where procfs is mounted (default /proc). */
  readonly procRoot?: string;
  /** The mount table (default <procRoot>/mounts). */
  readonly mountsFile?: string;
  /** Figures of the filesystem holding a path (default fs.statfs). */
  readonly statfs?: (mountPoint: string) => Promise<StatfsFigures>;
  /** Reads a file as text, null when missing (default: the real file; the lab: its host's). */
  readonly readText?: ReadText;
}

export interface MetricsCollector {
  sample(): Promise<MetricsData>;
}

const PSEUDO_FS = new Set([
  'proc', 'sysfs', 'tmpfs', 'devtmpfs', 'devpts', 'cgroup', 'cgroup2', 'securityfs', 'debugfs', 'tracefs', 'pstore',
  'bpf', 'mqueue', 'hugetlbfs', 'autofs', 'configfs', 'fusectl', 'binfmt_misc', 'nsfs', 'ramfs', 'rpc_pipefs',
  'efivarfs', 'selinuxfs', 'squashfs', 'rootfs', 'nfsd', 'overlay', 'aufs', 'fuse.lxcfs', 'fuse.gvfsd-fuse', 'fuse.portal',
]);
const NETWORK_FS = new Set(['nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'ceph', 'fuse.ceph', 'glusterfs', 'fuse.glusterfs', 'fuse.sshfs', 'lustre', 'afs']);

export function createMetricsCollector(opts: MetricsCollectorOptions = {}): MetricsCollector {
  const procRoot = opts.procRoot ?? '/proc';
  const mountsFile = opts.mountsFile ?? path.join(procRoot, 'mounts');
  const statfs = opts.statfs ?? defaultStatfs;
  const read = opts.readText ?? readText;
  let last: { idle: number; total: number } | null = null;
  let lastIdlePct = 100;

  async function cpuIdlePct(): Promise<number> {
    const now = parseCpuLine(await read(path.join(procRoot, 'stat')));
    if (!now) return lastIdlePct;
    const dIdle = last ? now.idle - last.idle : now.idle;
    const dTotal = last ? now.total - last.total : now.total;
    last = now;
    // A counter that went backwards (a fixture swapped, a CPU hot-removed) restarts the baseline.
    if (dTotal > 0 && dIdle >= 0) lastIdlePct = Math.min(100, Math.max(0, (dIdle / dTotal) * 100));
    return lastIdlePct;
  }

  return {
    async sample(): Promise<MetricsData> {
      const [idle, loadText, memText, disks, netText] = await Promise.all([
        cpuIdlePct(),
        read(path.join(procRoot, 'loadavg')),
        read(path.join(procRoot, 'meminfo')),
        readDisks(mountsFile, statfs, read),
        read(path.join(procRoot, 'net', 'dev')),
      ]);
      const mem = parseMeminfo(memText ?? '');
      return {
        kind: 'metrics',
        cpuIdlePct: idle,
        load: parseLoadavg(loadText ?? ''),
        memTotalBytes: mem.total,
        memFreeBytes: mem.free,
        disks,
        nets: parseNetDev(netText ?? ''),
      };
    },
  };
}

async function defaultStatfs(mountPoint: string): Promise<StatfsFigures> {
  const s = await fsStatfs(mountPoint);
  return { bsize: s.bsize, blocks: s.blocks, bfree: s.bfree };
}

/** The aggregate "cpu" line of /proc/stat: idle ticks and total ticks (user..steal). */
export function parseCpuLine(text: string | null): { idle: number; total: number } | null {
  const line = text?.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (f.length < 4 || f.some((n) => !Number.isFinite(n))) return null;
  return { idle: f[3], total: f.reduce((a, b) => a + b, 0) };
}

export function parseLoadavg(text: string): [number, number, number] {
  const f = text.trim().split(/\s+/).slice(0, 3).map(Number);
  const ok = (n: number | undefined) => (n !== undefined && Number.isFinite(n) && n >= 0 ? n : 0);
  return [ok(f[0]), ok(f[1]), ok(f[2])];
}

export function parseMeminfo(text: string): { total: number; free: number } {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)/.exec(line);
    if (m) kb.set(m[1], Number(m[2]));
  }
  const total = kb.get('MemTotal') ?? 0;
  const free = kb.get('MemAvailable') ?? (kb.get('MemFree') ?? 0) + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0);
  return { total: count(total * 1024), free: count(Math.min(free, total) * 1024) };
}

/** /proc/net/dev: two header lines, then `iface: rx bytes packets errs drop fifo frame compressed multicast tx bytes packets errs ...`. */
export function parseNetDev(text: string): MetricsData['nets'] {
  const nets: MetricsData['nets'] = [];
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const iface = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (!iface || f.length < 11) continue;
    nets.push({ iface: cut(iface, LIMITS.name), rxBytes: count(f[0]), rxPackets: count(f[1]), rxErrors: count(f[2]), txBytes: count(f[8]), txPackets: count(f[9]), txErrors: count(f[10]) });
    if (nets.length === LIMITS.nets) break;
  }
  return nets;
}

export interface MountEntry {
  readonly device: string;
  readonly mountPoint: string;
  readonly fsType: string;
}

/** The mount table's real, local filesystems, deduplicated as the header says. */
export function realMounts(text: string): MountEntry[] {
  const byPoint = new Map<string, MountEntry>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3) continue;
    const entry = { device: unescapeMount(f[0]), mountPoint: unescapeMount(f[1]), fsType: f[2] };
    byPoint.delete(entry.mountPoint); // a later mount on the same point hides the earlier one
    byPoint.set(entry.mountPoint, entry);
  }
  const byDevice = new Map<string, MountEntry>();
  const out: MountEntry[] = [];
  for (const e of byPoint.values()) {
    if (NETWORK_FS.has(e.fsType)) continue;
    if (PSEUDO_FS.has(e.fsType) && !(e.fsType === 'overlay' && e.mountPoint === '/')) continue;
    if (e.mountPoint.length > LIMITS.name || !e.mountPoint.startsWith('/')) continue;
    if (e.device.startsWith('/dev/')) {
      const seen = byDevice.get(e.device);
      if (seen && seen.mountPoint.length <= e.mountPoint.length) continue;
      if (seen) out.splice(out.indexOf(seen), 1);
      byDevice.set(e.device, e);
    }
    out.push(e);
  }
  return out;
}

/** The mount table escapes space, tab, newline and backslash as \ooo octal. */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

async function readDisks(mountsFile: string, statfs: (p: string) => Promise<StatfsFigures>, read: ReadText): Promise<MetricsData['disks']> {
  const mounts = realMounts((await read(mountsFile)) ?? '').slice(0, LIMITS.disks);
  const figures = await Promise.all(mounts.map((m) => statfs(m.mountPoint).catch(() => null)));
  const disks: MetricsData['disks'] = [];
  mounts.forEach((m, i) => {
    const s = figures[i];
    if (!s || !(s.blocks > 0)) return;
    const total = count(s.blocks * s.bsize);
    disks.push({ mount: m.mountPoint, totalBytes: total, usedBytes: Math.min(total, count((s.blocks - s.bfree) * s.bsize)) });
  });
  return disks;
}
