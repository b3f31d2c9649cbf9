// Builds a test helper program from C with gcc, once per source version: the binary's folder
// under the temp dir is named by the source's hash, and the binary is written under a temp
// name and renamed, so concurrent runs share it safely.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Whether gcc is here; the reason when not. */
export function gccCheck(): { ok: boolean; reason: string } {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return { ok: true, reason: '' };
  } catch {
    return { ok: false, reason: 'gcc is not installed (apt-get install build-essential)' };
  }
}

/** The built program's path: `gcc -O2 -Wall -o <tmp>/fleetdeck-<name>-<hash>/<name> source ...libs`. */
export function compileC(source: string, name: string, libs: readonly string[] = []): string {
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `fleetdeck-${name}-${hash}`);
  const bin = path.join(dir, name);
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const tmp = `${bin}.${process.pid}`;
  try {
    execFileSync('gcc', ['-O2', '-Wall', '-o', tmp, source, ...libs], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`compiling ${source} failed: ${e.stderr?.toString().trim() || e.message}`);
  }
  renameSync(tmp, bin);
  return bin;
}
