// Counts that fit a wall-screen tile at any fleet size: exact below 10,000 ("9,999"), then
// three significant digits, rounded down so a count never reads as more than it is
// (82,950 answering of 83,000 is "82.9k" of "83.0k", not "83.0k" of "83.0k"). English in
// thousands and millions; Chinese in 万 and 亿, as Chinese readers count. Pure.
export type CountLang = 'en' | 'zh-CN';

const UNITS: Record<CountLang, readonly [number, string][]> = {
  en: [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ],
  'zh-CN': [
    [1e8, '亿'],
    [1e4, '万'],
  ],
};

/** Below this a count is shown exactly (with the language's grouping). */
export const EXACT_BELOW = 10_000;

export function compactCount(n: number, lang: CountLang): string {
  if (!Number.isFinite(n)) return '—';
  const sign = n < 0 ? '-' : '';
  const v = Math.abs(Math.trunc(n));
  if (v < EXACT_BELOW) return sign + new Intl.NumberFormat(lang).format(v);
  for (const [size, unit] of UNITS[lang]) {
    if (v < size) continue;
    const scaled = v / size;
    const decimals = scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2;
    const factor = 10 ** decimals;
    // A tiny epsilon keeps 83,000 / 1,000 * 10 from flooring to 829.
    const floored = Math.floor(scaled * factor + 1e-9) / factor;
    return `${sign}${floored.toFixed(decimals)}${unit}`;
  }
  return sign + new Intl.NumberFormat(lang).format(v);
}

/** Whether compactCount rounded: the tile then carries the exact count as its title. */
export function isCompacted(n: number): boolean {
  return Math.abs(n) >= EXACT_BELOW;
}
