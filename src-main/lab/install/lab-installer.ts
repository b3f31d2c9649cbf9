// The lab's PXE server and installer: per server, the install profile the core handed over
// (image, hostname, duration, callback) and the install faults. A server that boots from PXE
// (its BMC's boot flags) with a profile installs: its SNMP and SSH are quiet for the profile's
// duration (the BMC answers and reports power on), then it comes back as the new OS with the
// new hostname and a new SSH host key (one more install generation), the profile is used up
// (as MAAS or Cobbler turn netboot off after an install) and the installer's callback goes
// out. install-fail: the install ends, the callback says 'failed', the old OS boots again.
// install-hang: the install never ends; only a power off, power cycle or reset gets the host
// out of it (booting whatever its boot flags say then). Without a profile the PXE boot finds no
// entry for the host: quiet until the PXE timeout, then it boots from its disk unchanged.
// A power loss (off, kill, trip) or a new boot ends whatever was running: an install cut short
// leaves the old OS. Every state change runs in the lab's serial queue, as faults do.
// What it does survives a restart of the lab (the state file, memory/): profiles, faults,
// installs started, the install in flight (with its wall-clock start), the last result and its
// callback. Restored, an install in flight goes on for the time it had left (at least none)
// and ends as it would have; a callback that was being sent is sent again, with the same
// Idempotency-Key, until delivered or the backoff runs out.
import type { LabInstallFault, LabInstallPhase, LabInstallProfile, LabInstallStatus } from '../../../src-shared/domain';
import type { BootTarget } from '../bmc/bmc-state';
import { templateOs } from '../host-os';
import type { LabDevice } from '../lab-device';
import type { LabState } from '../lab-state';
import type { SavedCallbackRequest, SavedInstaller } from '../memory/state-file';
import { CALLBACK_BACKOFF_MS, CALLBACK_TIMEOUT_MS, sendInstallCallback, type InstallCallbackRequest } from './install-callback';

/** How long a PXE boot without a profile waits for a boot entry before it falls back to the disk. */
export const PXE_TIMEOUT_MS = 3000;

export interface LabInstallerHooks {
  state: LabState;
  /** The lab's serial queue: state changes one at a time, with the faults. */
  queue(op: () => Promise<void>): Promise<void>;
  /** Brings the device's peers in line with the state (called inside the queue). */
  reconcile(d: LabDevice): Promise<void>;
  pxeTimeoutMs?: number;
  callbackBackoffMs?: readonly number[];
  callbackTimeoutMs?: number;
  log?(line: string): void;
  /** What the state file held, by device id (restored at creation; resume() carries on). */
  saved?: Readonly<Record<string, SavedInstaller>>;
  /** The lab's device of an id (to restore what was saved). */
  device?(id: string): LabDevice | undefined;
  /** Something the state file keeps has changed. */
  changed?(): void;
}

export interface LabInstaller {
  /** The profile the server's next PXE boot installs (null: none); an install already running keeps its own. */
  setProfile(d: LabDevice, profile: LabInstallProfile | null): void;
  setFault(d: LabDevice, fault: LabInstallFault | null): void;
  /** The host boots (power on, reset) from `boot`; call before reconciling its peers. */
  booted(d: LabDevice, boot: BootTarget): void;
  /** The host lost its power: whatever it was doing ends. */
  halted(d: LabDevice): void;
  status(): LabInstallStatus[];
  /** What the state file keeps, by device id (servers with nothing to keep are left out). */
  snapshot(): Record<string, SavedInstaller>;
  /** After a restart, once the peers run: installs in flight go on, callbacks being sent are sent again. */
  resume(): void;
  /** Stops every timer and callback. */
  close(): Promise<void>;
}

type Last = { -readonly [K in keyof NonNullable<LabInstallStatus['last']>]: NonNullable<LabInstallStatus['last']>[K] };

interface Entry {
  readonly d: LabDevice;
  profile: LabInstallProfile | null;
  fault: LabInstallFault | null;
  phase: LabInstallPhase;
  /** The profile of the install running now. */
  running: LabInstallProfile | null;
  timer: NodeJS.Timeout | null;
  /** Bumped by every boot and power loss: a timer of an older boot finds it changed and does nothing. */
  epoch: number;
  /** Installs started (the callback's Idempotency-Key counts them). */
  started: number;
  /** When the phase began (wall clock): an install in flight ends at since + durationMs. */
  since: number;
  last: Last | null;
  /** The last install's callback: its key, and the request while it is being sent. */
  lastKey: string | null;
  lastRequest: InstallCallbackRequest | null;
}

