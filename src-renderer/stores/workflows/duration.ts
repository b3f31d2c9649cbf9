// Workflow durations as seed 000's statistics table writes them ("2 h 57 m 14 s",
// "2小时57分14秒"): hours, minutes and seconds for long runs, seconds with one decimal under
// ten seconds, milliseconds under one. Pure: the unit tests load it alone, so `t` is typed
// by the keys it uses (the app's translate fits it).

export type DurationKey = 'wf.dur.h' | 'wf.dur.m' | 'wf.dur.s' | 'wf.dur.ms';
export type DurationTranslate = (key: DurationKey, vars: Record<string, string | number>) => string;

export function hmsText(t: DurationTranslate, ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  if (ms < 999.5) return t('wf.dur.ms', { n: Math.round(ms) });
  if (ms < 9_950) return t('wf.dur.s', { s: (ms / 1000).toFixed(1) });
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return t('wf.dur.h', { h, m, s });
  if (m > 0) return t('wf.dur.m', { m, s });
  return t('wf.dur.s', { s });
}

/** A success rate (0..1) as a percentage with at most one decimal, rounded down (99.96 % is not 100 %). */
export function ratePct(rate: number): string {
  const tenths = Math.floor(rate * 1000 + 1e-9) / 10;
  return Number.isInteger(tenths) ? String(tenths) : tenths.toFixed(1);
}
