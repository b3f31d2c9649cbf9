// How a count of devices reads at a glance: good, warn (amber), bad, or empty. Pure, so
// the unit tests can pin the thresholds the wall screens are coloured by.
export type Tone = 'good' | 'warn' | 'bad' | 'empty';

const RANK: Record<Tone, number> = { empty: 0, good: 1, warn: 2, bad: 3 };

/** By the share answering: at least 95 % good, at least 70 % warn, below that bad. */
export function toneOf(answering: number, devices: number): Tone {
  if (devices === 0) return 'empty';
  const r = answering / devices;
  return r >= 0.95 ? 'good' : r >= 0.7 ? 'warn' : 'bad';
}

/** The share answering in percent, rounded down to one decimal (99.96 % is not 100 %). */
export function percentOf(answering: number, devices: number): number {
  return devices === 0 ? 0 : Math.floor((answering / devices) * 1000) / 10;
}

/** The worse of two tones; 'empty' is no news. */
export function worseTone(a: Tone, b: Tone): Tone {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * toneOf, but any degraded device (answering, not well) makes it at least amber: a room
 * where everything answers slowly is not green.
 */
export function healthTone(answering: number, devices: number, degraded: number): Tone {
  const base = toneOf(answering, devices);
  return degraded > 0 && base !== 'empty' ? worseTone(base, 'warn') : base;
}
