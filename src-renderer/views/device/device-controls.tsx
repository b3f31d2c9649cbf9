// Control actions on one device: power (each confirmed by typing the hostname, the dialog
// naming the host, its SN, U position and cabinet), Locate (identify LED for N minutes with
// a countdown) and the raw identify LED, the next boot device. Below the operator role, or on a device without a
// BMC, the buttons are not shown at all (a wall screen must not offer what it cannot do):
// a note says why. The core checks the role (and the confirmation) whatever the UI does.
import { useCallback, useState } from 'react';
import { BOOT_DEVICES, POWER_ACTIONS, type BootDevice, type DeviceDetail, type PowerAction } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n, type I18n } from '../../i18n/use-i18n';
import { dismissControl, identifyDevice, powerDevice, setBootDevice } from '../../stores/device/actions';
import type { ControlRequest } from '../../stores/device/slice';
import { leastRole, mayCall } from '../../stores/session/roles';
import { selectControl } from '../../stores/device/selectors';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { PowerConfirm } from '../../components/power-confirm';
import { LocateControl } from '../inventory/locate-control';

const IDENTIFY_SECONDS = [15, 60, 240];
const DANGEROUS: ReadonlySet<PowerAction> = new Set(['off', 'cycle', 'reset']);
const ACTION_KEYS: Record<ControlRequest['kind'], MessageKey> = { power: 'action.power', identify: 'action.identify', boot: 'action.boot' };

