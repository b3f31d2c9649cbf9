// The gateway daemon's command line (entry.ts runs it; to be bundled beside the agent):
//   mgw run --config FILE      runs one node of a cluster (src-shared/mgw/config.ts: the cluster
//                              and `self`); its epoch counter lives in stateDir/epoch
//   mgw router --cluster FILE  the lab's router in front of a cluster on loopback (lab-router.ts;
//                              FILE: the cluster's JSON, src-shared/mgw/config.ts)
//   mgw version                prints the build's version
// SIGTERM or SIGINT stops it cleanly (sockets closed); kill -9 is what the failover drills do.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mgwClusterSchema, mgwRunConfigSchema } from '../../src-shared/mgw/config';
import { startLabRouter } from './lab-router';
import { startControl } from './control';
import { GatewayNode } from './node';
import { arg } from '../cli';

declare const __FLEETDECK_AGENT_VERSION__: string | undefined;
export const MGW_VERSION = typeof __FLEETDECK_AGENT_VERSION__ === 'string' ? __FLEETDECK_AGENT_VERSION__ : 'dev';


/** The next epoch: above the last this state dir saw and the clock's seconds (written before use, so a crash never reuses one). */
export function nextEpoch(stateDir: string): number {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, 'epoch');
  let last = 0;
  try {
    last = Number(readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    // first start
  }
  // Increasing across restarts even when the state dir was lost: peers ignore an older epoch.
  const next = Math.max(last + 1, Math.floor(Date.now() / 1000)) >>> 0;
  writeFileSync(`${file}.tmp`, `${next}\n`);
  renameSync(`${file}.tmp`, file);
  return next;
}

const log = (line: string): void => void process.stderr.write(`${new Date().toISOString()} ${line}\n`);

function readConfig<T>(file: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }): T {
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function onSignals(what: string, stop: () => Promise<unknown>): void {
  const go = (sig: string): void => {
    log(`mgw: ${sig}, stopping the ${what}`);
    void stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => go('SIGTERM'));
  process.once('SIGINT', () => go('SIGINT'));
}

async function router(file: string): Promise<void> {
  const r = await startLabRouter({ cluster: readConfig(file, mgwClusterSchema), log });
  log(`mgw ${MGW_VERSION} lab router started (pid ${process.pid})`);
  onSignals('router', () => r.stop());
}

async function run(file: string): Promise<void> {
  const config = readConfig(file, mgwRunConfigSchema);
  const node = new GatewayNode({ config, epoch: nextEpoch(config.stateDir), log });
  await node.start();
  const me = config.cluster.nodes[node.self];
  const control = await startControl(node, me.control, config.cluster.controlTokenSha256, log, { drills: config.cluster.drills });
  log(`mgw ${MGW_VERSION} node ${me.id} started (pid ${process.pid}), control http://${me.control.address}:${me.control.port}`);
  onSignals('node', () => {
    control.close();
    return node.stop();
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  const [cmd] = argv;
  if (cmd === 'version') {
    process.stdout.write(`${MGW_VERSION}\n`);
    return 0;
  }
  if (cmd === 'run') {
    await run(arg(argv, '--config'));
    return -1; // keeps running
  }
  if (cmd === 'router') {
    await router(arg(argv, '--cluster'));
    return -1;
  }
  process.stderr.write('usage: mgw run --config FILE | mgw router --cluster FILE | mgw version\n');
  return 2;
}
