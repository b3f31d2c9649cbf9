// Builds and runs test/support/nfq-delay.c, the NFQUEUE program that delays a namespace's
// packets (tc netem is not built into this kernel). compileNfqDelay() builds it with
// c-build.ts (gcc, -lnetfilter_queue, once per source version); startNfqDelay() runs it under a wrapper argv (e.g.
// `ip netns exec NS`), resolves once it printed "ready" (bound to its queue), and stop() ends
// it by pid (SIGTERM: it accepts what it still holds first; SIGKILL after 3 s).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileC, gccCheck } from './c-build';

const SOURCE = fileURLToPath(new URL('./nfq-delay.c', import.meta.url));
const HEADER = '/usr/include/libnetfilter_queue/libnetfilter_queue.h';

/** Whether the program can be built here: gcc and libnetfilter_queue's headers. */
export function nfqDelayCheck(): { ok: boolean; reason: string } {
  const gcc = gccCheck();
  if (!gcc.ok) return gcc;
  if (!existsSync(HEADER)) return { ok: false, reason: `${HEADER} is missing (apt-get install libnetfilter-queue-dev)` };
  return { ok: true, reason: '' };
}

/** The built program's path (compiled on first use per source version). */
export const compileNfqDelay = (): string => compileC(SOURCE, 'nfq-delay', ['-lnetfilter_queue']);

export interface NfqDelay {
  readonly pid: number;
  readonly queue: number;
  readonly delayMs: number;
  /** What it printed on stderr (its closing line counts the packets it held). */
  readonly log: () => string;
  /** SIGTERM (SIGKILL after 3 s); resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Runs the program on `queue` with `delayMs` under `wrapper` (argv prefix, e.g. ['ip', 'netns',
 * 'exec', ns]); resolves when it is bound, rejects with its stderr when it exits first.
 */
export async function startNfqDelay(wrapper: readonly string[], queue: number, delayMs: number): Promise<NfqDelay> {
  if (!Number.isInteger(queue) || queue < 0 || queue > 65535) throw new Error(`queue must be an integer 0..65535, got ${queue}`);
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 60_000) throw new Error(`delayMs must be an integer 0..60000, got ${delayMs}`);
  const bin = compileNfqDelay();
  const argv = [...wrapper, bin, String(queue), String(delayMs)];
  const child: ChildProcess = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => void (err += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`nfq-delay on queue ${queue} did not say ready in 10 s: ${err.trim()}`)), 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^ready\b/m.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`nfq-delay on queue ${queue} exited (${code ?? sig}) before ready: ${err.trim()}`));
    });
  }).catch(async (e: Error) => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    throw e;
  });
  return {
    pid: child.pid!,
    queue,
    delayMs,
    log: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}
