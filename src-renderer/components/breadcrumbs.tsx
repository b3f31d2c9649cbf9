// Fleet › site · room › cabinet (or Fleet › Inventory), each step a way back.
import { useI18n } from '../i18n/use-i18n';
import { navigate } from '../stores/fleet-actions';
import { selectCurrentRoom, selectElevation, selectOverview, selectRoute } from '../stores/selectors';
import { useAppStore } from '../stores/store';

export function Breadcrumbs() {
  const { t } = useI18n();
  const route = useAppStore(selectRoute);
  const room = useAppStore(selectCurrentRoom);
  const overview = useAppStore(selectOverview);
  const elevation = useAppStore(selectElevation);
  if (route.view === 'overview') return null;
  const site = overview?.sites.find((s) => s.id === room?.siteId);
  const roomId = route.view === 'room' ? route.roomId : elevation?.room.id;
  if (route.view === 'inventory') {
    return (
      <nav className="breadcrumbs" aria-label="breadcrumbs">
        <button type="button" className="link" data-testid="crumb-fleet" onClick={() => navigate({ view: 'overview' })}>
          {t('nav.fleet')}
        </button>
        <span className="sep">›</span>
        <span className="crumb-here">{t('nav.inventory')}</span>
      </nav>
    );
  }
  return (
    <nav className="breadcrumbs" aria-label="breadcrumbs">
      <button type="button" className="link" data-testid="crumb-fleet" onClick={() => navigate({ view: 'overview' })}>
        {t('nav.fleet')}
      </button>
      <span className="sep">›</span>
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
      {route.view === 'cabinet' && (
        <>
          <span className="sep">›</span>
          <span className="crumb-here">{elevation?.cabinet.name ?? route.cabinetId}</span>
        </>
      )}
    </nav>
  );
}
