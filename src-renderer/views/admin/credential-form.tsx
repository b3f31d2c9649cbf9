// The credential form, one per kind: its fields are the kind's secret schema's fields
// (stores/credentials/secret-form), the v3 fields a level does not use hidden. Secret inputs
// start empty, also when editing (the core never gives a secret back): saving replaces it.
// The core's VALIDATION problems are shown under the field they name.
import { CREDENTIAL_KINDS } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import { problemText } from '../../i18n/credential-text';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import {
  closeCredentialForm,
  saveCredential,
  setCredentialField,
  setCredentialKind,
  setSecretValue,
} from '../../stores/credentials/actions';
import { SECRET_FIELDS, unusedFields, type SecretField } from '../../stores/credentials/secret-form';
import type { CredentialForm } from '../../stores/credentials/slice';

export function CredentialFormView({ form }: { form: CredentialForm }) {
  const { t } = useI18n();
  const errs = form.fieldErrors ?? {};
  const unused = unusedFields(form.kind, form.values);
  const fields = SECRET_FIELDS[form.kind].filter((f) => !unused.has(f.key));
  return (
    <section className="card cred-form" data-testid="cred-form" data-mode={form.mode} data-kind={form.kind}>
      <h2>{form.mode === 'new' ? t('cred.form.newTitle') : t('cred.form.editTitle', { id: form.id })}</h2>
      <form
        className="inv-form"
        onSubmit={(e) => {
          e.preventDefault();
          void saveCredential();
        }}
      >
        <label className="inv-field">
          <span>{t('cred.form.id')}</span>
          <input
            data-testid="cred-id"
            value={form.id}
            readOnly={form.mode === 'edit'}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={Boolean(errs.id)}
            onChange={(e) => setCredentialField('id', e.currentTarget.value)}
          />
          <small className="muted">{t('cred.form.idHint')}</small>
          <Problems list={errs.id} field="id" />
        </label>
        <label className="inv-field">
          <span>{t('cred.form.kind')}</span>
          <select data-testid="cred-kind" value={form.kind} disabled={form.mode === 'edit'} onChange={(e) => setCredentialKind(e.currentTarget.value as CredentialForm['kind'])}>
            {CREDENTIAL_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`cred.kind.${k}` as MessageKey)}
              </option>
            ))}
          </select>
          <Problems list={errs.kind} field="kind" />
        </label>
        <label className="inv-field">
          <span>{t('cred.form.name')}</span>
          <input data-testid="cred-name-input" value={form.name} aria-invalid={Boolean(errs.name)} onChange={(e) => setCredentialField('name', e.currentTarget.value)} />
          <Problems list={errs.name} field="name" />
        </label>
        <fieldset className="cred-secret">
          <legend>{t('cred.form.secret')}</legend>
          {form.mode === 'edit' && (
            <p className="muted small" data-testid="cred-replace-note">
              {t('cred.form.replaceNote')}
            </p>
          )}
          {fields.map((f) => (
            <SecretInput key={f.key} field={f} value={form.values[f.key] ?? ''} problems={errs[`secret.${f.key}`]} />
          ))}
        </fieldset>
        {form.error && !form.fieldErrors && <ErrorBanner error={form.error} action="action.saveCredential" testId="cred-form-error" />}
        {form.fieldErrors && (
          <p className="muted small tone-text-bad" role="alert" data-testid="cred-form-refused">
            {t('cred.form.refused')}
          </p>
        )}
        {errs._form && <Problems list={errs._form} field="_form" />}
        <div className="inv-buttons">
          <button type="submit" className="primary" data-testid="cred-save" disabled={form.saving}>
            {form.saving ? t('cred.form.saving') : t('cred.form.save')}
          </button>
          <button type="button" data-testid="cred-cancel" onClick={closeCredentialForm}>
            {t('cred.form.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

function SecretInput({ field: f, value, problems }: { field: SecretField; value: string; problems: readonly string[] | undefined }) {
  const { t } = useI18n();
  const label = t(`cred.field.${f.key}` as MessageKey);
  const common = {
    'data-testid': `cred-field-${f.key}`,
    'aria-invalid': Boolean(problems),
    value,
  };
  return (
    <label className="inv-field">
      <span>
        {label} {f.optional && <small className="muted">{t('cred.form.optional')}</small>}
      </span>
      {f.input === 'select' && (
        <select {...common} onChange={(e) => setSecretValue(f.key, e.currentTarget.value)}>
          {f.optional && <option value="">{t('cred.form.none')}</option>}
          {(f.options ?? []).map((o) => (
            <option key={o} value={o}>
              {optionLabel(t, o)}
            </option>
          ))}
        </select>
      )}
      {f.input === 'textarea' && (
        <textarea {...common} rows={6} spellCheck={false} autoComplete="off" onChange={(e) => setSecretValue(f.key, e.currentTarget.value)} />
      )}
      {(f.input === 'text' || f.input === 'password') && (
        <input
          {...common}
          type={f.input}
          autoComplete={f.input === 'password' ? 'new-password' : 'off'}
          spellCheck={false}
          onChange={(e) => setSecretValue(f.key, e.currentTarget.value)}
        />
      )}
      <Problems list={problems} field={`secret.${f.key}`} />
    </label>
  );
}

function optionLabel(t: (key: MessageKey) => string, o: string): string {
  const key = `cred.opt.${o}`;
  return key in OPTION_KEYS ? t(key as MessageKey) : o;
}
const OPTION_KEYS: Readonly<Record<string, true>> = Object.fromEntries(
  ['noAuthNoPriv', 'authNoPriv', 'authPriv', 'user', 'operator', 'administrator', 'auto', '3', '17'].map((o) => [`cred.opt.${o}`, true]),
);

/** The core's problems with one field (its English as a tooltip where worded in another language). */
function Problems({ list, field }: { list: readonly string[] | undefined; field: string }) {
  const { lang } = useI18n();
  if (!list || list.length === 0) return null;
  const id = field.replace(/^secret\./, '');
  return (
    <span className="field-error tone-text-bad small" role="alert" data-testid={`cred-field-error-${id}`} data-field={field}>
      {list.map((p) => (
        <span key={p} title={p}>
          {problemText(lang, p)}{' '}
        </span>
      ))}
    </span>
  );
}