/** A profile as the state file keeps it: its own fields only. */
const plainProfile = (p: LabInstallProfile): LabInstallProfile => ({
  os: p.os, hostname: p.hostname, durationMs: p.durationMs,
  ...(p.callback ? { callback: { url: p.callback.url, ...(p.callback.method ? { method: p.callback.method } : {}) } } : {}),
});

export function createLabInstaller(h: LabInstallerHooks): LabInstaller {
  const entries = new Map<string, Entry>();
  const callbacks = new Set<Promise<void>>();
  const closing = new AbortController();
  const log = h.log ?? (() => {});
  const changed = h.changed ?? (() => {});
  let closed = false;

  const entry = (d: LabDevice): Entry => {
    let e = entries.get(d.device.id);
    if (!e) {
      e = { d, profile: null, fault: null, phase: 'idle', running: null, timer: null, epoch: 0, started: 0, since: 0, last: null, lastKey: null, lastRequest: null };
      entries.set(d.device.id, e);
    }
    return e;
  };

  /** Ends whatever the host was doing: its timer, the install or PXE wait, the quiet. */
  const stop = (e: Entry): void => {
    if (e.timer) clearTimeout(e.timer);
    e.timer = null;
    e.epoch++;
    e.phase = 'idle';
    e.running = null;
    h.state.quiet.delete(e.d.device.id);
  };

  /** After ms, runs `then` in the queue, unless the host has booted or lost power since. */
  const after = (e: Entry, ms: number, then: () => Promise<void>): void => {
    const epoch = e.epoch;
    e.timer = setTimeout(() => {
      e.timer = null;
      void h.queue(async () => {
        if (closed || e.epoch !== epoch) return;
        await then();
      }).catch((err: unknown) => log(`install: ${e.d.device.id}: ${err instanceof Error ? err.message : String(err)}`));
    }, ms);
    e.timer.unref();
  };

  /** Sends the last install's callback (again, after a restart) until delivered or the backoff runs out. */
  const deliver = (e: Entry, last: Last, r: InstallCallbackRequest): void => {
    const { device } = e.d;
    const sending = sendInstallCallback(r, {
      backoffMs: h.callbackBackoffMs ?? CALLBACK_BACKOFF_MS,
      timeoutMs: h.callbackTimeoutMs ?? CALLBACK_TIMEOUT_MS,
      signal: closing.signal,
      onAttempt: (n) => void (last.attempts = n),
    }).then((out) => {
      if (closing.signal.aborted) return; // the lab is closing: still 'sending' for the next start
      last.callback = out.delivered ? 'delivered' : 'gave-up';
      last.attempts = out.attempts;
      last.error = out.error;
      if (e.last === last) e.lastRequest = null;
      changed();
      log(`install: ${device.id} ${r.body.status}; callback ${last.callback} after ${out.attempts} attempt(s)${out.error ? `: ${out.error}` : ''}`);
    });
    callbacks.add(sending);
    void sending.finally(() => callbacks.delete(sending));
  };

  const callback = (e: Entry, p: LabInstallProfile, status: 'installed' | 'failed'): void => {
    const last: Last = { status, endedAt: Date.now(), callback: p.callback ? 'sending' : 'none', attempts: 0, error: null };
    e.last = last;
    e.lastKey = null;
    e.lastRequest = null;
    if (p.callback) {
      const { device } = e.d;
      e.lastKey = `${device.sn}/install-${e.started}`;
      e.lastRequest = {
        url: p.callback.url,
        method: p.callback.method ?? 'POST',
        body: { sn: device.sn, hostname: p.hostname, os: p.os, status },
        idempotencyKey: e.lastKey,
      };
      deliver(e, last, e.lastRequest);
    }
    changed();
  };

  /** The install's time is up: what the faults say happens. */
  const end = async (e: Entry): Promise<void> => {
    const p = e.running!;
    const id = e.d.device.id;
    if (e.fault === 'install-hang') {
      e.phase = 'hung'; // quiet until the power goes or the host boots again
      e.since = Date.now();
      changed();
      log(`install: ${id} hung (install-hang)`);
      return;
    }
    stop(e);
    if (e.fault === 'install-fail') {
      await h.reconcile(e.d); // the old OS boots again
      callback(e, p, 'failed');
      return;
    }
    const generation = h.state.identity(e.d.device).generation + 1;
    h.state.setIdentity(id, { hostname: p.hostname, os: templateOs(p.os), template: p.os, generation });
    if (e.profile === p) e.profile = null; // used up, unless a new one came in meanwhile
    await h.reconcile(e.d);
    callback(e, p, 'installed');
  };

  /** Starts the phase's timer: an install ends at since + durationMs, a PXE wait after the PXE timeout. */
  const arm = (e: Entry): void => {
    const left = (ms: number): number => Math.max(0, e.since + ms - Date.now());
    if (e.phase === 'installing') after(e, left(e.running!.durationMs), () => end(e));
    else if (e.phase === 'pxe-no-entry') {
      after(e, left(h.pxeTimeoutMs ?? PXE_TIMEOUT_MS), async () => {
        stop(e);
        changed();
        await h.reconcile(e.d);
      });
    }
  };

  for (const [id, saved] of Object.entries(h.saved ?? {})) {
    const d = h.device?.(id);
    if (!d) continue;
    const e = entry(d);
    e.profile = saved.profile;
    e.fault = saved.fault;
    e.started = saved.started;
    if (saved.phase && (saved.phase.phase !== 'installing' || saved.phase.profile)) {
      e.phase = saved.phase.phase;
      // The profile it installs is still the one waiting (so the install uses it up), unless another came in meanwhile.
      const same = e.profile && saved.phase.profile && JSON.stringify(e.profile) === JSON.stringify(saved.phase.profile);
      e.running = same ? e.profile : saved.phase.profile;
      e.since = saved.phase.since;
      h.state.quiet.add(id); // installing, hung or waiting for a PXE entry: its OS is not up
    }
    if (saved.last) {
      const { idempotencyKey, request, ...last } = saved.last;
      e.last = { ...last, callback: last.callback === 'sending' && !request ? 'gave-up' : last.callback };
      e.lastKey = idempotencyKey;
      e.lastRequest = last.callback === 'sending' ? request : null;
    }
  }

  const saveRequest = (r: InstallCallbackRequest): SavedCallbackRequest => ({ url: r.url, method: r.method, body: { ...r.body }, idempotencyKey: r.idempotencyKey });

  return {
    setProfile: (d, profile) => {
      entry(d).profile = profile;
      changed();
    },
    setFault: (d, fault) => {
      entry(d).fault = fault;
      changed();
    },
    booted(d, boot) {
      const existing = entries.get(d.device.id);
      if (existing) stop(existing);
      changed();
      if (boot !== 'pxe' || closed) return;
      const e = entry(d);
      h.state.quiet.add(d.device.id);
      e.since = Date.now();
      if (e.profile) {
        e.phase = 'installing';
        e.running = e.profile;
        e.started++;
      } else {
        e.phase = 'pxe-no-entry';
      }
      arm(e);
    },
    halted(d) {
      const e = entries.get(d.device.id);
      if (!e) return;
      if (e.phase !== 'idle') changed();
      stop(e);
    },
    status() {
      const out: LabInstallStatus[] = [];
      for (const e of entries.values()) {
        const identity = h.state.identity(e.d.device);
        if (!e.profile && !e.fault && e.phase === 'idle' && !e.last && identity.generation === 0) continue;
        out.push({
          deviceId: e.d.device.id, phase: e.phase, profile: e.profile, fault: e.fault, installs: identity.generation,
          os: identity.template, hostname: identity.hostname, last: e.last ? { ...e.last } : null,
        });
      }
      return out.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
    },
    snapshot() {
      const out: Record<string, SavedInstaller> = {};
      for (const [id, e] of entries) {
        if (!e.profile && !e.fault && e.started === 0 && e.phase === 'idle' && !e.last) continue;
        out[id] = {
          profile: e.profile && plainProfile(e.profile),
          fault: e.fault,
          started: e.started,
          phase: e.phase === 'idle' ? null : { phase: e.phase, profile: e.running && plainProfile(e.running), since: e.since },
          last: e.last && { ...e.last, idempotencyKey: e.lastKey, request: e.last.callback === 'sending' && e.lastRequest ? saveRequest(e.lastRequest) : null },
        };
      }
      return out;
    },
    resume() {
      for (const e of entries.values()) {
        if (e.phase !== 'idle' && !e.timer) arm(e);
        if (e.last?.callback === 'sending' && e.lastRequest) {
          log(`install: ${e.d.device.id}: sending the ${e.last.status} callback again (Idempotency-Key ${e.lastRequest.idempotencyKey})`);
          deliver(e, e.last, e.lastRequest);
        }
      }
    },
    async close() {
      closed = true;
      for (const e of entries.values()) stop(e);
      closing.abort();
      await Promise.all([...callbacks]);
    },
  };
}
