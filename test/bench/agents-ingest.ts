// The ingest part of test/bench/agents.ts: 1,000 agent identities connected to one console
// over real TLS 1.3, results committed into the store per second. The console runs in this
// process, as the core runs it: a file store (SQLite, WAL) opened by openCoreStore and the
// agents capability (startAgents: its identity, the agent server, group-committed ingest into
// agent_result_chunks, acknowledgements after commit). Each identity gets its own Ed25519 key,
// enrolled in the store like the deploy's enrol step does. The identities run in a separate
// load generator child (agents-loadgen.ts: the real link code), so the figures of this process
// are the console's alone; both share this machine's cores, which the output says.
// The rate is measured over a steady window after every identity is live and a warm-up has
// passed: results the store committed (ingest totals, checked against agent_result_chunks at the
// end), transactions, this process's CPU and RSS, and the generator's CPU.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAgents } from '../../src-main/core/agents/agents-capability';
import { EventHub } from '../../src-main/core/events/event-hub';
import { openCoreStore } from '../../src-main/core/store/core-store';
import { startProbes, type ProbesCapability } from '../../src-main/core/probes/probes-capability';
import { generateLab } from '../../src-main/lab/generator';
import { cpuSeconds, machineBusySeconds, rssMib } from './agents-proc';
import type { LoadSpec } from './agents-loadgen';

export interface IngestFigures {
  readonly kind: 'status' | 'metrics' | 'probe';
  readonly agents: number;
  /** Probe runs: samples per probe result (one round over the plan), and samples aggregated per s. */
  readonly samplesPerResult: number;
  readonly samplesPerS: number;
  readonly live: number;
  readonly windowS: number;
  readonly storedPerS: number;
  readonly commitsPerS: number;
  readonly resultsPerCommit: number;
  readonly consoleCpuPct: number;
  readonly consoleRssMeanMib: number;
  readonly consoleRssMaxMib: number;
  readonly loadgenCpuPct: number;
  readonly loadgenRssMib: number;
  /** The rest of the machine (other processes) over the window, % of one core. */
  readonly othersCpuPct: number;
  readonly ackedPerS: number;
  readonly storeRows: number;
  readonly storeChunks: number;
  readonly storedTotal: number;
  readonly bytesPerRow: number;
  readonly connectS: number;
  readonly cores: number;
  /** The warm-up before the window, s. */
  readonly warmS: number;
}

