// The agent's cgroup jails on this machine's kernel (root only; v1 here, v2 where the unified
// hierarchy is mounted): a busy loop jailed at 40 % of a core (the seed's formula) uses 0.40
// +- 0.05 of a core over 5 s, read from /proc/<pid>/stat; a process that allocates past a
// 64 MiB limit is OOM-killed by the kernel and the jail counts the kill. In the quiet suite:
// another test's load would not change the quota, but it could starve the loop below it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CgroupJail, detectCgroup } from '../../../src-daemons/agent/hive/cgroup';
import { sleep, until } from '../../support/handles';

const root = process.getuid?.() === 0;
const version = detectCgroup();
const can = root && version !== null;
const kids: ChildProcess[] = [];
const jails: CgroupJail[] = [];
afterEach(async () => {
  // A throttled process takes up to the rest of its period (0.6 s of 1 s at 40 %) to run its
  // exit: wait for each to end, then for its jail to be removable.
  await Promise.all(kids.splice(0).map((k) => new Promise<void>((resolve) => {
    if (k.exitCode !== null || k.signalCode !== null) return resolve();
    k.once('exit', () => resolve());
    try { process.kill(k.pid!, 'SIGKILL'); } catch { resolve(); }
  })));
  for (const j of jails.splice(0)) await until(`jail ${j.name} removed`, () => j.remove(), 5000, 100);
});

// The parents the jails were made in go too when nothing else is in them.
afterAll(() => {
  for (const d of ['cpu/fleetdeck', 'memory/fleetdeck', 'fleetdeck']) try { rmdirSync(path.join('/sys/fs/cgroup', d)); } catch { /* absent, or in use */ }
});
const cpuS = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const jail = (name: string, limits: Parameters<typeof CgroupJail.create>[1]): CgroupJail => {
  const j = CgroupJail.create(`${name}-${process.pid}`, limits);
  jails.push(j);
  return j;
};

describe.skipIf(!can)(`cgroup jails on this kernel (v${version ?? '-'})${can ? '' : ' (skipped: needs root and a cgroup hierarchy)'}`, () => {
  it('a busy loop jailed at 40 % of a core uses 0.40 +- 0.05 CPU over 5 s', async () => {
    const j = jail('busy', { cpuShare: 0.4 });
    const k = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    kids.push(k);
    j.add(k.pid!);
    await sleep(500); // past the period it ran in before the move
    const c0 = cpuS(k.pid!);
    const t0 = performance.now();
    await sleep(5000);
    const used = (cpuS(k.pid!) - c0) / ((performance.now() - t0) / 1000);
    console.log(`cgroup v${version}: a busy loop at cpuShare 0.4 used ${used.toFixed(3)} of a core over 5 s`);
    expect(used).toBeGreaterThanOrEqual(0.35);
    expect(used).toBeLessThanOrEqual(0.45);
  }, 20_000);

  it('64 MiB: a process allocating past it is OOM-killed and the kill is counted', async () => {
    const j = jail('oom', { memoryBytes: 64 * 2 ** 20 });
    // It waits for a line on stdin (sent once it is in the jail), then allocates 1 MiB at a time.
    const k = spawn(process.execPath, ['-e', "process.stdin.once('data', () => { const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1)); })"], { stdio: ['pipe', 'ignore', 'ignore'] });
    kids.push(k);
    const exited = new Promise<NodeJS.Signals | null>((r) => k.on('exit', (_c, sig) => r(sig)));
    j.add(k.pid!);
    expect(j.oomKills()).toBe(0);
    k.stdin!.write('go\n');
    expect(await exited).toBe('SIGKILL');
    await until('the jail counts the OOM kill', () => j.oomKills() >= 1, 5000);
    console.log(`cgroup v${version}: 64 MiB limit, OOM kills counted ${j.oomKills()}`);
  }, 20_000);
});
