// The power confirmation: a HostnameConfirm worded for the action (what it does to the
// host), with the action on the dialog for styling and tests; children say where the host is.
import type { ReactNode } from 'react';
import type { PowerAction } from '../../src-shared/domain';
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/use-i18n';
import { HostnameConfirm } from './hostname-confirm';

export function PowerConfirm(props: { hostname: string; action: PowerAction; onConfirm: (typed: string) => void; onCancel: () => void; children?: ReactNode }) {
  const { t } = useI18n();
  const { hostname, action } = props;
  const label = t(`power.${action}` as MessageKey);
  return (
    <HostnameConfirm
      hostname={hostname}
      title={t('confirm.title', { action: label })}
      effect={t(`confirm.effect.${action}` as MessageKey, { host: hostname })}
      submitLabel={t('confirm.submit', { action: label, host: hostname })}
      className={`power-confirm power-${action}`}
      testId="power-confirm"
      data={{ 'data-action': action }}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    >
      {props.children}
    </HostnameConfirm>
  );
}
