// The side panel of a clicked pair: its P99 over the last 24 hours both ways (probes.pair, one
// SVG polyline per direction), the latest minute's figures, and at server level a link per host
// to the 3D room view (its cabinet in view, the host named as landed).
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { dropRate, type PairMinute } from '../../../src-shared/domain/probe';
import { closePair, openHostInRoom } from '../../stores/probes/actions';
import { selectPrPair, selectPrRoomLinkError } from '../../stores/probes/selectors';
import { useAppStore } from '../../stores/store';
import { latencyText, percentText } from './figures';

const W = 260;
const H = 90;

function polyline(minutes: readonly PairMinute[], from: number, to: number, maxUs: number): string {
  const span = Math.max(1, to - from);
  return minutes.map((m) => `${(((m.at - from) / span) * W).toFixed(1)},${(H - (m.p99Us / maxUs) * (H - 4) - 2).toFixed(1)}`).join(' ');
}

export function PairPanel() {
  const { t } = useI18n();
  const pair = useAppStore(selectPrPair);
  const roomError = useAppStore(selectPrRoomLinkError);
  if (!pair) return null;
  const f = pair.figures;
  const all = f ? [...f.forward, ...f.reverse] : [];
  const from = Math.min(...all.map((m) => m.at));
  const to = Math.max(...all.map((m) => m.at));
  const maxUs = Math.max(1, ...all.map((m) => m.p99Us));
  const latest = f?.forward[f.forward.length - 1];
  return (
    <aside className="matrix-pair" data-testid="matrix-pair" data-a={pair.a} data-b={pair.b} data-level={pair.level}>
      <div className="matrix-pair-head">
        <strong>{t('matrix.pair.title', { a: pair.aLabel, b: pair.bLabel })}</strong>
        <button type="button" className="ghost" data-testid="matrix-pair-close" onClick={closePair}>
          {t('matrix.pair.close')}
        </button>
      </div>
      {pair.error && <ErrorBanner error={pair.error} action="action.probePair" />}
      {!f && !pair.error && <p className="loading">{t('matrix.pair.loading')}</p>}
      {f && all.length === 0 && <p className="muted" data-testid="matrix-pair-none">{t('matrix.pair.none')}</p>}
      {f && all.length > 0 && (
        <figure className="matrix-pair-chart" data-testid="matrix-pair-chart" data-forward={f.forward.length} data-reverse={f.reverse.length}>
          <figcaption className="small">{t('matrix.pair.chart')}</figcaption>
          <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={t('matrix.pair.chart')}>
            <polyline className="matrix-pair-fwd" points={polyline(f.forward, from, to, maxUs)} />
            <polyline className="matrix-pair-rev" points={polyline(f.reverse, from, to, maxUs)} />
          </svg>
          <div className="small matrix-pair-keys">
            <span className="matrix-pair-fwd-key">{t('matrix.pair.forward', { a: pair.aLabel, b: pair.bLabel })}</span> · {t('matrix.pair.minutes', { n: f.forward.length })}
            <br />
            <span className="matrix-pair-rev-key">{t('matrix.pair.reverse', { a: pair.aLabel, b: pair.bLabel })}</span> · {t('matrix.pair.minutes', { n: f.reverse.length })}
          </div>
          {latest && <p className="small">{t('matrix.pair.latest', { p99: latencyText(t, latest.p99Us), drop: percentText(dropRate(latest.ok, latest.drops)) })}</p>}
        </figure>
      )}
      {pair.level === 'server' && (
        <div className="matrix-pair-rooms">
          {[
            [pair.a, pair.aLabel],
            [pair.b, pair.bLabel],
          ].map(([id, label]) => (
            <button key={id} type="button" data-testid="matrix-pair-room" data-device-id={id} onClick={() => void openHostInRoom(id ?? '')}>
              {t('matrix.pair.openRoom', { host: label ?? '' })}
            </button>
          ))}
          {roomError && <ErrorBanner error={roomError} action="action.probeRoom" />}
        </div>
      )}
    </aside>
  );
}
