// The wall-config view's create / edit form: id (a new playlist only), name, interval in seconds,
// theme, and the ordered views (add, remove, move up and down), each with the parameters its view
// needs (a room picked from the fleet's rooms, a matrix level, an alarms' least severity) and an
// optional dwell of its own. The core's VALIDATION is shown next to the field it names (a view's
// next to its row); the form keeps what was typed.
import type { FormEvent, ReactNode } from 'react';
import type { FleetOverview } from '../../../src-shared/domain/fleet';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { refusalByField } from '../../stores/field-refusal';
import { selectOverview } from '../../stores/fleet/selectors';
import { useAppStore } from '../../stores/store';
import { LEVELS, moved, newRow, playlistFieldOf, SEVERITIES, VIEW_KINDS, type PlaylistField, type ViewRow } from '../../stores/wall-config-form';
import { closePlaylistForm, editPlaylistForm, savePlaylistForm, useWallConfigStore } from '../../stores/wall-config';

const THEMES = ['dark', 'light'] as const;

export function PlaylistEditor() {
  const { t } = useI18n();
  const form = useWallConfigStore((s) => s.form);
  const saving = useWallConfigStore((s) => s.saving);
  const error = useWallConfigStore((s) => s.saveError);
  const overview = useAppStore(selectOverview);
  if (!form) return null;
  const refusal = error ? refusalByField<PlaylistField>(error, playlistFieldOf) : null;
  const problem = (f: PlaylistField) => refusal?.problems[f]?.join('; ') ?? null;
  const rooms = roomsOf(overview);
  const setRow = (i: number, p: Partial<ViewRow>) => editPlaylistForm((f) => ({ ...f, views: f.views.map((r, n) => (n === i ? { ...r, ...p } : r)) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void savePlaylistForm();
  };
  return (
    <form className="card wall-config-form" data-testid="wall-config-form" onSubmit={submit}>
      <h2>{form.existing ? t('wallConfig.form.editTitle', { id: form.id }) : t('wallConfig.form.newTitle')}</h2>
      {!form.existing && (
        <Field name="id" label={t('wallConfig.form.id')} problem={problem('id')}>
          <input data-testid="wall-config-id" value={form.id} onChange={(e) => editPlaylistForm((f) => ({ ...f, id: e.target.value }))} />
        </Field>
      )}
      <Field name="name" label={t('wallConfig.form.name')} problem={problem('name')}>
        <input data-testid="wall-config-name" value={form.name} onChange={(e) => editPlaylistForm((f) => ({ ...f, name: e.target.value }))} />
      </Field>
      <Field name="intervalS" label={t('wallConfig.form.interval')} problem={problem('intervalS')}>
        <input data-testid="wall-config-interval" inputMode="numeric" value={form.intervalS} onChange={(e) => editPlaylistForm((f) => ({ ...f, intervalS: e.target.value }))} />
      </Field>
      <Field name="theme" label={t('wallConfig.form.theme')} problem={problem('theme')}>
        <select data-testid="wall-config-theme" value={form.theme} onChange={(e) => editPlaylistForm((f) => ({ ...f, theme: e.target.value as (typeof THEMES)[number] }))}>
          {THEMES.map((th) => <option key={th} value={th}>{t(`wallConfig.theme.${th}` as MessageKey)}</option>)}
        </select>
      </Field>
      <fieldset className="wall-config-views" data-field="views">
        <legend>{t('wallConfig.form.views')}</legend>
        {problem('views') && <FieldError name="views" text={problem('views') ?? ''} />}
        <ol>
          {form.views.map((r, i) => (
            <li key={r.key} className="wall-config-view-row" data-testid="wall-config-view-row" data-index={i}>
              <select aria-label={t('wallConfig.form.view')} data-testid="wall-config-view-kind" value={r.view} onChange={(e) => setRow(i, { view: e.target.value as ViewRow['view'] })}>
                {VIEW_KINDS.map((v) => <option key={v} value={v}>{t(`wallConfig.view.${v}` as MessageKey)}</option>)}
              </select>
              {r.view === 'room' && (
                <select aria-label={t('wallConfig.form.room')} data-testid="wall-config-view-room" value={r.roomId} onChange={(e) => setRow(i, { roomId: e.target.value })}>
                  <option value="">{t('wallConfig.form.pickRoom')}</option>
                  {rooms.map((room) => <option key={room.id} value={room.id}>{room.label}</option>)}
                  {r.roomId && !rooms.some((room) => room.id === r.roomId) && <option value={r.roomId}>{r.roomId}</option>}
                </select>
              )}
              {r.view === 'matrix' && (
                <select aria-label={t('wallConfig.form.level')} data-testid="wall-config-view-level" value={r.level} onChange={(e) => setRow(i, { level: e.target.value as ViewRow['level'] })}>
                  {LEVELS.map((l) => <option key={l} value={l}>{t(`matrix.level.${l}` as MessageKey)}</option>)}
                </select>
              )}
              {r.view === 'alarms' && (
                <select aria-label={t('wallConfig.form.minSeverity')} data-testid="wall-config-view-severity" value={r.minSeverity} onChange={(e) => setRow(i, { minSeverity: e.target.value as ViewRow['minSeverity'] })}>
                  <option value="">{t('wallConfig.form.anySeverity')}</option>
                  {SEVERITIES.map((s) => <option key={s} value={s}>{t(`alarms.sev.${s}` as MessageKey)}</option>)}
                </select>
              )}
              <input
                className="wall-config-dwell"
                aria-label={t('wallConfig.form.dwell')}
                placeholder={t('wallConfig.form.dwellPlaceholder')}
                data-testid="wall-config-view-dwell"
                inputMode="numeric"
                value={r.dwellS}
                onChange={(e) => setRow(i, { dwellS: e.target.value })}
              />
              <button type="button" className="ghost" data-testid="wall-config-view-up" disabled={i === 0} aria-label={t('wallConfig.form.up')} onClick={() => editPlaylistForm((f) => ({ ...f, views: moved(f.views, i, -1) }))}>↑</button>
              <button type="button" className="ghost" data-testid="wall-config-view-down" disabled={i === form.views.length - 1} aria-label={t('wallConfig.form.down')} onClick={() => editPlaylistForm((f) => ({ ...f, views: moved(f.views, i, 1) }))}>↓</button>
              <button type="button" className="ghost" data-testid="wall-config-view-remove" onClick={() => editPlaylistForm((f) => ({ ...f, views: f.views.filter((_, n) => n !== i) }))}>{t('wallConfig.form.remove')}</button>
              {problem(`views.${i}`) && <FieldError name={`views-${i}`} text={problem(`views.${i}`) ?? ''} />}
            </li>
          ))}
        </ol>
        <button type="button" data-testid="wall-config-view-add" onClick={() => editPlaylistForm((f) => ({ ...f, views: [...f.views, newRow()] }))}>{t('wallConfig.form.addView')}</button>
      </fieldset>
      {error && (!refusal || refusal.other.length > 0) && <ErrorBanner error={error} action="wallConfig.action.save" testId="wall-config-refused" />}
      <div className="wall-config-actions">
        <button type="submit" className="primary" data-testid="wall-config-save" disabled={saving}>{t(saving ? 'wallConfig.form.saving' : 'wallConfig.form.save')}</button>
        <button type="button" className="ghost" data-testid="wall-config-cancel" onClick={closePlaylistForm}>{t('wallConfig.form.cancel')}</button>
      </div>
    </form>
  );
}

function Field(props: { name: string; label: string; problem: string | null; children: ReactNode }) {
  return (
    <label className={`inv-field ${props.problem ? 'is-invalid' : ''}`} data-field={props.name}>
      <span>{props.label}</span>
      {props.children}
      {props.problem && <FieldError name={props.name} text={props.problem} />}
    </label>
  );
}

function FieldError({ name, text }: { name: string; text: string }) {
  return <span className="field-error tone-text-bad small" role="alert" data-testid={`wall-config-error-${name}`}>{text}</span>;
}

/** Every room of the fleet as "site · room", for the room view's picker. */
function roomsOf(overview: FleetOverview | null): { id: string; label: string }[] {
  return (overview?.sites ?? []).flatMap((s) => s.rooms.map((r) => ({ id: r.id, label: `${s.name} · ${r.name}` })));
}
