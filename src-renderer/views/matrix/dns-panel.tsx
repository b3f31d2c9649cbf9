// The probe matrix's DNS panel: per anycast resolver, which instance answers each vantage (its
// hostname -> the instance's name, since when, the latest latency), a vantage whose catchment
// moved in the last minutes marked with where it came from (the probe.catchmentMoved events).
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { selectRecentEvents } from '../../stores/events/selectors';
import { loadDns } from '../../stores/probes/suspect-actions';
import { selectPrDns, selectPrDnsAt, selectPrDnsError } from '../../stores/probes/selectors';
import { dnsRows } from '../../stores/probes/suspects';
import { useAppStore } from '../../stores/store';
import type { DnsCatchment } from '../../../src-shared/api/probes';
import { latencyText } from './figures';

const NO_EVENTS: never[] = [];

export function DnsPanel() {
  const { t } = useI18n();
  const dns = useAppStore(selectPrDns);
  const error = useAppStore(selectPrDnsError);
  return (
    <section className="matrix-dns" data-testid="matrix-dns" data-resolvers={dns?.length ?? ''}>
      <h2 className="small">{t('matrix.dns.title')}</h2>
      {error && <ErrorBanner error={error} action="action.probeDns" onRetry={() => void loadDns()} />}
      {!dns && !error && <p className="loading">{t('matrix.dns.loading')}</p>}
      {dns && dns.length === 0 && (
        <p className="muted small" data-testid="matrix-dns-none">
          {t('matrix.dns.none')}
        </p>
      )}
      {dns?.map((c) => <Resolver key={c.resolver} c={c} />)}
    </section>
  );
}

function Resolver({ c }: { c: DnsCatchment }) {
  const { t, time } = useI18n();
  const events = useAppStore(selectRecentEvents) ?? NO_EVENTS;
  const readAt = useAppStore(selectPrDnsAt);
  const rows = dnsRows(c, events, readAt);
  return (
    <div className="matrix-dns-resolver" data-testid="matrix-dns-resolver" data-resolver={c.resolver}>
      <p className="small">
        <strong>{c.resolver}</strong> <span className="muted">{c.addr}</span>
      </p>
      <table className="small">
        <thead>
          <tr>
            <th scope="col">{t('matrix.dns.vantage')}</th>
            <th scope="col">{t('matrix.dns.instance')}</th>
            <th scope="col">{t('matrix.dns.since')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((v) => (
            <tr key={v.deviceId} className={v.movedFrom !== null ? 'matrix-dns-moved' : ''} data-testid="matrix-dns-vantage" data-device-id={v.deviceId} data-instance={v.instance ?? ''} data-moved={v.movedFrom !== null ? 'true' : 'false'}>
              <td>{v.hostname}</td>
              <td>
                {v.instance ?? <span className="tone-text-bad">{t('matrix.dns.noAnswer')}</span>}
                {v.p50Us !== null && <span className="muted"> · {latencyText(t, v.p50Us)}</span>}
                {v.movedFrom !== null && (
                  <span className="tone-text-warn" data-testid="matrix-dns-moved">
                    {' '}
                    {t('matrix.dns.moved', { from: v.movedFrom === '-' ? t('matrix.dns.noAnswer') : v.movedFrom })}
                  </span>
                )}
              </td>
              <td>{time(v.since)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
