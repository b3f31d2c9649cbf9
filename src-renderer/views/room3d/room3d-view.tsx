// The 3D machine room (#/room3d/<roomId>), loaded as a lazy chunk with three.js: a header
// with the site -> room picker, colour modes, legend, "walk the aisle" and a link to the 2D
// room; the probe matrix's top suspect when it is in this room (a banner; the scene draws it in
// the suspect colour); the canvas (Room3dEngine) with hover tooltip, click and keyboard navigation. Where
// WebGL is missing: a clear message and, in the canvas's place, the 2D room's cabinet rows.
import { useEffect, useRef, useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { navigate } from '../../stores/fleet/actions';
import { selectOverview, selectRoute } from '../../stores/fleet/selectors';
import { focusCabinet, loadFlatCabinets, openCabinetElevation, openDevicePage, openRoom3d, selectRoom3dCabinet, setRoom3dHover, setRoom3dMode } from '../../stores/room3d/actions';
import {
  cabinetReadingOf,
  selectR3FlatCabinets,
  selectR3FlatCabinetsError,
  selectR3Hover,
  selectR3Landed,
  selectR3Layout,
  selectR3LayoutError,
  selectR3Mode,
  selectR3Readings,
  selectR3RoomName,
  selectR3Selected,
} from '../../stores/room3d/selectors';
import { followRoomProbeSuspect } from '../../stores/room3d/suspect-actions';
import { useAppStore } from '../../stores/store';
import { RoomCabinets } from '../inventory/room-view';
import { COLOUR_MODES, cssOf, legendOf, type ColourMode } from './colour';
import { hasWebGl, Room3dEngine } from './engine';
import { nextCabinet } from './keyboard';
import { SuspectBanner } from './suspect-banner';
import './room3d.css';

export default function Room3dView({ roomId }: { roomId: string }) {
  const { t } = useI18n();
  const layout = useAppStore(selectR3Layout);
  const error = useAppStore(selectR3LayoutError);
  const name = useAppStore(selectR3RoomName);
  const route = useAppStore(selectRoute);
  const [webgl] = useState(hasWebGl);
  useEffect(() => openRoom3d(roomId, { flat: !webgl }), [roomId, webgl]);
  useEffect(() => {
    if (!webgl) return;
    const follow = followRoomProbeSuspect();
    return () => follow.dispose();
  }, [webgl]);
  const landed = route.view === 'room3d' ? route.deviceId : null;
  // A device without its cabinet in the URL (the matrix's "show in room") flies to the device's cabinet.
  const focusId = route.view === 'room3d' ? (route.cabinetId ?? (landed && layout?.room.id === roomId ? layout.devices.find((d) => d.id === landed)?.cabinetId ?? null : null)) : null;
  // The URL's cabinet (a reload, a wall screen's link) flies the camera there once; a search hit
  // that already asked for this flight (claimSearchHit) is not asked for again.
  useEffect(() => {
    if (!focusId || layout?.room.id !== roomId) return;
    const r3 = useAppStore.getState().room3d;
    if (r3.focus?.cabinetId === focusId && r3.landedDeviceId === landed) return;
    focusCabinet(focusId, landed);
  }, [focusId, landed, layout, roomId]);
  return (
    <main className="room3d-view" data-testid="room3d" data-room-id={roomId}>
      <div className="view-head room3d-head">
        <h1 data-testid="room3d-title">{t('room3d.title', { name: name ?? roomId })}</h1>
        <RoomPicker roomId={roomId} />
        <a href={`#/room/${encodeURIComponent(roomId)}`} data-testid="room3d-2d">
          {t('room3d.open2d')}
        </a>
      </div>
      {!webgl ? (
        <FlatRoom roomId={roomId} />
      ) : (
        <>
          {error && <ErrorBanner error={error} action="action.cabinets" />}
          <Toolbar />
          <SuspectBanner />
          {!layout && !error && <p className="loading">{t('room3d.loading')}</p>}
          {layout && layout.room.id === roomId && <Canvas key={roomId} />}
        </>
      )}
    </main>
  );
}

/** No WebGL: says so plainly, then shows the room in 2D (its cabinet rows, as #/room shows them). */
function FlatRoom({ roomId }: { roomId: string }) {
  const { t } = useI18n();
  const cabinets = useAppStore(selectR3FlatCabinets);
  const error = useAppStore(selectR3FlatCabinetsError);
  return (
    <section className="room3d-flat" data-testid="room3d-flat">
      <p className="room3d-nogl tone-text-warn" role="status" data-testid="room3d-no-webgl">
        {t('room3d.noWebgl')} {t('room3d.noWebglFlat')}
      </p>
      <p className="muted">{t('room.hint')}</p>
      <RoomCabinets cabinets={cabinets} error={error} onRetry={() => void loadFlatCabinets(roomId)} />
    </section>
  );
}

function RoomPicker({ roomId }: { roomId: string }) {
  const { t } = useI18n();
  const overview = useAppStore(selectOverview);
  const sites = overview?.sites ?? [];
  const site = sites.find((s) => s.rooms.some((r) => r.id === roomId)) ?? sites[0];
  if (!site) return null;
  const go = (id: string) => navigate({ view: 'room3d', roomId: id, cabinetId: null, deviceId: null });
  return (
    <span className="room3d-picker">
      <select
        aria-label={t('room3d.site')}
        data-testid="room3d-site"
        value={site.id}
        onChange={(e) => {
          const first = sites.find((s) => s.id === e.currentTarget.value)?.rooms[0];
          if (first) go(first.id);
        }}
      >
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <select aria-label={t('room3d.room')} data-testid="room3d-room" value={roomId} onChange={(e) => go(e.currentTarget.value)}>
        {site.rooms.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
    </span>
  );
}

function Toolbar() {
  const { t } = useI18n();
  const mode = useAppStore(selectR3Mode);
  return (
    <div className="room3d-toolbar">
      <div role="radiogroup" aria-label={t('room3d.mode')} className="room3d-modes">
        {COLOUR_MODES.map((m) => (
          <button key={m} type="button" role="radio" aria-checked={m === mode} className={m === mode ? 'active' : ''} data-testid={`room3d-mode-${m}`} onClick={() => setRoom3dMode(m)}>
            {t(`room3d.mode.${m}` as MessageKey)}
          </button>
        ))}
      </div>
      <Legend mode={mode} />
    </div>
  );
}

function Legend({ mode }: { mode: ColourMode }) {
  const { t } = useI18n();
  const legend = legendOf(mode);
  return (
    <div className="room3d-legend" data-testid="room3d-legend" data-mode={mode}>
      {legend.kind === 'swatches' ? (
        legend.entries.map((e) => (
          <span key={e.key} className="room3d-swatch" data-testid="room3d-legend-entry" data-key={e.key}>
            <i style={{ background: cssOf(e.colour) }} /> {t(`room3d.legend.${mode}.${e.key}` as MessageKey)}
          </span>
        ))
      ) : (
        <span className="room3d-ramp" data-testid="room3d-legend-ramp">
          <span>{legend.unit === '%' ? '0 %' : `${legend.stops[0]?.[0] ?? ''} °C`}</span>
          <i style={{ background: `linear-gradient(to right, ${legend.stops.map((s) => cssOf(s[1])).join(', ')})` }} />
          <span>{legend.unit === '%' ? '100 %+' : `${legend.stops[legend.stops.length - 1]?.[0] ?? ''} °C`}</span>
        </span>
      )}
    </div>
  );
}

function Canvas() {
  const { t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const engine = useRef<Room3dEngine | null>(null);
  const layout = useAppStore(selectR3Layout);
  const selected = useAppStore(selectR3Selected);
  useEffect(() => {
    const el = host.current;
    const l = useAppStore.getState().room3d.layout;
    if (!el || !l) return;
    const e = new Room3dEngine(el, l);
    engine.current = e;
    return () => {
      e.dispose();
      engine.current = null;
    };
  }, []);
  const firstCabinet = layout?.cabinets[0]?.id ?? null;
  const onKey = (e: React.KeyboardEvent): void => {
    const eng = engine.current;
    if (!eng) return;
    if (e.key === 'Enter' && selected) {
      e.preventDefault();
      openCabinetElevation(selected);
      return;
    }
    const next = nextCabinet(eng.room.placement.cabinets, selected, e.key);
    if (next) {
      e.preventDefault();
      focusCabinet(next);
    }
  };
  return (
    <div className="room3d-stage">
      <div
        ref={host}
        className="room3d-canvas"
        data-testid="room3d-stage"
        data-selected={selected ?? ''}
        data-cabinets={layout?.cabinets.length ?? 0}
        tabIndex={0}
        aria-label={t('room3d.canvasLabel')}
        onKeyDown={onKey}
        onPointerMove={(e) => {
          const p = engine.current?.pick(e.clientX, e.clientY);
          const r = e.currentTarget.getBoundingClientRect();
          setRoom3dHover(p ? { ...p, x: e.clientX - r.left, y: e.clientY - r.top } : null);
        }}
        onPointerLeave={() => setRoom3dHover(null)}
        onClick={(e) => {
          const p = engine.current?.pick(e.clientX, e.clientY);
          if (!p) return;
          if (p.deviceId) openDevicePage(p.deviceId);
          else openCabinetElevation(p.cabinetId);
        }}
      />
      <Tooltip />
      <div className="room3d-side">
        <button type="button" data-testid="room3d-walk" disabled={!selected && !firstCabinet} onClick={() => engine.current?.walkAisle(selected ?? firstCabinet ?? '')}>
          {t('room3d.walk')}
        </button>
        {selected && <Selected cabinetId={selected} />}
        <p className="muted small">{t('room3d.hint')}</p>
      </div>
    </div>
  );
}

function Selected({ cabinetId }: { cabinetId: string }) {
  const { t, num } = useI18n();
  const layout = useAppStore(selectR3Layout);
  const landed = useAppStore(selectR3Landed);
  const readings = useAppStore(selectR3Readings);
  const cab = layout?.cabinets.find((c) => c.id === cabinetId);
  const dev = landed ? layout?.devices.find((d) => d.id === landed) : undefined;
  const r = readings?.cabinets.find((c) => c.cabinetId === cabinetId);
  if (!cab) return null;
  return (
    <div className="room3d-selected" data-testid="room3d-selected" data-cabinet-id={cabinetId}>
      <strong>{cab.name}</strong>
      {r && <span className="small">{r.powerW === null ? t('room3d.noPower') : t('room3d.power', { w: num(Math.round(r.powerW)) })}</span>}
      {dev && (
        <span className="small" data-testid="room3d-landed" data-device-id={dev.id}>
          {t('room3d.landed', { host: dev.hostname, u: dev.uPosition })}{' '}
          <a href={`#/device/${encodeURIComponent(dev.id)}`}>{t('room3d.openDevice')}</a>
        </span>
      )}
      <button type="button" data-testid="room3d-open-elevation" onClick={() => openCabinetElevation(cabinetId, dev?.id)}>
        {t('room3d.openElevation')}
      </button>
      <button type="button" onClick={() => selectRoom3dCabinet(null)}>
        {t('room3d.clear')}
      </button>
    </div>
  );
}

function Tooltip() {
  const { t, num } = useI18n();
  const hover = useAppStore(selectR3Hover);
  const layout = useAppStore(selectR3Layout);
  const reading = useAppStore((s) => (hover ? cabinetReadingOf(s, hover.cabinetId) : undefined));
  if (!hover) return null;
  const cab = layout?.cabinets.find((c) => c.id === hover.cabinetId);
  const dev = hover.deviceId ? layout?.devices.find((d) => d.id === hover.deviceId) : undefined;
  return (
    <div className="room3d-tooltip" data-testid="room3d-tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }}>
      <strong>{cab?.name ?? hover.cabinetId}</strong>
      {dev && <span>{dev.hostname}</span>}
      <span>{reading?.powerW == null ? t('room3d.noPower') : t('room3d.power', { w: num(Math.round(reading.powerW)) })}</span>
      <span>{t('room3d.worst', { status: t(`room3d.legend.status.${reading?.worst ?? 'unknown'}` as MessageKey) })}</span>
    </div>
  );
}
