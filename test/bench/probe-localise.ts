// Probe matrix benchmark (printed, not asserted; issue 14): the fault localiser's accuracy on
// the lab topology (20 seeded random faults it is not told about: ToR, ToR uplink, host link,
// spine; 5-50% loss or +20 ms; each a simulated 5-minute window of the pinglists through the
// network model and the minute aggregator) as top-1 accuracy against the goal (>= 95%), false
// alarms over healthy windows (goal <= 1%), and the aggregator's add() cost per sample over
// 2,000,000 samples (goal: room for 200 k results/s of ingest).
// Usage: node --import tsx test/bench/probe-localise.ts [--seed 14] [--devices 600] [--faults 20] [--healthy 100]
import { parseArgs } from 'node:util';
import { runAccuracy, labSetup } from '../unit/shared/probe/accuracy';
import { createMinuteAggregator } from '../../src-shared/probe';
import { createRng } from '../../src-shared/random';
import type { ProbeTarget } from '../../src-shared/agent-protocol/probe';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '14' }, devices: { type: 'string', default: '600' }, faults: { type: 'string', default: '20' }, healthy: { type: 'string', default: '100' } } });
const seed = Number(values.seed);
const size = { sites: 2, roomsPerSite: 2, rowsPerRoom: 3, cabinetsPerRow: 4, devices: Number(values.devices) };

const lab = labSetup(seed, size);
const t = lab.idx.topology;
console.log(`lab: ${t.hosts.length} servers, ${t.tors.length} ToRs, ${t.rooms.length} rooms, ${t.sites.length} sites (seed ${seed}, ${size.devices} devices)`);

const t0 = performance.now();
const acc = runAccuracy(seed, size, Number(values.faults), Number(values.healthy));
const secs = (performance.now() - t0) / 1000;
for (const c of acc.faults) {
  const what = c.extraDelayUs > 0 ? `+${c.extraDelayUs / 1000} ms` : `${(c.loss * 100).toFixed(1)}% loss`;
  console.log(`  ${c.hit ? 'hit ' : 'MISS'} ${c.componentId} (${what}) -> top suspect ${c.top ?? 'none'}`);
}
for (const a of acc.alarms) console.log(`  false alarm ${a}`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`top-1 accuracy: ${pct(acc.top1)} over ${acc.faults.length} faults (goal >= 95%)`);
console.log(`false alarms: ${pct(acc.falseAlarms)} of ${acc.healthy} healthy windows (goal <= 1%)`);
console.log(`simulated ${acc.samples.toLocaleString('en')} probe samples in ${secs.toFixed(1)} s`);

// add() cost: 2,000,000 samples over the lab's real pairs, spread over two minutes, then a flush.
const N = 2_000_000;
const work: { src: string; target: ProbeTarget }[] = [];
for (const [src, plan] of lab.plans) for (const target of plan.targets) work.push({ src, target });
const rnd = createRng(seed);
const rtt = Int32Array.from({ length: 4096 }, () => Math.round(60 + rnd() * 400 + (rnd() < 0.002 ? 1_000_000 : 0)));
const agg = createMinuteAggregator(lab.idx);
const base = Date.UTC(2025, 0, 2);
for (let i = 0; i < work.length; i++) agg.add(work[i].src, work[i].target, base - 60_000, 100, 0); // intern the pairs first
agg.flush(base);
const a0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) {
  const w = work[i % work.length];
  agg.add(w.src, w.target, base + Math.floor((i / N) * 120_000), rtt[i & 4095], i % 997 === 0 ? 1 : 0);
}
const addNs = Number(process.hrtime.bigint() - a0) / N;
const f0 = process.hrtime.bigint();
const rows = agg.flush(base + 180_000);
const flushMs = Number(process.hrtime.bigint() - f0) / 1e6;
console.log(`aggregator add(): ${addNs.toFixed(0)} ns per sample over ${N.toLocaleString('en')} samples (${work.length.toLocaleString('en')} pairs) = ${Math.round(1e9 / addNs).toLocaleString('en')} samples/s on one core (goal: well under 1 us, room for 200 k results/s)`);
console.log(`aggregator flush(): ${flushMs.toFixed(0)} ms for 2 minutes -> ${rows.length.toLocaleString('en')} rows`);
