// Hive's autoscaler at the seed's scale: 2,428 modules, each with the seed's busy-time rule and
// HPA rules on CPU, QPS and delay, evaluated once a minute for a simulated day (1,440 rounds;
// src-main/core/hive/autoscale.ts, an injected clock). Prints the time per round (all modules)
// beside the minute it has, the share of a core that is, and how many decisions changed a count.
// Run: npm run bench:hive-autoscale
import { Autoscaler, SEED_BUSY_SHARE } from '../../src-main/core/hive/autoscale';
import { createRng } from '../../src-shared/random';

const MODULES = Number(process.env.HIVE_BENCH_MODULES ?? 2_428);
const ROUNDS = Number(process.env.HIVE_BENCH_ROUNDS ?? 1_440);
const rng = createRng(3);
let t = 0;
const scalers = Array.from({ length: MODULES }, () => new Autoscaler({ min: 2, max: 400, rules: [{ metric: 'busy', target: SEED_BUSY_SHARE }, { metric: 'cpu', target: 0.6 }, { metric: 'qps', target: 200 }, { metric: 'delay', target: 50 }] }, () => t));
const current = Array.from({ length: MODULES }, () => 2 + Math.floor(rng() * 40));
const peak = current.map(() => 0.5 + rng());
let changed = 0;
let worst = 0;
const t0 = performance.now();
for (let round = 0; round < ROUNDS; round++) {
  t = round * 60_000;
  const day = 0.6 + 0.4 * Math.sin((round / 1440) * 2 * Math.PI);
  const r0 = performance.now();
  for (let m = 0; m < MODULES; m++) {
    const n = current[m];
    const load = day * peak[m] * (1 + (rng() - 0.5) * 0.1);
    const d = scalers[m].decide(n, { busy: n * 60 * 0.6 * load, cpu: 0.6 * load, qps: 200 * load, delay: 50 * load });
    if (d.desired !== n) changed++;
    current[m] = d.desired;
  }
  worst = Math.max(worst, performance.now() - r0);
}
const perRound = (performance.now() - t0) / ROUNDS;
console.log(`\nHive autoscaler: ${MODULES.toLocaleString('en')} modules x 4 rules, ${ROUNDS} rounds of a minute (${new Date().toISOString()})`);
console.log('| figure | FleetDeck | budget |');
console.log('|---|---|---|');
console.log(`| one round, all modules | ${perRound.toFixed(1)} ms (worst ${worst.toFixed(1)} ms) | 60,000 ms (the seed's minute); 10,000 ms at the 10 s rules |`);
console.log(`| share of a core at one round a minute | ${((perRound / 60_000) * 100).toFixed(3)} % | |`);
console.log(`| decisions that changed a count | ${changed.toLocaleString('en')} of ${(MODULES * ROUNDS).toLocaleString('en')} | |`);
