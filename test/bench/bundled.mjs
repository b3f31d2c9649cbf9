// Runs a benchmark compiled the way the product ships: bundled by esbuild without keepNames
// (tsx, which the tests use, wraps every function in a naming helper and costs the hot loops
// of a protocol client 10-15%). Dependencies stay external, as in out/main.
// Usage: node test/bench/bundled.mjs test/bench/snmp-walk.ts [bench arguments...]
import { spawn } from 'node:child_process';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node test/bench/bundled.mjs <bench.ts> [arguments...]');
  process.exit(2);
}
const outfile = join('out', 'bench', basename(entry).replace(/\.ts$/, '.mjs'));
await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: 'inline', logLevel: 'warning' });
const child = spawn(process.execPath, ['--enable-source-maps', outfile, ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
