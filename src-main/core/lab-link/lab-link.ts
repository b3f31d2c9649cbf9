// The core's side of the embedded lab: start the lab process, hand it its options, and
// carry faults, install profiles (the lab's PXE server) and status requests. The core
// imports nothing from src-main/lab; it reaches the simulated devices over SNMP exactly as
// it reaches a real fleet. How the process is started is injected (lab-process.ts):
// child_process.fork by default (serve mode, tests); on the desktop the core host asks the
// Electron main process for a utilityProcess.
import type { InventoryDocument, LabFault, LabInstallProfile, LabStatus } from '../../../src-shared/domain';
import { DEFAULT_LAB_SIZE, type CoreToLab, type LabCredentials, type LabStartOptions, type LabToCore } from '../../../src-shared/lab-protocol';
import type { LabConfig } from '../config';
import type { AsyncDisposable } from '../../../src-shared/lifecycle';
import { forkLabProcess, type LabProcess, type LabProcessStarter } from './lab-process';

export type { LabProcess, LabProcessEvents, LabProcessStarter } from './lab-process';

/** A lab config as the lab link takes it: with the process starter to use (default: child_process.fork). */
export interface LabLinkConfig extends LabConfig {
  /** Never crosses a process boundary: the desktop's core host sets it in its own process. */
  start?: LabProcessStarter;
}

export const LAB_COMMUNITY = 'fleetdeck-lab';
export const LAB_READY_TIMEOUT_MS = 60_000;
export const LAB_STOP_GRACE_MS = 3_000;

export interface LabLink extends AsyncDisposable {
  readonly inventory: InventoryDocument;
  /** The SNMP v2c community every lab agent answers to. */
  readonly community: string;
  /** Logins the lab's SSH hosts (and BMCs) accept. */
  readonly credentials: LabCredentials;
  readonly pid: number;
  readonly options: LabStartOptions;
  /** Milliseconds the lab took to generate its inventory and bring its agents up. */
  readonly startMs: number;
  /** Settles when the lab process has gone, whoever ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  fault(fault: LabFault): Promise<LabStatus>;
  /** What the lab's PXE server holds for a server (null: nothing): the server's next PXE boot installs it. */
  setInstallProfile(deviceId: string, profile: LabInstallProfile | null): Promise<LabStatus>;
  status(): Promise<LabStatus>;
  /** Tells the lab's devices where to send traps (the core's receiver). */
  setTrapTarget(target: { host: string; port: number } | null): void;
}

/** The start options the lab gets for a config: every default filled in. */
export function labStartOptions(config: LabConfig): LabStartOptions {
  return {
    seed: config.seed ?? 1,
    size: { ...DEFAULT_LAB_SIZE, ...config.size },
    community: LAB_COMMUNITY,
    snmpPort: config.snmpPort ?? 16161,
    addressPrefix: config.addressPrefix ?? '127.16',
    loopback: config.loopback ?? 'auto',
    ...(config.stateFile !== undefined ? { stateFile: config.stateFile } : {}),
  };
}

