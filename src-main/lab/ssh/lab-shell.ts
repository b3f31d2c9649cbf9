// What a lab host's login shell understands beyond the core's word splitter (quote.ts's
// parseCommandList, which FleetDeck's quoting must survive and which refuses <, >, & and the
// like): the redirections the deploy's host commands use (2>/dev/null, >/dev/null, 2>&1,
// &>/dev/null, </dev/null) and `if LIST; then LIST; [elif LIST; then LIST;] [else LIST;] fi`.
// A pre-pass, aware of quotes and comments, cuts each redirection out of the line and leaves a
// placeholder word (NUL-delimited: no command line FleetDeck sends holds a NUL, and one that
// does is refused) that parseCommandList keeps as a word of its command; the keywords are read
// from the commands it returns (so a quoted 'if' counts as the keyword too: a simplification).
// Redirections to other files are refused, saying so.
import { parseCommandList, ShellSyntaxError, type ShellOperator } from '../../core/protocols/ssh/codec/quote';

export interface Redirect {
  /** The fd redirected (0 stdin, 1 stdout, 2 stderr; -1: both 1 and 2, as &> does). */
  readonly fd: number;
  readonly op: '>' | '>>' | '<' | '>&';
  /** A path, or for >& the fd copied. */
  readonly target: string;
}

export interface SimpleCommand {
  readonly argv: string[];
  readonly redirs: Redirect[];
}

export type ShellNode =
  | { readonly kind: 'cmd'; readonly cmd: SimpleCommand; next: ShellOperator | null }
  | { readonly kind: 'if'; readonly arms: Array<{ cond: ShellNode[]; body: ShellNode[] }>; readonly otherwise: ShellNode[] | null; readonly redirs: Redirect[]; next: ShellOperator | null };

const PLACEHOLDER = /^\0(\d+)\0$/;
const WORD_END = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);

/** Cuts the redirections out of a line (quotes and comments respected); throws ShellSyntaxError. */
export function cutRedirections(line: string): { line: string; redirs: Redirect[] } {
  if (line.includes('\0')) throw new ShellSyntaxError('a NUL byte in the command line', line.indexOf('\0'));
  const redirs: Redirect[] = [];
  let out = '';
  let wordStart = 0; // index in `out` where the current word began
  let inWord = false;
  let digits = true; // the current word is unquoted digits only
  let i = 0;
  const startWord = (): void => {
    if (!inWord) {
      inWord = true;
      wordStart = out.length;
      digits = true;
    }
  };
  while (i < line.length) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const close = c === "'" ? line.indexOf("'", i + 1) : closingDoubleQuote(line, i + 1);
      if (close < 0) throw new ShellSyntaxError(`unterminated ${c === "'" ? 'single' : 'double'} quote`, i);
      startWord();
      digits = false;
      out += line.slice(i, close + 1);
      i = close + 1;
    } else if (c === '\\') {
      startWord();
      digits = false;
      out += line.slice(i, i + 2);
      i += 2;
    } else if (c === '#' && !inWord) {
      const nl = line.indexOf('\n', i);
      out += line.slice(i, nl < 0 ? line.length : nl);
      i = nl < 0 ? line.length : nl;
    } else if (c === '>' || c === '<' || (c === '&' && line[i + 1] === '>')) {
      let fd = c === '<' ? 0 : 1;
      if (c === '&') {
        fd = -1;
        i++;
      } else if (inWord && digits && out.length > wordStart) {
        fd = Number(out.slice(wordStart));
        out = out.slice(0, wordStart);
      }
      inWord = false;
      let op: Redirect['op'] = line[i] === '<' ? '<' : '>';
      i++;
      if (op === '>' && line[i] === '>') {
        op = '>>';
        i++;
      } else if (line[i] === '&') {
        if (op === '<') throw new ShellSyntaxError('"<&" is not supported', i);
        op = '>&';
        i++;
      } else if (op === '>' && line[i] === '|') {
        i++;
      } else if (op === '<' && line[i] === '<') {
        throw new ShellSyntaxError('here-documents are not supported', i);
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      const word = readWord(line, i);
      if (!word.text) throw new ShellSyntaxError('syntax error near unexpected token `newline\'', i);
      i = word.end;
      redirs.push({ fd, op, target: word.text });
      out += ` \0${redirs.length - 1}\0 `;
    } else {
      if (c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|') inWord = false;
      else {
        startWord();
        if (c < '0' || c > '9') digits = false;
      }
      out += c;
      i++;
    }
  }
  return { line: out, redirs };
}

function closingDoubleQuote(line: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '"') return i;
  }
  return -1;
}

