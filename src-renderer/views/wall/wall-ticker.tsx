// Across the top of every wall view: the alarm ticker (the firing, unmasked root alarms, newest
// first, each in its severity's colour, kept live by the alarms store on onDidChangeAlarms) and
// the stale banner "data stale since HH:MM" while no heartbeat arrives (stores/wall-store.ts).
import { useMemo } from 'react';
import type { Alarm } from '../../../src-shared/domain/alarm';
import { useI18n } from '../../i18n/use-i18n';
import { selectFiringAlarms } from '../../stores/alarms/selectors';
import { useAppStore } from '../../stores/store';
import { selectWallStaleSince, useWallStore } from '../../stores/wall-store';

/** Firing, unmasked, not grouped under another shown alarm; newest first. */
export function tickerAlarms(firing: readonly Alarm[] | null): Alarm[] {
  const shown = (firing ?? []).filter((a) => a.state === 'firing' && !a.masked);
  const ids = new Set(shown.map((a) => a.id));
  return shown.filter((a) => !a.rootId || !ids.has(a.rootId)).sort((a, b) => b.since - a.since || b.firstSeen - a.firstSeen);
}

export function WallTicker() {
  const { t } = useI18n();
  const firing = useAppStore(selectFiringAlarms);
  const roots = useMemo(() => tickerAlarms(firing), [firing]);
  return (
    <div className="wall-ticker" data-testid="wall-ticker" data-count={roots.length} role="status">
      {roots.length === 0 ? (
        <span className="wall-ticker-none">{t('wall.tickerNone')}</span>
      ) : (
        roots.map((a) => (
          <span key={a.id} className={`wall-ticker-item sev-${a.severity}`} data-testid="wall-ticker-item" data-alarm-id={a.id} data-severity={a.severity}>
            <b>{t(`alarms.sev.${a.severity}`)}</b> {a.objectId} · {a.ruleId}
          </span>
        ))
      )}
    </div>
  );
}

export function StaleBanner() {
  const { t, lang } = useI18n();
  const since = useWallStore(selectWallStaleSince);
  const hm = useMemo(() => new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hour12: false }), [lang]);
  if (since === null) return null;
  return (
    <div className="wall-stale" data-testid="wall-stale" data-since={since} role="alert">
      {t('wall.stale', { time: hm.format(new Date(since)) })}
    </div>
  );
}
