// The agent's supervisor (src-daemons/agent/supervisor/main.ts) as a real process over real
// child scripts: a crashing child restarted with exponential backoff and its exit codes
// recorded, the backoff reset after a long run, the pid file (a second supervisor refused,
// stale files taken over), the orphan a SIGKILLed supervisor leaves stopped by the next one,
// the log rotated by size, SIGTERM and SIGINT forwarded with SIGKILL after the grace, and a
// bad command line refused. Every process is stopped by pid; waits poll, nothing is timed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, sleep, until } from '../../../../support/handles';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const MAIN = path.join(root, 'src-daemons/agent/supervisor/main.ts');
const dirs: string[] = [];
const pids = new Set<number>();
afterEach(() => {
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  pids.clear();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Sup {
  proc: ChildProcess;
  dir: string;
  pidFile: string;
  log: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'agent-sup-'));
  dirs.push(d);
  return d;
}

function script(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, body);
  return file;
}

function supervise(dir: string, child: string, flags: string[] = [], childArgs: string[] = []): Sup {
  const pidFile = path.join(dir, 'agent.pid');
  const log = path.join(dir, 'agent.log');
  const args = ['--import', 'tsx', MAIN, '--pid-file', pidFile, '--log-file', log, '--max-log-bytes', '1000000', '--keep-logs', '3', ...flags, '--', process.execPath, child, ...childArgs];
  const proc = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  pids.add(proc.pid!);
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, dir, pidFile, log, stderr: () => err, exit };
}

const text = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
/** Child pids the supervisor recorded starting; remembered for cleanup. */
function children(log: string): number[] {
  const found = [...text(log).matchAll(/started child (\d+)/g)].map((m) => Number(m[1]));
  for (const p of found) pids.add(p);
  return found;
}
/** Not running: no such pid, or a zombie its new parent has not reaped yet. */
function gone(pid: number): boolean {
  try {
    return !alive(pid) || readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return true;
  }
}
const waits = (log: string) => [...text(log).matchAll(/restart \d+ in (\d+) ms/g)].map((m) => Number(m[1]));

const LONG_RUNNING = `process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(0); });
process.on('SIGINT', () => { console.log('child got SIGINT'); process.exit(0); });
console.log('child up ' + process.pid + ' supervisor ' + process.env.FLEETDECK_SUPERVISOR_PID);
setInterval(() => {}, 1000);
`;

describe('supervisor: restarts', () => {
  it('restarts a crashing child with backoff doubling to the maximum, recording each exit code', async () => {
    const dir = tmp();
    const crash = script(dir, 'crash.mjs', "console.log('crashing run ' + process.pid); process.exit(3);\n");
    const sup = supervise(dir, crash, ['--backoff-initial-ms', '50', '--backoff-max-ms', '400']);
    await until('six restarts', () => waits(sup.log).length >= 6);
    expect(waits(sup.log).slice(0, 6)).toEqual([50, 100, 200, 400, 400, 400]);
    const exits = text(sup.log).match(/child \d+ exited with code 3 after \d+ ms; restart \d+/g) ?? [];
    expect(exits.length).toBeGreaterThanOrEqual(6);
    expect(text(sup.log)).toContain('crashing run ');
    expect(new Set(children(sup.log)).size).toBeGreaterThanOrEqual(6);
    process.kill(sup.proc.pid!, 'SIGTERM');
    expect(await sup.exit).toBe(0);
    expect(existsSync(sup.pidFile)).toBe(false);
  });

  it('starts the backoff again after the child ran resetAfterMs', async () => {
    const dir = tmp();
    const counter = path.join(dir, 'runs');
    const go = path.join(dir, 'go');
    const child = script(dir, 'counted.mjs', `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const n = (existsSync(${JSON.stringify(counter)}) ? Number(readFileSync(${JSON.stringify(counter)}, 'utf8')) : 0) + 1;
writeFileSync(${JSON.stringify(counter)}, String(n));
if (n !== 4) process.exit(1);
console.log('run 4 waiting');
setInterval(() => { if (existsSync(${JSON.stringify(go)})) process.exit(1); }, 20);
`);
    const sup = supervise(dir, child, ['--backoff-initial-ms', '50', '--backoff-max-ms', '10000', '--reset-after-ms', '1500']);
    await until('run 4', () => text(sup.log).includes('run 4 waiting'));
    await sleep(1600); // run 4 has now been up longer than resetAfterMs
    writeFileSync(go, '');
    await until('five restarts', () => waits(sup.log).length >= 5);
    expect(waits(sup.log).slice(0, 5)).toEqual([50, 100, 200, 50, 100]);
    children(sup.log);
    process.kill(sup.proc.pid!, 'SIGTERM');
    expect(await sup.exit).toBe(0);
  });
});

