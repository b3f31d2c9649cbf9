// Small readers shared by the collectors: a text file or null when it is missing or
// unreadable (a collector reports what it can and never throws for one absent file), and a
// count clamped to what the protocol carries (non-negative safe integers).
import { readFile } from 'node:fs/promises';

/** How a collector reads a text file (readText below; the lab passes its simulated host's files). */
export type ReadText = (file: string) => Promise<string | null>;

export async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/** A counter as the protocol's `count`: NaN and negatives become 0, huge values the safe maximum. */
export function count(n: number): number {
  if (!Number.isFinite(n) || n <= 0) return 0;
  return Math.min(Math.floor(n), Number.MAX_SAFE_INTEGER);
}

/** A string cut to at most `max` UTF-16 units (the schema's .max() counts those). */
export function cut(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max);
}
