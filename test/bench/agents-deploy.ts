// The deploy part of test/bench/agents.ts: a core (createCore) with the embedded lab at its
// default size (3,000 devices: 237 SSH hosts, every tenth server), the lab's hosts running
// real agents once deployed, agent-deploy launched by an operator through workflows.launch and
// agents.upgrade through the agents API, timed from the launch until every host's agent is
// listed healthy with the new version (agents.list). Bytes shipped per host come from the
// upload step's outputs; the core's CPU (this process) and the lab process's CPU over each
// phase say which side bounds it (both SSH ends are on this machine).
// The Node runtime (~121 MB) goes to each host on its first install; shipping it to 200
// in-process hosts takes 15+ minutes here, so by default:
//   A. first install on 200 hosts with a small stand-in runtime (an executable of a few bytes:
//      the lab's hosts read bundles, they do not run the runtime), i.e. everything a first
//      install does but the runtime's bytes;
//   B. agents.upgrade of those 200 hosts to 1.1.0: the runtime kept by checksum, bundle only;
//   C. first install with the real runtime (this node) on 20 other hosts;
//   and a labelled extrapolation of a 200-host first install with the real runtime: A's time
//   plus the runtime's bytes for 200 hosts at C's upload rate.
// With full: A is the first install on 200 hosts with the real runtime, then B; no C.
// The runtime path the core is given is a symlink this file points at the stand-in or at
// node between phases: the release catalogue hashes the runtime again when its size or mtime
// changes (releases.ts), so one core ships either.
import { chmodSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CallContext } from '../../src-shared/api';
import type { Device } from '../../src-shared/domain';
import type { WfRunDetail } from '../../src-shared/domain/workflow';
import { createCore, type Core } from '../../src-main/core/create-core';
import { descendants } from '../support/handles';
import { cpuSeconds, rssMib } from './agents-proc';

const LAB_ENTRY = fileURLToPath(new URL('../../src-main/lab/lab-process.ts', import.meta.url));
const operator: CallContext = { actor: 'oscar-noc', role: 'operator' };
const viewer: CallContext = { actor: 'vera-view', role: 'viewer' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DeployPhase {
  readonly label: string;
  readonly hosts: number;
  readonly healthy: number;
  readonly seconds: number;
  /** Launch to the run's end (its last activate checks come after agents.list shows them healthy). */
  readonly runDoneS: number;
  readonly runState: string;
  readonly firstError: string | null;
  readonly bytesPerHost: number;
  readonly runtimeShipped: number;
  /** First upload start to last upload end, and the bytes over it (all hosts). */
  readonly uploadSpanS: number;
  readonly uploadMBps: number;
  readonly coreCpuPct: number;
  readonly labCpuPct: number;
  readonly coreRssMib: number;
}

export interface DeployFigures {
  readonly full: boolean;
  readonly sshHosts: number;
  readonly labDevices: number;
  readonly labStartS: number;
  readonly runtimeBytes: number;
  readonly standinBytes: number;
  readonly bundleBytes: number;
  readonly phases: readonly DeployPhase[];
  /** A 200-host first install with the real runtime, from A and C (null when measured for real). */
  readonly extrapolatedS: number | null;
}

async function buildRelease(outDir: string, version: string): Promise<number> {
  const build = (await import(pathToFileURL(fileURLToPath(new URL('../../scripts/build-daemons.mjs', import.meta.url))).href)) as {
    buildDaemons(o: { outDir: string; version: string; quiet: boolean }): Promise<Record<string, { bytes: number }>>;
  };
  const out = await build.buildDaemons({ outDir, version, quiet: true });
  return Object.values(out).reduce((n, f) => n + f.bytes, 0);
}

function pointRuntime(link: string, target: string): void {
  try {
    unlinkSync(link);
  } catch {
    // first time
  }
  symlinkSync(target, link);
}

/** The lab process (the core's child running lab-process.ts), or null. */
function labPid(): number | null {
  const cmdline = (pid: number): string => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      return '';
    }
  };
  return descendants(process.pid).find((pid) => cmdline(pid).includes('lab-process')) ?? null;
}

