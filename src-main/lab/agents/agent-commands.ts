// A lab host running the shipped Node runtime: `<runtime> <bundle> <args>` as the deploy's
// host commands (core/agents/deploy/host-commands.ts) send it. The runtime must be a file
// uploaded to the host and executable (else bash's 127 / 126); the bundle is read, not run
// (host-collectors.ts bundleAt: its banner says which bundle and version). Then:
//   agent.js version                       prints the bundle's version
//   agent.js keygen --state-dir DIR        makes DIR/agent.key (Ed25519 PKCS#8 PEM, 0600) in the
//                                          host's files unless it is there, prints the public
//                                          key (SPKI DER, base64), as main.ts does
//   agent-supervise.js start --daemonize --pid-file F --log-file L -- <runtime> <agent.js> run --config CFG
//   agent-supervise.js stop --pid-file F   (lab-agents.ts runs the supervisor and its agent)
// Foreground runs (agent.js run, the supervisor without --daemonize) would hold the SSH
// session: the lab answers them with an error saying so.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CommandIo, HostContext } from '../ssh/ssh-commands';
import { bundleAt } from './host-collectors';
import type { AgentHost } from './lab-agents';

const KEY_FILE = 'agent.key';
const SUPERVISE_OPTIONS = {
  daemonize: { type: 'boolean' }, 'pid-file': { type: 'string' }, 'log-file': { type: 'string' }, 'max-log-bytes': { type: 'string' }, 'keep-logs': { type: 'string' },
  'backoff-initial-ms': { type: 'string' }, 'backoff-max-ms': { type: 'string' }, 'reset-after-ms': { type: 'string' }, 'grace-ms': { type: 'string' }, restart: { type: 'string' },
} as const;

const err = (io: CommandIo, text: string, code: number): number => {
  io.stderr(`${text}\n`);
  return code;
};

/** Runs `<path> args` on the host: the Node runtime with a FleetDeck bundle, or bash's answer for anything else. */
export async function runtimeCommand(argv: readonly string[], ctx: HostContext, io: CommandIo): Promise<number> {
  const [runtime, script, ...args] = argv;
  const fs = ctx.fs;
  if (fs.isDir(runtime)) return err(io, `bash: ${runtime}: Is a directory`, 126);
  if (!fs.isFile(runtime)) return err(io, `bash: ${runtime}: No such file or directory`, 127);
  if (((fs.stat(runtime)?.mode ?? 0) & 0o111) === 0) return err(io, `bash: ${runtime}: Permission denied`, 126);
  if (script === undefined) return err(io, `${runtime}: the lab runs FleetDeck bundles only (no REPL)`, 1);
  const bundle = bundleAt(fs, script);
  if ('error' in bundle) return err(io, `Error: ${bundle.error}`, 1);
  const host: AgentHost = { id: ctx.hostId, hostname: ctx.hostname, facts: ctx.facts, fs };
  return bundle.kind === 'agent' ? agentCli(bundle.version, args, host, io) : superviseCli(args, host, ctx, io);
}

function agentCli(version: string, args: readonly string[], host: AgentHost, io: CommandIo): number {
  const [cmd] = args;
  if (cmd === 'version') {
    io.stdout(`${version}\n`);
    return 0;
  }
  if (cmd === 'keygen') {
    const i = args.indexOf('--state-dir');
    const dir = i > 0 ? args[i + 1] : undefined;
    if (!dir) return err(io, 'agent: missing --state-dir', 1);
    try {
      io.stdout(`${keygen(host, dir)}\n`);
      return 0;
    } catch (e) {
      return err(io, `agent: ${(e as Error).message}`, 1);
    }
  }
  if (cmd === 'run') return err(io, 'agent: the lab runs agents under agent-supervise.js start --daemonize only (a foreground run would hold this session)', 1);
  return err(io, 'usage: agent keygen --state-dir DIR | agent run --config FILE | agent version', 2);
}

/** main.ts's keygen over the host's files: the key made once, the public key printed every time. */
function keygen(host: AgentHost, dir: string): string {
  const fs = host.fs;
  const at = fs.resolve(dir);
  if (!fs.writable(at) && !fs.isDir(at)) throw new Error(`EACCES: permission denied, mkdir '${dir}'`);
  const why = fs.mkdirp(at, 0o700);
  if (why) throw new Error(`ENOTDIR: not a directory, mkdir '${dir}'`);
  const file = path.posix.join(at, KEY_FILE);
  if (!fs.isFile(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    const failed = fs.writeFile(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), 0o600);
    if (failed) throw new Error(`${file}: ${failed}`);
  }
  const pem = fs.read(file);
  if (!pem) throw new Error(`ENOENT: no such file or directory, open '${file}'`);
  return createPublicKey(createPrivateKey(pem)).export({ format: 'der', type: 'spki' }).toString('base64');
}

async function superviseCli(args: readonly string[], host: AgentHost, ctx: HostContext, io: CommandIo): Promise<number> {
  if (!ctx.agents) return err(io, 'supervise: this lab host runs no agents', 1);
  if (args[0] === 'stop') {
    let pidFile: string | undefined;
    try {
      pidFile = parseArgs({ args: [...args.slice(1)], options: { 'pid-file': { type: 'string' }, 'grace-ms': { type: 'string' } }, strict: true }).values['pid-file'];
    } catch (e) {
      return err(io, `supervise: ${(e as Error).message}`, 2);
    }
    if (!pidFile) return err(io, 'supervise: usage: supervise stop --pid-file F [--grace-ms MS]', 2);
    const r = await ctx.agents.stop(host, pidFile);
    io.stdout(r.stdout);
    return r.code;
  }
  const startArgs = args[0] === 'start' ? args.slice(1) : args;
  let parsed;
  try {
    parsed = parseArgs({ args: [...startArgs], options: SUPERVISE_OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    return err(io, `supervise: ${(e as Error).message}`, 2);
  }
  const v = parsed.values;
  if (!v['pid-file'] || !v['log-file'] || parsed.positionals.length === 0) return err(io, 'supervise: usage: supervise start [--daemonize] --pid-file F --log-file L -- <command> [args...]', 2);
  if (!v.daemonize) return err(io, 'supervise: the lab runs the supervisor with --daemonize only (a foreground one would hold this session)', 1);
  const r = ctx.agents.start(host, { pidFile: v['pid-file'], logFile: v['log-file'], command: parsed.positionals });
  io.stdout(r.stdout);
  if (r.stderr) io.stderr(r.stderr);
  return r.code;
}
