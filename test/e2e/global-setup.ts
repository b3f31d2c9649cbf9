// Starts serve mode as a child process on a fresh data dir and a port the OS picks
// (--port 0: no race between choosing a free port and binding it), reads the URL and
// the three tokens from its stdout, and waits for the URL to answer.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, RESULTS_DIR, SERVE_INFO_FILE, SERVE_LOG_FILE, parseServeLine, type FoundSoFar, type ServeInfo } from './serve-info';

const START_TIMEOUT_MS = 240_000;

export default async function globalSetup(): Promise<void> {
  const serveJs = join(ROOT, 'out/main/serve.js');
  if (!existsSync(serveJs)) throw new Error(`${serveJs} does not exist: run \`npm run build\` before the e2e tests`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  // A file left by an earlier run names a pid that is not ours any more.
  rmSync(SERVE_INFO_FILE, { force: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetdeck-e2e-serve-'));
  const log = createWriteStream(SERVE_LOG_FILE);
  const child = spawn(process.execPath, [serveJs, '--port', '0', '--trap-port', '0', '--lab-prefix', '127.21', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not start serve mode');
  // Keep draining both streams into the log for the whole run: a full pipe would stall the server.
  child.stderr.on('data', (chunk: Buffer) => log.write(chunk));
  const found: FoundSoFar = { tokens: {} };
  const complete = () => Boolean(found.url && found.tokens.viewer && found.tokens.operator && found.tokens.admin);

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`serve mode printed no URL and tokens within ${START_TIMEOUT_MS / 1000} s (see ${SERVE_LOG_FILE})`)), START_TIMEOUT_MS);
    const onExit = (code: number | null, signal: string | null) =>
      fail(new Error(`serve mode exited (code ${code}, signal ${signal}) before it was ready (see ${SERVE_LOG_FILE})`));
    function fail(err: Error): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      if (child.exitCode === null) child.kill('SIGKILL');
      reject(err);
    }
    child.once('exit', onExit);
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.write(`${line}\n`);
      if (complete()) return;
      parseServeLine(line, found);
      if (complete()) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
  });

  const info: ServeInfo = { url: found.url!, pid: child.pid, dataDir, tokens: found.tokens as ServeInfo['tokens'] };
  writeFileSync(SERVE_INFO_FILE, JSON.stringify(info, null, 2));
  process.env.FLEETDECK_E2E_SERVE_INFO = SERVE_INFO_FILE;
  try {
    await waitForHttp(info.url, child);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(SERVE_INFO_FILE, { force: true });
    throw err;
  }
}

async function waitForHttp(url: string, child: { exitCode: number | null }): Promise<void> {
  let last = 'no answer yet';
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`serve mode exited (code ${child.exitCode}) while waiting for ${url}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer: ${last}`);
}
