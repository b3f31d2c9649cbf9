// Search latency at 100 k devices: a generated lab inventory of that size in a real store,
// the search module's index built from it, then 1,000 queries of each kind (exact SN, exact
// hostname, hostname prefix, IP prefix, one typo) through `search.devices`. Prints p50/p99.
// Usage: node --import tsx test/bench/search.ts [--devices 100000] [--queries 1000]
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openCoreStore } from '../../src-main/core/store/core-store';
import { startSearch } from '../../src-main/core/search/search-module';
import { labBmcAddress } from '../../src-main/lab/bmc/bmc-peers';
import { generateLab } from '../../src-main/lab/generator';
import type { Device } from '../../src-shared/domain';

const { values } = parseArgs({ options: { devices: { type: 'string', default: '100000' }, queries: { type: 'string', default: '1000' } } });
const DEVICES = Number(values.devices);
const QUERIES = Number(values.queries);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One random edit (substitution, insertion, deletion or transposition) away from s. */
function typo(s: string, rnd: () => number): string {
  const i = 1 + Math.floor(rnd() * (s.length - 2));
  const c = 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(rnd() * 36)];
  switch (Math.floor(rnd() * 4)) {
    case 0: return s.slice(0, i) + c + s.slice(i + 1);
    case 1: return s.slice(0, i) + c + s.slice(i);
    case 2: return s.slice(0, i) + s.slice(i + 1);
    default: return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  }
}

async function main(): Promise<void> {
  const sites = 6;
  const cabinetsPerRow = Math.max(1, Math.ceil(DEVICES / (sites * 4 * 10 * 30)));
  const lab = generateLab(1, { sites, roomsPerSite: 4, rowsPerRoom: 10, cabinetsPerRow, devices: DEVICES }, { addressPrefix: '127' });
  // Servers get their BMC address as the lab gives it (the generator leaves that to the BMC peers).
  const doc = { ...lab, devices: lab.devices.map((d) => (d.kind === 'server' ? { ...d, bmcAddress: labBmcAddress(d.mgmtIp) } : d)) };
  const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
  store.inventory.upsert(doc);
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const search = startSearch({ store });
  const stats = await search.stats();
  lag.disable();
  console.log(`search at ${stats.devices.toLocaleString('en')} devices (${doc.cabinets.length} cabinets), ${stats.keys.toLocaleString('en')} keys; ` +
    `index built in ${stats.buildMs.toFixed(0)} ms (paged reads included; longest event-loop stall ${(lag.max / 1e6).toFixed(0)} ms); heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`);

  let seed = 42;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = (): Device => doc.devices[Math.floor(rnd() * doc.devices.length)];
  const kinds: { name: string; query: () => string; expect: 'exact' | 'prefix' | 'typo' }[] = [
    { name: 'exact SN', query: () => pick().sn, expect: 'exact' },
    { name: 'exact hostname', query: () => pick().hostname, expect: 'exact' },
    { name: 'hostname prefix', query: () => pick().hostname.slice(0, 8 + Math.floor(rnd() * 6)), expect: 'prefix' },
    { name: 'IP prefix', query: () => pick().mgmtIp.split('.').slice(0, 3).join('.') + '.', expect: 'prefix' },
    { name: 'BMC address exact', query: () => labBmcAddress(pick().mgmtIp), expect: 'exact' },
    { name: 'one typo (hostname)', query: () => typo(pick().hostname, rnd), expect: 'typo' },
    { name: 'one typo (SN)', query: () => typo(pick().sn.toLowerCase(), rnd), expect: 'typo' },
    { name: 'no match', query: () => `zz-${Math.floor(rnd() * 1e9)}`, expect: 'typo' },
  ];
  const call = search.api['search.devices'];
  const ctx = { actor: 'bench', role: 'viewer' } as const;
  for (let i = 0; i < 200; i++) await call({ q: kinds[i % kinds.length].query(), limit: 20 }, ctx); // warm-up
  let worstAll = 0;
  for (const k of kinds) {
    const ms: number[] = [];
    let found = 0;
    for (let i = 0; i < QUERIES; i++) {
      const q = k.query();
      const t0 = performance.now();
      const hits = await call({ q, limit: 20 }, ctx);
      ms.push(performance.now() - t0);
      if (hits.length > 0) found++;
    }
    ms.sort((a, b) => a - b);
    worstAll = Math.max(worstAll, pct(ms, 99));
    console.log(`${k.name.padEnd(20)} ${QUERIES} queries: p50 ${pct(ms, 50).toFixed(2).padStart(6)} ms   p99 ${pct(ms, 99).toFixed(2).padStart(6)} ms   max ${ms[ms.length - 1].toFixed(2).padStart(6)} ms   ${found} with hits`);
  }
  console.log(`worst p99 ${worstAll.toFixed(2)} ms   [goal: < 50 ms at 100 k devices]`);
  await search.dispose();
  await store.dispose();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
