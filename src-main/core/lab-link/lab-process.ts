// How the lab link starts the lab process, and what it needs of it: the LabProcess seam.
// forkLabProcess (child_process.fork, a .ts entry through tsx) is the default, used by
// serve mode and the tests. The desktop cannot fork: with Electron's RunAsNode fuse off,
// the Electron binary no longer runs as Node, so its core host passes a starter that asks
// the main process for a utilityProcess instead (src-main/electron/lab-bridge-host.ts).
import { fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { CoreToLab } from '../../../src-shared/lab-protocol';

/** What a started lab process reports; the starter calls these, lab-link listens. */
export interface LabProcessEvents {
  /** A LabToCore message (unchecked: lab-link reads it). */
  message(message: unknown): void;
  /** One line of the lab's stdout or stderr. */
  line(line: string): void;
  /** It could not be started (pid still undefined) or failed. */
  error(err: Error): void;
  /** It exited; messages may still be draining. */
  exit(code: number | null, signal: NodeJS.Signals | null): void;
  /** After exit, once its output and message channel are shut: nothing more will come. */
  close(code: number | null, signal: NodeJS.Signals | null): void;
}

export interface LabProcess {
  /** Undefined until (and unless) the process is running. */
  readonly pid: number | undefined;
  /** True while messages can be sent to it. */
  readonly connected: boolean;
  send(message: CoreToLab, done: (err: Error | null) => void): void;
  /** Ends it at once (SIGKILL): used only after it did not stop when asked. */
  kill(): void;
}

export type LabProcessStarter = (entry: string, events: LabProcessEvents) => LabProcess;

/** child_process.fork of the lab entry, with an IPC channel and its output piped. */
export const forkLabProcess: LabProcessStarter = (entry, events) => {
  const child = fork(entry, [], {
    execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', events.line);
  }
  child.on('message', events.message);
  child.on('error', events.error);
  child.on('exit', events.exit);
  child.once('close', events.close);
  return {
    get pid() {
      return child.pid;
    },
    get connected() {
      return child.connected;
    },
    send: (message, done) => {
      child.send(message, (err) => done(err ?? null));
    },
    kill: () => {
      if (child.pid === undefined) return;
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
};