/** A redirection's target word, quotes removed. */
function readWord(line: string, from: number): { text: string; end: number } {
  let text = '';
  let i = from;
  while (i < line.length && !WORD_END.has(line[i])) {
    const c = line[i];
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new ShellSyntaxError('unterminated single quote', i);
      text += line.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      const close = closingDoubleQuote(line, i + 1);
      if (close < 0) throw new ShellSyntaxError('unterminated double quote', i);
      text += line.slice(i + 1, close).replace(/\\([$`"\\])/g, '$1');
      i = close + 1;
    } else if (c === '\\' && i + 1 < line.length) {
      text += line[i + 1];
      i += 2;
    } else {
      text += c;
      i++;
    }
  }
  return { text, end: i };
}

/** Parses a command line into nodes: simple commands and if blocks, each with its redirections. */
export function parseScript(line: string): ShellNode[] {
  const cut = cutRedirections(line);
  const flat = parseCommandList(cut.line).map(({ argv, next }) => {
    const words: string[] = [];
    const redirs: Redirect[] = [];
    for (const w of argv) {
      const m = PLACEHOLDER.exec(w);
      if (m) redirs.push(cut.redirs[Number(m[1])]);
      else words.push(w);
    }
    return { argv: words, redirs, next };
  });
  let at = 0;
  const fail = (why: string): never => {
    throw new ShellSyntaxError(why, line.length);
  };

  /** Commands until one of the keywords starts a command; the keyword is left for the caller. */
  const list = (until: readonly string[]): ShellNode[] => {
    const nodes: ShellNode[] = [];
    while (at < flat.length) {
      const c = flat[at];
      const head = c.argv[0];
      if (head !== undefined && until.includes(head)) return nodes;
      if (head === 'if') {
        nodes.push(ifBlock());
        continue;
      }
      if (head === 'then' || head === 'elif' || head === 'else' || head === 'fi') fail(`syntax error near unexpected token \`${head}'`);
      at++;
      if (c.argv.length === 0) fail('a redirection with no command');
      nodes.push({ kind: 'cmd', cmd: { argv: c.argv, redirs: c.redirs }, next: c.next });
    }
    if (until.length) fail(`syntax error: unexpected end of file (expected ${until.join(' or ')})`);
    return nodes;
  };

  /** Drops the keyword word at the head of the current command (a command left empty is consumed). */
  const keyword = (): { redirs: Redirect[]; next: ShellOperator | null } => {
    const c = flat[at];
    c.argv = c.argv.slice(1);
    if (c.argv.length === 0) {
      at++;
      return { redirs: c.redirs, next: c.next };
    }
    return { redirs: [], next: null };
  };

  const ifBlock = (): ShellNode => {
    const arms: Array<{ cond: ShellNode[]; body: ShellNode[] }> = [];
    let otherwise: ShellNode[] | null = null;
    keyword(); // if
    for (;;) {
      const cond = list(['then']);
      keyword();
      const body = list(['elif', 'else', 'fi']);
      arms.push({ cond, body });
      const head = flat[at].argv[0];
      if (head === 'elif') {
        keyword();
        continue;
      }
      if (head === 'else') {
        keyword();
        otherwise = list(['fi']);
      }
      break;
    }
    if (flat[at].argv.length > 1) fail("syntax error near unexpected token after `fi'");
    const end = keyword();
    return { kind: 'if', arms, otherwise, redirs: end.redirs, next: end.next };
  };

  return list([]);
}

/** `exit N` anywhere in a script ends it. */
export class ShellExit extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}

/** Runs nodes with sh's ;, && and || rules; `run` runs one simple command under the block's redirections. */
export async function runNodes(nodes: readonly ShellNode[], run: (cmd: SimpleCommand, outer: readonly Redirect[]) => Promise<number>, outer: readonly Redirect[] = [], aborted: () => boolean = () => false): Promise<number> {
  let status = 0;
  let prev: ShellOperator | null = null;
  for (const node of nodes) {
    const skip = (prev === '&&' && status !== 0) || (prev === '||' && status === 0);
    prev = node.next;
    if (skip) continue;
    if (aborted()) return 143;
    if (node.kind === 'cmd') {
      status = await run(node.cmd, outer);
      continue;
    }
    const redirs = [...outer, ...node.redirs];
    const arm = await pickArm(node, run, redirs, aborted);
    status = arm ? await runNodes(arm, run, redirs, aborted) : 0;
  }
  return status;
}

async function pickArm(node: Extract<ShellNode, { kind: 'if' }>, run: Parameters<typeof runNodes>[1], redirs: readonly Redirect[], aborted: () => boolean): Promise<ShellNode[] | null> {
  for (const { cond, body } of node.arms) if ((await runNodes(cond, run, redirs, aborted)) === 0) return body;
  return node.otherwise;
}
