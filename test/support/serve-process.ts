// Starts `node out/main/serve.js` as a child process and stops it by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVE_ENTRY = fileURLToPath(new URL('../../out/main/serve.js', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  tokens: Record<'viewer' | 'operator' | 'admin', string>;
  dataDir: string;
  startedAt: number;
  output: string[];
  stop(): Promise<number | null>;
}

export function startServe(args: string[] = [], opts: { dataDir?: string; timeoutMs?: number } = {}): Promise<ServeProcess> {
  if (!existsSync(SERVE_ENTRY)) throw new Error(`${SERVE_ENTRY} is missing: run npm run build first`);
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'fd-serve-'));
  const startedAt = Date.now();
  const child = spawn(process.execPath, [SERVE_ENTRY, '--port', '0', '--trap-port', '0', '--data-dir', dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const tokens: Partial<ServeProcess['tokens']> = {};
  let url = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(t);
      return code;
    }
    return child.exitCode;
  };
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      void stop();
      rej(new Error(`serve did not start in time:\n${output.join('\n')}`));
    }, opts.timeoutMs ?? 60_000);
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        output.push(line);
        const m = /^FleetDeck serving (\S+)/.exec(line);
        if (m) url = m[1];
        const t = /^token (viewer|operator|admin): (\S+)/.exec(line);
        if (t) tokens[t[1] as 'viewer'] = t[2];
        if (/^ready in/.test(line)) {
          clearTimeout(timer);
          res({ child, pid: child.pid!, url, tokens: tokens as ServeProcess['tokens'], dataDir, startedAt, output, stop });
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`serve exited with ${code} before it was ready:\n${output.join('\n')}`));
    });
  });
}
