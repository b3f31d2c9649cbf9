// Gateway Maglev benchmark (printed, not asserted; src-daemons/mgw/maglev.ts, maglev-worker.ts):
// build time for 10, 100 and 1,000 backends at their table sizes, in the thread and through
// the worker (first build, which starts the worker, apart); the main thread's largest event
// loop delay while builds run in the thread and while they run in the worker; lookups per
// second; and the disruption when 1 of 100 backends goes (each of the 100 in turn) and when
// one is added (10 different names).
// Usage: node --import tsx test/bench/mgw-maglev.ts [--rounds 7] [--lookups 20000000]
// Bundled (node test/bench/bundled.mjs test/bench/mgw-maglev.ts) the worker is this bundle
// itself, run as the Maglev worker (isMaglevWorker): the way a daemon bundle can do it.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildMaglev, disruption, lookup, shares, tableSizeFor, type MaglevBackend } from '../../src-daemons/mgw/maglev';
import { isMaglevWorker, MaglevBuilder } from '../../src-daemons/mgw/maglev-worker';

const pool = (n: number): MaglevBackend[] => Array.from({ length: n }, (_, i) => ({ name: `backend-${i}` }));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const f = (x: number, d = 1) => x.toFixed(d);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, lookups: { type: 'string', default: '20000000' } } });
  const ROUNDS = Number(values.rounds);
  const LOOKUPS = Number(values.lookups);
  const builder = new MaglevBuilder();
  try {
    // The worker's start (and, from source, tsx's load of the modules) is paid once.
    let t0 = performance.now();
    await builder.build(pool(10), tableSizeFor(10));
    console.log(`worker: first build (starts the worker) ${f(performance.now() - t0)} ms`);

    console.log('build (median of %d, ms):   backends   M        in thread   worker (round trip)', ROUNDS);
    for (const n of [10, 100, 1000]) {
      const bs = pool(n);
      const m = tableSizeFor(n);
      buildMaglev(bs, m);
      const local: number[] = [];
      const remote: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        t0 = performance.now();
        buildMaglev(bs, m);
        local.push(performance.now() - t0);
        t0 = performance.now();
        await builder.build(bs, m);
        remote.push(performance.now() - t0);
      }
      console.log(`                            ${String(n).padStart(8)}   ${String(m).padEnd(8)} ${f(median(local)).padStart(9)}   ${f(median(remote)).padStart(9)}`);
    }

    // Event loop delay while 1,000-backend builds run: in the thread (each from a timer, so the
    // loop turns between them) and in the worker (awaited one after another).
    const bs = pool(1000);
    const m = tableSizeFor(1000);
    const delay = async (label: string, run: () => Promise<unknown>) => {
      const h = monitorEventLoopDelay({ resolution: 1 });
      h.enable();
      const start = performance.now();
      for (let r = 0; r < ROUNDS; r++) await run();
      const took = performance.now() - start;
      h.disable();
      console.log(`event loop delay, ${ROUNDS} builds of 1000 backends ${label}: max ${f(h.max / 1e6)} ms, p99 ${f(h.percentile(99) / 1e6)} ms, mean ${f(h.mean / 1e6, 2)} ms (${f(took)} ms in all)`);
    };
    await delay('in the thread', () => new Promise((resolve) => setTimeout(() => resolve(buildMaglev(bs, m)), 2)));
    await delay('in the worker', () => builder.build(bs, m));

    // Lookups: a 100-backend table, flows from 10.0.0.0/8 on varying ports.
    const table = buildMaglev(pool(100), tableSizeFor(100));
    let sum = 0;
    for (let i = 0; i < 1_000_000; i++) sum += lookup(table, 0x0a000000 + i, (i << 16) | 0x11);
    t0 = performance.now();
    for (let i = 0; i < LOOKUPS; i++) sum += lookup(table, (0x0a000000 + (i & 0xffffff)) >>> 0, ((i * 2654435761) & 0xffff0000) | 0x11);
    const lookupMs = performance.now() - t0;
    console.log(`lookups: ${Math.round((LOOKUPS / lookupMs) * 1000).toLocaleString('en')}/s (${LOOKUPS.toLocaleString('en')} in ${f(lookupMs)} ms; checksum ${sum % 997})`);

    // Disruption at 100 backends.
    const hundred = pool(100);
    const mm = tableSizeFor(100);
    const before = buildMaglev(hundred, mm);
    const removed: number[] = [];
    for (let gone = 0; gone < 100; gone++) {
      const after = buildMaglev(hundred.map((b, i) => (i === gone ? { ...b, up: false } : b)), mm);
      removed.push(disruption(before, after, (i) => i !== gone));
    }
    const added: number[] = [];
    const addedShare: number[] = [];
    for (let k = 0; k < 10; k++) {
      const after = buildMaglev([...hundred, { name: `backend-new-${k}` }], mm);
      added.push(disruption(before, after, () => true));
      addedShare.push(shares(after, 101)[100]);
    }
    const pct = (xs: number[], fn: (xs: number[]) => number) => `${f(fn(xs) * 100, 3)}%`;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b) / xs.length;
    console.log(`disruption, 1 of 100 down (each in turn): survivors' entries moved mean ${pct(removed, mean)}, max ${pct(removed, (x) => Math.max(...x))}, min ${pct(removed, (x) => Math.min(...x))}`);
    console.log(`disruption, 1 added to 100 (10 names): entries moved mean ${pct(added, mean)}, max ${pct(added, (x) => Math.max(...x))}; of which to the new backend ${pct(addedShare, mean)} (its share)`);
  } finally {
    await builder.dispose();
  }
}

if (!isMaglevWorker()) await main();
