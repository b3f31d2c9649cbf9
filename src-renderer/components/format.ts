// Numbers as people read them: bit rates, durations, uptimes, "how long ago".
import type { Translate } from '../i18n/i18n';

const RATE_UNITS = ['b/s', 'kb/s', 'Mb/s', 'Gb/s', 'Tb/s'];

/** SI bit rate: "940 b/s", "12.5 Mb/s", "10 Gb/s". */
export function bitRate(bps: number): string {
  let v = bps;
  let i = 0;
  while (v >= 1000 && i < RATE_UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  const shown = i === 0 || v >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(1);
  return `${shown} ${RATE_UNITS[i]}`;
}

export function uptimeText(t: Translate, seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? t('fmt.uptimeDays', { d, h, m }) : t('fmt.uptimeHours', { h, m });
}

export function durationText(t: Translate, ms: number): string {
  if (ms < 1000) return t('fmt.ms', { n: Math.round(ms) });
  if (ms < 60_000) return t('fmt.seconds', { n: (ms / 1000).toFixed(1) });
  return t('fmt.minutes', { m: Math.floor(ms / 60_000), s: Math.round((ms % 60_000) / 1000) });
}

export function agoText(t: Translate, thenMs: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (s < 60) return t('fmt.secondsAgo', { n: s });
  if (s < 3600) return t('fmt.minutesAgo', { n: Math.floor(s / 60) });
  return t('fmt.hoursAgo', { n: Math.floor(s / 3600) });
}
