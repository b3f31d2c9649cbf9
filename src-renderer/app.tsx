// The shell: header always (the language control is on the first screen), then the
// login (serve mode, signed out) or the view the route names; a wall route (#/wall/<id>)
// is the wall screen alone.
import { lazy, Suspense } from 'react';
import { AppHeader, ConnectionBanner } from './components/app-header';
import { Breadcrumbs } from './components/breadcrumbs';
import { ErrorBanner } from './components/error-banner';
import { selectRoute } from './stores/fleet/selectors';
import { selectAuthError, selectPhase, selectTransport } from './stores/session/selectors';
import { useAppStore } from './stores/store';
import { AuditView } from './views/admin/audit-view';
import { AlarmNotice } from './views/alarms/alarm-notice';
import { AlarmsView } from './views/alarms/alarms-view';
import { ReportsView } from './views/reports/reports-view';
import { WallConfigView } from './views/wall-config/wall-config-view';
import { GatewaysView } from './views/gateways/gateways-view';
import { AgentDetailView } from './views/agents/agent-detail-view';
import { AgentsView } from './views/agents/agents-view';
import { CredentialsView } from './views/admin/credentials-view';
import { DeviceView } from './views/device/device-view';
import { ElevationView } from './views/inventory/elevation-view';
import { InventoryView } from './views/inventory/inventory-view';
import { LabelSheet } from './views/inventory/label-sheet';
import { ScanView } from './views/inventory/scan-view';
import { LoginView } from './views/session/login-view';
import { OverviewView } from './views/overview/overview-view';
import { RoomView } from './views/inventory/room-view';
import { RunView } from './views/run/run-view';
import { LaunchView } from './views/workflows/launch-view';
import { WfRunView } from './views/workflows/run-view';
import { TemplateEditView } from './views/workflows/template-edit-view';
import { WorkflowsView } from './views/workflows/workflows-view';
import { useWallHash, WallScreen } from './views/wall/wall-screen';

/** The 3D room and three.js: a lazy chunk, fetched only when #/room3d opens. */
const Room3dView = lazy(() => import('./views/room3d/room3d-view'));
/** The probe matrix and the public network map with deck.gl: lazy chunks too. */
const MatrixView = lazy(() => import('./views/matrix/matrix-view'));
const PublicNetView = lazy(() => import('./views/public-net/public-net-view'));

export function App() {
  const wall = useWallHash();
  const phase = useAppStore(selectPhase);
  const transport = useAppStore(selectTransport);
  const signedIn = phase === 'ready' || phase === 'reconnecting';
  // Wall mode (#/wall/<playlist>): full screen, none of the console's chrome.
  if (wall) return <WallScreen playlistId={wall} />;
  return (
    <div className="app">
      <AppHeader />
      <ConnectionBanner />
      {transport === 'ws' && !signedIn ? <LoginView /> : signedIn ? <Routed /> : null}
    </div>
  );
}

function Routed() {
  const route = useAppStore(selectRoute);
  const authError = useAppStore(selectAuthError);
  return (
    <>
      {authError && <ErrorBanner error={authError} action="action.whoami" />}
      <AlarmNotice />
      <Breadcrumbs />
      {route.view === 'overview' && <OverviewView />}
      {route.view === 'inventory' && <InventoryView />}
      {route.view === 'room' && <RoomView roomId={route.roomId} />}
      {route.view === 'room3d' && (
        <Suspense fallback={<p className="loading">…</p>}>
          <Room3dView roomId={route.roomId} />
        </Suspense>
      )}
      {route.view === 'cabinet' && <ElevationView cabinetId={route.cabinetId} deviceId={route.deviceId} />}
      {route.view === 'labels' && <LabelSheet scope={route.scope} id={route.id} />}
      {route.view === 'scan' && <ScanView sn={route.sn} />}
      {route.view === 'device' && <DeviceView deviceId={route.deviceId} />}
      {route.view === 'run' && <RunView />}
      {route.view === 'credentials' && <CredentialsView />}
      {route.view === 'audit' && <AuditView />}
      {route.view === 'workflows' && <WorkflowsView tab={route.tab} />}
      {route.view === 'wf-launch' && <LaunchView templateId={route.templateId} />}
      {route.view === 'wf-run' && <WfRunView runId={route.runId} stepId={route.stepId} host={route.host} />}
      {route.view === 'wf-template' && <TemplateEditView templateId={route.templateId} />}
      {route.view === 'alarms' && <AlarmsView />}
      {route.view === 'reports' && <ReportsView />}
      {route.view === 'wall-config' && <WallConfigView />}
      {route.view === 'gateways' && <GatewaysView />}
      {route.view === 'agents' && <AgentsView />}
      {route.view === 'agent' && <AgentDetailView agentId={route.agentId} />}
      {(route.view === 'matrix' || route.view === 'public-net') && (
        <Suspense fallback={<p className="loading">…</p>}>
          {route.view === 'matrix' ? <MatrixView level={route.level} tors={route.tors} /> : <PublicNetView />}
        </Suspense>
      )}
    </>
  );
}
