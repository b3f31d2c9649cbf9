// One step of a wall playlist on screen: the console's own views with the playlist's parameters
// (the 3D room in its colour mode, the probe matrix at its level, the active alarms from a least
// severity, the fleet overview), inside an error boundary. A view that cannot be shown (it throws,
// or its room no longer exists) calls onFail, and the wall skips it.
import { Component, lazy, Suspense, useEffect, useMemo, type ReactNode } from 'react';
import type { WallView } from '../../../src-shared/domain/wall';
import { loadAlarmList } from '../../stores/alarms/actions';
import { loadWindows } from '../../stores/alarms/rule-actions';
import { SEVERITY_RANK, selectAlarmList, selectAlarmsSeq, selectAlarmWindows } from '../../stores/alarms/selectors';
import { selectOverview } from '../../stores/fleet/selectors';
import { setRoom3dMode } from '../../stores/room3d/actions';
import type { Room3dMode } from '../../stores/room3d/slice';
import type { AppState } from '../../stores/store';
import { useAppStore } from '../../stores/store';
import { useI18n } from '../../i18n/use-i18n';
import { AlarmList } from '../alarms/alarm-list';
import { OverviewView } from '../overview/overview-view';
import '../alarms/alarms.css';

const Room3dView = lazy(() => import('../room3d/room3d-view'));
const MatrixView = lazy(() => import('../matrix/matrix-view'));

const ROOM_MODES: Readonly<Record<NonNullable<Extract<WallView, { view: 'room' }>['params']['colour']>, Room3dMode>> = {
  status: 'status',
  power: 'power',
  temperature: 'inlet',
  alarms: 'alarms',
};

class Boundary extends Component<{ onFail: () => void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override componentDidCatch(err: unknown): void {
    console.warn('FleetDeck wall: a view failed to render', err);
    this.props.onFail();
  }
  override render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}

export function WallStep({ view, onFail }: { view: WallView; onFail: () => void }) {
  return (
    <Boundary onFail={onFail}>
      <Suspense fallback={<p className="loading">…</p>}>
        <StepBody view={view} onFail={onFail} />
      </Suspense>
    </Boundary>
  );
}

function StepBody({ view, onFail }: { view: WallView; onFail: () => void }) {
  if (view.view === 'room') return <WallRoom roomId={view.params.roomId} mode={ROOM_MODES[view.params.colour ?? 'status']} onFail={onFail} />;
  if (view.view === 'matrix') return <MatrixView level={view.params.level} tors={view.params.tors ?? null} />;
  if (view.view === 'alarms') return <WallAlarms minSeverity={view.params.minSeverity ?? null} />;
  return <OverviewView />;
}

const roomKnown = (roomId: string) => (s: AppState): boolean | null => {
  const overview = selectOverview(s);
  if (!overview) return null;
  return overview.sites.some((site) => site.rooms.some((r) => r.id === roomId));
};
const roomRefused = (roomId: string) => (s: AppState): boolean =>
  s.room3d.roomId === roomId && (s.room3d.layoutError?.code === 'NOT_FOUND' || s.room3d.flatCabinetsError?.code === 'NOT_FOUND');

/** The 3D room (2D tiles without WebGL) in the playlist's colour mode; a room gone from the fleet fails. */
function WallRoom({ roomId, mode, onFail }: { roomId: string; mode: Room3dMode; onFail: () => void }) {
  const knownSel = useMemo(() => roomKnown(roomId), [roomId]);
  const refusedSel = useMemo(() => roomRefused(roomId), [roomId]);
  const known = useAppStore(knownSel);
  const refused = useAppStore(refusedSel);
  const gone = known === false || refused;
  useEffect(() => setRoom3dMode(mode), [mode]);
  useEffect(() => {
    if (gone) onFail();
  }, [gone, onFail]);
  if (gone) return null;
  return <Room3dView roomId={roomId} />;
}

/** The alarms not resolved, from a least severity, roots first (the alarms view's list, without its forms). */
function WallAlarms({ minSeverity }: { minSeverity: keyof typeof SEVERITY_RANK | null }) {
  const { t } = useI18n();
  const seq = useAppStore(selectAlarmsSeq);
  const list = useAppStore(selectAlarmList);
  const windows = useAppStore(selectAlarmWindows);
  useEffect(() => {
    void loadAlarmList();
    void loadWindows();
  }, [seq]);
  const least = minSeverity ? SEVERITY_RANK[minSeverity] : 0;
  const shown = useMemo(() => (list ?? []).filter((a) => SEVERITY_RANK[a.severity] >= least), [list, least]);
  const rules = useMemo(() => new Map(), []);
  return (
    <main className="alarms-view wall-alarms" data-testid="wall-alarms">
      <div className="view-head">
        <h1>{t('alarms.active')}</h1>
      </div>
      {list ? <AlarmList list={shown} windows={windows ?? []} rules={rules} /> : <p className="loading">…</p>}
    </main>
  );
}
