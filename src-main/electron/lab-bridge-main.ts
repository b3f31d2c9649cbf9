// The main process's side of the lab bridge: starts the lab when the core host asks (the
// host, a utilityProcess, cannot fork one: RunAsNode is off), relays the lab-link protocol
// both ways and reports the lab's output and exit. It sees Electron only through
// UtilityLike and a fork function, so tests drive it with a child_process.fork stand-in.
// It starts only the entry it was configured with, whatever the host names.
import { createInterface } from 'node:readline';
import { isHostToLabBridge, type LabBridgeToHost } from './lab-bridge-protocol';

/** The part of Electron's UtilityProcess the bridge uses. */
export interface UtilityLike {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  postMessage(message: unknown): void;
  on(event: 'spawn', listener: () => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  /** SIGTERM on POSIX: the lab closes its sockets and exits. */
  kill(): boolean;
}

export interface LabBridgeMainOptions {
  /** The lab entry the core host names (out/main/lab.js): any other is refused. */
  entry: string;
  /** Starts the lab process: utilityProcess.fork(..., { stdio: 'pipe' }) in main.ts. */
  fork: () => UtilityLike;
  /** To the core host (its utilityProcess's postMessage). */
  post: (message: LabBridgeToHost) => void;
  log: (line: string) => void;
  /** How long a lab's exit waits for the rest of its output. */
  outputDrainMs?: number;
}

export interface LabBridgeMain {
  /** Feeds one message from the core host; false when it is not a lab bridge message. */
  handle(message: unknown): boolean;
  /** The core host has gone: end every lab it started. */
  dispose(): void;
}

interface Running {
  proc: UtilityLike;
  spawned: boolean;
  queue: unknown[];
}

export function createLabBridgeMain(opts: LabBridgeMainOptions): LabBridgeMain {
  const labs = new Map<number, Running>();
  const drainMs = opts.outputDrainMs ?? 1_000;
  const post = (message: LabBridgeToHost): void => {
    try {
      opts.post(message);
    } catch (err) {
      opts.log(`lab bridge: could not reach the core host: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const start = (lab: number, entry: string): void => {
    if (labs.has(lab)) return post({ type: 'lab-error', lab, message: `lab ${lab} is already running` });
    if (entry !== opts.entry) return post({ type: 'lab-error', lab, message: `refused to start "${entry}": the desktop starts only its own lab entry` });
    let proc: UtilityLike;
    try {
      proc = opts.fork();
    } catch (err) {
      return post({ type: 'lab-error', lab, message: err instanceof Error ? err.message : String(err) });
    }
    const r: Running = { proc, spawned: false, queue: [] };
    labs.set(lab, r);
    const ended: Promise<void>[] = [];
    for (const stream of [proc.stdout, proc.stderr]) {
      if (!stream) continue;
      ended.push(new Promise((resolve) => stream.once('end', resolve)));
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => post({ type: 'lab-line', lab, line }));
    }
    proc.on('spawn', () => {
      r.spawned = true;
      post({ type: 'lab-spawned', lab, pid: proc.pid ?? -1 });
      for (const m of r.queue.splice(0)) proc.postMessage(m);
    });
    proc.on('message', (message) => post({ type: 'lab-message', lab, message }));
    proc.on('exit', (code) => {
      labs.delete(lab);
      // Its last lines (the reason it died) before the exit, as child_process's 'close'.
      let timer: NodeJS.Timeout | undefined;
      const drained = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, drainMs);
      });
      void Promise.race([Promise.all(ended), drained]).then(() => {
        clearTimeout(timer);
        post({ type: 'lab-exit', lab, code });
      });
    });
  };

  const kill = (r: Running): void => {
    const pid = r.proc.pid;
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
        return;
      } catch {
        // already gone, or not ours to signal: fall back to Electron's kill
      }
    }
    r.proc.kill();
  };

  const handle = (message: unknown): boolean => {
    if (!isHostToLabBridge(message)) return false;
    if (message.type === 'lab-start') {
      start(message.lab, message.entry);
      return true;
    }
    const r = labs.get(message.lab);
    if (!r) return true;
    if (message.type === 'lab-kill') kill(r);
    else if (r.spawned) r.proc.postMessage(message.message);
    else r.queue.push(message.message);
    return true;
  };

  const dispose = (): void => {
    for (const [lab, r] of labs) {
      opts.log(`lab bridge: the core host is gone; stopping lab ${lab} (pid ${r.proc.pid ?? 'not spawned'})`);
      r.proc.kill();
    }
  };

  return { handle, dispose };
}
