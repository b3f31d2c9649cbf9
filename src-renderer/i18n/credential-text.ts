// Wordings for the set-up pages that come from the core as English: a secret field's problem
// (the schema's messages in src-shared/api/credential-secrets.ts: "must be at least 8
// characters", "is required for authPriv"), and a protocol error from a credential test or a
// device's last poll, worded by its kind with the core's message as the folded detail. Pure.
import type { SerializedError } from '../../src-shared/errors';
import { wordError, type ErrorWording, type WordableError } from './error-text';
import { isMessageKey, translate, type Lang } from './i18n';

/** A schema problem in the user's language; English keeps the core's words. */
export function problemText(lang: Lang, problem: string): string {
  if (lang === 'en') return problem;
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate(lang, key, vars);
  if (/non-empty/.test(problem)) return t('cred.problem.empty');
  const min = /at least (\d+) characters/.exec(problem);
  if (min) return t('cred.problem.min', { n: Number(min[1]) });
  const max = /at most (\d+) characters/.exec(problem);
  if (max) return t('cred.problem.max', { n: Number(max[1]) });
  const req = /is required for (\w+)/.exec(problem);
  if (req) return t('cred.problem.requiredFor', { level: req[1] });
  if (/invalid option|expected one of/i.test(problem)) return t('cred.problem.option');
  return t('cred.problem.other');
}

/** A protocol error (SnmpAuthError, IpmiTimeoutError...) worded by its kind; others as error-text words them. */
export function protocolErrorWording(lang: Lang, e: SerializedError | WordableError): ErrorWording {
  const key = `proto.${e.name}`;
  if (isMessageKey(key)) return { text: translate(lang, key), detail: e.message };
  return wordError(lang, e);
}
