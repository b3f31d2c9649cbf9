// Top bar: title, the main places (fleet, inventory, run command, workflows, agents, probe matrix, alarms with the
// count of firing unmasked alarms as a badge on every view, reports, the MGW gateways; credentials, audit and the wall playlists for admins), the device search box,
// power actions awaiting the poller's confirmation, who is signed in with which role,
// connection state, language.
import type { MouseEvent } from 'react';
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/use-i18n';
import { navigate } from '../stores/fleet/actions';
import { selectPendingPower } from '../stores/fleet/pending-power';
import { selectRoute } from '../stores/fleet/selectors';
import { selectActor, selectConnection, selectPhase, selectRole, selectTransport } from '../stores/session/selectors';
import { mayCall } from '../stores/session/roles';
import { signOut } from '../stores/session/actions';
import { useAppStore } from '../stores/store';
import { SearchBox } from '../views/search/search-box';
import { AlarmBadge } from '../views/alarms/alarm-badge';
import { LanguageSwitch } from './language-switch';
import { PendingPowerText } from './pending-power-badge';

export function AppHeader() {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  const actor = useAppStore(selectActor);
  const phase = useAppStore(selectPhase);
  const transport = useAppStore(selectTransport);
  const route = useAppStore(selectRoute);
  const signedIn = phase === 'ready' || phase === 'reconnecting';
  const here: NavView =
    route.view === 'inventory' || route.view === 'run' || route.view === 'credentials' || route.view === 'audit' || route.view === 'wall-config' || route.view === 'gateways'
      ? route.view
      : route.view === 'workflows' || route.view === 'wf-launch' || route.view === 'wf-run' || route.view === 'wf-template'
        ? 'workflows'
        : route.view === 'agents' || route.view === 'agent'
          ? 'agents'
          : route.view === 'matrix' || route.view === 'public-net'
            ? 'matrix'
            : route.view === 'alarms'
              ? 'alarms'
              : route.view === 'reports'
                ? 'reports'
                : 'overview';
  const link = (view: NavView, href: string, label: MessageKey, testId: string) => (
    <a href={href} className={here === view ? 'active' : ''} aria-current={here === view ? 'page' : undefined} data-testid={testId} onClick={go(view)}>
      {t(label)}
    </a>
  );
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-title" data-testid="app-title">
          {t('app.title')}
        </span>
        <span className="brand-sub">{t('app.subtitle')}</span>
        {signedIn && (
          <nav className="main-nav" aria-label={t('nav.main')}>
            {link('overview', '#/', 'nav.fleet', 'nav-fleet')}
            {link('inventory', '#/inventory', 'nav.inventory', 'nav-inventory')}
            {/* Command output is for operators: viewers do not get the link (the core refuses them anyway). */}
            {mayCall(role, 'fleet.run') && link('run', '#/run', 'nav.run', 'nav-run')}
            {link('workflows', '#/workflows', 'nav.workflows', 'nav-workflows')}
            {link('agents', '#/agents', 'nav.agents', 'nav-agents')}
            {link('matrix', '#/matrix/tor', 'nav.matrix', 'nav-matrix')}
            <a href="#/alarms" className={here === 'alarms' ? 'active' : ''} aria-current={here === 'alarms' ? 'page' : undefined} data-testid="nav-alarms" onClick={go('alarms')}>
              {t('nav.alarms')} <AlarmBadge />
            </a>
            {link('reports', '#/reports', 'nav.reports', 'nav-reports')}
            {link('gateways', '#/gateways', 'gateways.nav', 'nav-gateways')}
            {/* Credentials, the audit trail and the wall playlists are the admin's. */}
            {mayCall(role, 'credentials.put') && link('credentials', '#/credentials', 'admin.nav.credentials', 'nav-credentials')}
            {mayCall(role, 'audit.list') && link('audit', '#/audit', 'admin.nav.audit', 'nav-audit')}
            {mayCall(role, 'wall.setPlaylist') && link('wall-config', '#/wall-config', 'wallConfig.nav', 'nav-wall-config')}
          </nav>
        )}
      </div>
      {signedIn && <SearchBox />}
      <div className="header-right">
        {signedIn && <PendingPowerList />}
        {signedIn && role && (
          <span className={`role-badge role-${role}`} data-testid="role-badge" data-role={role} title={actor ? t('session.signedInAs', { actor }) : undefined}>
            {t('session.role')}: {t(`role.${role}` as MessageKey)}
          </span>
        )}
        {signedIn && actor && <span className="actor">{t('session.signedInAs', { actor })}</span>}
        <LanguageSwitch />
        {signedIn && transport === 'ws' && (
          <button type="button" className="ghost" data-testid="sign-out" onClick={signOut}>
            {t('session.signOut')}
          </button>
        )}
      </div>
    </header>
  );
}

/** Each device whose power action the poller has not confirmed yet, as a link to its page. */
function PendingPowerList() {
  const pending = useAppStore(selectPendingPower);
  const list = Object.values(pending);
  if (list.length === 0) return null;
  return (
    <span className="header-pending" data-testid="header-pending">
      {list.slice(0, 3).map((p) => (
        <a
          key={p.deviceId}
          href={`#/device/${encodeURIComponent(p.deviceId)}`}
          className="header-pending-item"
          data-testid="header-pending-item"
          data-device-id={p.deviceId}
        >
          {p.hostname ?? p.deviceId} <PendingPowerText pending={p} />
        </a>
      ))}
      {list.length > 3 && <span className="muted">+{list.length - 3}</span>}
    </span>
  );
}

/** A real link (middle-click, copy address work); a plain click goes through navigate(). */
type NavView = 'overview' | 'inventory' | 'run' | 'workflows' | 'agents' | 'matrix' | 'alarms' | 'reports' | 'credentials' | 'audit' | 'wall-config' | 'gateways';

function go(view: NavView) {
  return (e: MouseEvent<HTMLAnchorElement>): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(view === 'matrix' ? { view, level: 'tor', tors: null } : { view });
  };
}

export function ConnectionBanner() {
  const { t } = useI18n();
  const phase = useAppStore(selectPhase);
  const conn = useAppStore(selectConnection);
  if (phase !== 'reconnecting' || !conn) return null;
  return (
    <div className="banner banner-warn conn-banner" role="status" data-testid="conn-status">
      {t('conn.reconnecting', { reason: conn.reason, attempt: conn.attempt })}
    </div>
  );
}
