// IPMI power-status sweep of N lab BMC simulators (default 500): FleetDeck's sweep (one
// process, one UDP socket, bounded concurrency) against ipmitool `chassis power status`
// processes run 16 at a time, both with cipher suite 17 and a full login per BMC. The BMCs
// run in a child process, so neither side shares its event loop with them. Prints both
// wall times and the ratio (goal: FleetDeck >= 3x faster), and the BMC process's memory.
// Usage: node --import tsx test/bench/ipmi-sweep.ts [--bmcs 500] [--concurrency 64] [--suite 17]
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sweep } from '../../src-main/core/protocols/ipmi';
import { createBmcFleet } from '../../src-main/lab/bmc';
import { pool } from './pool';
import { rssMb } from './rss';

const { values } = parseArgs({
  options: {
    bmcs: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '64' },
    suite: { type: 'string', default: '17' },
    'ipmitool-parallel': { type: 'string', default: '16' },
    serve: { type: 'boolean', default: false },
  },
});
const COUNT = Number(values.bmcs);
const PORT = 17623;
const CREDS = { username: 'fleetdeck', password: 'lab-bmc-pass' };
/** 127.44.x.y, one address per BMC (the IPMI range's last /16, kept for benchmarks). */
const addressOf = (i: number): string => `127.44.${Math.floor(i / 250)}.${(i % 250) + 1}`;


/** Child mode: serve the BMCs until told to stop. */
async function serveBmcs(): Promise<void> {
  const fleet = createBmcFleet({
    bmcs: Array.from({ length: COUNT }, (_, i) => ({ address: addressOf(i), port: PORT, ...CREDS, seed: i, nominalWatts: 300 + (i % 7) * 50, poweredOn: i % 10 !== 0 })),
  });
  const before = process.memoryUsage().rss;
  const r = await fleet.start();
  process.send?.({ type: 'ready', started: r.started, failed: r.failed.length, rssDeltaMb: (process.memoryUsage().rss - before) / 2 ** 20 });
  process.on('message', async () => {
    await fleet.stop();
    process.exit(0);
  });
}

function ipmitoolStatus(address: string, suite: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    execFile('ipmitool', ['-I', 'lanplus', '-C', suite, '-H', address, '-p', String(PORT), '-U', CREDS.username, '-P', CREDS.password, 'chassis', 'power', 'status'], (err, stdout, stderr) => {
      if (err) reject(new Error(`${address}: ${stderr || err.message}`));
      else resolve(/is on/.test(stdout));
    });
  });
}

async function main(): Promise<void> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve', '--bmcs', String(COUNT)], { execArgv: ['--import', 'tsx'] });
  const ready = await new Promise<{ started: number; failed: number; rssDeltaMb: number }>((resolve) => child.once('message', (m) => resolve(m as never)));
  console.log(`IPMI power-status sweep, ${ready.started} lab BMC simulators (${ready.failed} failed to bind) in a child process; cipher suite ${values.suite}, a full login per BMC`);
  console.log(`BMC process: RSS ${rssMb(child.pid!).toFixed(0)} MB, ${(ready.rssDeltaMb * 1024 / COUNT).toFixed(1)} KB per BMC over the empty process`);
  const targets = Array.from({ length: COUNT }, (_, i) => ({ host: addressOf(i), port: PORT, ...CREDS, cipherSuite: Number(values.suite), keepAliveMs: 0 }));

  // Warm-up (JIT, ARP-free loopback, the BMCs' code paths) on a few BMCs, not timed.
  await sweep(targets.slice(0, 20), (c) => c.chassisStatus(), { concurrency: 8 });

  // FleetDeck at the same 16 in flight as ipmitool, then at its own concurrency.
  const runs: { concurrency: number; ms: number; on: number; failed: string[] }[] = [];
  for (const concurrency of [...new Set([16, Number(values.concurrency)])]) {
    const t0 = performance.now();
    const fd = await sweep(targets, async (c) => (await c.chassisStatus()).powerOn, { concurrency });
    runs.push({ concurrency, ms: performance.now() - t0, on: fd.filter((r) => r.ok && r.value).length, failed: fd.flatMap((r) => (r.ok ? [] : [r.error.message])) });
  }

  const parallel = Number(values['ipmitool-parallel']);
  const t1 = performance.now();
  const tool = await pool(COUNT, parallel, (i) => ipmitoolStatus(addressOf(i), values.suite!).then((on) => ({ ok: true, on }), (err: Error) => ({ ok: false, on: false, err })));
  const ipmitoolMs = performance.now() - t1;
  const toolOn = tool.filter((r) => r.on).length;
  const toolFailed = tool.filter((r) => !r.ok).length;

  for (const r of runs) {
    console.log(`FleetDeck sweep, ${String(r.concurrency).padStart(3)} BMCs in flight:  ${r.ms.toFixed(0).padStart(7)} ms   ${(COUNT / (r.ms / 1000)).toFixed(0).padStart(4)} BMCs/s   ${r.on} on, ${COUNT - r.on - r.failed.length} off, ${r.failed.length} failed`);
    if (r.failed.length) console.log(`  first failure: ${r.failed[0]}`);
    if (r.on !== toolOn) console.log(`  MISMATCH: FleetDeck saw ${r.on} powered on, ipmitool ${toolOn}`);
  }
  console.log(`ipmitool, ${String(parallel).padStart(3)} processes at a time: ${ipmitoolMs.toFixed(0).padStart(7)} ms   ${(COUNT / (ipmitoolMs / 1000)).toFixed(0).padStart(4)} BMCs/s   ${toolOn} on, ${COUNT - toolOn - toolFailed} off, ${toolFailed} failed`);
  for (const r of runs) console.log(`ratio at ${r.concurrency} in flight: FleetDeck is ${(ipmitoolMs / r.ms).toFixed(1)}x faster than ipmitool   [goal: >= 3x]`);

  child.send('stop');
  await new Promise((r) => child.once('exit', r));
}

if (values.serve) void serveBmcs();
else main().catch((err) => {
  console.error(err);
  process.exit(1);
});
