// The agent daemon's command line (entry.ts runs it; bundled to resources/daemons/agent.js):
//   agent keygen --state-dir DIR   makes DIR/agent.key (Ed25519, mode 0600) unless it exists and
//                                  prints the public key (SPKI DER, base64) for the console to enrol
//   agent run --config FILE        runs the agent the deploy workflow configured (JSON below)
//   agent gateway-backend --name N --listen ADDR:PORT [--service echo | --service udp:ADDR:PORT]
//                                  the MGW gateway's backend side alone (gateway/decap.ts): what
//                                  the lab and the namespaces run on a backend host
//   agent version                  prints the build's version
// The private key never leaves the host. SIGTERM or SIGINT stops the agent cleanly (the link
// says bye, the buffer is closed); the supervisor or systemd restarts it after a crash.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentRunConfig } from '../../src-shared/agent-protocol/run-config';
import { startAgent } from './agent';
import { startDecap, type DecapService } from './gateway/decap';
import { arg } from '../cli';

declare const __FLEETDECK_AGENT_VERSION__: string | undefined;
export const AGENT_VERSION = typeof __FLEETDECK_AGENT_VERSION__ === 'string' ? __FLEETDECK_AGENT_VERSION__ : 'dev';

const KEY_FILE = 'agent.key';


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

function endpoint(v: string, what: string): { address: string; port: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(v);
  if (!m || Number(m[2]) > 65535) throw new Error(`${what} must be IPv4:port, not ${v}`);
  return { address: m[1], port: Number(m[2]) };
}

async function gatewayBackend(argv: readonly string[]): Promise<void> {
  const svc = argv.includes('--service') ? arg(argv, '--service') : 'echo';
  const service: DecapService = svc === 'echo' ? { kind: 'echo' } : svc.startsWith('udp:') ? { kind: 'udp', ...endpoint(svc.slice(4), '--service udp:') } : (() => { throw new Error(`--service must be echo or udp:ADDR:PORT, not ${svc}`); })();
  const log = (line: string): void => void process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const d = await startDecap({ name: arg(argv, '--name'), listen: endpoint(arg(argv, '--listen'), '--listen'), service, log });
  const stop = (): void => void d.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
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
  if (cmd === 'gateway-backend') {
    await gatewayBackend(argv);
    return -1;
  }
  process.stderr.write('usage: agent keygen --state-dir DIR | agent run --config FILE | agent gateway-backend --name N --listen ADDR:PORT | agent version\n');
  return 2;
}
