// The probe matrix (#/matrix/<level>, #/matrix/server?a=&b= for two ToRs' servers), loaded as a
// lazy chunk with deck.gl: level and metric selectors, the time scrubber over the last 24 h of
// minutes, the thresholds legend, the canvas (MatrixStage) with its hover tooltip (both
// directions of the pair) and the clicked pair's side panel; beside it the localiser's suspects
// over the shown window and the DNS catchment; a drill-down shows its two ToRs and
// a way back. Without WebGL it says so plainly.
import { useEffect, useState } from 'react';
import { MATRIX_LEVELS, type MatrixLevel } from '../../../src-shared/domain/probe';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { drillUp, loadMatrix, openMatrix, setMatrixAt, setMatrixLevel, setMatrixMetric } from '../../stores/probes/actions';
import { openSuspects } from '../../stores/probes/suspect-actions';
import { selectPrHover, selectPrMatrix, selectPrMatrixError, selectPrMetric, selectPrRequest, selectPrThresholds } from '../../stores/probes/selectors';
import { useAppStore } from '../../stores/store';
import { hasWebGl } from '../room3d/engine';
import { cellLoss, hoverFigures, latencyText, percentText, scrubWindow } from './figures';
import { MatrixStage, shownCells } from './matrix-stage';
import { cssOf, legendOf, MATRIX_METRICS, type CellFigures } from './paint';
import { DnsPanel } from './dns-panel';
import { PairPanel } from './pair-panel';
import { SuspectsPanel } from './suspects-panel';
import './matrix.css';

const PICKER_LEVELS: readonly MatrixLevel[] = [...MATRIX_LEVELS].reverse(); // site, room, tor, server

export default function MatrixView({ level, tors }: { level: MatrixLevel; tors: readonly [string, string] | null }) {
  const { t } = useI18n();
  const matrix = useAppStore(selectPrMatrix);
  const error = useAppStore(selectPrMatrixError);
  const [webgl] = useState(hasWebGl);
  const torA = tors?.[0] ?? null;
  const torB = tors?.[1] ?? null;
  useEffect(() => {
    const live = openMatrix(level, torA && torB ? [torA, torB] : null);
    return () => live.dispose();
  }, [level, torA, torB]);
  useEffect(() => {
    const follow = openSuspects();
    return () => follow.dispose();
  }, []);
  const shown = matrix && matrix.level === level ? matrix : null;
  const torName = (id: string | null) => shown?.rows.groups.find((g) => g.level === 'tor' && g.id === id)?.name ?? id ?? '';
  return (
    <main className="matrix-view" data-testid="matrix" data-level={level} data-drilled={tors ? 'true' : 'false'}>
      <div className="view-head matrix-head">
        <h1 data-testid="matrix-title">{tors ? t('matrix.titleServers', { a: torName(torA), b: torName(torB) }) : t('matrix.title')}</h1>
        {tors && (
          <button type="button" data-testid="matrix-back" onClick={drillUp}>
            ‹ {t('matrix.back')}
          </button>
        )}
        <a href="#/public-net" data-testid="matrix-public-link">
          {t('publicNet.link')}
        </a>
        {shown && (
          <span className="muted small" data-testid="matrix-size" data-rows={shown.rows.ids.length} data-cols={shown.cols.ids.length}>
            {t('matrix.size', { rows: shown.rows.ids.length, cols: shown.cols.ids.length })}
          </span>
        )}
      </div>
      <Toolbar level={level} />
      {error && <ErrorBanner error={error} action="action.probeMatrix" onRetry={() => void loadMatrix()} />}
      {!webgl ? (
        <p className="tone-text-warn" role="status" data-testid="matrix-no-webgl">
          {t('matrix.noWebgl')}
        </p>
      ) : (
        <>
          {!shown && !error && <p className="loading">{t('matrix.loading')}</p>}
          {shown && shown.rows.ids.length === 0 && (
            <p className="muted" data-testid="matrix-empty">
              {t('matrix.empty')}
            </p>
          )}
          <div className="matrix-body" hidden={!shown || shown.rows.ids.length === 0}>
            <div className="matrix-stage-wrap">
              <MatrixStage />
              <Tooltip />
            </div>
            <div className="matrix-side">
              <SuspectsPanel />
              <p className="muted small">{t(level === 'tor' ? 'matrix.hint.tor' : level === 'server' ? 'matrix.hint.server' : 'matrix.hint.other')}</p>
              <PairPanel />
              <DnsPanel />
            </div>
          </div>
        </>
      )}
    </main>
  );
}

