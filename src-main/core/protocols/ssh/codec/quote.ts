// POSIX shell quoting. An SSH exec request carries one string that the remote login shell
// parses, so an argv array must be quoted word by word: nothing a user typed is ever pasted
// into a command line raw. The inverse (a small POSIX word splitter) lets the lab's hosts
// run what FleetDeck sends, and lets tests check the round trip without a shell.
import { ValidationError } from '../../../../../src-shared/errors';

/** Characters that mean nothing to sh anywhere in a word. '=' and '~' are left out on purpose. */
const SAFE = /^[A-Za-z0-9_@%+:,./-]+$/;

/** One argument as a single sh word that expands to exactly `arg`. */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new ValidationError('A shell argument cannot contain a NUL byte', { arg: arg.replace(/\0/g, '\\0') });
  if (SAFE.test(arg)) return arg;
  // Inside single quotes nothing is special except the closing quote: end the quoted run,
  // add an escaped quote, reopen.
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line that makes a POSIX shell run argv[0] with exactly argv[1..]. */
export function commandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new ValidationError('A command needs at least a program name');
  return argv.map(shellQuote).join(' ');
}

export type ShellOperator = ';' | '&&' | '||';

export interface ParsedCommand {
  argv: string[];
  /** How the next command depends on this one's exit status; null for the last. */
  next: ShellOperator | null;
}

export class ShellSyntaxError extends ValidationError {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`sh: ${message} at offset ${position}`, { position });
    this.name = 'ShellSyntaxError';
    this.position = position;
  }
}

const UNSUPPORTED = new Set(['|', '&', '<', '>', '(', ')', '`', '$']);

/**
 * Splits a command line into simple commands joined by ;, &&, || or newlines, with POSIX
 * quoting (single quotes, double quotes, backslash) and # comments. Expansions, pipes,
 * redirections and subshells are refused with ShellSyntaxError: this is a word splitter,
 * not a shell.
 */
export function parseCommandList(line: string): ParsedCommand[] {
  const out: ParsedCommand[] = [];
  let argv: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const endWord = (): void => {
    if (inWord) argv.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (op: ShellOperator | null, at: number): void => {
    endWord();
    if (argv.length === 0) {
      if (op === ';' && line[at] === '\n') return; // blank line
      if (op !== null || out.length > 0) throw new ShellSyntaxError(`unexpected ${op ?? 'end of input'}`, at);
      return;
    }
    out.push({ argv, next: op });
    argv = [];
  };
  while (i < line.length) {
    const c = line[i];
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new ShellSyntaxError('unterminated single quote', i);
      word += line.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (c === '"') {
      i = readDoubleQuoted(line, i + 1, (s) => (word += s));
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new ShellSyntaxError('backslash at end of input', i);
      if (line[i + 1] !== '\n') {
        word += line[i + 1];
        inWord = true;
      }
      i += 2;
    } else if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '\n' || c === ';') {
      endCommand(';', i);
      i++;
    } else if ((c === '&' || c === '|') && line[i + 1] === c) {
      endCommand(c === '&' ? '&&' : '||', i);
      i += 2;
    } else if (c === '#' && !inWord) {
      const nl = line.indexOf('\n', i);
      i = nl < 0 ? line.length : nl;
    } else if (UNSUPPORTED.has(c)) {
      throw new ShellSyntaxError(`"${c}" is not supported`, i);
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  endWord();
  if (argv.length > 0) out.push({ argv, next: null });
  else if (out.length > 0 && out[out.length - 1].next !== ';') throw new ShellSyntaxError('unexpected end of input', line.length);
  if (out.length > 0) out[out.length - 1].next = null;
  return out;
}

/** Reads a double-quoted run starting after the opening quote; returns the index after the closing one. */
function readDoubleQuoted(line: string, start: number, emit: (s: string) => void): number {
  let i = start;
  while (i < line.length) {
    const c = line[i];
    if (c === '"') return i + 1;
    if (c === '\\' && i + 1 < line.length && '$`"\\\n'.includes(line[i + 1])) {
      if (line[i + 1] !== '\n') emit(line[i + 1]);
      i += 2;
    } else if (c === '$' || c === '`') {
      throw new ShellSyntaxError(`"${c}" expansion is not supported`, i);
    } else {
      emit(c);
      i++;
    }
  }
  throw new ShellSyntaxError('unterminated double quote', start - 1);
}
