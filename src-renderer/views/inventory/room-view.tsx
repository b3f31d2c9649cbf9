// One room: its cabinets row by row, each a tile with devices answering / devices, amber
// when any of them is degraded (with how many). Operators add a cabinet here (in the
// room's first row, or another picked in the form). RoomCabinets, the rows of tiles, is also
// what the 3D room shows where the browser has no WebGL.
import { useEffect, useMemo } from 'react';
import { CountBar } from '../../components/count-bar';
import { healthTone } from '../../components/tone';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import type { CabinetSummary } from '../../../src-shared/domain';
import type { ShownError } from '../../stores/shown-error';
import { loadCabinets, navigate } from '../../stores/fleet/actions';
import { selectCabinets, selectCabinetsError, selectCurrentRoom } from '../../stores/fleet/selectors';
import { useAppStore } from '../../stores/store';
import { loadPlaces, openAddPlace } from '../../stores/places/actions';
import { selectPlaceTree } from '../../stores/places/selectors';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { PlaceChangeNote } from './place-delete';
import { PlaceFormDialog } from './place-form';

interface RowGroup {
  rowId: string;
  rowName: string;
  cabinets: CabinetSummary[];
}

function groupByRow(list: readonly CabinetSummary[]): RowGroup[] {
  const rows = new Map<string, RowGroup>();
  for (const c of list) {
    let g = rows.get(c.rowId);
    if (!g) rows.set(c.rowId, (g = { rowId: c.rowId, rowName: c.rowName, cabinets: [] }));
    g.cabinets.push(c);
  }
  const groups = [...rows.values()];
  for (const g of groups) g.cabinets.sort((a, b) => a.position - b.position);
  return groups.sort((a, b) => a.rowName.localeCompare(b.rowName, undefined, { numeric: true }));
}

export function RoomView({ roomId }: { roomId: string }) {
  const { t } = useI18n();
  const cabinets = useAppStore(selectCabinets);
  const error = useAppStore(selectCabinetsError);
  const room = useAppStore(selectCurrentRoom);
  return (
    <main className="room-view" data-testid="room" data-room-id={roomId}>
      <div className="view-head">
        <h1 data-testid="room-title">{t('room.title', { name: room?.name ?? roomId })}</h1>
        {room && (
          <div className="view-head-bar">
            <CountBar answering={room.answering} devices={room.devices} degraded={room.degraded} />
          </div>
        )}
        <a href={`#/room3d/${encodeURIComponent(roomId)}`} data-testid="room3d-link">
          {t('room3d.link')}
        </a>
        <AddCabinet roomId={roomId} />
      </div>
      <PlaceChangeNote />
      <PlaceFormDialog />
      <p className="muted">{t('room.hint')}</p>
      <RoomCabinets cabinets={cabinets?.list ?? null} error={error} onRetry={() => void loadCabinets(roomId)} />
    </main>
  );
}

/** A room's cabinets row by row (loading, error and empty states included). */
export function RoomCabinets({ cabinets, error, onRetry }: { cabinets: readonly CabinetSummary[] | null; error: ShownError | null; onRetry: () => void }) {
  const { t } = useI18n();
  const rows = useMemo(() => (cabinets ? groupByRow(cabinets) : []), [cabinets]);
  return (
    <>
      {error && <ErrorBanner error={error} action="action.cabinets" onRetry={onRetry} />}
      {!cabinets && !error && <p className="loading">{t('room.loading')}</p>}
      {cabinets && cabinets.length === 0 && <p className="muted">{t('room.empty')}</p>}
      {rows.map((row) => (
        <section className="cabinet-row" key={row.rowId} data-testid="row-group">
          <h2 className="row-name">{t('room.row', { name: row.rowName })}</h2>
          <div className="cabinet-tiles">
            {row.cabinets.map((c) => (
              <CabinetTile key={c.id} cabinet={c} />
            ))}
          </div>
        </section>
      ))}
    </>
  );
}

/** "Add cabinet" for operators, into the room's first row (by name); absent while the room has no rows. */
function AddCabinet({ roomId }: { roomId: string }) {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  const tree = useAppStore(selectPlaceTree);
  const mayEdit = mayCall(role, 'inventory.putLocation');
  useEffect(() => {
    if (mayEdit) void loadPlaces();
  }, [mayEdit, roomId]);
  const firstRow = useMemo(
    () => tree?.rows.filter((r) => r.roomId === roomId).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))[0],
    [tree, roomId],
  );
  if (!mayEdit || !firstRow) return null;
  return (
    <button type="button" data-testid="room-add-cabinet" onClick={() => openAddPlace('cabinet', firstRow.id)}>
      {t('place.add.cabinet')}
    </button>
  );
}

function CabinetTile({ cabinet: c }: { cabinet: CabinetSummary }) {
  const { t, num } = useI18n();
  const tone = healthTone(c.answering, c.polled, c.degraded);
  return (
    <button
      type="button"
      className={`cabinet-tile tone-border-${tone}`}
      data-testid="cabinet-tile"
      data-cabinet-id={c.id}
      data-devices={c.devices}
      data-answering={c.answering}
      data-degraded={c.degraded}
      data-tone={tone}
      title={t('room.tileTitle', { answering: num(c.answering), devices: num(c.devices), degraded: num(c.degraded) })}
      onClick={() => navigate({ view: 'cabinet', cabinetId: c.id })}
    >
      <span className="tile-name">{c.name}</span>
      <span className={`tile-count tone-text-${tone}`}>
        {c.devices === 0 ? t('room.emptyCabinet') : `${num(c.answering)}/${num(c.devices)}`}
      </span>
      {c.degraded > 0 && (
        <span className="tile-degraded tone-text-warn" data-testid="tile-degraded" data-value={c.degraded}>
          {t('room.tileDegraded', { n: num(c.degraded) })}
        </span>
      )}
      <CountBar answering={c.answering} devices={c.devices} degraded={c.degraded} label={false} />
    </button>
  );
}
