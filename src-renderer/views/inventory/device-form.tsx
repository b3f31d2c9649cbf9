// The add / edit device form (operators): place in the cabinet, kind, hostname, SN, address
// and ports, BMC, and the credentials picked by kind from the credential store. The core
// checks it as an import would; its issues are worded (import-text) under the field they name.
import type { ReactNode } from 'react';
import { DEVICE_KINDS } from '../../../src-shared/domain';
import type { CredentialInfo } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import { FormField, FormRefusal } from '../../components/form-field';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { closeDeviceForm, saveDevice, setDeviceFormField } from '../../stores/device-edit/actions';
import { credentialsFor, type CredentialSlot, type DeviceFormField } from '../../stores/device-edit/device-form';
import { selectDeviceForm, selectDeviceFormCredentials, selectDeviceFormCredentialsError } from '../../stores/device-edit/selectors';
import type { DeviceFormState } from '../../stores/device-edit/slice';
import { useAppStore } from '../../stores/store';

const TEXT_FIELDS: readonly DeviceFormField[] = ['hostname', 'sn', 'uPosition', 'uHeight', 'mgmtIp', 'snmpPort', 'bmcAddress', 'bmcPort', 'sshPort'];
const SLOTS: readonly CredentialSlot[] = ['snmpCredential', 'sshCredential', 'ipmiCredential'];

export function DeviceFormDialog({ cabinetName }: { cabinetName: string }) {
  const { t } = useI18n();
  const form = useAppStore(selectDeviceForm);
  const creds = useAppStore(selectDeviceFormCredentials);
  const credsError = useAppStore(selectDeviceFormCredentialsError);
  if (!form) return null;
  return (
    <div className="modal-backdrop" onClick={closeDeviceForm}>
      <div className="modal device-form" role="dialog" aria-modal="true" data-testid="device-form" data-mode={form.mode} onClick={(e) => e.stopPropagation()}>
        <h2>{form.mode === 'add' ? t('devedit.addTitle', { cabinet: cabinetName }) : t('devedit.editTitle', { hostname: form.values.hostname })}</h2>
        <form
          className="inv-form device-form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            void saveDevice();
          }}
        >
          <Field form={form} field="id">
            <input
              data-testid="devform-id"
              value={form.values.id}
              readOnly={form.mode === 'edit'}
              spellCheck={false}
              onChange={(e) => setDeviceFormField('id', e.currentTarget.value)}
            />
          </Field>
          <Field form={form} field="kind">
            <select data-testid="devform-kind" value={form.values.kind} onChange={(e) => setDeviceFormField('kind', e.currentTarget.value)}>
              {DEVICE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}` as MessageKey)}
                </option>
              ))}
            </select>
          </Field>
          {TEXT_FIELDS.map((f) => (
            <Field key={f} form={form} field={f}>
              <input
                data-testid={`devform-${f}`}
                value={form.values[f]}
                spellCheck={false}
                autoComplete="off"
                inputMode={/Port$|^u/.test(f) ? 'numeric' : undefined}
                onChange={(e) => setDeviceFormField(f, e.currentTarget.value)}
              />
            </Field>
          ))}
          {SLOTS.map((slot) => (
            <Field key={slot} form={form} field={slot}>
              <CredentialPick slot={slot} value={form.values[slot]} list={creds ?? []} />
            </Field>
          ))}
          {credsError && <ErrorBanner error={credsError} action="action.formCredentials" testId="devform-creds-error" />}
          <Refusal form={form} />
          <div className="modal-buttons">
            <button type="button" data-testid="devform-cancel" onClick={closeDeviceForm}>
              {t('devedit.cancel')}
            </button>
            <button type="submit" className="primary" data-testid="devform-save" disabled={form.saving}>
              {form.saving ? t('devedit.saving') : t('devedit.save')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

function CredentialPick({ slot, value, list }: { slot: CredentialSlot; value: string; list: readonly CredentialInfo[] }) {
  const { t } = useI18n();
  const options = credentialsFor(slot, list);
  const missing = value !== '' && !options.some((c) => c.id === value);
  return (
    <select data-testid={`devform-${slot}`} value={value} onChange={(e) => setDeviceFormField(slot, e.currentTarget.value)}>
      <option value="">{t('devedit.noCredential')}</option>
      {missing && <option value={value}>{t('devedit.missingCredential', { id: value })}</option>}
      {options.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name} ({c.id} · {t(`cred.kind.${c.kind}` as MessageKey)})
        </option>
      ))}
    </select>
  );
}

/** One labelled input with the problems found with it: a number that is not one, or the core's issues. */
function Field({ form, field, children }: { form: DeviceFormState; field: DeviceFormField; children: ReactNode }) {
  const { t } = useI18n();
  const local = form.local[field];
  return (
    <FormField
      field={field}
      label={t(`devedit.f.${field}` as MessageKey)}
      local={local ? t(`devedit.local.${local}` as MessageKey) : null}
      issues={form.refusal?.byField[field]}
      problems={form.refusal?.problems[field]}
      testPrefix="devform"
    >
      {children}
    </FormField>
  );
}

function Refusal({ form }: { form: DeviceFormState }) {
  const { t } = useI18n();
  return (
    <FormRefusal
      error={form.error}
      refusal={form.refusal}
      action="action.saveDevice"
      refusedText={t('devedit.refused')}
      otherText={t('devedit.otherIssues')}
      testPrefix="devform"
    />
  );
}
