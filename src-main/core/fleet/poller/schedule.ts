// The poll schedule's arithmetic: how long a silent device waits before its next poll, and
// the random spread that keeps a fleet's polls from bunching. Pure functions.

/**
 * Delay before the next poll of a device that has failed `failures` polls in a row:
 * interval * 2^(failures - 1), capped at maxMs (and never below the interval).
 */
export function backoffDelay(intervalMs: number, failures: number, maxMs: number): number {
  if (failures <= 1) return intervalMs;
  return Math.max(intervalMs, Math.min(maxMs, intervalMs * 2 ** Math.min(30, failures - 1)));
}

/** `ms` moved by a uniformly random amount within +-ratio of itself. */
export function jittered(ms: number, ratio: number, random: () => number = Math.random): number {
  return ms * (1 + (random() * 2 - 1) * ratio);
}