describe('supervisor: pid files', () => {
  it('refuses a second supervisor on the same pid file, and forwards SIGTERM to the child before it exits', async () => {
    const dir = tmp();
    const child = script(dir, 'long.mjs', LONG_RUNNING);
    const a = supervise(dir, child);
    await until('the child up', () => text(a.log).includes('child up'));
    expect(readFileSync(a.pidFile, 'utf8')).toBe(`${a.proc.pid}\n`);
    const [childPid] = children(a.log);
    expect(text(a.log)).toContain(`child up ${childPid} supervisor ${a.proc.pid}`);
    expect(readFileSync(`${a.pidFile}.child`, 'utf8')).toBe(`${childPid}\n`);

    const b = supervise(dir, child);
    expect(await b.exit).toBe(3);
    expect(b.stderr()).toContain(`Another supervisor (pid ${a.proc.pid})`);
    expect(readFileSync(a.pidFile, 'utf8')).toBe(`${a.proc.pid}\n`);
    expect(children(a.log)).toEqual([childPid]);

    process.kill(a.proc.pid!, 'SIGTERM');
    expect(await a.exit).toBe(0);
    expect(text(a.log)).toContain('child got SIGTERM');
    expect(alive(childPid)).toBe(false);
    expect(existsSync(a.pidFile)).toBe(false);
    expect(existsSync(`${a.pidFile}.child`)).toBe(false);
  });

  it('takes over a stale pid file: a dead pid, or a live process that is not a supervisor', async () => {
    const dir = tmp();
    const child = script(dir, 'long.mjs', LONG_RUNNING);
    const dead = spawnSync('true').pid!;
    for (const stale of [dead, process.pid]) {
      writeFileSync(path.join(dir, 'agent.pid'), `${stale}\n`);
      const sup = supervise(dir, child);
      await until('the child up', () => text(sup.log).includes('child up'));
      expect(readFileSync(sup.pidFile, 'utf8')).toBe(`${sup.proc.pid}\n`);
      children(sup.log);
      process.kill(sup.proc.pid!, 'SIGINT');
      expect(await sup.exit).toBe(0);
      expect(text(sup.log)).toContain('child got SIGINT');
      rmSync(sup.log);
    }
  });

  it('stops the orphan a SIGKILLed supervisor left running before starting its own child', async () => {
    const dir = tmp();
    const child = script(dir, 'long.mjs', LONG_RUNNING);
    const a = supervise(dir, child);
    await until('the child up', () => text(a.log).includes('child up'));
    const [orphan] = children(a.log);
    process.kill(a.proc.pid!, 'SIGKILL');
    await a.exit;
    expect(alive(orphan)).toBe(true);

    const b = supervise(dir, child);
    await until('a second child', () => children(b.log).length >= 2);
    expect(text(b.log)).toContain(`stopping pid ${orphan}, left running by an earlier supervisor`);
    expect(gone(orphan)).toBe(true);
    process.kill(b.proc.pid!, 'SIGTERM');
    expect(await b.exit).toBe(0);
  });
});

describe('supervisor: logs and signals', () => {
  it('rotates the log by size, keeping K old files, none over the limit, output in order across them', async () => {
    const dir = tmp();
    const child = script(dir, 'chatty.mjs', `for (let i = 0; i < 40; i++) console.log(('line ' + String(i).padStart(2, '0') + ' ').padEnd(99, '.'));
setInterval(() => {}, 1000);
`);
    const sup = supervise(dir, child, ['--max-log-bytes', '1000', '--keep-logs', '2']);
    await until('the last line', () => text(sup.log).includes('line 39'));
    const files = [`${sup.log}.2`, `${sup.log}.1`, sup.log];
    for (const f of files) {
      expect(existsSync(f), f).toBe(true);
      expect(statSync(f).size, f).toBeLessThanOrEqual(1000);
    }
    expect(existsSync(`${sup.log}.3`)).toBe(false);
    const numbers = files.flatMap((f) => [...text(f).matchAll(/line (\d\d)/g)].map((m) => Number(m[1])));
    expect(numbers.at(-1)).toBe(39);
    expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
    children(sup.log);
    process.kill(sup.proc.pid!, 'SIGTERM');
    expect(await sup.exit).toBe(0);
  });

  it('kills a child that ignores SIGTERM after the grace, then exits', async () => {
    const dir = tmp();
    const child = script(dir, 'stubborn.mjs', "process.on('SIGTERM', () => console.log('ignoring SIGTERM'));\nconsole.log('stubborn up');\nsetInterval(() => {}, 1000);\n");
    const sup = supervise(dir, child, ['--grace-ms', '300']);
    await until('the child up', () => text(sup.log).includes('stubborn up'));
    const [childPid] = children(sup.log);
    process.kill(sup.proc.pid!, 'SIGTERM');
    expect(await sup.exit).toBe(0);
    expect(text(sup.log)).toContain('ignoring SIGTERM');
    expect(text(sup.log)).toMatch(/still running after 300 ms: SIGKILL/);
    expect(text(sup.log)).toMatch(/was killed by SIGKILL/);
    expect(alive(childPid)).toBe(false);
  });

  it('ends with 0 and does not restart a child that exits 0 (restart on failure), and refuses a bad command line', async () => {
    const dir = tmp();
    const ok = script(dir, 'ok.mjs', "console.log('done');\n");
    const sup = supervise(dir, ok);
    expect(await sup.exit).toBe(0);
    expect(text(sup.log)).toMatch(/exited with code 0 after \d+ ms; not restarting/);
    const bad = spawn(process.execPath, ['--import', 'tsx', MAIN, '--pid-file', path.join(dir, 'x.pid'), '--log-file', path.join(dir, 'x.log'), '--max-log-bytes', '10', '--keep-logs', '1'], { cwd: root, stdio: 'ignore' });
    pids.add(bad.pid!);
    expect(await new Promise((r) => bad.once('exit', r))).toBe(2);
  });
});
