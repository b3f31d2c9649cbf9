// A gateway cluster's backends as its reachable nodes see them (views/gateways): on how many of
// them each is up ("3/3", red when a node sees it down) and its mean share of their Maglev
// tables as a bar (stores/gateways-figures.ts backendRows; unreachable nodes say nothing).
import type { GatewayClusterStatus } from '../../../src-shared/domain/gateway';
import { useI18n } from '../../i18n/use-i18n';
import { backendRows } from '../../stores/gateways-figures';
import { useGatewayFormat } from './gateway-format';

export function BackendTable({ cluster }: { cluster: GatewayClusterStatus }) {
  const { t } = useI18n();
  const f = useGatewayFormat();
  const rows = backendRows(cluster);
  if (rows.length === 0) return <p className="muted small" data-testid="gateway-backends-none">{t('gateways.noBackends')}</p>;
  return (
    <table className="data-table gw-backends">
      <thead>
        <tr>
          <th>{t('gateways.col.backend')}</th>
          <th className="num">{t('gateways.col.up')}</th>
          <th>{t('gateways.col.share')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((b) => {
          const pct = b.share * 100;
          return (
            <tr key={b.name} data-testid="gateway-backend" data-backend={b.name} data-up={b.up} data-of={b.of} data-share={b.share}>
              <td>
                <code>{b.name}</code>
              </td>
              <td className={`num${b.up < b.of ? ' tone-text-bad' : ''}`}>{t('gateways.upOf', { up: f.count(b.up), of: f.count(b.of) })}</td>
              <td>
                <div className="gw-share">
                  <div className="gw-share-track" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
                    <div className="gw-share-fill" style={{ width: `${Math.min(100, pct)}%` }} />
                  </div>
                  <span className="small">{t('gateways.pct', { n: f.rate(pct) })}</span>
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
