// The foundation's 3,000-device figures with the lab on its own loopback aliases and on
// 127.0.0.1 only (single mode), side by side in one run. For each mode, through createCore in
// this process (the lab a forked child, run from source through tsx; no build needed):
//  - lab start (generate + every SNMP agent, BMC and SSH host bound) and core ready
//  - cold start to >= 99% and to 100% of the devices answering SNMP (the first full poll round)
//  - poll loop at the default 30 s interval, and saturated (1 s interval), in polls/s
//  - RSS of the core (this process) and of the lab process; sockets the lab bound off 127.0.0.1
// Usage: node --import tsx test/bench/lab-loopback.ts [--modes aliases,single] [--devices 3000] [--seconds 20] [--settle 30]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CallContext } from '../../src-shared/api';
import { createCore, type Core } from '../../src-main/core/create-core';
import { boundSockets, canReadSockets } from '../integration/lab/support/bound-sockets';
import { rssMb } from './rss';

const LAB_ENTRY = fileURLToPath(new URL('../../src-main/lab/lab-process.ts', import.meta.url));
const viewer: CallContext = { actor: 'bench', role: 'viewer' };
const { values } = parseArgs({ options: {
  modes: { type: 'string', default: 'aliases,single' },
  devices: { type: 'string', default: '3000' },
  seconds: { type: 'string', default: '20' },
  settle: { type: 'string', default: '30' },
} });
const modes = values.modes!.split(',') as ('aliases' | 'single')[];
const devices = Number(values.devices);
const seconds = Number(values.seconds);
/** After the first round, the default schedule spreads polls over 30 s: measure once it has. */
const settle = Number(values.settle);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


async function start(mode: 'aliases' | 'single', intervalMs: number | undefined, dir: string): Promise<{ core: Core; lines: string[]; readyMs: number }> {
  const lines: string[] = [];
  const t0 = performance.now();
  const core = await createCore({
    storePath: join(dir, `${mode}-${intervalMs ?? 'default'}.db`),
    secretKey: randomBytes(32),
    lab: { entry: LAB_ENTRY, size: devices === 3000 ? undefined : { sites: 1, roomsPerSite: 1, rowsPerRoom: 3, cabinetsPerRow: 10, devices }, loopback: mode },
    poller: intervalMs ? { intervalMs } : undefined,
    traps: { address: '127.0.0.1', port: 0 },
    log: (l) => lines.push(l),
  });
  return { core, lines, readyMs: performance.now() - t0 };
}

async function pollRate(core: Core, secs: number): Promise<{ rate: number; failed: number; targets: number; intervalMs: number }> {
  const a = await core.api.call(viewer, 'fleet.pollerStats', undefined);
  const t0 = Date.now();
  await sleep(secs * 1000);
  const b = await core.api.call(viewer, 'fleet.pollerStats', undefined);
  const dt = (Date.now() - t0) / 1000;
  return { rate: (b.pollsCompleted + b.pollsFailed - a.pollsCompleted - a.pollsFailed) / dt, failed: b.pollsFailed - a.pollsFailed, targets: b.targets, intervalMs: b.intervalMs };
}

interface Figures {
  labStartMs: number;
  readyMs: number;
  t99: number;
  t100: number;
  answering: string;
  defaultRate: string;
  saturated: string;
  coreRss: number;
  labRss: number;
  offLoopback: string;
}

async function measure(mode: 'aliases' | 'single'): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), `fd-bench-${mode}-`));
  try {
    const t0 = performance.now();
    const { core, lines, readyMs } = await start(mode, undefined, dir);
    const labLine = /lab fleet up: \d+ devices in (\d+) ms \(pid (\d+)\)/.exec(lines.join('\n'));
    const labPid = Number(labLine?.[2]);
    let t99 = NaN;
    let t100 = NaN;
    let last = { devices: 0, answering: 0 };
    while (performance.now() - t0 < 60_000 && Number.isNaN(t100)) {
      last = (await core.api.call(viewer, 'fleet.overview', undefined)).totals;
      const now = performance.now() - t0;
      if (Number.isNaN(t99) && last.devices >= devices && last.answering >= 0.99 * last.devices) t99 = now;
      if (last.devices >= devices && last.answering === last.devices) t100 = now;
      else await sleep(100);
    }
    const sockets = canReadSockets && labPid ? boundSockets(labPid) : [];
    const off = sockets.filter((s) => !s.address.startsWith('127.'));
    const elsewhere = sockets.filter((s) => s.address !== '127.0.0.1');
    await sleep(settle * 1000);
    const rate = await pollRate(core, seconds);
    const f: Figures = {
      labStartMs: Number(labLine?.[1]),
      readyMs,
      t99,
      t100,
      answering: `${last.answering}/${last.devices}`,
      defaultRate: `${rate.rate.toFixed(1)}/s of ${(rate.targets / (rate.intervalMs / 1000)).toFixed(1)}/s, ${rate.failed} failed`,
      saturated: '',
      coreRss: rssMb(process.pid),
      labRss: rssMb(labPid),
      offLoopback: canReadSockets ? `${sockets.length} bound, ${elsewhere.length} off 127.0.0.1, ${off.length} off 127/8` : 'not readable here',
    };
    await core.dispose();

    const fast = await start(mode, 1000, dir);
    await sleep(5000);
    const sat = await pollRate(fast.core, seconds);
    f.saturated = `${sat.rate.toFixed(0)}/s of ${sat.targets}/s, ${sat.failed} failed`;
    await fast.core.dispose();
    return f;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`FleetDeck lab loopback benchmark: ${devices} devices, modes ${modes.join(' vs ')}, ${seconds} s per rate (one machine, shared cores: noisy)`);
  const results = new Map<string, Figures>();
  for (const mode of modes) {
    results.set(mode, await measure(mode));
    console.log(`${mode}: done`);
  }
  const rows: [string, (f: Figures) => string][] = [
    ['lab start (generate + bind all)', (f) => `${f.labStartMs} ms`],
    ['core ready (createCore resolved)', (f) => `${f.readyMs.toFixed(0)} ms`],
    ['>= 99% answering SNMP', (f) => `${f.t99.toFixed(0)} ms`],
    ['100% answering (first full round)', (f) => `${f.t100.toFixed(0)} ms (${f.answering})`],
    ['poll loop, default 30 s interval', (f) => f.defaultRate],
    ['poll loop saturated (1 s interval)', (f) => f.saturated],
    ['RSS core (bench process) / lab', (f) => `${f.coreRss.toFixed(0)} MB / ${f.labRss.toFixed(0)} MB`],
    ['lab sockets', (f) => f.offLoopback],
  ];
  const width = Math.max(...rows.map(([n]) => n.length));
  console.log(`${''.padEnd(width)}  ${modes.map((m) => m.padEnd(52)).join('')}`);
  for (const [name, cell] of rows) console.log(`${name.padEnd(width)}  ${modes.map((m) => cell(results.get(m)!).padEnd(52)).join('')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
