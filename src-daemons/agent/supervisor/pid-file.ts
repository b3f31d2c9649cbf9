// Pid files for the supervisor: its own (one supervisor per pid file: a second one refuses to
// start) and its child's (so a supervisor killed with SIGKILL does not leave a second agent
// running beside the next supervisor's: the next one stops that orphan first).
//
// "Names a live process" is judged by signal 0 (EPERM counts as alive) and, where /proc can
// tell, by the process's command line: a supervisor's must mention the pid file's name, a
// child's must be the same command. After a reboot or in a fresh container the recorded pid
// may belong to something else entirely; that is a stale file, not a running supervisor.
// Files hold the pid alone ("1234\n"), so `kill $(cat F)` works.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export class SupervisorRunningError extends Error {
  constructor(
    readonly pidFile: string,
    readonly pid: number,
  ) {
    super(`Another supervisor (pid ${pid}) holds ${pidFile}`);
    this.name = 'SupervisorRunningError';
  }
}

export function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Alive and not a zombie (an orphan whose reaper is slow, or a PID 1 that never reaps, is as good as gone). */
export function isRunning(pid: number, procRoot = '/proc'): boolean {
  if (!isAlive(pid)) return false;
  try {
    const stat = readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** The process's argv from /proc, or null where it cannot be read (not Linux, gone, hidden). */
export function commandLine(pid: number, procRoot = '/proc'): string[] | null {
  try {
    return readFileSync(path.join(procRoot, String(pid), 'cmdline'), 'utf8').replace(/\0$/, '').split('\0');
  } catch {
    return null;
  }
}

/** Writes this process's pid into `file`, refusing when it names another live supervisor. */
export function claimPidFile(file: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readPid(file);
    if (holder !== null && holder !== process.pid && isAlive(holder) && looksLikeSupervisor(holder, file)) {
      throw new SupervisorRunningError(file, holder);
    }
    rmSync(file, { force: true }); // stale: its process is gone (or is not a supervisor)
  }
  throw new SupervisorRunningError(file, readPid(file) ?? 0); // another supervisor won the race twice
}

function looksLikeSupervisor(pid: number, pidFile: string): boolean {
  const argv = commandLine(pid);
  if (argv === null) return true; // cannot tell: err on the side of one supervisor
  const name = path.basename(pidFile);
  return argv.some((a) => a === pidFile || path.basename(a) === name || a.endsWith(`=${pidFile}`));
}

/** Removes `file` if it still holds `pid` (a newer owner's file is left alone). */
export function releasePidFile(file: string, pid = process.pid): void {
  if (readPid(file) === pid) rmSync(file, { force: true });
}

/** The live orphan a previous supervisor left, if `file` names a process running `argv`. */
export function orphanChild(file: string, argv: readonly string[]): number | null {
  const pid = readPid(file);
  if (pid === null || pid === process.pid || !isRunning(pid)) return null;
  const running = commandLine(pid);
  return running !== null && running.length === argv.length && running.every((a, i) => a === argv[i]) ? pid : null;
}

export function writePid(file: string, pid: number): void {
  writeFileSync(file, `${pid}\n`);
}
