// The visible language control: one button per language, the current one pressed.
import { LANGS } from '../i18n/i18n';
import { useI18n } from '../i18n/use-i18n';
import { setLanguage } from '../stores/session/actions';

export function LanguageSwitch() {
  const { lang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')} data-testid="lang-switch">
      {LANGS.map((l) => (
        <button
          key={l.id}
          type="button"
          lang={l.id}
          aria-pressed={lang === l.id}
          className={lang === l.id ? 'active' : ''}
          data-testid={`lang-${l.id}`}
          onClick={() => setLanguage(l.id)}
        >
          {l.label}
        </button>
      ))}
    </div>
  );
}
