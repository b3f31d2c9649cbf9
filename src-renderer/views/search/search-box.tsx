// The header's one search box: SN, hostname, management or BMC IP. Keyboard driven: '/'
// focuses it from anywhere, arrows choose, Enter opens the device page, Esc closes. Each
// hit says where the device sits (site, room, cabinet, U) and what matched.
import { useEffect, useRef } from 'react';
import type { DeviceSearchHit } from '../../../src-shared/domain/search';
import { errorText } from '../../i18n/error-text';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { closeSearch, moveSearchChoice, openSearch, openSearchHit, setSearchQuery } from '../../stores/search/actions';
import {
  selectSearchActive,
  selectSearchAnswered,
  selectSearchError,
  selectSearchHits,
  selectSearchLoading,
  selectSearchOpen,
  selectSearchQuery,
} from '../../stores/search/selectors';
import { useAppStore } from '../../stores/store';
import { isSlashShortcut } from './shortcut';
import './search-box.css';

const LIST_ID = 'device-search-results';

export function SearchBox() {
  const { t } = useI18n();
  const query = useAppStore(selectSearchQuery);
  const open = useAppStore(selectSearchOpen);
  const hits = useAppStore(selectSearchHits);
  const active = useAppStore(selectSearchActive);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!isSlashShortcut(e)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const showList = open && query.trim() !== '';
  return (
    <div className="search-box" role="search">
      <input
        ref={input}
        type="search"
        className="search-input"
        data-testid="search-input"
        role="combobox"
        aria-label={t('scale.search.label')}
        aria-expanded={showList}
        aria-controls={LIST_ID}
        aria-autocomplete="list"
        aria-activedescendant={showList && hits && hits.length > 0 ? `search-hit-${active}` : undefined}
        placeholder={t('scale.search.placeholder')}
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(e) => setSearchQuery(e.currentTarget.value)}
        onFocus={openSearch}
        onBlur={closeSearch}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            moveSearchChoice(e.key === 'ArrowDown' ? 1 : -1);
          } else if (e.key === 'Enter') {
            e.preventDefault();
            if (hits && hits.length > 0) {
              openSearchHit();
              e.currentTarget.blur();
            }
          } else if (e.key === 'Escape') {
            e.preventDefault();
            closeSearch();
            e.currentTarget.blur();
          }
        }}
      />
      {showList && <Results />}
    </div>
  );
}

function Results() {
  const { t, num, lang } = useI18n();
  const hits = useAppStore(selectSearchHits);
  const answered = useAppStore(selectSearchAnswered);
  const loading = useAppStore(selectSearchLoading);
  const error = useAppStore(selectSearchError);
  const active = useAppStore(selectSearchActive);
  const query = useAppStore(selectSearchQuery).trim();
  return (
    <div className="search-results" data-testid="search-results" data-loading={loading}>
      {error && (
        <p className="search-note tone-text-bad" data-testid="search-error" data-code={error.code}>
          {errorText(lang, error)}
        </p>
      )}
      {!error && hits === null && loading && (
        <p className="search-note muted" data-testid="search-loading">
          {t('scale.search.searching')}
        </p>
      )}
      {!error && hits !== null && hits.length === 0 && !loading && (
        <p className="search-note muted" data-testid="search-empty">
          {t('scale.search.none', { q: answered ?? query })}
        </p>
      )}
      {hits !== null && hits.length > 0 && (
        <>
          <ul id={LIST_ID} role="listbox" className="search-list" aria-label={t('scale.search.results', { n: num(hits.length) })}>
            {hits.map((hit, i) => (
              <Hit key={hit.deviceId} hit={hit} index={i} active={i === active} />
            ))}
          </ul>
          <p className="search-note muted small">{t('scale.search.hint')}</p>
        </>
      )}
    </div>
  );
}

function Hit({ hit, index, active }: { hit: DeviceSearchHit; index: number; active: boolean }) {
  const { t } = useI18n();
  return (
    <li
      id={`search-hit-${index}`}
      role="option"
      aria-selected={active}
      className={`search-hit ${active ? 'active' : ''}`}
      data-testid="search-hit"
      data-device-id={hit.deviceId}
      data-active={active}
      data-field={hit.field}
      data-match={hit.match}
      // mousedown, not click: the input keeps focus, so its blur does not close the list first.
      onMouseDown={(e) => {
        e.preventDefault();
        openSearchHit(index);
      }}
    >
      <div className="search-hit-head">
        <strong className="search-hit-name">{hit.hostname}</strong>
        <span className="muted">{t(`kind.${hit.kind}` as MessageKey)}</span>
        <span className={`search-match match-${hit.match}`}>
          {t(`scale.search.field.${hit.field}` as MessageKey)} · {t(`scale.search.match.${hit.match}` as MessageKey)}
        </span>
      </div>
      <div className="search-hit-ids muted small">
        <span>
          {t('scale.search.field.sn')} {hit.sn}
        </span>
        <span>{hit.mgmtIp}</span>
        {hit.bmcAddress && (
          <span>
            {t('scale.search.field.bmcAddress')} {hit.bmcAddress}
          </span>
        )}
      </div>
      <div className="search-hit-where small" data-testid="search-hit-where">
        {t('scale.search.where', { site: hit.siteName, room: hit.roomName, cabinet: hit.cabinetName, u: hit.uPosition })}
      </div>
    </li>
  );
}
