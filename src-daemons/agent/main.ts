// The agent daemon's command line (entry.ts runs it; bundled to resources/daemons/agent.js):
//   agent keygen --state-dir DIR   makes DIR/agent.key (Ed25519, mode 0600) unless it exists and
//                                  prints the public key (SPKI DER, base64) for the console to enrol
//   agent run --config FILE        runs the agent the deploy workflow configured (JSON below)
//   agent version                  prints the build's version
// The private key never leaves the host. SIGTERM or SIGINT stops the agent cleanly (the link
// says bye, the buffer is closed); the supervisor or systemd restarts it after a crash.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentRunConfig } from '../../src-shared/agent-protocol/run-config';
import { startAgent } from './agent';

declare const __FLEETDECK_AGENT_VERSION__: string | undefined;
export const AGENT_VERSION = typeof __FLEETDECK_AGENT_VERSION__ === 'string' ? __FLEETDECK_AGENT_VERSION__ : 'dev';

const KEY_FILE = 'agent.key';

function arg(argv: readonly string[], name: string): string {
  const i = argv.indexOf(name);
  if (i < 0 || !argv[i + 1]) throw new Error(`missing ${name}`);
  return argv[i + 1];
}

export function keygen(stateDir: string): string {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, KEY_FILE);
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  }
  const pub = createPublicKey(createPrivateKey(readFileSync(file)));
  return pub.export({ format: 'der', type: 'spki' }).toString('base64');
}

async function run(file: string): Promise<void> {
  const parsed = agentRunConfig.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const c = parsed.data;
  const key = createPrivateKey(readFileSync(path.join(c.stateDir, KEY_FILE)));
  const log = (line: string): void => void process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const agent = startAgent({
    agentId: c.agentId, version: AGENT_VERSION, hostname: c.hostname ?? os.hostname(), console: c.console, key, stateDir: c.stateDir,
    config: c.config, buffer: c.buffer, hooks: c.hooks, log,
    onLinkState: (s) => log(`link: ${s.kind}${'error' in s ? ` (${s.error}; again in ${s.retryInMs} ms)` : ''}${'reason' in s ? ` (${s.reason}: ${s.message})` : ''}`),
  });
  log(`agent ${c.agentId} ${AGENT_VERSION} started (pid ${process.pid}), console ${c.console.host}:${c.console.port}`);
  const stop = (sig: string): void => {
    log(`agent: ${sig}, stopping`);
    void agent.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

export async function main(argv: readonly string[]): Promise<number> {
  const [cmd] = argv;
  if (cmd === 'version') {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }
  if (cmd === 'keygen') {
    process.stdout.write(`${keygen(arg(argv, '--state-dir'))}\n`);
    return 0;
  }
  if (cmd === 'run') {
    await run(arg(argv, '--config'));
    return -1; // keeps running
  }
  process.stderr.write('usage: agent keygen --state-dir DIR | agent run --config FILE | agent version\n');
  return 2;
}
