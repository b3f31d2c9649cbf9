// The coreutils a lab host runs over its files for the agent deploy (host-commands.ts in the
// core): mkdir -p, chmod, ln -s[f][n], readlink, tail -n and test / [ (-d -f -e -x -s -n -z,
// = and !=), with the messages and exit codes GNU coreutils and bash give, so a deploy step
// that fails on a lab host fails as it would on a real one.
import { posix } from 'node:path';
import type { CommandIo, HostContext } from './ssh-commands';

type Command = (args: string[], ctx: HostContext, io: CommandIo) => number | Promise<number>;

const fail = (io: CommandIo, cmd: string, msg: string, code = 1): number => {
  io.stderr(`${cmd}: ${msg}\n`);
  return code;
};

/** Options (-x, -xy, --long) apart from operands; everything after -- is an operand. */
function split(args: readonly string[]): { flags: Set<string>; operands: string[]; values: Map<string, string> } {
  const flags = new Set<string>();
  const operands: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a === '-n' && i + 1 < args.length && /^\d+$/.test(args[i + 1])) values.set('n', args[++i]);
    else if (/^-n\d+$/.test(a)) values.set('n', a.slice(2));
    else if (a.startsWith('--') && a.length > 2) flags.add(a);
    else if (a.startsWith('-') && a.length > 1 && !/^-\d+$/.test(a)) for (const c of a.slice(1)) flags.add(c);
    else operands.push(a);
  }
  return { flags, operands, values };
}

/** chmod's mode operand: octal, or [ugoa]*[+-=][rwx]+ clauses; null when not understood. */
export function applyMode(spec: string, current: number): number | null {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8);
  let mode = current;
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)([+=-])([rwx]*)$/.exec(clause);
    if (!m) return null;
    const who = m[1] === '' || m[1].includes('a') ? 'ugo' : m[1];
    let bits = 0;
    for (const w of who) {
      const shift = w === 'u' ? 6 : w === 'g' ? 3 : 0;
      for (const p of m[3]) bits |= (p === 'r' ? 4 : p === 'w' ? 2 : 1) << shift;
    }
    if (m[2] === '+') mode |= bits;
    else if (m[2] === '-') mode &= ~bits;
    else {
      let clear = 0;
      for (const w of who) clear |= 7 << (w === 'u' ? 6 : w === 'g' ? 3 : 0);
      mode = (mode & ~clear) | bits;
    }
  }
  return mode;
}

function test(args: string[], ctx: HostContext, io: CommandIo, bracket: boolean): number {
  if (bracket) {
    if (args[args.length - 1] !== ']') return fail(io, 'bash: [', "missing `]'", 2);
    args = args.slice(0, -1);
  }
  let negate = false;
  if (args[0] === '!') {
    negate = true;
    args = args.slice(1);
  }
  const result = (ok: boolean): number => (ok !== negate ? 0 : 1);
  if (args.length === 0) return result(false);
  if (args.length === 1) return result(args[0] !== '');
  if (args.length === 2) {
    const [op, p] = args;
    const st = ctx.fs.stat(p);
    switch (op) {
      case '-d': return result(ctx.fs.isDir(p));
      case '-f': return result(ctx.fs.isFile(p));
      case '-e': return result(st !== null);
      case '-s': return result(st !== null && (st.size ?? 0) > 0);
      case '-x': return result(st !== null && ((st.mode ?? 0) & 0o111) !== 0);
      case '-L': case '-h': return result(ctx.fs.readlink(p) !== null);
      case '-n': return result(p !== '');
      case '-z': return result(p === '');
      default: return fail(io, `bash: ${bracket ? '[' : 'test'}`, `${op}: unary operator expected`, 2);
    }
  }
  if (args.length === 3 && (args[1] === '=' || args[1] === '==' || args[1] === '!=')) return result((args[0] === args[2]) === (args[1] !== '!='));
  return fail(io, `bash: ${bracket ? '[' : 'test'}`, 'too many arguments', 2);
}

