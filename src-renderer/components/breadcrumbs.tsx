// Fleet › site · room › cabinet › device (or Fleet › Inventory, Fleet › Run command, Fleet › Alarms, Fleet › Reports, Fleet › Gateways, Fleet › Workflows › ..., Fleet › Matrix › Servers),
// each step a way back.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/use-i18n';
import { navigate } from '../stores/fleet/actions';
import { selectDeviceDetail } from '../stores/device/selectors';
import { selectCurrentRoom, selectElevation, selectOverview, selectRoute } from '../stores/fleet/selectors';
import { useAppStore } from '../stores/store';

export function Breadcrumbs() {
  const { t } = useI18n();
  const route = useAppStore(selectRoute);
  const room = useAppStore(selectCurrentRoom);
  const overview = useAppStore(selectOverview);
  const elevation = useAppStore(selectElevation);
  const detail = useAppStore(selectDeviceDetail);
  if (route.view === 'overview') return null;
  const fleet = (
    <button type="button" className="link" data-testid="crumb-fleet" onClick={() => navigate({ view: 'overview' })}>
      {t('nav.fleet')}
    </button>
  );
  if (route.view === 'wall-config' || route.view === 'gateways') {
    return (
      <Trail>
        {fleet}
        <span className="crumb-here">{t(route.view === 'gateways' ? 'gateways.nav' : 'wallConfig.nav')}</span>
      </Trail>
    );
  }
  if (route.view === 'inventory' || route.view === 'run' || route.view === 'alarms' || route.view === 'reports') {
    return (
      <Trail>
        {fleet}
        <span className="crumb-here">{t(route.view === 'run' ? 'nav.run' : route.view === 'alarms' ? 'nav.alarms' : route.view === 'reports' ? 'nav.reports' : 'nav.inventory')}</span>
      </Trail>
    );
  }
  if (route.view === 'workflows' || route.view === 'wf-launch' || route.view === 'wf-run' || route.view === 'wf-template') {
    const inside = route.view !== 'workflows';
    return (
      <Trail>
        {fleet}
        {inside ? (
          <button type="button" className="link" data-testid="crumb-workflows" onClick={() => navigate({ view: 'workflows' })}>
            {t('nav.workflows')}
          </button>
        ) : (
          <span className="crumb-here">{t('nav.workflows')}</span>
        )}
        {inside && <span className="crumb-here">{t(route.view === 'wf-launch' ? 'wf.launch.titleBare' : route.view === 'wf-template' ? 'wf.tab.templates' : 'wf.tab.runs')}</span>}
      </Trail>
    );
  }
  if (route.view === 'agents' || route.view === 'agent') {
    return (
      <Trail>
        {fleet}
        {route.view === 'agent' ? (
          <button type="button" className="link" data-testid="crumb-agents" onClick={() => navigate({ view: 'agents' })}>
            {t('nav.agents')}
          </button>
        ) : (
          <span className="crumb-here">{t('nav.agents')}</span>
        )}
        {route.view === 'agent' && <span className="crumb-here">{route.agentId}</span>}
      </Trail>
    );
  }
  if (route.view === 'matrix' || route.view === 'public-net') {
    const drilled = route.view === 'matrix' && route.tors !== null;
    return (
      <Trail>
        {fleet}
        {drilled ? (
          <button type="button" className="link" data-testid="crumb-matrix" onClick={() => navigate({ view: 'matrix', level: 'tor', tors: null })}>
            {t('nav.matrix')}
          </button>
        ) : (
          <span className="crumb-here">{t(route.view === 'public-net' ? 'publicNet.title' : 'nav.matrix')}</span>
        )}
        {drilled && <span className="crumb-here">{t('matrix.level.server')}</span>}
      </Trail>
    );
  }
  if (route.view === 'device') {
    const d = detail?.device.id === route.deviceId ? detail : null;
    return (
      <Trail>
        {fleet}
        {d && (
          <button type="button" className="link" data-testid="crumb-room" onClick={() => navigate({ view: 'room', roomId: d.room.id })}>
            {d.site.name} · {d.room.name}
          </button>
        )}
        {d && (
          <button type="button" className="link" data-testid="crumb-cabinet" onClick={() => navigate({ view: 'cabinet', cabinetId: d.cabinet.id })}>
            {d.cabinet.name}
          </button>
        )}
        <span className="crumb-here">{d?.device.hostname ?? route.deviceId}</span>
      </Trail>
    );
  }
  const site = overview?.sites.find((s) => s.id === room?.siteId);
  const roomId = route.view === 'room' ? route.roomId : elevation?.room.id;
  return (
    <Trail>
      {fleet}
      {route.view === 'cabinet' && roomId ? (
        <button type="button" className="link" data-testid="crumb-room" onClick={() => navigate({ view: 'room', roomId })}>
          {site ? `${site.name} · ` : ''}
          {room?.name ?? elevation?.room.name ?? roomId}
        </button>
      ) : (
        <span className="crumb-here">
          {site ? `${site.name} · ` : ''}
          {room?.name ?? roomId}
        </span>
      )}
      {route.view === 'cabinet' && <span className="crumb-here">{elevation?.cabinet.name ?? route.cabinetId}</span>}
    </Trail>
  );
}

/** The steps, with a separator between each two. */
function Trail({ children }: { children: ReactNode[] }) {
  const steps = children.filter(Boolean);
  return (
    <nav className="breadcrumbs" aria-label="breadcrumbs">
      {steps.map((step, i) => (
        <span key={i} className="crumb">
          {i > 0 && <span className="sep">›</span>}
          {step}
        </span>
      ))}
    </nav>
  );
}
