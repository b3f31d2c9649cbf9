// The probe matrix's benchmarks (issue 14), printed in one run, each figure beside the goal the
// issue names (never asserted), one after another so they do not share the cores:
//  1. ingest of probe results (agents-ingest.ts with kind 'probe', agents-loadgen.ts): 1,000
//     agent identities of a lab inventory's servers (the real link code, their own keys) upload
//     rounds of 2,000 probe samples over TLS 1.3 to one console in this process, whose agents
//     capability stores them (agent_result_chunks) and whose probes capability reads them
//     against each agent's plan into the minute aggregator; goal >= 200 k results/s
//     (1,000 agents x 2,000 peers / 10 s), a result being one probe sample;
//  2. the agent at 2,000 peers every 10 s (agent-probes.ts: the bundled agent.js, its CPU and RSS
//     from /proc), against its caps (5 %, 128 MiB);
//  3. the matrix repaint for 1,000 x 1,000 cells in headless Chromium (matrix-repaint.ts), goal
//     <= 100 ms from new data to pixels, draw calls flat;
//  4. the fault localiser on the lab topology (probe-localise.ts): top-1 accuracy over 20 seeded
//     random faults (goal >= 95 %), false alarms on healthy windows (goal <= 1 %).
// Usage: node --import tsx test/bench/probes.ts [--only ingest,agent,repaint,localise] [--agents 1000] [--ingest-window 20]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROBE_SAMPLES_PER_RESULT, runIngest, type IngestFigures } from './agents-ingest';
import { row } from './agents-proc';

const { values } = parseArgs({ options: { only: { type: 'string', default: 'ingest,agent,repaint,localise' }, agents: { type: 'string', default: '1000' }, 'ingest-window': { type: 'string', default: '20' } } });
const parts = new Set(values.only.split(','));
const here = path.dirname(fileURLToPath(import.meta.url));
const started = performance.now();
const load0 = os.loadavg();
const log = (l: string) => console.log(`  ${l}`);
const k = (n: number) => `${(n / 1000).toFixed(1)} k/s`;

/** Runs one of the other benches as a child (its own process: its figures are its own), echoing its output. */
function child(file: string, args: string[] = []): Promise<string> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(here, file), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      process.stdout.write(d);
    });
    p.once('exit', () => resolve(out));
  });
}

let ingest: IngestFigures | null = null;
const outputs: Record<string, string> = {};
const dir = mkdtempSync(path.join(os.tmpdir(), 'fd-bench-probes-'));
try {
  if (parts.has('ingest')) {
    console.log('1. ingest of probe results');
    ingest = await runIngest({ dir, agents: Number(values.agents), kind: 'probe', warmupS: 5, windowS: Number(values['ingest-window']), log });
  }
  if (parts.has('agent')) {
    console.log('\n2. the agent at 2,000 peers every 10 s');
    outputs.agent = await child('agent-probes.ts');
  }
  if (parts.has('repaint')) {
    console.log('\n3. matrix repaint in headless Chromium');
    outputs.repaint = await child('matrix-repaint.ts');
  }
  if (parts.has('localise')) {
    console.log('\n4. fault localisation on the lab topology');
    outputs.localise = await child('probe-localise.ts');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pick = (text: string | undefined, re: RegExp): string => (text ? re.exec(text)?.[0] ?? 'see above' : 'not run');
console.log(`\nprobe matrix benchmark (issue 14), ${os.cpus().length} cores shared by every process below; load average at the start ${load0.map((x) => x.toFixed(2)).join(' ')}, at the end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
if (ingest) {
  const f = ingest;
  console.log(`ingest: ${f.live} of ${f.agents} identities live, rounds of ${PROBE_SAMPLES_PER_RESULT} samples, ${f.windowS.toFixed(1)} s window after a ${f.warmS.toFixed(0)} s warm-up; other processes used ${f.othersCpuPct.toFixed(0)} % of a core`);
  row('  probe samples into the minute aggregator per second', k(f.samplesPerS), `goal >= 200 k/s${f.samplesPerS < 200_000 ? `: ${((1 - f.samplesPerS / 200_000) * 100).toFixed(0)} % short` : ': met'}`);
  row('  probe results (rounds) committed per second', f.storedPerS.toFixed(1), `x ${PROBE_SAMPLES_PER_RESULT} samples each = ${k(f.storedPerS * PROBE_SAMPLES_PER_RESULT)}`);
  row('  console CPU, % of one core / RSS mean, max MiB', `${f.consoleCpuPct.toFixed(0)} % / ${f.consoleRssMeanMib.toFixed(0)}, ${f.consoleRssMaxMib.toFixed(0)}`, f.consoleCpuPct > 85 ? '(saturated: the bound)' : '');
  const usPer = (f.consoleCpuPct / 100) * 1e6 / Math.max(1, f.samplesPerS);
  row('  console CPU per sample / the rate one whole core would give', `${(usPer * 1000).toFixed(0)} ns / ${k(1e6 / usPer)}`, 'DERIVED, not measured: the generator shares the cores');
  row('  load generator CPU', `${f.loadgenCpuPct.toFixed(0)} %`);
}
row('agent CPU at 2,000 peers / 10 s', pick(outputs.agent, /agent CPU [\d.]+ %/), 'goal < 5 % (its cap)');
row('agent RSS', pick(outputs.agent, /RSS mean [\d.]+ MiB, max [\d.]+ MiB/), 'goal < 128 MiB (its cap)');
row('matrix repaint 1,000 x 1,000: cells, tiles, first draw, update p50/p95, ...', pick(outputs.repaint, /^\s*1000000\s.*$/m), 'goal <= 100 ms new data -> pixels');
row('localisation top-1 accuracy', pick(outputs.localise, /top-1 accuracy: .*$/m), 'goal >= 95 %');
row('localisation false alarms', pick(outputs.localise, /false alarms: .*$/m), 'goal <= 1 %');
console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