export const FILE_COMMANDS: Record<string, Command> = {
  mkdir: (args, ctx, io) => {
    const { flags, operands } = split(args);
    if (operands.length === 0) return fail(io, 'mkdir', 'missing operand');
    const parents = flags.has('p') || flags.has('--parents');
    let status = 0;
    for (const d of operands) {
      const exists = ctx.fs.lstat(d) !== null;
      if (exists && parents && ctx.fs.isDir(d)) continue;
      if (exists) status = fail(io, 'mkdir', `cannot create directory '${d}': File exists`);
      else if (!ctx.fs.writable(d)) status = fail(io, 'mkdir', `cannot create directory '${d}': Permission denied`);
      else if (!parents && !ctx.fs.isDir(posix.dirname(ctx.fs.resolve(d, false)))) status = fail(io, 'mkdir', `cannot create directory '${d}': No such file or directory`);
      else {
        const why = ctx.fs.mkdirp(d);
        if (why) status = fail(io, 'mkdir', `cannot create directory '${d}': ${why}`);
      }
    }
    return status;
  },
  chmod: (args, ctx, io) => {
    const [mode, ...files] = args.filter((a) => a !== '--');
    if (!mode || files.length === 0) return fail(io, 'chmod', mode ? `missing operand after '${mode}'` : 'missing operand');
    let status = 0;
    for (const f of files) {
      const st = ctx.fs.stat(f);
      const next = st ? applyMode(mode, (st.mode ?? 0) & 0o7777) : null;
      if (!st) status = fail(io, 'chmod', `cannot access '${f}': No such file or directory`);
      else if (next === null) return fail(io, 'chmod', `invalid mode: '${mode}'`);
      else if (!ctx.fs.writable(f)) status = fail(io, 'chmod', `changing permissions of '${f}': Read-only file system`);
      else ctx.fs.chmod(f, next);
    }
    return status;
  },
  ln: (args, ctx, io) => {
    const { flags, operands } = split(args);
    if (!flags.has('s')) return fail(io, 'ln', 'the lab makes symbolic links only (ln -s)');
    if (operands.length !== 2) return fail(io, 'ln', operands.length < 2 ? 'missing file operand' : 'the lab takes one target and one link name');
    const [target, link] = operands;
    // -n: a link to a directory is replaced itself, not followed into.
    const at = flags.has('n') && ctx.fs.readlink(link) !== null ? ctx.fs.resolve(link, false) : link;
    const why = ctx.fs.symlink(target, at, flags.has('f'));
    return why ? fail(io, 'ln', `failed to create symbolic link '${link}': ${why}`) : 0;
  },
  readlink: (args, ctx, io) => {
    const { operands } = split(args);
    if (operands.length === 0) return fail(io, 'readlink', 'missing operand');
    let status = 0;
    for (const p of operands) {
      const target = ctx.fs.readlink(p);
      if (target === null) status = 1; // readlink without -f: silent, exit 1
      else io.stdout(`${target}\n`);
    }
    return status;
  },
  tail: (args, ctx, io) => {
    const { values, operands } = split(args);
    const n = Number(values.get('n') ?? 10);
    if (operands.length === 0) return fail(io, 'tail', 'the lab reads files only (no stdin)');
    let status = 0;
    for (const f of operands) {
      const kept = ctx.fs.checksumOnly(f);
      const data = ctx.fs.isDir(f) ? null : ctx.fs.readText(f);
      if (kept) status = fail(io, 'tail', `cannot read '${f}': the lab keeps only its checksum`);
      else if (data === null) status = fail(io, 'tail', `cannot open '${f}' for reading: ${ctx.fs.isDir(f) ? 'Is a directory' : 'No such file or directory'}`);
      else {
        const lines = data.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        const tail = n === 0 ? [] : lines.slice(-n);
        io.stdout(tail.length ? `${tail.join('\n')}${data.endsWith('\n') ? '\n' : ''}` : '');
      }
    }
    return status;
  },
  test: (args, ctx, io) => test(args, ctx, io, false),
  '[': (args, ctx, io) => test(args, ctx, io, true),
};
