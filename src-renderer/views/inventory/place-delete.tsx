// Deleting a site, room, row or cabinet (operators): a dialog that asks for the place's
// name, as the device delete asks for the hostname. The core deletes only an empty place;
// its refusal (LocationNotEmptyError: what the place still holds) is worded inside the
// dialog. Also the line that says what was just saved or deleted.
import { ErrorBanner } from '../../components/error-banner';
import { HostnameConfirm } from '../../components/hostname-confirm';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { askDeletePlace, deletePlace } from '../../stores/places/actions';
import { selectPlaceDeleteBusy, selectPlaceDeleted, selectPlaceDeleteError, selectPlaceDeleting, selectPlaceSaved } from '../../stores/places/selectors';
import { useAppStore } from '../../stores/store';

export function PlaceDeleteDialog() {
  const { t } = useI18n();
  const deleting = useAppStore(selectPlaceDeleting);
  const busy = useAppStore(selectPlaceDeleteBusy);
  const error = useAppStore(selectPlaceDeleteError);
  if (!deleting) return null;
  const kind = t(`place.kind.${deleting.kind}` as MessageKey);
  return (
    <HostnameConfirm
      key={`${deleting.kind}:${deleting.id}`}
      hostname={deleting.name}
      title={t('place.delete.title', { kind })}
      effect={t('place.delete.effect', { kind })}
      submitLabel={t('place.delete')}
      typeLabel={t('place.delete.type', { name: deleting.name })}
      mismatchLabel={t('place.delete.mismatch')}
      busy={busy}
      testId="place-delete-confirm"
      data={{ 'data-kind': deleting.kind, 'data-id': deleting.id }}
      onConfirm={(typed) => void deletePlace(typed)}
      onCancel={() => askDeletePlace(null)}
    >
      {error && <ErrorBanner error={error} action="action.deletePlace" testId="place-delete-error" />}
    </HostnameConfirm>
  );
}

/** "Room Hall 1 added." / "… saved." / "… deleted." */
export function PlaceChangeNote() {
  const { t } = useI18n();
  const saved = useAppStore(selectPlaceSaved);
  const deleted = useAppStore(selectPlaceDeleted);
  const line = saved
    ? t(saved.mode === 'add' ? 'place.saved.add' : 'place.saved.edit', { kind: t(`place.kind.${saved.kind}` as MessageKey), name: saved.name })
    : deleted
      ? t('place.deleted', { kind: t(`place.kind.${deleted.kind}` as MessageKey), name: deleted.name })
      : null;
  if (!line) return null;
  return (
    <div className="banner banner-ok" role="status" data-testid={saved ? 'place-saved' : 'place-deleted'} data-kind={(saved ?? deleted)?.kind} data-id={(saved ?? deleted)?.id}>
      {line}
    </div>
  );
}
