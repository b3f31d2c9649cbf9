// The import panel's "Replace everything under": none, or a site, room, row or cabinet
// picked from the places tree (indented by depth), with the note of what that deletes.
import { useMemo } from 'react';
import { LOCATION_KINDS, type LocationKind, type ReplaceScope } from '../../../src-shared/domain';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { placeOptions, placeTreeOf } from '../../stores/places/place-tree';
import { selectPlaceTree } from '../../stores/places/selectors';
import { useAppStore } from '../../stores/store';

/** "room:hall-1" → { kind: 'room', id: 'hall-1' }; '' → null. */
export function replaceOf(value: string): ReplaceScope | null {
  const at = value.indexOf(':');
  const kind = value.slice(0, at);
  if (at < 1 || !(LOCATION_KINDS as readonly string[]).includes(kind)) return null;
  return { kind: kind as LocationKind, id: value.slice(at + 1) };
}

export function ReplacePick({ value, disabled, onChange }: { value: string; disabled: boolean; onChange: (v: string) => void }) {
  const { t } = useI18n();
  const tree = useAppStore(selectPlaceTree);
  const options = useMemo(() => (tree ? placeOptions(placeTreeOf(tree)) : []), [tree]);
  const picked = options.find((o) => `${o.kind}:${o.id}` === value);
  return (
    <>
      <label className="inv-field">
        <span>{t('inv.import.replace')}</span>
        <select data-testid="import-replace" value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value="">{t('inv.import.replaceNone')}</option>
          {options.map((o) => (
            <option key={`${o.kind}:${o.id}`} value={`${o.kind}:${o.id}`}>
              {'\u00a0\u00a0'.repeat(o.depth)}
              {t(`place.kind.${o.kind}` as MessageKey)}: {o.path}
            </option>
          ))}
        </select>
      </label>
      {picked && (
        <p className="inv-warn small" data-testid="import-replace-note">
          {t('inv.import.replaceNote', { kind: t(`place.kind.${picked.kind}` as MessageKey), place: picked.path })}
        </p>
      )}
    </>
  );
}
