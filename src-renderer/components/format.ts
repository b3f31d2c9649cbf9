// Numbers as people read them: bit rates, durations, uptimes, "how long ago". Pure: no
// imports from the rest of the renderer (the unit tests load this file on its own), so
// `t` is typed by the keys used here; the app's translate fits it.

/** The keys these helpers look up, with their {placeholders}. */
export type FormatKey =
  | 'fmt.uptimeDays'
  | 'fmt.uptimeHours'
  | 'fmt.ms'
  | 'fmt.seconds'
  | 'fmt.minutes'
  | 'fmt.secondsAgo'
  | 'fmt.minutesAgo'
  | 'fmt.hoursAgo';
export type FormatTranslate = (key: FormatKey, vars?: Record<string, string | number>) => string;

const RATE_UNITS = ['b/s', 'kb/s', 'Mb/s', 'Gb/s', 'Tb/s'];

/**
 * SI bit rate: "940 b/s", "12.5 Mb/s", "10 Gb/s". Below 100 one decimal (dropped when it
 * is 0), from 100 whole numbers; a value that would round to 1000 moves up a unit.
 */
export function bitRate(bps: number): string {
  let v = bps;
  let i = 0;
  while (v >= 999.5 && i < RATE_UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  const shown = i === 0 || v >= 99.95 ? String(Math.round(v)) : v.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${RATE_UNITS[i]}`;
}

export function uptimeText(t: FormatTranslate, seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? t('fmt.uptimeDays', { d, h, m }) : t('fmt.uptimeHours', { h, m });
}

/** "840 ms", "12.3 s", "2 min 5 s": never "1000 ms", "60.0 s" or "1 min 60 s". */
export function durationText(t: FormatTranslate, ms: number): string {
  if (ms < 999.5) return t('fmt.ms', { n: Math.round(ms) });
  if (ms < 59_950) return t('fmt.seconds', { n: (ms / 1000).toFixed(1) });
  const total = Math.round(ms / 1000);
  return t('fmt.minutes', { m: Math.floor(total / 60), s: total % 60 });
}

export function agoText(t: FormatTranslate, thenMs: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (s < 60) return t('fmt.secondsAgo', { n: s });
  if (s < 3600) return t('fmt.minutesAgo', { n: Math.floor(s / 60) });
  return t('fmt.hoursAgo', { n: Math.floor(s / 3600) });
}

/**
 * The core's reason for an empty interface table, to follow "Interfaces not read: ".
 * The core words the status case "not read: the device is unreachable": the prefix is
 * dropped so it is not said twice.
 */
export function interfacesReason(error: string): string {
  const reason = error.trim().replace(/^not read:\s*/i, '');
  return reason === '' ? error : reason;
}
