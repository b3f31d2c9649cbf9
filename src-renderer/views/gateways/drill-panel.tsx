// A cluster's failover drills (in its card, views/gateways/cluster-card.tsx): for an operator, a
// form (kill -9 one node, two nodes, or loss on every node's sync link then a kill; how many
// test sessions; the loss's percent and duration) whose button asks again before it runs,
// since the drill really kills gateway nodes; for everyone, the cluster's latest drills with
// their phase, the nodes killed, the failover window, misses (red when any), the failback and
// its misses, and the core's note (why a drill stopped). Rows follow onDidChangeGatewayDrill.
import { useState } from 'react';
import { DRILL_SESSIONS_MAX } from '../../../src-shared/api/gateways';
import { GATEWAY_DRILL_KINDS, type GatewayClusterStatus, type GatewayDrill, type GatewayDrillKind } from '../../../src-shared/domain/gateway';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { startDrill, useDrillsStore } from '../../stores/gateway-drills';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { useGatewayFormat } from './gateway-format';

const NO_DRILLS: readonly GatewayDrill[] = [];

export function DrillPanel({ cluster: c }: { cluster: GatewayClusterStatus }) {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  const drills = useDrillsStore((s) => s.drills) ?? NO_DRILLS;
  const mine = drills.filter((d) => d.cluster === c.id);
  const may = mayCall(role, 'gateways.drill');
  return (
    <div className="gw-drills" data-testid="gateway-drills">
      <h3>{t('gateways.drill.title')}</h3>
      {may ? <DrillForm cluster={c} running={mine.some((d) => d.finishedAt === null)} /> : <p className="muted small" data-testid="gateway-drill-role">{t('gateways.drill.roleNote')}</p>}
      {mine.length === 0 ? (
        <p className="muted small" data-testid="gateway-drills-none">{t('gateways.drill.none')}</p>
      ) : (
        <DrillTable drills={mine} />
      )}
    </div>
  );
}

function DrillForm({ cluster: c, running }: { cluster: GatewayClusterStatus; running: boolean }) {
  const { t } = useI18n();
  const starting = useDrillsStore((s) => s.starting === c.id);
  const error = useDrillsStore((s) => s.startError[c.id] ?? null);
  const [kind, setKind] = useState<GatewayDrillKind>('kill-one');
  const [sessions, setSessions] = useState(500);
  const [lossPercent, setLossPercent] = useState(5);
  const [lossS, setLossS] = useState(5);
  const [asking, setAsking] = useState(false);
  const busy = starting || running;
  const run = () => {
    setAsking(false);
    void startDrill({ cluster: c.id, kind, sessions, ...(kind === 'sync-loss' ? { lossPercent, lossMs: Math.round(lossS * 1000) } : {}) });
  };
  return (
    <div className="gw-drill-form">
      <label>
        {t('gateways.drill.kind')}
        <select value={kind} onChange={(e) => setKind(e.target.value as GatewayDrillKind)} data-testid="gateway-drill-kind" disabled={busy}>
          {GATEWAY_DRILL_KINDS.map((k) => <option key={k} value={k}>{t(`gateways.drill.kind.${k}` as MessageKey)}</option>)}
        </select>
      </label>
      <label>
        {t('gateways.drill.sessions')}
        <input type="number" min={10} max={DRILL_SESSIONS_MAX} value={sessions} onChange={(e) => setSessions(Number(e.target.value))} data-testid="gateway-drill-sessions" disabled={busy} />
      </label>
      {kind === 'sync-loss' && (
        <>
          <label>
            {t('gateways.drill.lossPercent')}
            <input type="number" min={1} max={100} value={lossPercent} onChange={(e) => setLossPercent(Number(e.target.value))} data-testid="gateway-drill-loss" disabled={busy} />
          </label>
          <label>
            {t('gateways.drill.lossS')}
            <input type="number" min={0.1} max={60} step={0.1} value={lossS} onChange={(e) => setLossS(Number(e.target.value))} data-testid="gateway-drill-loss-s" disabled={busy} />
          </label>
        </>
      )}
      {asking ? (
        <span className="gw-drill-confirm">
          <strong>{t('gateways.drill.confirm', { n: kind === 'kill-two' ? 2 : 1, cluster: c.id })}</strong>
          <button type="button" className="danger" onClick={run} data-testid="gateway-drill-confirm">{t('gateways.drill.confirmRun')}</button>
          <button type="button" onClick={() => setAsking(false)}>{t('gateways.drill.cancel')}</button>
        </span>
      ) : (
        <button type="button" onClick={() => setAsking(true)} disabled={busy} data-testid="gateway-drill-run">
          {busy ? t('gateways.drill.running') : t('gateways.drill.run')}
        </button>
      )}
      {error && <ErrorBanner error={error} action="gateways.drill.action" testId="gateway-drill-error" />}
    </div>
  );
}

function DrillTable({ drills }: { drills: readonly GatewayDrill[] }) {
  const { t, time } = useI18n();
  const f = useGatewayFormat();
  const ms = (n: number | null) => (n === null ? '–' : t('gateways.ms', { n: f.count(n) }));
  const misses = (n: number | null, testId: string) => (
    <td className={`num${n === null ? '' : n > 0 ? ' tone-text-bad' : ' tone-text-good'}`} data-testid={testId} data-value={n ?? ''}>
      {n === null ? '–' : f.count(n)}
    </td>
  );
  return (
    <div className="gw-scroll">
      <table className="data-table gw-drill-table">
        <thead>
          <tr>
            <th>{t('gateways.drill.col.started')}</th>
            <th>{t('gateways.drill.col.kind')}</th>
            <th>{t('gateways.drill.col.actor')}</th>
            <th>{t('gateways.drill.col.phase')}</th>
            <th>{t('gateways.drill.col.killed')}</th>
            <th className="num">{t('gateways.drill.col.sessions')}</th>
            <th className="num">{t('gateways.drill.col.window')}</th>
            <th className="num">{t('gateways.drill.col.misses')}</th>
            <th className="num">{t('gateways.drill.col.failback')}</th>
            <th className="num">{t('gateways.drill.col.failbackMisses')}</th>
            <th>{t('gateways.drill.col.note')}</th>
          </tr>
        </thead>
        <tbody>
          {drills.map((d) => (
            <tr key={d.id} data-testid="gateway-drill" data-drill={d.id} data-phase={d.phase}>
              <td>{time(d.startedAt)}</td>
              <td>
                {t(`gateways.drill.kind.${d.kind}` as MessageKey)}
                {d.kind === 'sync-loss' && d.lossPercent !== null && d.lossMs !== null && (
                  <div className="muted small">{t('gateways.drill.lossOf', { p: d.lossPercent, s: f.rate(d.lossMs / 1000) })}</div>
                )}
              </td>
              <td>{d.actor}</td>
              <td className={d.phase === 'failed' ? 'tone-text-bad' : d.phase === 'done' ? '' : 'tone-text-warn'}>{t(`gateways.drill.phase.${d.phase}` as MessageKey)}</td>
              <td>{d.killed.length ? d.killed.join(', ') : '–'}</td>
              <td className="num">{f.count(d.sessions)}</td>
              <td className="num" data-testid="gateway-drill-window">{ms(d.windowMs)}</td>
              {misses(d.misses, 'gateway-drill-misses')}
              <td className="num">{ms(d.failbackMs)}</td>
              {misses(d.failbackMisses, 'gateway-drill-failback-misses')}
              <td className="small gw-error-soft">{d.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
