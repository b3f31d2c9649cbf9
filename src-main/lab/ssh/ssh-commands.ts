// The small command set a lab host runs over SSH exec. The command line is split with the
// core's POSIX word splitter (what FleetDeck's quoting must survive; lab-shell.ts adds the
// redirections and `if` the deploy's host commands use), then run command by command with ;,
// && and || as sh would. The file commands are ssh-file-commands.ts; a program named by a path
// is the shipped Node runtime (agents/agent-commands.ts). Unknown programs answer like bash
// does (127).
import { ShellSyntaxError } from '../../core/protocols/ssh/codec/quote';
import { runtimeCommand } from '../agents/agent-commands';
import type { LabHostAgents } from '../agents/lab-agents';
import { unameAll } from '../host-os';
import { parseScript, runNodes, ShellExit, type Redirect, type SimpleCommand } from './lab-shell';
import { checksumOnlyMessage, type LabFileSystem } from './ssh-files';
import { FILE_COMMANDS } from './ssh-file-commands';
import { dpkgList, formatUptime, loadAverages, rpmList, type LabHostFacts } from './ssh-host-facts';

export interface HostContext {
  /** The device id. */
  hostId: string;
  hostname: string;
  username: string;
  facts: LabHostFacts;
  fs: LabFileSystem;
  /** Epoch ms the host last booted. */
  bootAt: number;
  /** Sessions open on the host: uptime's "users". */
  users(): number;
  /** The host's agent supervisors; null: the host runs no agents. */
  agents: LabHostAgents | null;
}

export interface CommandIo {
  stdout(data: string | Buffer): void;
  stderr(data: string): void;
  /** Everything the client sends on stdin, after it closes it. */
  stdin(): Promise<Buffer>;
  /** Aborts when the client closes the channel. */
  signal: AbortSignal;
}

type Command = (args: string[], ctx: HostContext, io: CommandIo) => number | Promise<number>;

const usage = (io: CommandIo, cmd: string, msg: string): number => {
  io.stderr(`${cmd}: ${msg}\n`);
  return cmd === 'sh' ? 2 : 1;
};

