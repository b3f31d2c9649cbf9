// The lab's memory across restarts: the state file (state-file.ts) read once at start and
// written through at every change that matters. The lab's pieces each own a part (the hosts'
// identities, the installer's records, the BMCs' chassis state): they restore it from `saved`,
// register a snapshot with `source`, and call `changed()` when it moves. Changes within one
// turn of the event loop make one write (at its end); the lab also flushes before it answers
// the core, so what the core was told is on disk. Closing writes what is pending and stops
// saving: what the lab tears down as it exits is not what happened to its hosts.
// Without a path (tests with a ':memory:' store) nothing is read or written. A refused file is
// logged with the reason and moved aside (<file>.refused); the lab starts factory-fresh. A write
// that fails is logged (once per distinct error) and retried at the next change, never thrown.
import { renameSync } from 'node:fs';
import { EMPTY_PARTS, LAB_STATE_FORMAT, LAB_STATE_VERSION, readLabStateFile, writeLabStateFile, type LabStateOwner, type LabStateParts } from './state-file';

export interface LabMemory {
  /** What the file held (empty parts without a file, or when it was refused). */
  readonly saved: LabStateParts;
  /** A part's snapshot, read at every write. */
  source<K extends keyof LabStateParts>(part: K, snapshot: () => LabStateParts[K]): void;
  /** Something saved has changed: written at the end of this turn. */
  changed(): void;
  /** Writes now if anything changed. */
  flush(): void;
  /** Writes what is pending, then saves nothing more. */
  close(): void;
}

export interface LabMemoryOptions {
  /** The state file; undefined: no memory. */
  path: string | undefined;
  owner: LabStateOwner;
  log(line: string): void;
}

function load(path: string, owner: LabStateOwner, log: (line: string) => void): LabStateParts {
  const read = readLabStateFile(path, owner);
  if (read.kind === 'missing') {
    log(`lab state: no ${path} yet; the lab starts factory-fresh and remembers its hosts there from now on`);
    return EMPTY_PARTS;
  }
  if (read.kind === 'refused') {
    const aside = `${path}.refused`;
    let kept = `kept as ${aside}`;
    try {
      renameSync(path, aside);
    } catch (err) {
      kept = `could not move it aside (${(err as Error).message}); it will be replaced`;
    }
    log(`lab state: ${path} ignored: ${read.reason}; the lab starts factory-fresh (the file is ${kept})`);
    return EMPTY_PARTS;
  }
  const { identities, installer, bmc } = read.doc;
  const inFlight = Object.values(installer).filter((e) => e.phase?.phase === 'installing').length;
  const sending = Object.values(installer).filter((e) => e.last?.callback === 'sending').length;
  log(`lab state: restored from ${path} (saved ${new Date(read.doc.savedAt).toISOString()}): ${Object.keys(identities).length} hosts installed, ${inFlight} installs in flight, ${sending} callbacks to send, ${Object.keys(bmc).length} BMCs`);
  return { identities, installer, bmc };
}

export function openLabMemory(o: LabMemoryOptions): LabMemory {
  const { path, owner, log } = o;
  if (path === undefined) {
    return { saved: EMPTY_PARTS, source: () => {}, changed: () => {}, flush: () => {}, close: () => {} };
  }
  const saved = load(path, owner, log);
  const sources: { [K in keyof LabStateParts]?: () => LabStateParts[K] } = {};
  let dirty = false;
  let scheduled: NodeJS.Immediate | null = null;
  let closed = false;
  let lastError: string | null = null;

  const flush = (): void => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    if (!dirty || closed) return;
    dirty = false;
    try {
      writeLabStateFile(path, {
        format: LAB_STATE_FORMAT,
        version: LAB_STATE_VERSION,
        lab: { seed: owner.seed, devices: owner.devices },
        savedAt: Date.now(),
        identities: sources.identities?.() ?? {},
        installer: sources.installer?.() ?? {},
        bmc: sources.bmc?.() ?? {},
      });
      lastError = null;
    } catch (err) {
      dirty = true; // tried again at the next change
      const message = (err as Error).message;
      if (message !== lastError) log(`lab state: cannot write ${path}: ${message}; the hosts' state is kept in memory and written at the next change`);
      lastError = message;
    }
  };

  return {
    saved,
    source: (part, snapshot) => {
      (sources as Record<string, unknown>)[part] = snapshot;
    },
    changed: () => {
      if (closed) return;
      dirty = true;
      scheduled ??= setImmediate(flush);
    },
    flush,
    close: () => {
      flush();
      closed = true;
    },
  };
}
