// Early re-polls of one device after something says its status may have moved (a control
// action, a trap, a lab fault): a few tries with short back-off, until the health changes or
// the tries are spent. Triggers for a device coalesce into one sequence (debounced).
import type { DeviceStatus } from '../../../../src-shared/domain';
import type { Disposable } from '../../../../src-shared/lifecycle';

/** Offsets from the trigger of each try: a debounce, then back-off (a powered-off host may answer for a moment). */
export const REPOLL_DELAYS_MS: readonly number[] = [100, 500, 1500, 3000];
/** Two tries of one device are at least this far apart, however often it is triggered. */
export const REPOLL_MIN_GAP_MS = 250;

export interface RepollRequest {
  /** Retransmissions per try; absent: the poller's. 0 when silence is expected (power off). */
  retries?: number;
  delaysMs?: readonly number[];
}

export interface RepollDeps {
  /** Polls the device once, after any poll in flight, ahead of the queue. */
  pollOnce(deviceId: string, retries: number | undefined): Promise<void>;
  /** The device's health now; undefined when it is not polled. */
  health(deviceId: string): DeviceStatus | undefined;
  now?: () => number;
  log?: (line: string) => void;
}

export interface Repoller extends Disposable {
  request(deviceId: string, r?: RepollRequest): void;
  /** Devices with a sequence under way. */
  pending(): number;
}

interface Sequence {
  baseline: DeviceStatus;
  triggeredAt: number;
  delays: readonly number[];
  retries: number | undefined;
  index: number;
  timer: NodeJS.Timeout | null;
  running: boolean;
  /** Triggered again while a try was in flight: that try may predate the trigger. */
  again: boolean;
  lastTry: number;
}

export function createRepoller(d: RepollDeps): Repoller {
  const now = d.now ?? (() => performance.now());
  const seqs = new Map<string, Sequence>();
  let disposed = false;

  const schedule = (id: string, s: Sequence): void => {
    const at = Math.max(s.triggeredAt + s.delays[s.index], s.lastTry + REPOLL_MIN_GAP_MS);
    s.timer = setTimeout(() => void run(id, s), Math.max(0, at - now()));
  };

  const run = async (id: string, s: Sequence): Promise<void> => {
    s.timer = null;
    s.running = true;
    s.lastTry = now();
    try {
      await d.pollOnce(id, s.retries);
    } catch (err) {
      d.log?.(`re-poll of ${id}: ${err instanceof Error ? err.message : String(err)}`);
    }
    s.running = false;
    if (disposed || seqs.get(id) !== s) return;
    const health = d.health(id);
    if (s.again) {
      s.again = false;
      s.index = 0;
    } else if (health === undefined || health !== s.baseline || ++s.index >= s.delays.length) {
      seqs.delete(id);
      return;
    }
    schedule(id, s);
  };

  return {
    request(id, r = {}) {
      if (disposed) return;
      const baseline = d.health(id);
      if (baseline === undefined) return; // not polled: nothing to re-poll
      const delays = r.delaysMs?.length ? r.delaysMs : REPOLL_DELAYS_MS;
      const s = seqs.get(id);
      if (s) {
        // Coalesce: the sequence starts over from this trigger, with the latest wishes.
        Object.assign(s, { baseline, triggeredAt: now(), delays, retries: r.retries, index: 0 });
        if (s.running) s.again = true;
        else {
          if (s.timer) clearTimeout(s.timer);
          schedule(id, s);
        }
        return;
      }
      const fresh: Sequence = { baseline, triggeredAt: now(), delays, retries: r.retries, index: 0, timer: null, running: false, again: false, lastTry: -Infinity };
      seqs.set(id, fresh);
      schedule(id, fresh);
    },
    pending: () => seqs.size,
    dispose() {
      disposed = true;
      for (const s of seqs.values()) if (s.timer) clearTimeout(s.timer);
      seqs.clear();
    },
  };
}
