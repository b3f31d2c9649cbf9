// Builds the programs FleetDeck deploys to fleet hosts into single-file bundles (esbuild):
// resources/daemons/agent.js (the agent: src-daemons/agent/entry.ts),
// resources/daemons/agent-supervise.js (its supervisor where systemd is absent) and
// resources/daemons/mgw.js (the MGW gateway node and the lab's router: src-daemons/mgw/entry.ts). CommonJS for
// Node 20+, minified, no source maps: an upgrade ships only agent.js (goal <= 2 MB per host);
// the Node runtime goes to a host once and is kept by checksum. `npm run build` runs it first;
// tests call buildDaemons() with their own out dir and version (a bad version for a rollout
// test is a bundle built the same way). Prints each bundle's size. Each bundle opens with a
// banner naming what it is and its version (`/* fleetdeck-agent 1.2.3 */`,
// `/* fleetdeck-agent-supervise 1.2.3 */`): the lab's SSH hosts, which cannot run a bundle,
// read from it what it would say (src-main/lab/agents). It also builds the gateway's batched
// UDP addon (src-daemons/mgw/native/mmsg.c, Node-API) with gcc into mgw-mmsg.node against the
// running Node's headers; without gcc or headers it says so and the gateway uses node:dgram.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DAEMON_ENTRIES = {
  'agent.js': 'src-daemons/agent/entry.ts',
  'agent-supervise.js': 'src-daemons/agent/supervisor/main.ts',
  'mgw.js': 'src-daemons/mgw/entry.ts',
};
/** The banner's program name per bundle. */
const BANNER_NAMES = { 'agent.js': 'fleetdeck-agent', 'agent-supervise.js': 'fleetdeck-agent-supervise', 'mgw.js': 'fleetdeck-mgw' };

/** @param {{ outDir?: string; version?: string; quiet?: boolean }} [o] */
export async function buildDaemons(o = {}) {
  const outDir = o.outDir ?? path.join(ROOT, 'resources', 'daemons');
  const version = o.version ?? JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  if (!/^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/.test(version)) throw new Error(`buildDaemons: version ${JSON.stringify(version)} is not a release version`);
  mkdirSync(outDir, { recursive: true });
  // CommonJS bundles: a package.json beside them says so, whatever the tree above says (this
  // repository's is "type": "module"); on a host the version directory has no package.json above.
  writeFileSync(path.join(outDir, 'package.json'), '{ "type": "commonjs" }\n');
  const out = {};
  for (const [name, entry] of Object.entries(DAEMON_ENTRIES)) {
    const file = path.join(outDir, name);
    await build({
      entryPoints: [path.join(ROOT, entry)],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      legalComments: 'none',
      banner: { js: `/* ${BANNER_NAMES[name]} ${version} */` },
      logLevel: 'error',
      define: { __FLEETDECK_AGENT_VERSION__: JSON.stringify(version) },
    });
    out[name] = { file, bytes: statSync(file).size };
    if (!o.quiet) console.log(`daemons: ${path.relative(ROOT, file)} ${(out[name].bytes / 1024).toFixed(0)} KiB (version ${version})`);
  }
  buildMmsg(outDir, o.quiet);
  return out;
}

/** gcc -shared src-daemons/mgw/native/mmsg.c -> <outDir>/mgw-mmsg.node; false (said why) when it cannot. */
export function buildMmsg(outDir, quiet = false) {
  const nodeDir = process.env.npm_config_nodedir || path.dirname(path.dirname(process.execPath));
  const include = path.join(nodeDir, 'include', 'node');
  const file = path.join(outDir, 'mgw-mmsg.node');
  const source = path.join(ROOT, 'src-daemons', 'mgw', 'native', 'mmsg.c');
  // Already built from this source (tests build bundles often): not again.
  if (existsSync(file) && statSync(file).mtimeMs >= statSync(source).mtimeMs) return true;
  if (!existsSync(path.join(include, 'node_api.h'))) {
    console.log(`daemons: mgw-mmsg.node not built (no Node-API headers in ${include}): the gateway uses node:dgram`);
    return false;
  }
  try {
    execFileSync('gcc', ['-O2', '-Wall', '-shared', '-fPIC', '-DNODE_GYP_MODULE_NAME=mgw_mmsg', `-I${include}`, '-o', file, source], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    console.log(`daemons: mgw-mmsg.node not built (${err.stderr?.toString().trim() || err.message}): the gateway uses node:dgram`);
    return false;
  }
  if (!quiet) console.log(`daemons: ${path.relative(ROOT, file)} ${(statSync(file).size / 1024).toFixed(0)} KiB`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildDaemons();
}