export function DeviceControls({ detail }: { detail: DeviceDetail }) {
  const i18n = useI18n();
  const { t } = i18n;
  const role = useAppStore(selectRole);
  const control = useAppStore(selectControl);
  const [confirming, setConfirming] = useState<PowerAction | null>(null);
  const [seconds, setSeconds] = useState(IDENTIFY_SECONDS[0]);
  const [force, setForce] = useState(false);
  const [boot, setBoot] = useState<BootDevice>('pxe');
  const [persistent, setPersistent] = useState(false);
  const cancel = useCallback(() => setConfirming(null), []);
  const { id, hostname } = detail.device;
  const may = mayCall(role, 'device.power');
  const hasBmc = detail.capabilities.bmc;
  const disabled = !may || !hasBmc || control.pending !== null;
  return (
    <section className="card controls" data-testid="device-controls" data-enabled={String(may && hasBmc)}>
      <h2>{t('ctl.title')}</h2>
      {role && !may && (
        <p className="inv-role-note" data-testid="control-role-note">
          {t('ctl.roleNote', { required: t(`role.${leastRole('device.power')}` as MessageKey), role: t(`role.${role}` as MessageKey) })}
        </p>
      )}
      {!hasBmc && (
        <p className="muted" data-testid="control-no-bmc">
          {t('ctl.noBmc')}
        </p>
      )}
      {may && hasBmc && (
        <>
          <div className="ctl-group">
            <h3>{t('ctl.power')}</h3>
            <div className="ctl-buttons">
              {POWER_ACTIONS.map((a) => (
                <button key={a} type="button" className={DANGEROUS.has(a) ? 'danger' : ''} data-testid={`power-${a}`} disabled={disabled} onClick={() => setConfirming(a)}>
                  {t(`power.${a}` as MessageKey)}
                </button>
              ))}
            </div>
          </div>
          <div className="ctl-group">
            <h3>{t('locate.title')}</h3>
            <LocateControl deviceId={id} hasBmc={hasBmc} />
          </div>
          <div className="ctl-group">
            <h3>{t('ctl.identify')}</h3>
            <div className="ctl-row">
              <label className="inline-field">
                <span>{t('ctl.identifyFor')}</span>
                <select data-testid="identify-seconds" value={seconds} disabled={disabled || force} onChange={(e) => setSeconds(Number(e.currentTarget.value))}>
                  {IDENTIFY_SECONDS.map((s) => (
                    <option key={s} value={s}>
                      {t('ctl.seconds', { n: s })}
                    </option>
                  ))}
                </select>
              </label>
              <label className="inline-field">
                <input type="checkbox" data-testid="identify-force" checked={force} disabled={disabled} onChange={(e) => setForce(e.currentTarget.checked)} />
                <span>{t('ctl.forceOn')}</span>
              </label>
              <button type="button" data-testid="identify-start" disabled={disabled} onClick={() => void identifyDevice(id, seconds, force)}>
                {t('ctl.identifyStart')}
              </button>
            </div>
          </div>
          <div className="ctl-group">
            <h3>{t('ctl.boot')}</h3>
            <div className="ctl-row">
              <select data-testid="boot-device" aria-label={t('ctl.boot')} value={boot} disabled={disabled} onChange={(e) => setBoot(e.currentTarget.value as BootDevice)}>
                {BOOT_DEVICES.map((b) => (
                  <option key={b} value={b}>
                    {t(`boot.${b}` as MessageKey)}
                  </option>
                ))}
              </select>
              <label className="inline-field">
                <input type="checkbox" data-testid="boot-persistent" checked={persistent} disabled={disabled} onChange={(e) => setPersistent(e.currentTarget.checked)} />
                <span>{t('ctl.persistent')}</span>
              </label>
              <button type="button" data-testid="boot-set" disabled={disabled} onClick={() => void setBootDevice(id, boot, persistent)}>
                {t('ctl.bootSet')}
              </button>
            </div>
          </div>
        </>
      )}
      {control.pending && (
        <p className="muted" role="status" data-testid="control-progress" data-kind={control.pending.kind}>
          <span className="spinner" aria-hidden /> {t('ctl.sending', { what: describe(i18n, control.pending), host: hostname })}
        </p>
      )}
      {control.done && (
        <div className="banner banner-ok" role="status" data-testid="control-done" data-kind={control.done.request.kind} data-power={control.done.power ?? ''}>
          {t('ctl.done', { what: describe(i18n, control.done.request), host: hostname })}
          {control.done.power && <strong> {t('ctl.powerNow', { power: t(control.done.power === 'on' ? 'bmc.powerOn' : 'bmc.powerOff') })}</strong>}
        </div>
      )}
      {control.error && (
        <ErrorBanner
          error={control.error.error}
          action={ACTION_KEYS[control.error.request.kind]}
          onDismiss={dismissControl}
          testId={control.error.error.code === 'FORBIDDEN' ? 'control-refused' : 'control-error'}
        />
      )}
      {confirming && (
        <PowerConfirm
          hostname={hostname}
          action={confirming}
          onCancel={cancel}
          onConfirm={(typed) => {
            setConfirming(null);
            void powerDevice(id, confirming, typed);
          }}
        >
          <p className="confirm-where" data-testid="confirm-where" data-sn={detail.device.sn} data-u={detail.device.uPosition} data-cabinet={detail.cabinet.name}>
            {whereText(i18n, detail)}
          </p>
        </PowerConfirm>
      )}
    </section>
  );
}

/** Where the host is: hostname, SN, U span and cabinet (with its row and room). */
export function whereText({ t }: I18n, detail: DeviceDetail): string {
  const d = detail.device;
  const vars = { host: d.hostname, sn: d.sn, cabinet: detail.cabinet.name, row: detail.row.name, room: detail.room.name };
  return d.uHeight === 0 ? t('confirm.where0U', vars) : t('confirm.where', { ...vars, from: d.uPosition, to: d.uPosition + d.uHeight - 1 });
}

function describe({ t }: I18n, r: ControlRequest): string {
  if (r.kind === 'power') return t(`power.${r.action}` as MessageKey);
  if (r.kind === 'identify') return r.force ? t('ctl.identifyForced') : t('ctl.identifyTimed', { n: r.seconds });
  return t(r.persistent ? 'ctl.bootPersistent' : 'ctl.bootOnce', { device: t(`boot.${r.device}` as MessageKey) });
}
