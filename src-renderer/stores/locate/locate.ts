// Locate: the identify LED of one device lit for N minutes over IPMI, with a countdown.
// IPMI's Chassis Identify carries at most 255 s, so a longer locate is re-armed: each send
// asks for min(remaining, 255) s and the next goes out before it lapses. A browser that
// closes leaves the LED on for at most 255 s more (never "until turned off"). Stop sends
// seconds 0 (Chassis Identify's "off"). Every send is a device.identify call, which the core
// audits; the core checks the operator role whatever the UI shows.
import { create } from 'zustand';
import { getClient } from '../client';
import { toShownError, type ShownError } from '../shown-error';

/** IPMI Chassis Identify's largest interval. */
export const IDENTIFY_MAX_SECONDS = 255;
/** Re-arm this long before the current interval lapses. */
const REARM_MARGIN_S = 15;
export const LOCATE_MINUTES = [1, 5, 15] as const;

export interface LocateState {
  /** The device lit, when it goes dark, and a send in flight. */
  active: { deviceId: string; until: number; armedUntil: number } | null;
  pending: boolean;
  error: ShownError | null;
  now: number;
}

export const useLocateStore = create<LocateState>(() => ({ active: null, pending: false, error: null, now: Date.now() }));

let ticker: ReturnType<typeof setInterval> | null = null;

/** The interval to ask for now: what is left of the locate, at most IPMI's 255 s. */
export function nextInterval(untilMs: number, nowMs: number): number {
  return Math.max(0, Math.min(IDENTIFY_MAX_SECONDS, Math.ceil((untilMs - nowMs) / 1000)));
}

/** Whether the LED must be asked for again now (its interval lapses before the locate ends). */
export function needsRearm(active: { until: number; armedUntil: number }, nowMs: number): boolean {
  return active.armedUntil < active.until && active.armedUntil - nowMs <= REARM_MARGIN_S * 1000;
}

async function send(deviceId: string, seconds: number): Promise<void> {
  await getClient().call('device.identify', { deviceId, seconds, force: false });
}

function tick(): void {
  const now = Date.now();
  const { active, pending } = useLocateStore.getState();
  useLocateStore.setState({ now });
  if (!active) return;
  if (now >= active.until) {
    stopTicker();
    useLocateStore.setState({ active: null });
    return;
  }
  if (!pending && needsRearm(active, now)) {
    const seconds = nextInterval(active.until, now);
    useLocateStore.setState({ pending: true });
    send(active.deviceId, seconds).then(
      () => {
        const cur = useLocateStore.getState().active;
        useLocateStore.setState({ pending: false, active: cur && cur.deviceId === active.deviceId ? { ...cur, armedUntil: now + seconds * 1000 } : cur });
      },
      (err: unknown) => useLocateStore.setState({ pending: false, error: toShownError(err) }),
    );
  }
}

function stopTicker(): void {
  if (ticker) clearInterval(ticker);
  ticker = null;
}

/** Lights the device's identify LED for the given minutes (a new locate replaces any other). */
export async function startLocate(deviceId: string, minutes: number): Promise<void> {
  const prev = useLocateStore.getState().active;
  if (prev && prev.deviceId !== deviceId) await stopLocate();
  const now = Date.now();
  const until = now + minutes * 60_000;
  const seconds = nextInterval(until, now);
  useLocateStore.setState({ pending: true, error: null, now });
  try {
    await send(deviceId, seconds);
    useLocateStore.setState({ pending: false, active: { deviceId, until, armedUntil: now + seconds * 1000 }, now: Date.now() });
    stopTicker();
    ticker = setInterval(tick, 1000);
  } catch (err) {
    useLocateStore.setState({ pending: false, error: toShownError(err) });
  }
}

/** Turns the LED off now (Chassis Identify with interval 0). */
export async function stopLocate(): Promise<void> {
  const active = useLocateStore.getState().active;
  if (!active) return;
  stopTicker();
  useLocateStore.setState({ pending: true, error: null });
  try {
    await send(active.deviceId, 0);
    useLocateStore.setState({ pending: false, active: null });
  } catch (err) {
    ticker = setInterval(tick, 1000);
    useLocateStore.setState({ pending: false, error: toShownError(err) });
  }
}

export function dismissLocateError(): void {
  useLocateStore.setState({ error: null });
}

/** Seconds left on the device's locate, or null when it is not lit by this console. */
export function remainingSeconds(s: LocateState, deviceId: string): number | null {
  if (!s.active || s.active.deviceId !== deviceId) return null;
  return Math.max(0, Math.ceil((s.active.until - s.now) / 1000));
}
