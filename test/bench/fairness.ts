// Fairness benchmark: a second client's fleet.overview latency (p50/p99, every 100 ms) while a
// first client pipelines 10,000 calls, against serve with the 3,000-device lab, with the
// per-connection call budget and without it (--no-call-budget). Prints; asserts nothing.
// Usage: npm run build && npm run bench:fairness -- [--calls 10000]
import { parseArgs } from 'node:util';
import { flood, percentile } from '../integration/serve/fixtures/flood-client';
import { sleep, until } from '../support/handles';
import { startServe } from '../support/serve-process';
import { connect } from '../support/ws-client';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '10000' } } });
const calls = Number(values.calls);

async function run(budget: boolean): Promise<string> {
  const serve = await startServe(['--poll-interval-ms', '5000', '--lab-prefix', '127.58', ...(budget ? [] : ['--no-call-budget'])]);
  try {
    const viewer = await connect(serve.url, serve.tokens.viewer);
    await until('the first poll sweep', async () => {
      const s = await viewer.call('fleet.pollerStats', undefined);
      return s.targets > 0 && s.pollsCompleted + s.pollsFailed >= s.targets;
    }, 60_000, 250);
    const quiet: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await viewer.call('fleet.overview', undefined);
      quiet.push(performance.now() - t);
      await sleep(100);
    }
    const seen = viewer.events.length;
    const f = flood(serve.url, serve.tokens.viewer, calls);
    await f.started;
    let finished = false;
    void f.done.then(() => (finished = true));
    const lat: number[] = [];
    const t0 = Date.now();
    while (!finished || Date.now() - t0 < 3000) {
      const t = performance.now();
      await viewer.call('fleet.overview', undefined);
      lat.push(performance.now() - t);
      await sleep(100);
    }
    const tally = await f.done;
    await sleep(5000);
    const changes = viewer.events.slice(seen).filter((e) => e.event === 'onDidChangeDeviceStatus').reduce((n, e) => n + (e.payload as unknown[]).length, 0);
    await viewer.close();
    return (
      `${budget ? 'with budget   ' : 'without budget'}: quiet p50 ${percentile(quiet, 50).toFixed(1)} / p99 ${percentile(quiet, 99).toFixed(1)} ms; ` +
      `under ${calls} pipelined calls p50 ${percentile(lat, 50).toFixed(1)} / p99 ${percentile(lat, 99).toFixed(1)} ms (${lat.length} calls); ` +
      `flooder ${tally.ok} ok, ${tally.rateLimited} RATE_LIMITED, drained in ${tally.ms} ms; device status changes ${changes}`
    );
  } finally {
    await serve.stop();
  }
}

console.log('goal (issue 8): second client p99 < 50 ms under the flood, 0 status changes; before the budget: drained in 27.6 s, calls up to 5 s late, 668 devices falsely degraded');
console.log(await run(true));
console.log(await run(false));
