// The launch form's hosts: search as you type (hostname, SN, IP, through the search
// capability; a hit is added with Enter or its button), or paste hostnames / SNs in any
// layout and add them at once (exact matches only; the rest are listed as not found); the
// chosen hosts as a list, each removable.
import { useEffect, useRef, useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { addHit, addPasted, clearHosts, exactHit, removeHost, searchHosts } from '../../stores/workflows/actions';
import type { WfLaunchState } from '../../stores/workflows/slice';

const SEARCH_DEBOUNCE_MS = 200;

export function HostPicker({ launch, problems }: { launch: WfLaunchState; problems: readonly string[] }) {
  const { t, num } = useI18n();
  const [query, setQuery] = useState('');
  const [paste, setPaste] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    const pending = timer;
    return () => {
      if (pending.current) clearTimeout(pending.current);
    };
  }, []);
  const onQuery = (q: string) => {
    setQuery(q);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void searchHosts(q), SEARCH_DEBOUNCE_MS);
  };
  const chosen = new Set(launch.hosts.map((h) => h.id));
  const hits = launch.query.trim() === query.trim() ? (launch.hits ?? []) : [];
  return (
    <fieldset className="wf-hosts" data-testid="wf-hosts" data-count={launch.hosts.length}>
      <legend>{t('wf.hosts.title')}</legend>
      <div className="wf-hosts-grid">
        <div className="inv-field">
          <label htmlFor="wf-host-search">{t('wf.hosts.search')}</label>
          <input
            id="wf-host-search"
            data-testid="wf-host-search"
            value={query}
            spellCheck={false}
            autoComplete="off"
            placeholder={t('wf.hosts.searchHint')}
            onChange={(e) => onQuery(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return;
              e.preventDefault();
              const hit = exactHit(query.trim(), hits) ?? hits[0];
              if (hit) addHit(hit);
            }}
          />
          {hits.length > 0 && (
            <ul className="wf-hits" data-testid="wf-host-hits">
              {hits.map((h) => (
                <li key={h.deviceId}>
                  <button type="button" className="wf-hit" data-testid="wf-host-hit" data-device-id={h.deviceId} disabled={chosen.has(h.deviceId)} onClick={() => addHit(h)}>
                    <span className="wf-data">{h.hostname}</span> <span className="muted small wf-data">{h.sn}</span>{' '}
                    <span className="muted small wf-data">
                      {h.siteName} · {h.cabinetName}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {launch.query.trim().length >= 2 && launch.query.trim() === query.trim() && launch.hits?.length === 0 && (
            <span className="muted small" data-testid="wf-host-no-hits">
              {t('wf.hosts.noHits')}
            </span>
          )}
        </div>
        <div className="inv-field">
          <label htmlFor="wf-host-paste">{t('wf.hosts.paste')}</label>
          <textarea id="wf-host-paste" data-testid="wf-host-paste" rows={3} value={paste} spellCheck={false} placeholder={t('wf.hosts.pasteHint')} onChange={(e) => setPaste(e.currentTarget.value)} />
          <div className="inv-buttons">
            <button
              type="button"
              data-testid="wf-host-paste-add"
              disabled={paste.trim() === '' || launch.resolving !== null}
              onClick={() => void addPasted(paste).then(() => setPaste(''))}
            >
              {t('wf.hosts.pasteAdd')}
            </button>
            {launch.resolving && (
              <span className="muted small" role="status" data-testid="wf-host-resolving">
                <span className="spinner" aria-hidden /> {t('wf.hosts.resolving', { done: num(launch.resolving.done), total: num(launch.resolving.total) })}
              </span>
            )}
          </div>
        </div>
      </div>
      {launch.searchError && <ErrorBanner error={launch.searchError} action="wf.action.hostSearch" testId="wf-host-search-error" />}
      {launch.unresolved.length > 0 && (
        <p className="tone-text-warn small" data-testid="wf-host-unresolved" data-count={launch.unresolved.length}>
          {t('wf.hosts.unresolved', { n: num(launch.unresolved.length) })} <span className="wf-data">{launch.unresolved.join(', ')}</span>
        </p>
      )}
      <div className="card-head">
        <strong data-testid="wf-host-count" data-value={launch.hosts.length}>
          {t('wf.hosts.chosen', { n: num(launch.hosts.length) })}
        </strong>
        {launch.hosts.length > 0 && (
          <button type="button" className="small" data-testid="wf-host-clear" onClick={clearHosts}>
            {t('wf.hosts.clear')}
          </button>
        )}
      </div>
      {launch.hosts.length > 0 && (
        <ul className="wf-chosen scroll-box" data-testid="wf-host-chosen">
          {launch.hosts.map((h) => (
            <li key={h.id} data-testid="wf-host-chosen-item" data-device-id={h.id}>
              <span className="wf-data">{h.hostname}</span> <span className="muted small wf-data">{h.sn}</span>
              <button type="button" className="small ghost" data-testid="wf-host-remove" aria-label={t('wf.hosts.remove', { host: h.hostname })} onClick={() => removeHost(h.id)}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      {problems.length > 0 && (
        <span className="field-error tone-text-bad small" role="alert" data-testid="wf-launch-error-hosts">
          {problems.join(' ')}
        </span>
      )}
    </fieldset>
  );
}