function Toolbar({ level }: { level: MatrixLevel }) {
  const { t } = useI18n();
  const metric = useAppStore(selectPrMetric);
  return (
    <div className="matrix-toolbar">
      <div role="radiogroup" aria-label={t('matrix.level')} className="matrix-choice">
        {PICKER_LEVELS.map((l) => (
          <button key={l} type="button" role="radio" aria-checked={l === level} className={l === level ? 'active' : ''} data-testid={`matrix-level-${l}`} onClick={() => setMatrixLevel(l)}>
            {t(`matrix.level.${l}` as MessageKey)}
          </button>
        ))}
      </div>
      <div role="radiogroup" aria-label={t('matrix.metric')} className="matrix-choice">
        {MATRIX_METRICS.map((m) => (
          <button key={m} type="button" role="radio" aria-checked={m === metric} className={m === metric ? 'active' : ''} data-testid={`matrix-metric-${m}`} onClick={() => setMatrixMetric(m)}>
            {t(`matrix.metric.${m}` as MessageKey)}
          </button>
        ))}
      </div>
      <Scrubber />
      <Legend />
    </div>
  );
}

function Scrubber() {
  const { t, time } = useI18n();
  const matrix = useAppStore(selectPrMatrix);
  const request = useAppStore(selectPrRequest);
  const win = scrubWindow(matrix);
  const [drag, setDrag] = useState<number | null>(null);
  if (!win || !matrix) return null;
  const at = drag ?? request?.at ?? win.max;
  return (
    <label className="matrix-scrub" data-testid="matrix-scrub" data-at={request?.at ?? ''} title={t('matrix.scrubHint')}>
      <span>{t('matrix.time')}</span>
      <input
        type="range"
        data-testid="matrix-scrub-input"
        min={win.min}
        max={win.max}
        step={60_000}
        value={Math.min(win.max, Math.max(win.min, at))}
        onChange={(e) => setDrag(Number(e.currentTarget.value))}
        onPointerUp={() => (drag !== null ? (setMatrixAt(drag >= win.max ? null : drag), setDrag(null)) : undefined)}
        onKeyUp={() => (drag !== null ? (setMatrixAt(drag >= win.max ? null : drag), setDrag(null)) : undefined)}
      />
      <span className="small">{request?.at == null && drag === null ? t('matrix.live') : t('matrix.window', { time: time(at) })}</span>
      {request?.at != null && (
        <button type="button" className="ghost small" data-testid="matrix-live" onClick={() => setMatrixAt(null)}>
          {t('matrix.goLive')}
        </button>
      )}
    </label>
  );
}

function Legend() {
  const { t } = useI18n();
  const metric = useAppStore(selectPrMetric);
  const thresholds = useAppStore(selectPrThresholds);
  if (!thresholds) return null;
  const value = (v: number | null) => (v === null ? '' : metric === 'p99' ? latencyText(t, v) : percentText(v));
  return (
    <div className="matrix-legend" data-testid="matrix-legend" data-metric={metric}>
      {legendOf(metric, thresholds).map((e) => (
        <span key={e.key} className="matrix-swatch" data-testid="matrix-legend-entry" data-key={e.key}>
          <i style={{ background: cssOf(e.colour) }} /> {t(`matrix.legend.${e.key}` as MessageKey, { value: value(e.value) })}
        </span>
      ))}
    </div>
  );
}

function Figures({ c, down }: { c: CellFigures | null | undefined; down: boolean }) {
  const { t, num } = useI18n();
  if (down) return <span className="muted">{t('matrix.tip.down')}</span>;
  if (!c) return <span className="muted">{t('matrix.tip.noData')}</span>;
  return (
    <>
      <span>{t('matrix.tip.figures', { p50: latencyText(t, c.p50Us), p99: latencyText(t, c.p99Us), drop: percentText(cellLoss(c)) })}</span>
      <span className="small muted">{t('matrix.tip.counts', { ok: num(c.ok), drops: num(c.drops), failed: num(c.failed) })}</span>
    </>
  );
}

function Tooltip() {
  const { t } = useI18n();
  const hover = useAppStore(selectPrHover);
  const matrix = useAppStore(selectPrMatrix);
  if (!hover || !matrix || shownCells?.matrix !== matrix) return null;
  const f = hoverFigures(matrix, shownCells.cells, hover.row, hover.col);
  if (!f) return null;
  return (
    <div className="matrix-tooltip" data-testid="matrix-tooltip" data-row={hover.row} data-col={hover.col} style={{ left: hover.x + 14, top: hover.y + 14 }}>
      <strong>{t('matrix.tip.forward', { a: f.a, b: f.b })}</strong>
      <Figures c={f.forward} down={f.aDown || f.bDown} />
      {f.reverse !== undefined && (
        <>
          <strong>{t('matrix.tip.reverse', { a: f.a, b: f.b })}</strong>
          <Figures c={f.reverse} down={f.aDown || f.bDown} />
        </>
      )}
    </div>
  );
}
