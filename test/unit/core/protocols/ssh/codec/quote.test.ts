// POSIX shell quoting and its inverse, the word splitter the lab's hosts use: fixed cases,
// 100,000 random round trips, and the real shells where installed.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../../../src-main/lab/generator';
import { commandLine, parseCommandList, shellQuote, ShellSyntaxError } from '../../../../../../src-main/core/protocols/ssh/codec/quote';

// Characters that mean something to some shell somewhere, plus whitespace, controls and
// non-ASCII (BMP and astral). Lone surrogates are left out: they cannot cross a process
// boundary as UTF-8 at all.
const NASTY = [..."'\"\\$`!*?[]{}()<>|&;#~=%^ \t\n\r\v\f,:@+-./", '\x01', '\x1b', '\x7f', 'é', '中', '\u00a0', '\u202e', '😀', '$(id)', '`id`', "'\\''", '${IFS}', '-n', '-e', '--', '~root', 'a=b'];
const PLAIN = 'abcXYZ019_';

function nastyString(rnd: () => number): string {
  const len = Math.floor(rnd() * 12);
  let s = '';
  for (let i = 0; i < len; i++) s += rnd() < 0.6 ? NASTY[Math.floor(rnd() * NASTY.length)] : PLAIN[Math.floor(rnd() * PLAIN.length)];
  return s;
}

function nastyArgv(rnd: () => number, max = 6): string[] {
  return Array.from({ length: Math.floor(rnd() * max) }, () => nastyString(rnd));
}

/** Runs `printf '%s\0' <quoted args>` through a shell and splits what it printed. */
function throughShell(shell: string, args: readonly string[]): string[] {
  const out = execFileSync(shell, ['-c', commandLine(['printf', '%s\\0', ...args])], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote / commandLine', () => {
  it('leaves plain words bare and single-quotes everything else', () => {
    expect(shellQuote('uptime')).toBe('uptime');
    expect(shellQuote('/proc/loadavg')).toBe('/proc/loadavg');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('a=b')).toBe("'a=b'"); // never an assignment when it is argv[0]
    expect(shellQuote('~')).toBe("'~'");
    expect(shellQuote('#x')).toBe("'#x'");
    expect(commandLine(['cat', '/tmp/my file', '$(reboot)'])).toBe("cat '/tmp/my file' '$(reboot)'");
  });

  it('refuses what no shell word can carry: NUL, and an empty argv', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
    expect(() => commandLine([])).toThrow(/program name/);
  });

  it('round-trips 100,000 random argv arrays through the POSIX word splitter', () => {
    const rnd = createRng(20240601);
    for (let i = 0; i < 100_000; i++) {
      const argv = ['cmd', ...nastyArgv(rnd)];
      const parsed = parseCommandList(commandLine(argv));
      if (parsed.length !== 1 || JSON.stringify(parsed[0].argv) !== JSON.stringify(argv)) {
        expect({ case: i, parsed }).toEqual({ case: i, parsed: [{ argv, next: null }] });
      }
    }
  });

  const shells = ['/bin/sh', '/bin/bash', '/bin/dash'].filter((s) => existsSync(s));
  it.each(shells)('quoted argv reaches printf unchanged through %s -c', (shell) => {
    const rnd = createRng(shell.length * 7919);
    // A few hundred shell runs, 40 args each: every nasty character many times over.
    for (let run = 0; run < 150; run++) {
      const args = Array.from({ length: 40 }, () => nastyString(rnd));
      expect(throughShell(shell, args)).toEqual(args);
    }
    // The classics, one by one.
    for (const a of NASTY) expect(throughShell(shell, [a, `x${a}y`, a + a])).toEqual([a, `x${a}y`, a + a]);
  });
});

describe('parseCommandList', () => {
  it('splits simple commands joined by ;, &&, || and newlines', () => {
    expect(parseCommandList('uname -a; uptime && echo ok || echo no\nhostname')).toEqual([
      { argv: ['uname', '-a'], next: ';' },
      { argv: ['uptime'], next: '&&' },
      { argv: ['echo', 'ok'], next: '||' },
      { argv: ['echo', 'no'], next: ';' },
      { argv: ['hostname'], next: null },
    ]);
    expect(parseCommandList('echo a; # comment ; still\n')).toEqual([{ argv: ['echo', 'a'], next: null }]);
    expect(parseCommandList('echo a#b "c d" e\\ f "\\$x" \'\\n\'')).toEqual([{ argv: ['echo', 'a#b', 'c d', 'e f', '$x', '\\n'], next: null }]);
    expect(parseCommandList('  ')).toEqual([]);
  });

  it('refuses what it does not implement instead of guessing', () => {
    for (const line of ['cat x | wc', 'echo $HOME', 'echo "$(id)"', 'echo `id`', 'a > b', 'sleep 1 &', '(true)', "echo 'open", 'echo "open', '&& true', 'true &&', 'echo \\']) {
      expect(() => parseCommandList(line), line).toThrow(ShellSyntaxError);
    }
  });
});
