// A core error worded in the user's language: by its name from its params (ForbiddenError,
// NotFoundError, ValidationError, LocationNotEmptyError with what the place holds, LifecycleMoveError
// with each refused device and its state (lifecycle-text.ts), the desktop
// main process's ConfirmationDeclinedError, CredentialUnboundError), else by its code (UNAVAILABLE, UNAUTHENTICATED,
// RATE_LIMITED with params.retryAfterMs), else in English the core's message, in any other
// language a wording of the code with the core's message as the detail (folded away by the
// banner). The error's class name is never the text. Pure: the unit tests call it without React.
import { ROLES } from '../../src-shared/domain';
import { ERROR_CODES, type ErrorCode } from '../../src-shared/errors';
import { sizeText as sizeIn } from '../components/size-text';
import { isMessageKey, translate, type Lang, type MessageKey, type Vars } from './i18n';
import { lifecycleRefusalText } from './lifecycle-text';

/** What the UI keeps of an error: the core's { name, code, message, params }. */
export interface WordableError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly params?: unknown;
}

export interface ErrorWording {
  text: string;
  /** The core's English message, when the text is a generic wording by code that leaves its specifics out. */
  detail: string | null;
}

/** What the place showing the error knows that the params do not (the import's file format). */
export interface ErrorContext {
  format?: string;
}

/** What a place may still hold (LocationNotEmptyError's params.holds), in the order they are said. */
const HELD_KINDS = ['sites', 'rooms', 'rows', 'cabinets', 'devices'] as const;

const str = (v: unknown): v is string => typeof v === 'string' && v !== '';

function paramsOf(e: WordableError): Readonly<Record<string, unknown>> {
  return typeof e.params === 'object' && e.params !== null ? (e.params as Record<string, unknown>) : {};
}

/** A value from the core worded by the dictionary when it has a key for it, else as sent. */
function wordOf(lang: Lang, prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return isMessageKey(key) ? translate(lang, key) : value;
}

/** The desktop's ConfirmationDeclinedError (the desktop main process's confirmation gate): the native dialog was declined. */
const DECLINED: Readonly<Record<Lang, (method: string, target: string) => string>> = {
  en: (method, target) => `"${method}" was not confirmed${target ? ` (${target})` : ''}: nothing was done`,
  'zh-CN': (method, target) => `“${method}”未在确认对话框中获得确认${target ? `（${target}）` : ''}：未执行任何操作`,
};

/** The core's CredentialUnboundError: a credential is not used at an endpoint it was not bound to. */
const UNBOUND: Readonly<Record<Lang, (role: string, credential: string, endpoint: string) => string>> = {
  en: (role, credential, endpoint) => `The ${role} credential ${credential} is not bound to ${endpoint}: nothing was sent. An admin must bind it on the device page.`,
  'zh-CN': (role, credential, endpoint) => `${role} 凭据 ${credential} 未绑定到 ${endpoint}：未发送任何内容。需由管理员在设备页绑定。`,
};

function byName(lang: Lang, e: WordableError, ctx: ErrorContext): ErrorWording | string | null {
  const p = paramsOf(e);
  const t = (key: MessageKey, vars: Vars) => translate(lang, key, vars);
  if (e.name === 'ForbiddenError' && str(p.method) && str(p.required) && str(p.actual)) {
    const role = (r: string) => ((ROLES as readonly string[]).includes(r) ? wordOf(lang, 'role', r) : r);
    return t('err.forbidden', { method: p.method, required: role(p.required), actual: role(p.actual) });
  }
  if (e.name === 'CredentialUnboundError' && str(p.role) && str(p.credentialId) && str(p.endpoint)) {
    return UNBOUND[lang](p.role.toUpperCase(), p.credentialId, p.endpoint);
  }
  if (e.name === 'ConfirmationDeclinedError' && str(p.method)) return DECLINED[lang](p.method, typeof p.target === 'string' ? p.target : '');
  if (e.name === 'NotFoundError' && str(p.what) && str(p.id)) {
    return t('err.notFound', { what: wordOf(lang, 'err.what', p.what), id: p.id });
  }
  if (e.name === 'ValidationError') {
    if (str(p.method) && str(p.field) && str(p.problem)) {
      const more = Array.isArray(p.fields) ? p.fields.length - 1 : 0;
      const vars = { method: p.method, field: p.field, problem: p.problem, more };
      const text = more > 0 ? t('err.validation.callMore', vars) : t('err.validation.call', vars);
      // The problem is the core's English: other languages fold it into the detail.
      return lang === 'en' ? text : { text, detail: p.problem };
    }
    if (Array.isArray(p.issues) && p.issues.length > 0) {
      const n = p.issues.length;
      const format = ctx.format ?? (str(p.format) ? p.format.toUpperCase() : null);
      if (format) return t(n === 1 ? 'err.validation.fileOne' : 'err.validation.fileOther', { n, format });
      return t(n === 1 ? 'err.validation.issuesOne' : 'err.validation.issuesOther', { n });
    }
    if (str(p.field)) return t('err.validation.field', { field: p.field });
  }
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (e.name === 'LocationNotEmptyError' && str(p.kind) && str(p.name) && typeof p.holds === 'object' && p.holds !== null) {
    const holds = p.holds as Readonly<Record<string, unknown>>;
    const parts = HELD_KINDS.flatMap((k) => {
      const n = holds[k];
      return num(n) && n > 0 ? [t(`err.holds.${k}.${n === 1 ? 'one' : 'other'}` as MessageKey, { n: n.toLocaleString(lang) })] : [];
    });
    if (parts.length > 0) return t('err.notEmpty', { kind: wordOf(lang, 'place.kind', p.kind), name: p.name, what: parts.join(translate(lang, 'err.holds.sep')) });
  }
  if (e.name === 'LifecycleMoveError') {
    const text = lifecycleRefusalText(lang, p);
    if (text) return text;
  }
  const sizeText = (bytes: number) => sizeIn({ t: (key, vars) => translate(lang, key, vars), num: (n) => n.toLocaleString(lang) }, bytes);
  if (e.name === 'MessageTooLargeError' && num(p.bytes) && num(p.limitBytes)) {
    return t('err.messageTooLarge', { size: sizeText(p.bytes), limit: sizeText(p.limitBytes) });
  }
  if (e.name === 'PayloadTooLargeError' && num(p.limitBytes)) return t('err.payloadTooLarge', { limit: sizeText(p.limitBytes) });
  if (e.code === 'RATE_LIMITED' && typeof p.retryAfterMs === 'number' && Number.isFinite(p.retryAfterMs)) {
    return t('err.rateLimited', { seconds: Math.max(1, Math.ceil(p.retryAfterMs / 1000)) });
  }
  return null;
}

function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

const BY_CODE: Readonly<Record<string, MessageKey>> = { UNAVAILABLE: 'err.unavailable', UNAUTHENTICATED: 'err.unauthenticated' };

export function wordError(lang: Lang, e: WordableError, ctx: ErrorContext = {}): ErrorWording {
  const named = byName(lang, e, ctx);
  if (typeof named === 'string') return { text: named, detail: null };
  if (named !== null) return named;
  const key = BY_CODE[e.code];
  if (key) return { text: translate(lang, key), detail: e.message };
  if (lang === 'en' || !isErrorCode(e.code)) return { text: e.message, detail: null };
  return { text: translate(lang, `err.generic.${e.code}`), detail: e.message };
}

/** The error's wording alone (see wordError). */
export function errorText(lang: Lang, e: WordableError, ctx: ErrorContext = {}): string {
  return wordError(lang, e, ctx).text;
}