/** Runs one rollout (launched by `launch`) until every host is healthy on `version` or the run ends otherwise. */
async function phase(core: Core, label: string, hosts: readonly Device[], version: string, launch: () => Promise<string>, log: (l: string) => void): Promise<DeployPhase> {
  const lab = labPid();
  const lab0 = lab ? cpuSeconds(lab) : NaN;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const runId = await launch();
  const ids = new Set(hosts.map((d) => d.id));
  let healthy = 0;
  let run: WfRunDetail | null = null;
  let lastLog = t0;
  let endedAt: number | null = null;
  for (;;) {
    const list = await core.api.call(viewer, 'agents.list', undefined);
    healthy = list.filter((a) => a.deviceId && ids.has(a.deviceId) && a.health === 'healthy' && a.version === version).length;
    if (healthy === hosts.length) break;
    run = await core.api.call(viewer, 'workflows.run', { runId });
    if (run.state === 'failed' || run.state === 'paused' || run.state === 'revoked') break;
    // Succeeded: activate saw every host healthy; agents.list gets a minute to agree.
    if (run.state === 'succeeded') endedAt ??= performance.now();
    if ((endedAt !== null && performance.now() - endedAt > 60_000) || performance.now() - t0 > 45 * 60_000) break;
    if (performance.now() - lastLog > 30_000) {
      lastLog = performance.now();
      log(`  ${label}: ${healthy}/${hosts.length} healthy after ${((lastLog - t0) / 1000).toFixed(0)} s`);
    }
    await sleep(500);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const labCpu = lab ? cpuSeconds(lab) - lab0 : NaN;
  // The run ends once activate's last checks have seen what agents.list shows (a minute at most).
  for (let i = 0; i < 120 && (run = await core.api.call(viewer, 'workflows.run', { runId })).state === 'running' && healthy === hosts.length; i++) await sleep(500);
  const runDoneS = (performance.now() - t0) / 1000;
  run = await core.api.call(viewer, 'workflows.run', { runId });
  const uploads = run.tasks.filter((t) => t.stepId === 'upload' && t.outputs);
  const bytes = uploads.reduce((n, t) => n + Number(t.outputs!.bytesShipped ?? 0), 0);
  const starts = uploads.map((t) => t.startedAt ?? Infinity);
  const ends = uploads.map((t) => t.finishedAt ?? 0);
  const uploadSpanS = uploads.length ? (Math.max(...ends) - Math.min(...starts)) / 1000 : 0;
  const failed = run.tasks.find((t) => t.error);
  return {
    label, hosts: hosts.length, healthy, seconds, runDoneS, runState: run.state, firstError: failed ? `${failed.stepId}/${failed.host}: ${failed.error}` : null,
    bytesPerHost: uploads.length ? bytes / uploads.length : 0,
    runtimeShipped: uploads.filter((t) => t.outputs!.runtimeShipped === true).length,
    uploadSpanS, uploadMBps: uploadSpanS > 0 ? bytes / 1e6 / uploadSpanS : 0,
    coreCpuPct: ((cpu.user + cpu.system) / 1e6 / seconds) * 100,
    labCpuPct: (labCpu / seconds) * 100,
    coreRssMib: rssMib(process.pid),
  };
}

export async function runDeploy(o: { dir: string; full: boolean; log: (l: string) => void }): Promise<DeployFigures> {
  const releases = path.join(o.dir, 'releases');
  const bundleBytes = await buildRelease(path.join(releases, '1.0.0'), '1.0.0');
  await buildRelease(path.join(releases, '1.1.0'), '1.1.0');
  const standin = path.join(o.dir, 'standin-node');
  writeFileSync(standin, '#!/bin/sh\n# a stand-in for the Node runtime: lab hosts read the bundles, they do not run this\nexit 0\n');
  chmodSync(standin, 0o755);
  const runtimeLink = path.join(o.dir, 'runtime-node');
  pointRuntime(runtimeLink, o.full ? process.execPath : standin);

  const t0 = performance.now();
  const core = await createCore({
    storePath: path.join(o.dir, 'deploy.sqlite'), secretKey: randomBytes(32), log: () => {},
    lab: { entry: LAB_ENTRY, seed: 1, addressPrefix: '127.55', snmpPort: 16855, loopback: 'aliases' },
    bmcSensors: false, poller: { intervalMs: 600_000 },
    agents: { listen: { host: '127.0.0.1', port: 0 }, bundleDir: path.join(releases, '1.0.0'), releasesDir: releases, runtimePath: runtimeLink },
  });
  try {
    const labStartS = (performance.now() - t0) / 1000;
    const doc = JSON.parse((await core.api.call(viewer, 'inventory.export', { format: 'json' })).text) as { devices: Device[] };
    const ssh = doc.devices.filter((d) => d.kind === 'server' && d.sshCredential).sort((a, b) => a.id.localeCompare(b.id));
    const need = o.full ? 200 : 220;
    if (ssh.length < need) throw new Error(`the lab has ${ssh.length} SSH hosts, this part needs ${need}`);
    o.log(`deploy: lab up with ${doc.devices.length} devices (${ssh.length} SSH hosts) in ${labStartS.toFixed(1)} s`);
    const first = ssh.slice(0, 200);
    const deploy = (hosts: readonly Device[]) => async () => (await core.api.call(operator, 'workflows.launch', { templateId: 'agent-deploy', params: {}, deviceIds: hosts.map((d) => d.id) })).id;
    const phases: DeployPhase[] = [];
    const say = (p: DeployPhase) => o.log(`deploy: ${p.label}: ${p.healthy}/${p.hosts} healthy in ${p.seconds.toFixed(1)} s (run ${p.runState}${p.firstError ? `; ${p.firstError}` : ''})`);

    phases.push(await phase(core, o.full ? 'first install, 200 hosts, real runtime' : 'first install, 200 hosts, stand-in runtime', first, '1.0.0', deploy(first), o.log));
    say(phases[phases.length - 1]);
    phases.push(await phase(core, 'upgrade to 1.1.0, 200 hosts (agents.upgrade)', first, '1.1.0', async () => (await core.api.call(operator, 'agents.upgrade', { agentIds: first.map((d) => d.id), version: '1.1.0' })).runId, o.log));
    say(phases[phases.length - 1]);
    let extrapolatedS: number | null = null;
    if (!o.full) {
      pointRuntime(runtimeLink, process.execPath);
      const other = ssh.slice(200, 220);
      const c = await phase(core, 'first install, 20 other hosts, real runtime', other, '1.0.0', deploy(other), o.log);
      phases.push(c);
      say(c);
      // Transfer-bound model: the runtime's bytes for 200 hosts at C's upload rate, plus what A took (everything else).
      const a = phases[0];
      if (c.uploadMBps > 0) extrapolatedS = a.seconds + (200 * statSync(process.execPath).size) / 1e6 / c.uploadMBps;
    }
    return {
      full: o.full, sshHosts: ssh.length, labDevices: doc.devices.length, labStartS,
      runtimeBytes: statSync(process.execPath).size, standinBytes: statSync(standin).size, bundleBytes, phases, extrapolatedS,
    };
  } finally {
    await core.dispose();
  }
}
