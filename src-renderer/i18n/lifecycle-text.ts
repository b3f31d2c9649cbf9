// The device lifecycle worded in the user's language: a state, a list of states ("a, b or c"),
// and the core's LifecycleMoveError (each refused device, the first three, with its state and
// where it may go, or that someone else moved it). Pure: the unit tests call it without React.
import { isDeviceLifecycle, nextLifecycles, type DeviceLifecycle } from '../../src-shared/domain';
import { translate, type Lang } from './i18n';

/** How many refused devices the wording names; the rest are counted. */
const NAMED = 3;

export function lifecycleWord(lang: Lang, state: DeviceLifecycle): string {
  return translate(lang, `lifecycle.${state}`);
}

/** States joined as the language says a choice: "a, b or c" / "a、b或c". */
export function lifecycleChoice(lang: Lang, states: readonly DeviceLifecycle[]): string {
  const words = states.map((s) => lifecycleWord(lang, s));
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(translate(lang, 'err.lifecycle.listSep'))}${translate(lang, 'err.lifecycle.or')}${words[words.length - 1]}`;
}

interface Refusal {
  hostname: string;
  from: DeviceLifecycle;
  reason: string;
}

const isRefusal = (v: unknown): v is Refusal => {
  const r = v as Partial<Refusal> | null;
  return typeof r === 'object' && r !== null && typeof r.hostname === 'string' && isDeviceLifecycle(r.from) && typeof r.reason === 'string';
};

/** LifecycleMoveError's params worded; null when they are not what the core sends (the caller falls back). */
export function lifecycleRefusalText(lang: Lang, p: Readonly<Record<string, unknown>>): string | null {
  if (!isDeviceLifecycle(p.to) || !Array.isArray(p.refused)) return null;
  const refused = p.refused.filter(isRefusal);
  if (refused.length === 0) return null;
  const expected = isDeviceLifecycle(p.expectedFrom) ? p.expectedFrom : null;
  const parts = refused.slice(0, NAMED).map((r) =>
    r.reason === 'not-expected' && expected
      ? translate(lang, 'err.lifecycle.notExpected', { host: r.hostname, from: lifecycleWord(lang, r.from), expected: lifecycleWord(lang, expected) })
      : translate(lang, 'err.lifecycle.notAllowed', { host: r.hostname, from: lifecycleWord(lang, r.from), next: lifecycleChoice(lang, nextLifecycles(r.from)) }),
  );
  const count = typeof p.refusedCount === 'number' && Number.isInteger(p.refusedCount) ? Math.max(p.refusedCount, parts.length) : refused.length;
  const more = count > parts.length ? translate(lang, 'err.lifecycle.more', { n: (count - parts.length).toLocaleString(lang) }) : '';
  return translate(lang, 'err.lifecycle.refused', { to: lifecycleWord(lang, p.to), what: `${parts.join(translate(lang, 'err.lifecycle.sep'))}${more}` });
}
