// The two UI languages, lookup with {placeholders}, and the persisted choice.
import { en, type Dictionary, type MessageKey } from './en';
import { zhCN } from './zh-cn';

export type Lang = 'en' | 'zh-CN';
export const LANGS: readonly { id: Lang; label: string }[] = [
  { id: 'zh-CN', label: '中文' },
  { id: 'en', label: 'English' },
];
const DICTIONARIES: Record<Lang, Dictionary> = { en, 'zh-CN': zhCN };
const STORAGE_KEY = 'fleetdeck.lang';

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const text: string = DICTIONARIES[lang][key] ?? en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** Whether a string is a key of the dictionaries (for keys built from the core's values). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

export function isLang(v: unknown): v is Lang {
  return v === 'en' || v === 'zh-CN';
}

/** The saved choice, else the browser's language, else English. */
export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLang(saved)) return saved;
  } catch {
    // storage unavailable: fall through
  }
  const browser = typeof navigator === 'undefined' ? '' : navigator.language;
  return browser.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function saveLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage unavailable: the choice lasts for this page only
  }
  document.documentElement.lang = lang;
}

export type { MessageKey };