const LOADGEN = fileURLToPath(new URL('./agents-loadgen.ts', import.meta.url));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Probe rounds: 2,000 peers each (Pingmesh's per-server figure); the plan's targets repeat to fill it. */
export const PROBE_SAMPLES_PER_RESULT = 2000;

export async function runIngest(o: { dir: string; agents: number; kind: 'status' | 'metrics' | 'probe'; warmupS: number; windowS: number; log: (l: string) => void }): Promise<IngestFigures> {
  const store = openCoreStore({ storePath: path.join(o.dir, `ingest-${o.kind}.sqlite`), secretKey: randomBytes(32) });
  const hub = new EventHub();
  const cap = await startAgents({ store, hub, config: { listen: { host: '127.0.0.1', port: 0 } } });
  const proc = { child: null as ReturnType<typeof spawn> | null };
  let stopped: Promise<void> | null = null;
  // The last sockets' close events reach the capability (which audits refusals) before the store closes.
  let probes: ProbesCapability | null = null;
  const stopConsole = () => (stopped ??= (probes?.dispose() ?? Promise.resolve()).then(() => cap.dispose()).then(() => sleep(200)));
  try {
    // Probe runs: the identities are the agents of a lab inventory's servers, and the probes
    // capability (pinglists, ingest into the minute aggregator, minute rows) runs as in the core.
    const servers: string[] = [];
    if (o.kind === 'probe') {
      const cabinetsPerRow = Math.max(1, Math.min(10, Math.round(o.agents / 100)));
      const doc = generateLab(1, { sites: 2, roomsPerSite: 2, rowsPerRoom: 5, cabinetsPerRow, devices: Math.ceil(o.agents * 1.1) + 20 * cabinetsPerRow * 2 + 20 });
      store.inventory.upsert(doc);
      servers.push(...doc.devices.filter((d) => d.kind === 'server').map((d) => d.id).slice(0, o.agents));
      if (servers.length < o.agents) throw new Error(`the bench lab has ${servers.length} servers, not ${o.agents}`);
    }
    const agents: LoadSpec['agents'][number][] = [];
    for (let i = 0; i < o.agents; i++) {
      const id = `bench-${String(i).padStart(4, '0')}`;
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      cap.enrol(id, publicKey.export({ format: 'der', type: 'spki' }), servers[i] ?? null, 'bench');
      agents.push({ id, keyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() });
    }
    if (o.kind === 'probe') {
      probes = startProbes({ store, agents: cap, hub, record: () => {}, log: o.log });
      agents.forEach((a, i) => {
        const plan = probes!.planFor(servers[i]);
        agents[i] = { ...a, plan: plan?.id, targets: plan?.targets.length };
      });
    }
    const spec: LoadSpec = {
      host: cap.identity.listen!.host, port: cap.identity.listen!.port, fingerprint256: cap.identity.fingerprint256,
      kind: o.kind, perAgent: 1_000_000, agents,
    };
    if (process.env.BENCH_DEBUG) o.log(`ingest: console on ${spec.host}:${spec.port}`);
    const specFile = path.join(o.dir, `loadgen-${o.kind}.json`);
    writeFileSync(specFile, JSON.stringify(spec));

    let last = { live: 0, acked: 0, open: false };
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', LOADGEN, '--spec', specFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    proc.child = child;
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const l of lines) {
        if (!l.startsWith('{')) continue;
        last = JSON.parse(l) as typeof last;
        if (process.env.BENCH_DEBUG) o.log(`loadgen: ${l}`);
      }
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    while (!last.open && performance.now() - t0 < 120_000 && child.exitCode === null) await sleep(100);
    const connectS = (performance.now() - t0) / 1000;
    if (last.live < o.agents) o.log(`ingest: only ${last.live} of ${o.agents} identities live after ${connectS.toFixed(0)} s; measuring anyway`);
    else o.log(`ingest (${o.kind}): ${o.agents} identities live after ${connectS.toFixed(1)} s; warm-up ${o.warmupS} s, window ${o.windowS} s`);
    // Warm-up: at least warmupS, and until acknowledgements flow steadily (three one-second
    // samples in a row with acks, at most 90 s). Large results take the generator tens of
    // seconds to fill 1,000 upload windows, and a window opened before that measures the fill.
    await sleep(o.warmupS * 1000);
    let steady = 0;
    for (let t = 0; steady < 3 && t < 90; t++) {
      const before = last.acked;
      await sleep(1000);
      steady = last.acked > before ? steady + 1 : 0;
    }
    const warmS = (performance.now() - t0) / 1000 - connectS;
    o.log(`ingest (${o.kind}): acknowledgements flowing after a ${warmS.toFixed(0)} s warm-up; measuring ${o.windowS} s`);

    const pid = child.pid!;
    const snap = () => ({ t: performance.now(), ...cap.ingest.totals, samples: probes?.ingest.totals.samples ?? 0, cpu: process.cpuUsage(), gen: cpuSeconds(pid), acked: last.acked, machine: machineBusySeconds() });
    const a = snap();
    const rss: number[] = [];
    const end = a.t + o.windowS * 1000;
    while (performance.now() < end) {
      rss.push(rssMib(process.pid));
      await sleep(Math.min(1000, Math.max(0, end - performance.now())));
    }
    const b = snap();
    const live = last.live;
    const loadgenRssMib = rssMib(pid);
    const s = (b.t - a.t) / 1000;
    const cpu = (b.cpu.user - a.cpu.user + b.cpu.system - a.cpu.system) / 1e6;

    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await stopConsole();
    const { n: storeRows, chunks } = store.db.prepare('SELECT coalesce(sum(n), 0) AS n, count(*) AS chunks FROM agent_result_chunks').get() as { n: number; chunks: number };
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    const pageSize = store.db.pragma('page_size', { simple: true }) as number;
    return {
      kind: o.kind, agents: o.agents, live, windowS: s, connectS,
      storedPerS: (b.stored - a.stored) / s,
      samplesPerResult: o.kind === 'probe' ? PROBE_SAMPLES_PER_RESULT : 1,
      samplesPerS: probes ? (b.samples - a.samples) / s : (b.stored - a.stored) / s,
      commitsPerS: (b.commits - a.commits) / s,
      resultsPerCommit: (b.results - a.results) / Math.max(1, b.commits - a.commits),
      consoleCpuPct: (cpu / s) * 100,
      consoleRssMeanMib: rss.reduce((x, y) => x + y, 0) / rss.length,
      consoleRssMaxMib: Math.max(...rss),
      loadgenCpuPct: ((b.gen - a.gen) / s) * 100,
      othersCpuPct: ((b.machine - a.machine - (b.gen - a.gen) - cpu) / s) * 100,
      loadgenRssMib,
      ackedPerS: (b.acked - a.acked) / s,
      storeRows, storeChunks: chunks, storedTotal: cap.ingest.totals.stored,
      bytesPerRow: (pages * pageSize) / Math.max(1, storeRows),
      cores: os.cpus().length, warmS,
    };
  } finally {
    const c = proc.child;
    if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await stopConsole().catch(() => {});
    store.db.close();
  }
}
