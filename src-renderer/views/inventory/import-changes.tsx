// What an import changes, per record kind: added, updated (in the file and already stored)
// and deleted (a replacing import), and the deleted records by name, with a note when more
// were deleted than the core lists; the devices the file moves to another management or BMC
// address (whose credentials an operator's import leaves unbound until an admin binds them). As
// a preview (a dry run: nothing written yet, with "Import this file" sending the same file and
// scope) and after the real import.
import { useMemo } from 'react';
import { DELETED_RECORDS_LISTED, type ImportResult, type RecordCounts } from '../../../src-shared/domain';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { importPreviewed } from '../../stores/inventory/actions';
import type { ImportJob } from '../../stores/inventory/slice';
import { placeOptions, placeTreeOf } from '../../stores/places/place-tree';
import { selectPlaceTree } from '../../stores/places/selectors';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';

const KINDS: [keyof RecordCounts, MessageKey, string][] = [
  ['sites', 'total.sites', 'site'],
  ['rooms', 'total.rooms', 'room'],
  ['rows', 'total.rows', 'row'],
  ['cabinets', 'total.cabinets', 'cabinet'],
  ['devices', 'total.devices', 'device'],
];

const deletedTotal = (r: ImportResult) => KINDS.reduce((n, [k]) => n + r.deleted[k], 0);

export function ChangeTable({ result }: { result: ImportResult }) {
  const { t, num } = useI18n();
  return (
    <table className="data-table inv-changes" data-testid="import-changes">
      <thead>
        <tr>
          <th>{t('inv.preview.kind')}</th>
          <th className="num">{t('inv.preview.added')}</th>
          <th className="num">{t('inv.preview.updated')}</th>
          <th className="num">{t('inv.preview.deleted')}</th>
        </tr>
      </thead>
      <tbody>
        {KINDS.map(([k, label]) => {
          const added = result.added[k];
          const updated = Math.max(0, result.imported[k] - added);
          const deleted = result.deleted[k];
          return (
            <tr key={k} data-testid={`change-${k}`} data-added={added} data-updated={updated} data-deleted={deleted}>
              <td>{t(label)}</td>
              <td className="num">{num(added)}</td>
              <td className="num">{num(updated)}</td>
              <td className={`num ${deleted > 0 ? 'tone-text-bad' : ''}`}>{num(deleted)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function DeletedList({ result, title }: { result: ImportResult; title: MessageKey }) {
  const { t, num } = useI18n();
  const total = deletedTotal(result);
  if (total === 0) return null;
  const unlisted = total - result.deletedRecords.length;
  return (
    <div className="inv-deleted" data-testid="import-deleted" data-total={total}>
      <h3 className="inv-issues-title">{t(title)}</h3>
      <ul className="inv-issues small">
        {result.deletedRecords.map((r) => (
          <li key={`${r.kind}:${r.id}`} data-testid="deleted-record" data-kind={r.kind} data-id={r.id}>
            {t(`place.kind.${r.kind}` as MessageKey)} <strong>{r.name}</strong> <code className="muted">{r.id}</code>
          </li>
        ))}
      </ul>
      {unlisted > 0 && (
        <p className="muted small" data-testid="import-deleted-more">
          {t('inv.more', { n: num(unlisted), listed: num(Math.min(DELETED_RECORDS_LISTED, result.deletedRecords.length)) })}
        </p>
      )}
    </div>
  );
}

/** The devices the file moves, from and to, with what that does to their credentials for the caller's role. */
export function AddressChanges({ result }: { result: ImportResult }) {
  const { t, num } = useI18n();
  const role = useAppStore(selectRole);
  const total = result.addressChangeCount ?? 0;
  if (!total || !result.addressChanges) return null;
  const unlisted = total - result.addressChanges.length;
  return (
    <div className="inv-deleted" data-testid="import-moves" data-total={total}>
      <h3 className="inv-issues-title">{t('inv.moves.title', { n: num(total) })}</h3>
      <p className={role === 'admin' ? 'small' : 'small tone-text-warn'} data-testid="import-moves-note">
        {t(role === 'admin' ? 'inv.moves.admin' : 'inv.moves.operator')}
      </p>
      <ul className="inv-issues small">
        {result.addressChanges.map((m) => (
          <li key={`${m.deviceId}:${m.endpoint}`} data-testid="import-move" data-device-id={m.deviceId} data-endpoint={m.endpoint}>
            <strong>{m.hostname}</strong> {t(`inv.moves.${m.endpoint}`)}: <code>{m.from || t('inv.moves.none')}</code> → <code>{m.to || t('inv.moves.none')}</code>
          </li>
        ))}
      </ul>
      {unlisted > 0 && (
        <p className="muted small">{t('inv.more', { n: num(unlisted), listed: num(Math.min(DELETED_RECORDS_LISTED, result.addressChanges.length)) })}</p>
      )}
    </div>
  );
}

/** "Replacing everything under Room Hall 1" from the places tree (the id when the tree does not know it). */
export function ScopeLine({ result }: { result: ImportResult }) {
  const { t } = useI18n();
  const tree = useAppStore(selectPlaceTree);
  const scope = result.replace;
  const path = useMemo(() => (scope && tree ? placeOptions(placeTreeOf(tree), [scope.kind]).find((o) => o.id === scope.id)?.path : undefined), [scope, tree]);
  if (!scope) return <p className="small" data-testid="import-scope">{t('inv.preview.noScope')}</p>;
  return (
    <p className="small" data-testid="import-scope" data-kind={scope.kind} data-id={scope.id}>
      {t('inv.preview.scope', { kind: t(`place.kind.${scope.kind}` as MessageKey), place: path ?? scope.id })}
    </p>
  );
}

export function Previewed({ job, result }: { job: ImportJob; result: ImportResult }) {
  const { t } = useI18n();
  return (
    <div className="banner banner-info" role="status" data-testid="import-preview" data-deleted={deletedTotal(result)}>
      <strong>{t('inv.preview.title', { file: job.fileName })}</strong>
      <ScopeLine result={result} />
      <ChangeTable result={result} />
      {deletedTotal(result) === 0 && result.replace && <p className="muted small">{t('inv.preview.nothingDeleted')}</p>}
      <DeletedList result={result} title="inv.preview.deletedList" />
      <AddressChanges result={result} />
      <div className="inv-buttons">
        <button type="button" className="primary" data-testid="import-confirm" onClick={() => void importPreviewed()}>
          {t('inv.preview.import')}
        </button>
      </div>
    </div>
  );
}
