// Hive placement at the seed's scale (seed 002: 22,400+ servers, 41,793+ instances, 2,428+
// modules): a pool of 22,400 hosts (8-48 cores, 20 to a cabinet, 50 cabinets to a room, a
// fifth of them already 30-70 % busy), then every module placed in turn (src-main/core/hive/
// placement.ts, one PlacementPool: limits, UNIQUE for one module in ten, a max skew of 1 per host and per cabinet,
// workers equal behind 3 proxies), each request on the pool the earlier ones left. Prints the
// time in all and per instance, the heap and RSS it took, and the check that every plan kept
// its rules. No reference tool is named by the issue for this figure; kube-scheduler's own
// scale target (5,000 nodes, 150,000 pods) is printed beside it for scale.
// Run: npm run bench:hive-placement
import { PlacementPool, type PlacementHost, type PlacementModule } from '../../src-main/core/hive/placement';
import { createRng } from '../../src-shared/random';

const HOSTS = Number(process.env.HIVE_BENCH_HOSTS ?? 22_400);
const MODULES = Number(process.env.HIVE_BENCH_MODULES ?? 2_428);
const INSTANCES = Number(process.env.HIVE_BENCH_INSTANCES ?? 41_793);
const rng = createRng(17);
const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`;

const hosts: PlacementHost[] = Array.from({ length: HOSTS }, (_, i) => {
  const cores = [8, 16, 24, 32, 48][Math.floor(rng() * 5)];
  const memMiB = cores * 4096;
  const busy = rng() < 0.2 ? 0.3 + rng() * 0.4 : 0;
  return { id: `h${String(i).padStart(5, '0')}`, cabinet: `cab${Math.floor(i / 20)}`, room: `room${Math.floor(i / 1000)}`, cores, memMiB, procs: Math.round(busy * 20), cpuUsed: busy * cores, memUsedMiB: busy * memMiB };
});
// Instances per module: a long tail (most modules small, a few large), summing to INSTANCES.
const weights = Array.from({ length: MODULES }, () => 1 / (0.02 + rng()));
const total = weights.reduce((a, b) => a + b, 0);
const sizes = weights.map((w) => Math.max(1, Math.round((w / total) * INSTANCES)));
const modules: PlacementModule[] = sizes.map((_, j) => ({
  module: `m${j}`, cpu: [0.1, 0.25, 0.5, 1][j % 4], memMiB: [128, 256, 512, 1024][j % 4],
  unique: j % 10 === 0, spread: [{ by: 'host', maxSkew: 1 }, { by: 'cabinet', maxSkew: 1 }], proxies: ['px1', 'px2', 'px3'],
}));

const heap0 = process.memoryUsage().heapUsed;
const rss0 = process.memoryUsage().rss;
const tPool = performance.now();
const pool = new PlacementPool(hosts);
const poolMs = performance.now() - tPool;
let placed = 0;
let refused = 0;
let broken = 0;
let slowest = 0;
const t0 = performance.now();
for (let j = 0; j < MODULES; j++) {
  const t = performance.now();
  try {
    const plan = pool.place(modules[j], sizes[j]);
    placed += plan.placed.length;
    const perHost = new Map<string, number>();
    const perProxy = new Map<string, number>();
    for (const p of plan.placed) {
      perHost.set(p.host, (perHost.get(p.host) ?? 0) + 1);
      perProxy.set(p.proxy ?? '', (perProxy.get(p.proxy ?? '') ?? 0) + 1);
    }
    const hostMax = Math.max(...perHost.values());
    const proxies = [...perProxy.values()];
    if ((modules[j].unique && hostMax > 1) || hostMax > Math.ceil(sizes[j] / HOSTS) + 1 || Math.max(...proxies) - Math.min(...proxies) > 1) broken++;
  } catch {
    refused++;
  }
  slowest = Math.max(slowest, performance.now() - t);
}
const ms = performance.now() - t0;
const heap1 = process.memoryUsage().heapUsed;
console.log(`\nHive placement, ${HOSTS.toLocaleString('en')} hosts, ${MODULES.toLocaleString('en')} modules, ${placed.toLocaleString('en')} instances placed (${refused} requests refused, ${broken} plans breaking a rule) (${new Date().toISOString()})`);
console.log('| figure | FleetDeck | for scale |');
console.log('|---|---|---|');
console.log(`| time in all | ${(ms / 1000).toFixed(2)} s | kube-scheduler's published target: 5,000 nodes, 150,000 pods |`);
console.log(`| the pool's order built (once) | ${poolMs.toFixed(0)} ms | |`);
console.log(`| per instance | ${((ms * 1000) / Math.max(1, placed)).toFixed(0)} us | |`);
console.log(`| slowest request | ${slowest.toFixed(0)} ms | |`);
console.log(`| heap after (JS) | +${mb(heap1 - heap0)} | |`);
console.log(`| RSS | ${mb(process.memoryUsage().rss)} (${mb(rss0)} before) | |`);
