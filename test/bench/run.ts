// FleetDeck foundation benchmark. Prints:
//  1. cold start: serve process spawned -> first overview served -> 3,000 lab devices with >= 99% answering SNMP
//  2. core RSS with the 3,000-device lab after N minutes (default 5; --minutes M)
//  3. SNMP polls/s achieved by the poll loop: at the default 30 s interval, and saturated (interval 1 s)
//  4. the time-series store's projected size after a year for a 2,000-device fleet
// Usage: npm run build && npm run bench -- [--minutes 5] [--lab-loopback aliases|single|auto]
// (--lab-loopback is handed to serve: single puts the whole lab on 127.0.0.1, a port per device;
// test/bench/lab-loopback.ts runs both modes side by side without a build.)
import { parseArgs } from 'node:util';
import { descendants } from '../support/handles';
import { connect } from '../support/ws-client';
import { startServe, type ServeProcess } from '../support/serve-process';
import { projectStoreSize } from './store-size';
import { rssMb } from './rss';

const { values } = parseArgs({ options: {
  minutes: { type: 'string', default: '5' },
  'saturate-seconds': { type: 'string', default: '20' },
  'lab-loopback': { type: 'string' },
} });
const labArgs = values['lab-loopback'] ? ['--lab-loopback', values['lab-loopback']] : [];
const minutes = Number(values.minutes);
const saturateSeconds = Number(values['saturate-seconds']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));



async function coldStart(): Promise<{ serve: ServeProcess; t: Record<string, number> }> {
  const serve = await startServe(labArgs);
  const tReady = Date.now() - serve.startedAt;
  const client = await connect(serve.url, serve.tokens.viewer);
  let tFirst = 0;
  let t99 = 0;
  let last = { devices: 0, answering: 0 };
  while (Date.now() - serve.startedAt < 120_000) {
    const o = await client.call('fleet.overview', undefined);
    if (!tFirst) tFirst = Date.now() - serve.startedAt;
    last = o.totals;
    if (o.totals.devices >= 3000 && o.totals.answering >= 0.99 * o.totals.devices) {
      t99 = Date.now() - serve.startedAt;
      break;
    }
    await sleep(100);
  }
  await client.close();
  return { serve, t: { tReady, tFirst, t99, devices: last.devices, answering: last.answering } };
}

async function pollRate(serve: ServeProcess, seconds: number): Promise<{ rate: number; failed: number; targets: number; intervalMs: number }> {
  const client = await connect(serve.url, serve.tokens.viewer);
  const a = await client.call('fleet.pollerStats', undefined);
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const b = await client.call('fleet.pollerStats', undefined);
  const dt = (Date.now() - t0) / 1000;
  await client.close();
  return {
    rate: (b.pollsCompleted + b.pollsFailed - a.pollsCompleted - a.pollsFailed) / dt,
    failed: b.pollsFailed - a.pollsFailed,
    targets: b.targets,
    intervalMs: b.intervalMs,
  };
}

async function main(): Promise<void> {
  console.log(`FleetDeck foundation benchmark (lab: 2 sites, 6 rooms, 300 cabinets, 3,000 devices; loopback ${values['lab-loopback'] ?? 'auto'})`);
  const { serve, t } = await coldStart();
  console.log(`cold start: serve ready (URL printed) ${t.tReady} ms; first overview served ${t.tFirst} ms; ` +
    `${t.devices} devices with ${t.answering} answering SNMP (>= 99%) at ${t.t99 || 'NOT REACHED'} ms   [target: <= 15000 ms]`);

  const samples: number[] = [];
  const end = Date.now() + minutes * 60_000;
  while (Date.now() < end) {
    samples.push(rssMb(serve.pid));
    await sleep(Math.min(10_000, Math.max(0, end - Date.now())));
  }
  const rate = await pollRate(serve, 20);
  const coreRss = rssMb(serve.pid);
  const labRss = descendants(serve.pid).map(rssMb).reduce((a, b) => a + b, 0);
  console.log(`core RSS after ${minutes} min: ${coreRss.toFixed(0)} MB (max seen ${Math.max(...samples, coreRss).toFixed(0)} MB); lab process RSS ${labRss.toFixed(0)} MB`);
  console.log(`poll loop at the default interval (${rate.intervalMs} ms, ${rate.targets} devices): ${rate.rate.toFixed(1)} polls/s ` +
    `(schedule demands ${(rate.targets / (rate.intervalMs / 1000)).toFixed(1)}/s), ${rate.failed} failed`);
  await serve.stop();

  const fast = await startServe(['--poll-interval-ms', '1000', ...labArgs]);
  await sleep(5000);
  const sat = await pollRate(fast, saturateSeconds);
  console.log(`poll loop saturated (interval 1000 ms demands ${sat.targets}/s): ${sat.rate.toFixed(0)} polls/s achieved, ${sat.failed} failed, over ${saturateSeconds} s`);
  await fast.stop();

  // Every device writes SNMP RTT and in/out rates; PDUs (one per 10 devices in the lab) power too.
  console.log(projectStoreSize(2000, 2000 * 3 + 200, 30_000));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
