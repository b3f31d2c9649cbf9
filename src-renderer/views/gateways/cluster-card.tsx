// One MGW gateway cluster's card (views/gateways): its id, R, VIPs, how many nodes are ready,
// its sessions; a row per node (state coloured, an unreachable node's reason, sessions against
// capacity, the rates with a sparkline of the last 60 scrapes, misses red when any, sync lag,
// replication debt, the peers it sees live); the backends as the nodes see them; its failover
// drills (drill-panel.tsx).
import type { GatewayClusterStatus, GatewayNodeStatus } from '../../../src-shared/domain/gateway';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import type { NodePoint } from '../../stores/gateways-figures';
import { useGatewaysStore } from '../../stores/gateways';
import { BackendTable } from './backend-table';
import { DrillPanel } from './drill-panel';
import { useGatewayFormat } from './gateway-format';
import { SparkLine } from './spark-line';

const NO_POINTS: readonly NodePoint[] = [];

export function ClusterCard({ cluster: c }: { cluster: GatewayClusterStatus }) {
  const { t, time } = useI18n();
  const f = useGatewayFormat();
  const m = c.nodes.length;
  const readyTone = c.ready === m ? 'good' : c.ready === 0 ? 'bad' : 'warn';
  return (
    <section className="card gw-cluster" data-testid="gateway-cluster" data-cluster-id={c.id} data-ready={c.ready} data-nodes={m}>
      <div className="card-head">
        <h2>
          <code>{c.id}</code>
        </h2>
        <span className="muted small">{t('gateways.scraped', { time: time(c.scrapedAt) })}</span>
      </div>
      <p className="gw-facts">
        <span title={t('gateways.rTitle', { r: c.r })}>{t('gateways.r', { r: c.r })}</span>
        <span>{c.vips.length > 0 ? t('gateways.vips', { vips: c.vips.join(', ') }) : t('gateways.noVips')}</span>
        <span className={`tone-text-${readyTone}`} data-testid="gateway-ready">
          {t('gateways.ready', { n: f.count(c.ready), m: f.count(m) })}
        </span>
        <span data-testid="gateway-sessions" data-value={c.sessions}>{t('gateways.sessions', { n: f.count(c.sessions) })}</span>
      </p>
      <h3>{t('gateways.nodes')}</h3>
      <div className="gw-scroll">
        <table className="data-table gw-nodes">
          <thead>
            <tr>
              <th>{t('gateways.col.node')}</th>
              <th>{t('gateways.col.state')}</th>
              <th className="num">{t('gateways.col.sessions')}</th>
              <th className="num">{t('gateways.col.newPerS')}</th>
              <th className="num">{t('gateways.col.pps')}</th>
              <th className="num">{t('gateways.col.misses')}</th>
              <th className="num">{t('gateways.col.redirects')}</th>
              <th className="num">{t('gateways.col.lag')}</th>
              <th className="num">{t('gateways.col.debt')}</th>
              <th>{t('gateways.col.peers')}</th>
            </tr>
          </thead>
          <tbody>
            {c.nodes.map((n) => <NodeRow key={n.id} clusterId={c.id} node={n} />)}
          </tbody>
        </table>
      </div>
      <h3>{t('gateways.backends')}</h3>
      <BackendTable cluster={c} />
      <DrillPanel cluster={c} />
    </section>
  );
}

function NodeRow({ clusterId, node: n }: { clusterId: string; node: GatewayNodeStatus }) {
  const { t } = useI18n();
  const f = useGatewayFormat();
  const points = useGatewaysStore((s) => s.history[clusterId]?.[n.id] ?? NO_POINTS);
  const down = n.state === 'unreachable';
  const series = (pick: (p: NodePoint) => number | null) => points.map(pick);
  return (
    <tr data-testid="gateway-node" data-node={n.id} data-state={n.state}>
      <td>
        <code>{n.id}</code>
        <div className="muted small">{n.address}</div>
      </td>
      <td>
        <span className={`gw-state gw-state-${n.state}`} data-testid="gateway-node-state">{t(`gateways.state.${n.state}` as MessageKey)}</span>
        {down && n.error && <div className="gw-error small" data-testid="gateway-node-error">{n.error}</div>}
      </td>
      <td className="num">
        {down ? '–' : t('gateways.sessionsOf', { n: f.count(n.sessions), cap: f.count(n.capacity) })}
        <SparkLine values={series((p) => p.sessions)} testId="gateway-spark-sessions" />
      </td>
      <td className="num">
        {f.rate(n.newPerS)}
        <SparkLine values={series((p) => p.newPerS)} />
      </td>
      <td className="num">
        {f.rate(n.pps)}
        <SparkLine values={series((p) => p.pps)} />
      </td>
      <td className={`num${(n.missesPerS ?? 0) > 0 ? ' tone-text-bad' : ''}`} data-testid="gateway-node-misses" data-value={n.missesPerS ?? ''}>
        {f.rate(n.missesPerS)}
      </td>
      <td className="num">{f.rate(n.redirectsPerS)}</td>
      <td className="num">
        {down ? '–' : t('gateways.ms', { n: f.rate(n.syncLagP99Ms) })}
        <SparkLine values={series((p) => p.lag)} />
      </td>
      <td className="num">{down ? '–' : f.count(n.replicationDebt)}</td>
      <td className="small" title={n.peersLive.join(', ')}>
        {down ? '–' : n.peersLive.length === 0 ? <span className="muted">{t('gateways.noPeers')}</span> : `${f.count(n.peersLive.length)}: ${n.peersLive.join(', ')}`}
      </td>
    </tr>
  );
}