const COMMANDS: Record<string, Command> = {
  true: () => 0,
  false: () => 1,
  echo: (args, _ctx, io) => {
    const noNewline = args[0] === '-n';
    io.stdout(`${(noNewline ? args.slice(1) : args).join(' ')}${noNewline ? '' : '\n'}`);
    return 0;
  },
  hostname: (_args, ctx, io) => {
    io.stdout(`${ctx.hostname}\n`);
    return 0;
  },
  whoami: (_args, ctx, io) => {
    io.stdout(`${ctx.username}\n`);
    return 0;
  },
  id: (args, ctx, io) => {
    const uid = ctx.username === 'root' ? 0 : 1000;
    const flags = args.join('');
    if (/^-[ug]n?$|^-n[ug]$/.test(flags)) io.stdout(`${flags.includes('n') ? ctx.username : uid}\n`);
    else if (args.length) return usage(io, 'id', `the lab answers id, id -u, id -g, id -un only`);
    else io.stdout(`uid=${uid}(${ctx.username}) gid=${uid}(${ctx.username}) groups=${uid}(${ctx.username})\n`);
    return 0;
  },
  nproc: (_args, ctx, io) => {
    io.stdout(`${ctx.facts.cpus}\n`);
    return 0;
  },
  uname: (args, ctx, io) => {
    const f = ctx.facts;
    const fields: Record<string, string> = { s: 'Linux', n: ctx.hostname, r: f.kernel, v: f.kernelBuild, m: f.machine, o: 'GNU/Linux' };
    const flags = args.length === 0 ? ['-s'] : args;
    if (flags.includes('-a') || flags.includes('--all')) {
      io.stdout(`${unameAll(ctx.hostname, f)}\n`);
      return 0;
    }
    const out: string[] = [];
    for (const flag of flags) {
      if (!/^-[snrvmo]+$/.test(flag)) return usage(io, 'uname', `invalid option -- '${flag.replace(/^-+/, '')}'`);
      for (const k of 'snrvmo') if (flag.includes(k)) out.push(fields[k]);
    }
    io.stdout(`${out.join(' ')}\n`);
    return 0;
  },
  uptime: (args, ctx, io) => {
    const sec = (Date.now() - ctx.bootAt) / 1000;
    if (args[0] === '-s') {
      io.stdout(`${new Date(ctx.bootAt).toISOString().slice(0, 19).replace('T', ' ')}\n`);
    } else if (args[0] === '-p') {
      const d = Math.floor(sec / 86_400);
      const h = Math.floor((sec % 86_400) / 3600);
      const m = Math.floor((sec % 3600) / 60);
      io.stdout(`up ${d} days, ${h} hours, ${m} minutes\n`);
    } else {
      io.stdout(`${formatUptime(sec, Date.now(), ctx.users(), loadAverages(ctx.facts, Date.now()))}\n`);
    }
    return 0;
  },
  cat: async (args, ctx, io) => {
    const files = args.filter((a) => a !== '--');
    if (files.length === 0) {
      io.stdout(await io.stdin());
      return 0;
    }
    let status = 0;
    for (const f of files) {
      const data = ctx.fs.isDir(f) ? null : ctx.fs.read(f);
      const kept = ctx.fs.checksumOnly(f);
      if (data) io.stdout(data);
      else if (kept) {
        io.stderr(`cat: ${f}: ${checksumOnlyMessage(kept.size, kept.sha256)}\n`);
        status = 1;
      } else {
        io.stderr(`cat: ${f}: ${ctx.fs.isDir(f) ? 'Is a directory' : 'No such file or directory'}\n`);
        status = 1;
      }
    }
    return status;
  },
  sha256sum: (args, ctx, io) => {
    let status = 0;
    for (const f of args.filter((a) => a !== '--')) {
      const sum = ctx.fs.isDir(f) ? null : ctx.fs.sha256(f);
      if (!sum) {
        io.stderr(`sha256sum: ${f}: ${ctx.fs.isDir(f) ? 'Is a directory' : 'No such file or directory'}\n`);
        status = 1;
      } else io.stdout(`${sum}  ${f}\n`);
    }
    return status;
  },
  ls: (args, ctx, io) => {
    const dirs = args.filter((a) => !a.startsWith('-'));
    let status = 0;
    for (const d of dirs.length ? dirs : ['.']) {
      if (ctx.fs.isDir(d)) io.stdout(ctx.fs.list(d).map((n) => `${n}\n`).join(''));
      else if (ctx.fs.stat(d)) io.stdout(`${d}\n`);
      else status = usage(io, 'ls', `cannot access '${d}': No such file or directory`) + 1;
    }
    return status;
  },
  rm: (args, ctx, io) => {
    const force = args.some((a) => /^-[a-z]*f/.test(a));
    let status = 0;
    for (const f of args.filter((a) => !a.startsWith('-'))) {
      if (!ctx.fs.remove(f) && !force) status = usage(io, 'rm', `cannot remove '${f}': No such file or directory`);
    }
    return status;
  },
  mv: (args, ctx, io) => {
    const paths = args.filter((a) => !a.startsWith('-'));
    if (paths.length !== 2) return usage(io, 'mv', 'expected a source and a destination');
    const why = ctx.fs.rename(paths[0], paths[1]);
    return why ? usage(io, 'mv', `cannot move '${paths[0]}' to '${paths[1]}': ${why}`) : 0;
  },
  sleep: (args, _ctx, io) => {
    const sec = Number(args[0]);
    if (!Number.isFinite(sec) || sec < 0) return usage(io, 'sleep', `invalid time interval '${args[0] ?? ''}'`);
    return new Promise<number>((resolve) => {
      const t = setTimeout(() => resolve(0), sec * 1000);
      io.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve(143);
      }, { once: true });
    });
  },
  dpkg: (args, ctx, io) => {
    if (ctx.facts.distro === 'rocky') return notFound('dpkg', io);
    if (args[0] !== '-l' && args[0] !== '--list') return usage(io, 'dpkg', 'only -l is available on this host');
    io.stdout(dpkgList(ctx.facts));
    return 0;
  },
  rpm: (args, ctx, io) => {
    if (ctx.facts.distro !== 'rocky') return notFound('rpm', io);
    if (args[0] !== '-qa') return usage(io, 'rpm', 'only -qa is available on this host');
    io.stdout(rpmList(ctx.facts));
    return 0;
  },
};

