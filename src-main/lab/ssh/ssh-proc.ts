// A lab host's generated system files: /proc (loadavg, uptime, meminfo, cpuinfo, version, stat,
// net/dev, mounts, 1/comm, sys/kernel/osrelease) and /etc (os-release, hostname), computed
// from the host's facts and the clock when read, plus the figures statfs would give for its
// filesystems. They are what `cat` shows and what the host's agent (src-main/lab/agents) reads
// through the real collectors, so the console sees the same host either way. Counters (CPU
// ticks, network bytes) only grow while the host is up and start again at a boot; PID 1 is
// `init` (these hosts do not run systemd, so the deploy runs the agent under its supervisor).
import { createRng, hashString } from '../../../src-shared/random';
import type { HostContext } from './ssh-commands';
import { cpuinfo, loadAverages, meminfo, osRelease, type LabHostFacts } from './ssh-host-facts';

/** A generated file's content, computed when read. */
export type Generated = () => string;

const USER_HZ = 100;

interface HostFigures {
  /** Bytes of / and /boot/efi, and the share of / used. */
  rootBytes: number;
  rootUsedShare: number;
  /** Mean received and sent bytes per second on the first NIC. */
  rxRate: number;
  txRate: number;
}

/** Disk and network figures drawn from the host's facts (same host, same figures). */
function figuresOf(f: LabHostFacts): HostFigures {
  const rnd = createRng(hashString(`ssh-proc/${f.memKb}/${f.phase}`));
  return {
    rootBytes: [480, 960, 1920][Math.floor(rnd() * 3)] * 1e9,
    rootUsedShare: 0.08 + rnd() * 0.5,
    rxRate: 2e5 + rnd() * 5e7,
    txRate: 1e5 + rnd() * 3e7,
  };
}

/** The aggregate and per-CPU lines of /proc/stat: ticks since boot split by the host's mean load. */
export function procStat(f: LabHostFacts, uptimeSec: number): string {
  const total = Math.floor(uptimeSec * USER_HZ);
  const busy = Math.min(0.95, f.loadShare);
  const line = (name: string, t: number): string => {
    const user = Math.floor(t * busy * 0.8);
    const system = Math.floor(t * busy * 0.15);
    const iowait = Math.floor(t * 0.005);
    const softirq = Math.floor(t * busy * 0.02);
    const idle = Math.max(0, t - user - system - iowait - softirq);
    return `${name} ${user} 0 ${system} ${idle} ${iowait} 0 ${softirq} 0 0 0`;
  };
  const cpus = Array.from({ length: f.cpus }, (_, i) => line(`cpu${i}`, total));
  return `${[line('cpu ', total * f.cpus).replace('cpu  ', 'cpu  '), ...cpus].join('\n')}\nctxt ${total * 40}\nbtime ${Math.floor(Date.now() / 1000 - uptimeSec)}\nprocesses ${900 + Math.floor(uptimeSec / 60)}\n`;
}

/** /proc/net/dev: lo and two NICs, bytes and packets grown since boot. */
export function netDev(f: LabHostFacts, uptimeSec: number): string {
  const g = figuresOf(f);
  const row = (iface: string, rx: number, tx: number): string => {
    const rxB = Math.floor(rx * uptimeSec);
    const txB = Math.floor(tx * uptimeSec);
    return `${iface.padStart(6)}: ${rxB} ${Math.floor(rxB / 900)} 0 0 0 0 0 ${Math.floor(rxB / 90_000)} ${txB} ${Math.floor(txB / 900)} 0 0 0 0 0 0`;
  };
  return 'Inter-|   Receive                                                |  Transmit\n' +
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n' +
    `${[row('lo', 4000, 4000), row('eno1', g.rxRate, g.txRate), row('eno2', g.rxRate / 20, g.txRate / 20)].join('\n')}\n`;
}

export function mounts(): string {
  return [
    'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0',
    'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
    'udev /dev devtmpfs rw,nosuid,relatime,mode=755 0 0',
    'tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,mode=755 0 0',
    '/dev/nvme0n1p2 / ext4 rw,relatime,errors=remount-ro 0 0',
    '/dev/nvme0n1p1 /boot/efi vfat rw,relatime,fmask=0077,dmask=0077 0 0',
    'tmpfs /tmp tmpfs rw,nosuid,nodev 0 0',
    '',
  ].join('\n');
}

/** What statfs says of a mount point of the host; null for one it does not have. */
export function statfsOf(f: LabHostFacts, mountPoint: string, epochMs: number): { bsize: number; blocks: number; bfree: number } | null {
  const g = figuresOf(f);
  const bsize = 4096;
  if (mountPoint === '/') {
    const blocks = Math.floor(g.rootBytes / bsize);
    const used = g.rootUsedShare + 0.002 * Math.sin(epochMs / 86_400_000 + f.phase);
    return { bsize, blocks, bfree: Math.floor(blocks * (1 - used)) };
  }
  if (mountPoint === '/boot/efi') return { bsize, blocks: 130_812, bfree: 129_000 };
  return null;
}

/** Generated read-only files of a host; null for any other path. */
export function generatedFile(ctx: HostContext, path: string): Generated | null {
  const uptimeSec = (): number => (Date.now() - ctx.bootAt) / 1000;
  switch (path) {
    case '/proc/loadavg':
      return () => {
        const running = 1 + Math.floor(loadAverages(ctx.facts, Date.now())[0] % 7);
        return `${loadAverages(ctx.facts, Date.now()).map((l) => l.toFixed(2)).join(' ')} ${running}/${900 + (ctx.facts.cpus * 7)} ${40_000 + Math.floor(uptimeSec() / 30) % 20_000}\n`;
      };
    case '/proc/uptime':
      return () => `${uptimeSec().toFixed(2)} ${(uptimeSec() * ctx.facts.cpus * 0.8).toFixed(2)}\n`;
    case '/proc/meminfo':
      return () => meminfo(ctx.facts, Date.now());
    case '/proc/cpuinfo':
      return () => cpuinfo(ctx.facts);
    case '/proc/version':
      return () => `Linux version ${ctx.facts.kernel} (buildd@lab) (gcc (GCC) 12.2.0) ${ctx.facts.kernelBuild}\n`;
    case '/proc/sys/kernel/osrelease':
      return () => `${ctx.facts.kernel}\n`;
    case '/proc/stat':
      return () => procStat(ctx.facts, uptimeSec());
    case '/proc/net/dev':
      return () => netDev(ctx.facts, uptimeSec());
    case '/proc/mounts':
    case '/proc/self/mounts':
      return mounts;
    case '/proc/1/comm':
      return () => 'init\n';
    case '/etc/os-release':
      return () => osRelease(ctx.facts);
    case '/etc/hostname':
      return () => `${ctx.hostname}\n`;
    default:
      return null;
  }
}
