// The agent's cgroup jails (src-daemons/agent/hive/cgroup.ts) on fake cgroupfs trees (temp
// directories laid out as the kernel's): the v2 path (cpu.max, memory.max, the controllers
// enabled down the tree, memory.events' oom_kill) and the v1 files; the seed's quota formula;
// names and limits refused. The real kernel is the quiet suite's (test/integration/agent/cgroups.test.ts).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CgroupJail, cpuQuotaUs, detectCgroup } from '../../../../../src-daemons/agent/hive/cgroup';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});
const fake = (v: 1 | 2): string => {
  const root = mkdtempSync(path.join(tmpdir(), `fd-cgroup-v${v}-`));
  roots.push(root);
  if (v === 2) {
    writeFileSync(path.join(root, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
    writeFileSync(path.join(root, 'cgroup.subtree_control'), '');
  } else {
    mkdirSync(path.join(root, 'cpu'));
    mkdirSync(path.join(root, 'memory'));
  }
  return root;
};
const read = (...p: string[]): string => readFileSync(path.join(...p), 'utf8');

describe('cgroup jails', () => {
  it("the seed's quota: 1,000,000 x 40 % x cores", () => {
    expect(cpuQuotaUs(0.4)).toBe(400_000);
    expect(cpuQuotaUs(0.4, 8)).toBe(3_200_000);
  });

  it('v2: cpu.max and memory.max written, controllers enabled down the tree, the pid added, OOM kills read from memory.events', () => {
    const root = fake(2);
    expect(detectCgroup(root)).toBe(2);
    const jail = CgroupJail.create('logic-1', { cpuShare: 0.4, cores: 2, memoryBytes: 64 * 2 ** 20 }, root);
    const dir = path.join(root, 'fleetdeck', 'logic-1');
    expect(jail.dirs).toEqual([dir]);
    expect(read(dir, 'cpu.max')).toBe('800000 1000000');
    expect(read(dir, 'memory.max')).toBe(String(64 * 2 ** 20));
    expect(read(root, 'cgroup.subtree_control')).toBe('+cpu +memory');
    expect(read(root, 'fleetdeck', 'cgroup.subtree_control')).toBe('+cpu +memory');
    jail.add(4242);
    expect(read(dir, 'cgroup.procs')).toBe('4242');
    expect(jail.oomKills()).toBe(0);
    writeFileSync(path.join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 7\noom 2\noom_kill 2\n');
    expect(jail.oomKills()).toBe(2);
  });

  it('v1: a cpu and a memory directory with the quota over a 1 s period and the limit; OOM kills from memory.oom_control', () => {
    const root = fake(1);
    expect(detectCgroup(root)).toBe(1);
    const jail = CgroupJail.create('logic-2', { cpuShare: 0.4, memoryBytes: 1 << 26 }, root);
    const [cpu, mem] = jail.dirs;
    expect(cpu).toBe(path.join(root, 'cpu', 'fleetdeck', 'logic-2'));
    expect(read(cpu, 'cpu.cfs_period_us')).toBe('1000000');
    expect(read(cpu, 'cpu.cfs_quota_us')).toBe('400000');
    expect(read(mem, 'memory.limit_in_bytes')).toBe(String(1 << 26));
    writeFileSync(path.join(mem, 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n');
    expect(jail.oomKills()).toBe(1);
  });

  it('refuses a bad name, a bad limit, and a root with no cgroup hierarchy, saying which', () => {
    const root = fake(2);
    expect(() => CgroupJail.create('../escape', {}, root)).toThrow(/not a jail name/);
    expect(() => CgroupJail.create('a', { cpuShare: 0 }, root)).toThrow(/CPU share must be > 0/);
    expect(() => CgroupJail.create('a', { memoryBytes: 10 }, root)).toThrow(/at least 4096 bytes/);
    const empty = mkdtempSync(path.join(tmpdir(), 'fd-cgroup-none-'));
    roots.push(empty);
    expect(detectCgroup(empty)).toBeNull();
    expect(() => CgroupJail.create('a', {}, empty)).toThrow(/no cgroup v1 \(cpu, memory\) or v2 hierarchy/);
  });
});
