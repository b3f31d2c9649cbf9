// Fuzz the SSH text codecs: the POSIX word splitter the lab's hosts run every command line
// through, the quoting that must survive it, and the public-key line parser. 100k cases
// each; pure calls.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src-main/lab/generator';
import { parsePublicKeyLine } from '../../src-main/core/protocols/ssh/codec/keys';
import { commandLine, parseCommandList, ShellSyntaxError } from '../../src-main/core/protocols/ssh/codec/quote';

const ALPHABET = [..."abc xyz019\t\n'\"\\$`;&|#()<>*?~=-_/.", 'é', '中', '\u0000', '\u0001', '😀'];
const CASES = 100_000;

function randomLine(rnd: () => number): string {
  const len = Math.floor(rnd() * 24);
  let s = '';
  for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
  return s;
}

describe('fuzz: SSH command line codec', () => {
  it('parseCommandList either parses or throws ShellSyntaxError, and what it parses re-quotes to the same argv', () => {
    const rnd = createRng(0x55a1);
    let parsed = 0;
    for (let i = 0; i < CASES; i++) {
      const line = randomLine(rnd);
      let cmds;
      try {
        cmds = parseCommandList(line);
      } catch (err) {
        // (plain checks in the loop: expect() per case would cost more than the codec)
        if (!(err instanceof ShellSyntaxError) || err.position < 0 || err.position > line.length) {
          throw new Error(`case ${i} ${JSON.stringify(line)}: ${String(err)}`);
        }
        continue;
      }
      parsed++;
      for (const { argv } of cmds) {
        if (argv.length === 0) throw new Error(`case ${i}: empty command from ${JSON.stringify(line)}`);
        if (argv.some((a) => a.includes('\0'))) {
          let refused = false;
          try {
            commandLine(argv);
          } catch {
            refused = true;
          }
          if (!refused) throw new Error(`case ${i}: NUL in ${JSON.stringify(argv)} was quoted`);
          continue;
        }
        const again = parseCommandList(commandLine(argv));
        if (again.length !== 1 || JSON.stringify(again[0].argv) !== JSON.stringify(argv)) {
          throw new Error(`case ${i}: ${JSON.stringify(argv)} re-parsed as ${JSON.stringify(again)}`);
        }
      }
    }
    // The alphabet is hostile, but a fair share of lines must still be valid for this to test anything.
    expect(parsed).toBeGreaterThan(CASES / 20);
  });

  it('parsePublicKeyLine returns a key or null for any input, never throws', () => {
    const rnd = createRng(0x9e3779b9);
    const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
    const valid = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILJF7+CFXgAjEWM+q9i8l6pxcu7kkWhtpkN8S0zcg2w0 test@lab';
    let keys = 0;
    for (let i = 0; i < CASES; i++) {
      let line: string;
      const mode = rnd();
      if (mode < 0.4) {
        // A valid line with a few characters changed.
        const chars = [...valid];
        for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) chars[Math.floor(rnd() * chars.length)] = b64[Math.floor(rnd() * b64.length)];
        line = chars.join('');
      } else if (mode < 0.7) {
        line = `ssh-ed25519 ${Array.from({ length: Math.floor(rnd() * 80) }, () => b64[Math.floor(rnd() * b64.length)]).join('')}`;
      } else {
        line = randomLine(rnd);
      }
      const k = parsePublicKeyLine(line);
      if (k) {
        keys++;
        if (k.blob.readUInt32BE(0) !== k.type.length) throw new Error(`case ${i}: ${line}`);
      }
    }
    expect(keys).toBeGreaterThan(0);
  });
});
