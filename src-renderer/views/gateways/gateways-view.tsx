// The MGW gateway health view (#/gateways, every role): each configured gateway cluster as a card
// (cluster-card.tsx), read when the view opens or the connection comes back and kept live by
// onDidChangeGateways (every scrape, ~2 s) while it is open; the read's error with the last data
// kept; an empty state naming the console config's gateways.clusters. The drills (each card's
// drill panel) are read with the clusters and followed by onDidChangeGatewayDrill.
import { useEffect } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { attachDrillsLive, closeDrills, loadDrills } from '../../stores/gateway-drills';
import { attachGatewaysLive, closeGateways, loadGateways, useGatewaysStore } from '../../stores/gateways';
import { selectPhase } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { ClusterCard } from './cluster-card';
import './gateways.css';

export function GatewaysView() {
  const { t } = useI18n();
  const ready = useAppStore(selectPhase) === 'ready';
  const clusters = useGatewaysStore((s) => s.clusters);
  const error = useGatewaysStore((s) => s.error);
  useEffect(() => {
    if (!ready) return;
    const live = attachGatewaysLive();
    const drills = attachDrillsLive();
    void loadGateways();
    void loadDrills();
    return () => {
      live.dispose();
      drills.dispose();
    };
  }, [ready]);
  useEffect(() => () => {
    closeGateways();
    closeDrills();
  }, []);
  return (
    <main className="gateways-view" data-testid="gateways-view">
      <div className="view-head">
        <h1>{t('gateways.title')}</h1>
      </div>
      <p className="muted">{t('gateways.hint')}</p>
      {error && <ErrorBanner error={error} action="gateways.action.load" onRetry={() => void loadGateways()} testId="gateways-error" />}
      {!clusters && !error && <p className="loading">{t('gateways.loading')}</p>}
      {clusters?.length === 0 && (
        <div className="card" data-testid="gateways-none">
          <p>{t('gateways.none')}</p>
          <p className="muted small">{t('gateways.noneHint')}</p>
        </div>
      )}
      {clusters?.map((c) => <ClusterCard key={c.id} cluster={c} />)}
    </main>
  );
}
