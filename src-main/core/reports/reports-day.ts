// Local days in an IANA time zone, for the reports: a day's [from, to) in ms (23 or 25 hours
// across a DST change), the local day and minute of the day of an instant, and the day before.
// Built on Intl alone (no time zone database of our own).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallTime {
  readonly y: number;
  readonly m: number;
  readonly d: number;
  readonly hh: number;
  readonly mm: number;
  readonly ss: number;
}

function wallTime(ts: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ts))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year, m: parts.month, d: parts.day, hh: parts.hour % 24, mm: parts.minute, ss: parts.second };
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(ts: number, timeZone: string): number {
  const w = wallTime(ts, timeZone);
  const asUtc = Date.UTC(w.y, w.m - 1, w.d, w.hh, w.mm, w.ss);
  return asUtc - Math.floor(ts / 1000) * 1000;
}

/** The instant local midnight starts the day (YYYY-MM-DD) in the zone. */
export function startOfDay(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d);
  let ts = guess - offsetAt(guess, timeZone);
  ts = guess - offsetAt(ts, timeZone);
  return ts;
}

/** The day after (or before, with -1) a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** A local day as [from, to) in ms since the epoch. */
export function dayRange(day: string, timeZone: string): { from: number; to: number } {
  return { from: startOfDay(day, timeZone), to: startOfDay(addDays(day, 1), timeZone) };
}

/** The local day (YYYY-MM-DD) of an instant. */
export function localDay(ts: number, timeZone: string): string {
  const w = wallTime(ts, timeZone);
  return `${String(w.y).padStart(4, '0')}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}

/** Minutes since local midnight of an instant (0..1439). */
export function localMinutes(ts: number, timeZone: string): number {
  const w = wallTime(ts, timeZone);
  return w.hh * 60 + w.mm;
}

/** The process's own time zone. */
export function processTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
