// The small command set a lab host runs over SSH exec. The command line is split with the
// core's POSIX word splitter (what FleetDeck's quoting must survive), then run command by
// command with ;, && and || as sh would. Unknown programs answer like bash does (127).
import { createHash } from 'node:crypto';
import { parseCommandList, ShellSyntaxError } from '../../core/protocols/ssh/codec/quote';
import { unameAll } from '../host-os';
import type { LabFileSystem } from './ssh-files';
import { cpuinfo, dpkgList, formatUptime, loadAverages, meminfo, osRelease, rpmList, type LabHostFacts } from './ssh-host-facts';

export interface HostContext {
  hostname: string;
  username: string;
  facts: LabHostFacts;
  fs: LabFileSystem;
  /** Epoch ms the host last booted. */
  bootAt: number;
  /** Sessions open on the host: uptime's "users". */
  users(): number;
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

/** Generated read-only files of a host; null for any other path. */
export function generatedFile(ctx: HostContext, path: string): (() => string) | null {
  const uptimeSec = (): number => (Date.now() - ctx.bootAt) / 1000;
  switch (path) {
    case '/proc/loadavg':
      return () => {
        const running = 1 + Math.floor(loadAverages(ctx.facts, Date.now())[0] % 7);
        return `${loadAverages(ctx.facts, Date.now()).map((l) => l.toFixed(2)).join(' ')} ${running}/${900 + (ctx.facts.cpus * 7)} ${40_000 + Math.floor(uptimeSec() / 30) % 20_000}\n`;
      };
    case '/proc/uptime':
      return () => `${uptimeSec().toFixed(2)} ${(uptimeSec() * ctx.facts.cpus * 0.8).toFixed(2)}\n`;
    case '/proc/meminfo':
      return () => meminfo(ctx.facts, Date.now());
    case '/proc/cpuinfo':
      return () => cpuinfo(ctx.facts);
    case '/proc/version':
      return () => `Linux version ${ctx.facts.kernel} (buildd@lab) (gcc (GCC) 12.2.0) ${ctx.facts.kernelBuild}\n`;
    case '/etc/os-release':
      return () => osRelease(ctx.facts);
    case '/etc/hostname':
      return () => `${ctx.hostname}\n`;
    default:
      return null;
  }
}

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
  id: (_args, ctx, io) => {
    const uid = ctx.username === 'root' ? 0 : 1000;
    io.stdout(`uid=${uid}(${ctx.username}) gid=${uid}(${ctx.username}) groups=${uid}(${ctx.username})\n`);
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
      if (data) io.stdout(data);
      else {
        io.stderr(`cat: ${f}: ${ctx.fs.isDir(f) ? 'Is a directory' : 'No such file or directory'}\n`);
        status = 1;
      }
    }
    return status;
  },
  sha256sum: (args, ctx, io) => {
    let status = 0;
    for (const f of args.filter((a) => a !== '--')) {
      const data = ctx.fs.read(f);
      if (!data) {
        io.stderr(`sha256sum: ${f}: No such file or directory\n`);
        status = 1;
      } else io.stdout(`${createHash('sha256').update(data).digest('hex')}  ${f}\n`);
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

/** Runs a command line; resolves to its exit status. */
export async function runCommandLine(line: string, ctx: HostContext, io: CommandIo): Promise<number> {
  let commands;
  try {
    commands = parseCommandList(line);
  } catch (err) {
    if (!(err instanceof ShellSyntaxError)) throw err;
    io.stderr(`bash: ${err.message.replace(/^sh: /, '')}\n`);
    return 2;
  }
  let status = 0;
  let prev: string | null = null;
  for (const { argv, next } of commands) {
    const skip = (prev === '&&' && status !== 0) || (prev === '||' && status === 0);
    prev = next;
    if (skip) continue;
    if (io.signal.aborted) return 143;
    const [name, ...args] = argv;
    if (name === 'exit') {
      const n = args.length ? Number(args[0]) : status;
      return Number.isInteger(n) ? ((n % 256) + 256) % 256 : 2;
    }
    const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : null;
    status = cmd ? await cmd(args, ctx, io) : notFound(name, io);
  }
  return status;
}
