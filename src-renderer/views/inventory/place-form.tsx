// The add / edit form of a site, room, row or cabinet (operators): its fields by kind, the
// parent picked from the places tree (a room's site, a row's room, a cabinet's row), a
// cabinet's position, height, rated power and optional feeds; the optional room model (a
// room's floor, a row's place and facing, a cabinet's footprint: empty is kept or computed).
// The core checks it as an import would; its issues are worded (import-text) under the field they name.
import { useEffect, useMemo } from 'react';
import { FormField, FormRefusal } from '../../components/form-field';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { closePlaceForm, savePlace, setPlaceFormField } from '../../stores/places/actions';
import { CHOICES_OF, FIELDS_OF, PARENT_KIND, type PlaceFormField } from '../../stores/places/place-form';
import { placeOptions, placeTreeOf } from '../../stores/places/place-tree';
import { selectPlaceForm, selectPlaceTree } from '../../stores/places/selectors';
import type { PlaceFormState } from '../../stores/places/slice';
import { useAppStore } from '../../stores/store';

const NUMERIC: ReadonlySet<PlaceFormField> = new Set(['position', 'uHeight', 'widthMm', 'depthMm']);
const DECIMAL: ReadonlySet<PlaceFormField> = new Set(['ratedPowerKw', 'widthM', 'depthM', 'xM', 'yM']);

export function PlaceFormDialog() {
  const { t } = useI18n();
  const form = useAppStore(selectPlaceForm);
  useEffect(() => {
    if (!form) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closePlaceForm();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [form]);
  if (!form) return null;
  const kindWord = t(`place.kind.${form.kind}` as MessageKey);
  return (
    <div className="modal-backdrop" onClick={closePlaceForm}>
      <div
        className="modal device-form place-form"
        role="dialog"
        aria-modal="true"
        data-testid="place-form"
        data-kind={form.kind}
        data-mode={form.mode}
        onClick={(e) => e.stopPropagation()}
      >
        <h2>{form.mode === 'add' ? t(`place.form.add.${form.kind}` as MessageKey) : t('place.form.edit', { kind: kindWord, name: form.values.name })}</h2>
        <form
          className="inv-form device-form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            void savePlace();
          }}
        >
          {FIELDS_OF[form.kind].map((f) => (
            <Field key={f} form={form} field={f} />
          ))}
          <FormRefusal
            error={form.error}
            refusal={form.refusal}
            action="action.savePlace"
            refusedText={t('place.refused')}
            otherText={t('place.otherIssues')}
            testPrefix="placeform"
          />
          <div className="modal-buttons">
            <button type="button" data-testid="placeform-cancel" onClick={closePlaceForm}>
              {t('place.cancel')}
            </button>
            <button type="submit" className="primary" data-testid="placeform-save" disabled={form.saving}>
              {form.saving ? t('place.saving') : t('place.save')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

function Field({ form, field }: { form: PlaceFormState; field: PlaceFormField }) {
  const { t } = useI18n();
  const local = form.local[field];
  const label = field === 'parent' && form.kind !== 'site' ? t(`place.f.parent.${form.kind}` as MessageKey) : t(`place.f.${field}` as MessageKey);
  return (
    <FormField
      field={field}
      label={label}
      local={local ? t(`place.local.${local}` as MessageKey) : null}
      issues={form.refusal?.byField[field]}
      problems={form.refusal?.problems[field]}
      testPrefix="placeform"
    >
      {field === 'parent' ? (
        <ParentPick form={form} />
      ) : CHOICES_OF[field] ? (
        <select data-testid={`placeform-${field}`} value={form.values[field]} onChange={(e) => setPlaceFormField(field, e.currentTarget.value)}>
          <option value="">{t('place.choice.auto')}</option>
          {CHOICES_OF[field].map((c) => (
            <option key={c} value={c}>
              {t(`place.choice.${c}` as MessageKey)}
            </option>
          ))}
        </select>
      ) : (
        <input
          data-testid={`placeform-${field}`}
          value={form.values[field]}
          readOnly={field === 'id' && form.mode === 'edit'}
          spellCheck={false}
          autoComplete="off"
          inputMode={NUMERIC.has(field) ? 'numeric' : DECIMAL.has(field) ? 'decimal' : undefined}
          onChange={(e) => setPlaceFormField(field, e.currentTarget.value)}
        />
      )}
    </FormField>
  );
}

/** The places of the parent's kind, by their path from the site. */
function ParentPick({ form }: { form: PlaceFormState }) {
  const { t } = useI18n();
  const tree = useAppStore(selectPlaceTree);
  const kind = form.kind === 'site' ? null : PARENT_KIND[form.kind];
  const options = useMemo(() => (tree && kind ? placeOptions(placeTreeOf(tree), [kind]) : []), [tree, kind]);
  const value = form.values.parent;
  const missing = value !== '' && !options.some((o) => o.id === value);
  return (
    <select data-testid="placeform-parent" value={value} onChange={(e) => setPlaceFormField('parent', e.currentTarget.value)}>
      <option value="">{t('place.pickParent')}</option>
      {missing && <option value={value}>{value}</option>}
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.path}
        </option>
      ))}
    </select>
  );
}
