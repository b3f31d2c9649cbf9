// The agent's host metrics (src-daemons/agent/collect/metrics.ts) against a fixture proc tree
// in a temp dir: CPU idle from /proc/stat deltas (since boot first, guest time not counted
// twice), load, memory (MemAvailable, and the pre-3.14 fallback), the mount table's real
// filesystems with their statfs figures (pseudo, network and duplicate mounts left out, octal
// escapes decoded), network counters; every sample valid for the protocol's schema. And one
// smoke test against this machine's real /proc.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsResult } from '../../../../../src-shared/agent-protocol/messages';
import { createMetricsCollector, realMounts, type StatfsFigures } from '../../../../../src-daemons/agent/collect/metrics';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function procTree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'agent-proc-'));
  dirs.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:  906366    3324    0    0    0     0          0         0   906366    3324    0    0    0     0       0          0
  eth0: 394806848   10378    7    0    0     0          0         0  1037980    7208    2    0    0     0       0          0
`;
const MOUNTS = `proc /proc proc rw,relatime 0 0
sysfs /sys sysfs rw 0 0
tmpfs /run tmpfs rw 0 0
/dev/sda2 / ext4 rw 0 0
/dev/sda1 /boot vfat rw 0 0
/dev/sda2 /srv/bind ext4 rw 0 0
overlay /var/lib/docker/overlay2/abc/merged overlay rw 0 0
server:/export /mnt/nfs nfs4 rw 0 0
/dev/sdb1 /data\\040disk xfs rw 0 0
/dev/sdc1 /old ext4 rw 0 0
/dev/sdd1 /old xfs rw 0 0
/dev/sde1 /zero ext4 rw 0 0
/dev/sdf1 /broken ext4 rw 0 0
`;
const FIGURES: Record<string, StatfsFigures> = {
  '/': { bsize: 4096, blocks: 1000, bfree: 250 },
  '/boot': { bsize: 1024, blocks: 500, bfree: 500 },
  '/data disk': { bsize: 4096, blocks: 10, bfree: 4 },
  '/old': { bsize: 512, blocks: 8, bfree: 2 },
  '/zero': { bsize: 4096, blocks: 0, bfree: 0 },
};
const statfs = async (p: string): Promise<StatfsFigures> => {
  const f = FIGURES[p];
  if (!f) throw Object.assign(new Error(`statfs ${p}`), { code: 'EIO' });
  return f;
};

describe('metrics collector on a fixture /proc', () => {
  it('reads CPU idle since boot, then over the interval between samples, and repeats it when no tick passed', async () => {
    const root = procTree({
      // user nice system idle iowait irq softirq steal guest guest_nice: guest (5000) is inside user already
      stat: 'cpu  100 0 50 800 40 0 10 0 5000 0\ncpu0 50 0 25 400 20 0 5 0 2500 0\nintr 1 2 3\n',
      loadavg: '4.60 1.95 0.85 5/139 13332\n',
      meminfo: 'MemTotal:       24683584 kB\nMemFree:        23431268 kB\nMemAvailable:   23668656 kB\n',
      'net/dev': NET_DEV,
      mounts: MOUNTS,
    });
    const c = createMetricsCollector({ procRoot: root, statfs });
    const first = await c.sample();
    expect(first.cpuIdlePct).toBe(80); // 800 of 1000 ticks since boot
    writeFileSync(path.join(root, 'stat'), 'cpu  200 0 100 900 40 0 10 0 9000 0\n');
    expect((await c.sample()).cpuIdlePct).toBe(40); // +100 idle of +250
    expect((await c.sample()).cpuIdlePct).toBe(40); // no tick passed
    writeFileSync(path.join(root, 'stat'), 'cpu  200 0 100 1200 140 0 10 0 9000 0\n');
    expect((await c.sample()).cpuIdlePct).toBe(75); // iowait counts as not idle: 300 of 400
    expect(metricsResult.parse(first)).toEqual(first);
  });

  it('reports load, memory, networks and real local disks as the protocol expects', async () => {
    const root = procTree({ stat: 'cpu 1 0 1 8 0 0 0 0 0 0\n', loadavg: '4.60 1.95 0.85 5/139 13332\n', meminfo: 'MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 600 kB\n', 'net/dev': NET_DEV, mounts: MOUNTS });
    const m = await createMetricsCollector({ procRoot: root, statfs }).sample();
    expect(m.load).toEqual([4.6, 1.95, 0.85]);
    expect([m.memTotalBytes, m.memFreeBytes]).toEqual([1000 * 1024, 600 * 1024]);
    expect(m.nets).toEqual([
      { iface: 'lo', rxBytes: 906366, rxPackets: 3324, rxErrors: 0, txBytes: 906366, txPackets: 3324, txErrors: 0 },
      { iface: 'eth0', rxBytes: 394806848, rxPackets: 10378, rxErrors: 7, txBytes: 1037980, txPackets: 7208, txErrors: 2 },
    ]);
    expect(m.disks).toEqual([
      { mount: '/', totalBytes: 4096 * 1000, usedBytes: 4096 * 750 },
      { mount: '/boot', totalBytes: 1024 * 500, usedBytes: 0 },
      { mount: '/data disk', totalBytes: 40960, usedBytes: 4096 * 6 },
      { mount: '/old', totalBytes: 4096, usedBytes: 512 * 6 },
    ]);
    expect(metricsResult.parse(m)).toEqual(m);
  });

  it('falls back to MemFree + Buffers + Cached without MemAvailable, and gives zeros and empty lists for missing files', async () => {
    const root = procTree({ meminfo: 'MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 200 kB\n' });
    const m = await createMetricsCollector({ procRoot: root, statfs }).sample();
    expect(m.memFreeBytes).toBe(350 * 1024);
    expect(m).toMatchObject({ cpuIdlePct: 100, load: [0, 0, 0], disks: [], nets: [] });
    expect(metricsResult.parse(m)).toEqual(m);
  });

  it('keeps overlay only as a container root, and a /dev device mounted twice at its shortest mount point', () => {
    const mounts = realMounts('overlay / overlay rw 0 0\n/dev/vda /etc/hosts ext4 rw 0 0\n/dev/vda /etc/resolv.conf ext4 rw 0 0\noverlay /x overlay rw 0 0\nzpool/data /tank zfs rw 0 0\n');
    expect(mounts.map((e) => e.mountPoint)).toEqual(['/', '/etc/hosts', '/tank']);
  });

  it('statfs for real: a fixture mount table pointing at a temp dir reports its filesystem', async () => {
    const root = procTree({});
    writeFileSync(path.join(root, 'mounts'), `/dev/fixture ${root} ext4 rw 0 0\n`);
    const m = await createMetricsCollector({ procRoot: root }).sample();
    expect(m.disks).toHaveLength(1);
    expect(m.disks[0].mount).toBe(root);
    expect(m.disks[0].totalBytes).toBeGreaterThan(0);
    expect(m.disks[0].usedBytes).toBeLessThanOrEqual(m.disks[0].totalBytes);
  });
});

describe('metrics collector on this machine', () => {
  it('samples the real /proc twice: valid figures, loopback among the interfaces, the root filesystem among the disks', async () => {
    const c = createMetricsCollector();
    await c.sample();
    const m = await c.sample();
    expect(metricsResult.parse(m)).toEqual(m);
    expect(m.memTotalBytes).toBeGreaterThan(0);
    expect(m.memFreeBytes).toBeLessThanOrEqual(m.memTotalBytes);
    expect(m.nets.map((n) => n.iface)).toContain('lo');
    expect(m.disks.map((d) => d.mount)).toContain('/');
  });
});
