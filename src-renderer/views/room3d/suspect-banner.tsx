// The 3D room's banner for the probe matrix's top suspect when it stands in this room: what it
// is (kind and name), the colour it is drawn in whatever the mode, its bad pairs, a link back to
// the matrix, and (for a device or a row) a way to fly to it.
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { focusCabinet } from '../../stores/room3d/actions';
import { selectR3Layout, selectR3ProbeSuspect } from '../../stores/room3d/selectors';
import { useAppStore } from '../../stores/store';
import { cssOf, SUSPECT_COLOUR } from './colour';
import { suspectHighlight } from './suspect-highlight';

export function SuspectBanner() {
  const { t, num } = useI18n();
  const suspect = useAppStore(selectR3ProbeSuspect);
  const layout = useAppStore(selectR3Layout);
  if (!suspect) return null;
  const h = suspectHighlight(suspect.component, layout);
  if (!h.here) return null;
  const c = suspect.component;
  const deviceId = h.deviceIds.length === 1 ? h.deviceIds[0] ?? null : null;
  return (
    <div className="room3d-suspect tone-text-bad" role="status" data-testid="room3d-suspect" data-component={c.id} data-devices={h.deviceIds.join(' ')}>
      <i className="room3d-suspect-swatch" style={{ background: cssOf(SUSPECT_COLOUR) }} />
      <strong>{t('room3d.suspect', { what: `${t(`probe.component.${c.kind}` as MessageKey)} ${suspect.name}` })}</strong>
      <span className="small">{t('room3d.suspectEvidence', { n: num(suspect.badPairs), votes: Math.round(suspect.votes * 100) })}</span>
      {h.cabinetId && (
        <button type="button" className="ghost small" data-testid="room3d-suspect-focus" onClick={() => h.cabinetId && focusCabinet(h.cabinetId, deviceId)}>
          {t('room3d.suspectFocus')}
        </button>
      )}
      <a href="#/matrix/tor" data-testid="room3d-suspect-matrix">
        {t('room3d.suspectMatrix')}
      </a>
    </div>
  );
}
