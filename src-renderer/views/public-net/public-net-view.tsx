// The public network map (#/public-net), a lazy chunk with deck.gl: China's provinces coloured by
// P99 latency or loss from probes.public, one small map per vantage (a site's agents) side by
// side, the legend, and a tooltip naming the province (in the user's language) with its figures.
import { useEffect, useMemo, useRef, useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { loadPublic, openPublic, PUBLIC_WINDOW_MIN, setPublicMetric } from '../../stores/probes/actions';
import { selectPrPublic, selectPrPublicError, selectPrPublicMetric } from '../../stores/probes/selectors';
import type { PublicMetric } from '../../stores/probes/slice';
import { useAppStore } from '../../stores/store';
import { hasWebGl } from '../room3d/engine';
import { latencyText, percentText } from '../matrix/figures';
import { PublicNetMap, type MapHover, type ProvinceOutlines } from './public-net-map';
import { byProvince, PUBLIC_COLOUR, PUBLIC_THRESHOLDS } from './quality';
import '../matrix/matrix.css';

const METRICS: readonly PublicMetric[] = ['latency', 'loss'];

const OUTLINES = import.meta.glob<string>('../../../resources/geo/cn-provinces.geojson', { query: '?raw', import: 'default' });

/** The province outlines, or null when the file is missing or is not a FeatureCollection. */
async function loadOutlines(): Promise<ProvinceOutlines | null> {
  try {
    const load = Object.values(OUTLINES)[0];
    const o = load ? (JSON.parse(await load()) as ProvinceOutlines) : null;
    return o?.type === 'FeatureCollection' && Array.isArray(o.features) ? o : null;
  } catch {
    return null;
  }
}

export default function PublicNetView() {
  const { t } = useI18n();
  const quality = useAppStore(selectPrPublic);
  const error = useAppStore(selectPrPublicError);
  const metric = useAppStore(selectPrPublicMetric);
  const [webgl] = useState(hasWebGl);
  const [outlines, setOutlines] = useState<ProvinceOutlines | null | undefined>(undefined);
  useEffect(() => {
    void loadOutlines().then(setOutlines);
  }, []);
  useEffect(() => {
    const live = openPublic();
    return () => live.dispose();
  }, []);
  const empty = quality !== null && quality.targets.length === 0;
  return (
    <main className="public-net-view" data-testid="public-net">
      <div className="view-head matrix-head">
        <h1>{t('publicNet.title')}</h1>
        <span className="muted small">{t('publicNet.window', { minutes: PUBLIC_WINDOW_MIN })}</span>
      </div>
      <div className="matrix-toolbar">
        <div role="radiogroup" className="matrix-choice">
          {METRICS.map((m) => (
            <button key={m} type="button" role="radio" aria-checked={m === metric} className={m === metric ? 'active' : ''} data-testid={`public-metric-${m}`} onClick={() => setPublicMetric(m)}>
              {t(`publicNet.metric.${m}` as MessageKey)}
            </button>
          ))}
        </div>
        <div className="matrix-legend" data-testid="public-legend">
          {(['good', 'warn', 'bad', 'none'] as const).map((k) => (
            <span key={k} className="matrix-swatch">
              <i style={{ background: `rgb(${PUBLIC_COLOUR[k].slice(0, 3).join(' ')})` }} />{' '}
              {t(`publicNet.legend.${k}` as MessageKey, { ms: (k === 'bad' ? PUBLIC_THRESHOLDS.p99BadUs : PUBLIC_THRESHOLDS.p99WarnUs) / 1000, loss: (k === 'bad' ? PUBLIC_THRESHOLDS.lossBad : PUBLIC_THRESHOLDS.lossWarn) * 100 })}
            </span>
          ))}
        </div>
      </div>
      {error && <ErrorBanner error={error} action="action.probePublic" onRetry={() => void loadPublic()} />}
      {outlines === null && <p className="tone-text-warn">{t('publicNet.noOutline')}</p>}
      {!webgl && <p className="tone-text-warn">{t('matrix.noWebgl')}</p>}
      {!quality && !error && <p className="loading">{t('publicNet.loading')}</p>}
      {empty && (
        <p className="muted" data-testid="public-empty">
          {t('publicNet.empty')}
        </p>
      )}
      {webgl && outlines && quality && !empty && <Maps outlines={outlines} />}
    </main>
  );
}

function Maps({ outlines }: { outlines: ProvinceOutlines }) {
  const { t, lang } = useI18n();
  const quality = useAppStore(selectPrPublic);
  const metric = useAppStore(selectPrPublicMetric);
  const host = useRef<HTMLDivElement>(null);
  const map = useRef<PublicNetMap | null>(null);
  const [hover, setHover] = useState<MapHover | null>(null);
  const figures = useMemo(() => (quality ? byProvince(quality) : []), [quality]);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const m = new PublicNetMap(el, outlines, setHover);
    map.current = m;
    return () => {
      m.dispose();
      map.current = null;
    };
  }, [outlines]);
  useEffect(() => map.current?.setFigures(figures, metric), [figures, metric]);
  const vantages = quality?.vantages ?? [];
  const feature = hover ? outlines.features.find((f) => f.properties.code === hover.code) : undefined;
  const f = hover ? figures[hover.vantage]?.get(hover.code) : undefined;
  const province = feature ? (lang === 'zh-CN' ? feature.properties.name_zh : feature.properties.name) : '';
  return (
    <div className="matrix-stage-wrap">
      <div className="public-net-titles" style={{ display: 'flex' }}>
        {vantages.map((v) => (
          <strong key={v.siteId} style={{ flex: 1, textAlign: 'center' }} data-testid="public-vantage">
            {t('publicNet.vantage', { name: v.name })}
          </strong>
        ))}
      </div>
      <div ref={host} className="matrix-canvas" data-testid="public-stage" data-vantages={vantages.length} style={{ background: '#f4f6f8' }} onPointerLeave={() => setHover(null)} />
      {hover && feature && (
        <div className="matrix-tooltip" data-testid="public-tooltip" style={{ left: hover.x + 14, top: hover.y + 40 }}>
          {f ? t('publicNet.tip', { province, p99: latencyText(t, f.p99Us), loss: percentText(f.loss), targets: f.targets }) : t('publicNet.tipNone', { province })}
        </div>
      )}
    </div>
  );
}
