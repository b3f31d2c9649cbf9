// The current language's translate and number/time formatting, for components.
import { useMemo } from 'react';
import { selectLanguage } from '../stores/session/selectors';
import { useAppStore } from '../stores/store';
import { translate, type Lang, type Translate } from './i18n';

export interface I18n {
  lang: Lang;
  t: Translate;
  num: (n: number) => string;
  time: (epochMs: number) => string;
}

export function useI18n(): I18n {
  const lang = useAppStore(selectLanguage);
  return useMemo(() => {
    const nf = new Intl.NumberFormat(lang);
    const tf = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    return {
      lang,
      t: (key, vars) => translate(lang, key, vars),
      num: (n) => nf.format(n),
      time: (ms) => tf.format(new Date(ms)),
    };
  }, [lang]);
}