export function startLab(config: LabLinkConfig, log?: (line: string) => void): Promise<LabLink> {
  const options = labStartOptions(config);
  // The lab's output goes to the log; the last lines explain a lab that dies while starting.
  const tail: string[] = [];
  let firstError: string | null = null;
  const emit = log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const onLine = (line: string): void => {
    if (firstError === null && /error/i.test(line)) firstError = line.trim();
    tail.push(line.trim());
    if (tail.length > 3) tail.shift();
    emit(`lab: ${line}`);
  };
  // Every event goes through `on`, whose handlers are set below in this same tick: a
  // starter reports events asynchronously (process events, messages), never from start().
  const on = { message: (_m: unknown): void => {}, error: (_e: Error): void => {}, exit: (_c: number | null, _s: NodeJS.Signals | null): void => {} };
  let markExited: (how: { code: number | null; signal: NodeJS.Signals | null }) => void = () => {};
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    markExited = resolve;
  });
  const child: LabProcess = (config.start ?? forkLabProcess)(config.entry, {
    line: onLine,
    message: (m) => on.message(m),
    error: (e) => on.error(e),
    exit: (code, signal) => on.exit(code, signal),
    // 'close' comes after 'exit', once the output and the message channel are shut too.
    close: (code, signal) => markExited({ code, signal }),
  });
  const why = (): string => ((firstError ?? tail.length) ? `: ${firstError ?? tail.join(' | ')}` : '');

  const pending = new Map<number, { resolve: (s: LabStatus) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let gone = false;

  const request = (msg: (id: number) => CoreToLab): Promise<LabStatus> => {
    if (gone || !child.connected) return Promise.reject(new Error('lab process is not running'));
    const id = nextId++;
    return new Promise<LabStatus>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send(msg(id), (err) => {
        if (err) {
          pending.delete(id);
          reject(new Error(`lab: cannot send request: ${err.message}`, { cause: err }));
        }
      });
    });
  };

  let disposing: Promise<void> | null = null;
  const dispose = (): Promise<void> => {
    disposing ??= (async () => {
      if (!gone) {
        if (child.connected) child.send({ type: 'stop' } satisfies CoreToLab, () => {});
        const graceful = await within(exited, LAB_STOP_GRACE_MS);
        if (!graceful && child.pid !== undefined) {
          log?.(`lab: pid ${child.pid} did not stop within ${LAB_STOP_GRACE_MS} ms; killing it`);
          child.kill();
        }
      }
      await exited;
      // The process handle is released in the loop's close phase, after the check phase.
      for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    })();
    return disposing;
  };

  return new Promise<LabLink>((resolve, reject) => {
    let ready = false;
    const fail = (err: Error): void => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      void dispose().then(() => reject(err));
    };
    const timer = setTimeout(() => fail(new Error(`lab (${config.entry}) was not ready within ${LAB_READY_TIMEOUT_MS / 1000} s`)), LAB_READY_TIMEOUT_MS);

    on.error = (err) => {
      if (child.pid === undefined) {
        gone = true; // never spawned: there will be no 'close'
        markExited({ code: null, signal: null });
      }
      fail(new Error(`lab process failed: ${err.message}`, { cause: err }));
    };
    on.exit = (code, signal) => {
      gone = true;
      const err = new Error(`lab process exited (code ${code}, signal ${signal})`);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      if (!ready) fail(new Error(`lab process exited before it was ready (code ${code}, signal ${signal})${why()}`));
      else if (!disposing) log?.(`lab: ${err.message}`);
    };
    on.message = (raw) => {
      const msg = raw as LabToCore;
      if (msg.type === 'ready') {
        if (ready) return;
        ready = true;
        clearTimeout(timer);
        // Where they listen (aliases or one address) is the lab's own log line: auto decides in the lab.
        log?.(`lab: ${msg.agents} SNMP agents up in ${msg.startMs} ms (pid ${child.pid})`);
        resolve({
          inventory: msg.inventory,
          community: options.community,
          credentials: msg.credentials,
          pid: child.pid!,
          options,
          startMs: msg.startMs,
          exited,
          fault: (fault) => request((id) => ({ type: 'fault', id, fault })),
          setInstallProfile: (deviceId, profile) => request((id) => ({ type: 'install-profile', id, deviceId, profile })),
          status: () => request((id) => ({ type: 'status', id })),
          setTrapTarget: (target) => {
            if (child.connected) child.send({ type: 'traps', target } satisfies CoreToLab, () => {});
          },
          dispose,
        });
      } else if (msg.type === 'status' || (msg.type === 'error' && msg.id !== undefined)) {
        const p = pending.get(msg.id!);
        if (!p) return;
        pending.delete(msg.id!);
        if (msg.type === 'status') p.resolve(msg.status);
        else p.reject(new Error(msg.message));
      } else if (msg.type === 'error') {
        if (!ready) fail(new Error(`lab failed to start: ${msg.message}`));
        else log?.(`lab: ${msg.message}`);
      }
    };
    child.send({ type: 'start', options } satisfies CoreToLab, (err) => {
      if (err) fail(new Error(`lab: cannot send start: ${err.message}`, { cause: err }));
    });
  });
}

/** True when p settles within ms; the timer never outlives the wait. */
function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
