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
import type { LabInstallFault, LabInstallPhase, LabInstallProfile, LabInstallStatus } from '../../../src-shared/domain';
import type { BootTarget } from '../bmc/bmc-state';
import { templateOs } from '../host-os';
import type { LabDevice } from '../lab-device';
import type { LabState } from '../lab-state';
import { CALLBACK_BACKOFF_MS, CALLBACK_TIMEOUT_MS, sendInstallCallback } from './install-callback';

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
  last: Last | null;
}

export function createLabInstaller(h: LabInstallerHooks): LabInstaller {
  const entries = new Map<string, Entry>();
  const callbacks = new Set<Promise<void>>();
  const closing = new AbortController();
  const log = h.log ?? (() => {});
  let closed = false;

  const entry = (d: LabDevice): Entry => {
    let e = entries.get(d.device.id);
    if (!e) {
      e = { d, profile: null, fault: null, phase: 'idle', running: null, timer: null, epoch: 0, started: 0, last: null };
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

  const callback = (e: Entry, p: LabInstallProfile, status: 'installed' | 'failed'): void => {
    const last: Last = { status, endedAt: Date.now(), callback: p.callback ? 'sending' : 'none', attempts: 0, error: null };
    e.last = last;
    if (!p.callback) return;
    const { device } = e.d;
    const sending = sendInstallCallback({
      url: p.callback.url,
      method: p.callback.method ?? 'POST',
      body: { sn: device.sn, hostname: p.hostname, os: p.os, status },
      idempotencyKey: `${device.sn}/install-${e.started}`,
    }, {
      backoffMs: h.callbackBackoffMs ?? CALLBACK_BACKOFF_MS,
      timeoutMs: h.callbackTimeoutMs ?? CALLBACK_TIMEOUT_MS,
      signal: closing.signal,
      onAttempt: (n) => void (last.attempts = n),
    }).then((out) => {
      last.callback = out.delivered ? 'delivered' : 'gave-up';
      last.attempts = out.attempts;
      last.error = out.error;
      log(`install: ${device.id} ${status}; callback ${last.callback} after ${out.attempts} attempt(s)${out.error ? `: ${out.error}` : ''}`);
    });
    callbacks.add(sending);
    void sending.finally(() => callbacks.delete(sending));
  };

  /** The install's time is up: what the faults say happens. */
  const end = async (e: Entry): Promise<void> => {
    const p = e.running!;
    const id = e.d.device.id;
    if (e.fault === 'install-hang') {
      e.phase = 'hung'; // quiet until the power goes or the host boots again
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

  return {
    setProfile: (d, profile) => {
      entry(d).profile = profile;
    },
    setFault: (d, fault) => {
      entry(d).fault = fault;
    },
    booted(d, boot) {
      const existing = entries.get(d.device.id);
      if (existing) stop(existing);
      if (boot !== 'pxe' || closed) return;
      const e = entry(d);
      h.state.quiet.add(d.device.id);
      if (e.profile) {
        e.phase = 'installing';
        e.running = e.profile;
        e.started++;
        after(e, e.profile.durationMs, () => end(e));
      } else {
        e.phase = 'pxe-no-entry';
        after(e, h.pxeTimeoutMs ?? PXE_TIMEOUT_MS, async () => {
          stop(e);
          await h.reconcile(e.d);
        });
      }
    },
    halted(d) {
      const e = entries.get(d.device.id);
      if (e) stop(e);
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
    async close() {
      closed = true;
      for (const e of entries.values()) stop(e);
      closing.abort();
      await Promise.all([...callbacks]);
    },
  };
}
