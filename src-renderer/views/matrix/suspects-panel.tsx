// The probe matrix's suspects panel: the fault localiser's ranked suspects over the window the
// matrix shows (kind in words, the name of what it stands for, 007's votes and NetBouncer's fitted
// success as percentages, the bad pairs through it), the top one emphasised with "show in room";
// a suspect opens to its evidence pairs (hostnames, P99, drop rate). With no suspect it says why:
// no pairs measured, none over a threshold, or bad pairs no single component explains.
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { loadLocalisation, showSuspectInRoom, toggleSuspect } from '../../stores/probes/suspect-actions';
import { selectPrLocalisation, selectPrLocalisationError, selectPrOpenSuspect } from '../../stores/probes/selectors';
import { evidenceRows, healthyReason, suspectLabel, suspectRoomTarget } from '../../stores/probes/suspects';
import { useAppStore } from '../../stores/store';
import type { ProbeLocalisation, ProbeSuspect } from '../../../src-shared/domain/probe';
import { latencyText, percentText } from './figures';

/** The most suspects listed (the localiser ranks every component a bad path crosses). */
const SHOWN = 5;

export function SuspectsPanel() {
  const { t, num, time } = useI18n();
  const loc = useAppStore(selectPrLocalisation);
  const error = useAppStore(selectPrLocalisationError);
  const reason = loc ? healthyReason(loc) : null;
  return (
    <section className="matrix-suspects" data-testid="matrix-suspects" data-suspects={loc?.suspects.length ?? ''} data-bad-pairs={loc?.badPairs ?? ''}>
      <h2 className="small">{t('matrix.suspects.title')}</h2>
      {loc && (
        <p className="muted small" data-testid="matrix-suspects-window" data-from={loc.from} data-to={loc.to}>
          {t('matrix.suspects.window', { minutes: num(Math.round((loc.to - loc.from) / 60_000)), time: time(loc.to) })}
        </p>
      )}
      {error && <ErrorBanner error={error} action="action.probeLocalise" onRetry={() => void loadLocalisation()} />}
      {!loc && !error && <p className="loading">{t('matrix.suspects.loading')}</p>}
      {loc && reason !== 'none' && (
        <p className="muted small" data-testid="matrix-suspects-none" data-reason={reason}>
          {t(`matrix.suspects.${reason}` as MessageKey, { bad: num(loc.badPairs), pairs: num(loc.pairs) })}
        </p>
      )}
      {loc && loc.suspects.length > 0 && (
        <>
          <p className="muted small">{t('matrix.suspects.summary', { bad: num(loc.badPairs), pairs: num(loc.pairs) })}</p>
          <ol className="matrix-suspect-list">
            {loc.suspects.slice(0, SHOWN).map((s, i) => (
              <SuspectItem key={s.component.id} loc={loc} s={s} top={i === 0} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function SuspectItem({ loc, s, top }: { loc: ProbeLocalisation; s: ProbeSuspect; top: boolean }) {
  const { t, num } = useI18n();
  const open = useAppStore(selectPrOpenSuspect) === s.component.id;
  const l = suspectLabel(loc, s);
  const room = top ? suspectRoomTarget(loc, s) : null;
  return (
    <li className={`matrix-suspect${top ? ' matrix-suspect-top' : ''}`} data-testid="matrix-suspect" data-component={l.id} data-kind={l.kind} data-object={s.component.objectId} data-top={top ? 'true' : 'false'}>
      <button type="button" className="matrix-suspect-head ghost" aria-expanded={open} data-testid="matrix-suspect-toggle" onClick={() => toggleSuspect(l.id)}>
        {top && <span className="matrix-suspect-badge">{t('matrix.suspects.top')}</span>}
        <span className="matrix-suspect-kind">{t(`probe.component.${l.kind}` as MessageKey)}</span>{' '}
        <strong className="matrix-suspect-name" data-testid="matrix-suspect-name">
          {l.name}
        </strong>
      </button>
      <span className="small" data-testid="matrix-suspect-scores">
        {t('matrix.suspects.scores', { votes: percentText(l.votes), fit: percentText(l.fittedSuccess), bad: num(l.badPairs) })}
      </span>
      {room && (
        <button type="button" className="small" data-testid="matrix-suspect-room" onClick={() => showSuspectInRoom(s)}>
          {t('matrix.suspects.showInRoom')}
        </button>
      )}
      {open && <Evidence loc={loc} s={s} />}
    </li>
  );
}

function Evidence({ loc, s }: { loc: ProbeLocalisation; s: ProbeSuspect }) {
  const { t, num } = useI18n();
  const rows = evidenceRows(loc, s);
  return (
    <div className="matrix-evidence" data-testid="matrix-evidence" data-pairs={rows.length}>
      <p className="small muted">{t('matrix.suspects.evidence', { shown: num(rows.length), bad: num(s.badPairs) })}</p>
      <table className="small">
        <thead>
          <tr>
            <th scope="col">{t('matrix.suspects.pair')}</th>
            <th scope="col">{t('matrix.suspects.p99')}</th>
            <th scope="col">{t('matrix.suspects.drop')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.src}>${r.dst}`} data-testid="matrix-evidence-pair" data-src={r.src} data-dst={r.dst}>
              <td>{t('matrix.tip.forward', { a: r.srcName, b: r.dstName })}</td>
              <td>{latencyText(t, r.p99Ms * 1000)}</td>
              <td>{percentText(r.dropRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