function notFound(cmd: string, io: CommandIo): number {
  io.stderr(`bash: ${cmd}: command not found\n`);
  return 127;
}

type Sink = 'out' | 'err' | 'null';

/** Where fds 1 and 2 go after the redirections (/dev/null, or each other); a message for what the lab does not do. */
function route(redirs: readonly Redirect[]): { sinks: [Sink, Sink]; noStdin: boolean } | string {
  const sinks: [Sink, Sink] = ['out', 'err'];
  let noStdin = false;
  for (const r of redirs) {
    if (r.op === '<') {
      if (r.target !== '/dev/null') return `bash: ${r.target}: the lab's shell reads only from /dev/null`;
      noStdin = true;
    } else if (r.op === '>&') {
      if ((r.fd !== 1 && r.fd !== 2) || (r.target !== '1' && r.target !== '2')) return `bash: ${r.fd}>&${r.target}: the lab's shell copies only between 1 and 2`;
      sinks[r.fd - 1] = sinks[Number(r.target) - 1];
    } else {
      if (r.target !== '/dev/null') return `bash: ${r.target}: the lab's shell redirects output only to /dev/null`;
      if (r.fd === -1) sinks.splice(0, 2, 'null', 'null');
      else if (r.fd === 1 || r.fd === 2) sinks[r.fd - 1] = 'null';
      else return `bash: ${r.fd}: the lab's shell redirects only 1 and 2`;
    }
  }
  return { sinks, noStdin };
}

async function runSimple(cmd: SimpleCommand, outer: readonly Redirect[], ctx: HostContext, io: CommandIo, status: () => number): Promise<number> {
  const routed = route([...outer, ...cmd.redirs]);
  if (typeof routed === 'string') {
    io.stderr(`${routed}\n`);
    return 1;
  }
  const send = (sink: Sink, d: string | Buffer): void => {
    if (sink === 'out') io.stdout(d);
    else if (sink === 'err') io.stderr(typeof d === 'string' ? d : d.toString('utf8'));
  };
  const sub: CommandIo = {
    stdout: (d) => send(routed.sinks[0], d),
    stderr: (d) => send(routed.sinks[1], d),
    stdin: routed.noStdin ? () => Promise.resolve(Buffer.alloc(0)) : io.stdin,
    signal: io.signal,
  };
  const [name, ...args] = cmd.argv;
  if (name === 'exit') {
    const n = args.length ? Number(args[0]) : status();
    throw new ShellExit(Number.isInteger(n) ? ((n % 256) + 256) % 256 : 2);
  }
  if (name.includes('/')) return runtimeCommand(cmd.argv, ctx, sub);
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : Object.hasOwn(FILE_COMMANDS, name) ? FILE_COMMANDS[name] : null;
  return command ? command(args, ctx, sub) : notFound(name, sub);
}

/** Runs a command line; resolves to its exit status. */
export async function runCommandLine(line: string, ctx: HostContext, io: CommandIo): Promise<number> {
  let nodes;
  try {
    nodes = parseScript(line);
  } catch (err) {
    if (!(err instanceof ShellSyntaxError)) throw err;
    io.stderr(`bash: ${err.message.replace(/^sh: /, '')}\n`);
    return 2;
  }
  let last = 0;
  try {
    return await runNodes(nodes, async (cmd, outer) => (last = await runSimple(cmd, outer, ctx, io, () => last)), [], () => io.signal.aborted);
  } catch (err) {
    if (err instanceof ShellExit) return err.status;
    throw err;
  }
}
