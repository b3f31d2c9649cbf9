// The device page's live facts and power, honest about age: values from an earlier answer
// (sysName, uptime, RTT of a device that does not answer now) carry a "stale, 2 min ago"
// mark; the power reading says where it comes from (PDU meter or the server's BMC) and when
// it was read, stale when old; why the interfaces were not read is worded from its code.
import { useEffect, useState } from 'react';
import type { DeviceDetail, InterfacesProblem } from '../../../src-shared/domain';
import { agoText, uptimeText } from '../../components/format';
import { Sparkline } from '../../components/sparkline';
import { wordError } from '../../i18n/error-text';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n, type I18n } from '../../i18n/use-i18n';
import { factsStale, powerShown } from '../../stores/device/freshness';
import { selectBmc, selectDeviceAnsweredAt } from '../../stores/device/selectors';
import { useAppStore } from '../../stores/store';

export function useNow(periodMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}

function StaleMark({ at, now, testId }: { at: number | null; now: number; testId: string }) {
  const { t } = useI18n();
  return (
    <span className="stale-chip" data-testid={testId} data-at={at ?? ''} title={t('dev.staleTitle')}>
      {at === null ? t('dev.staleUnknown') : t('dev.staleValue', { age: agoText(t, at, now) })}
    </span>
  );
}

export function Facts({ detail }: { detail: DeviceDetail }) {
  const { t, num, time } = useI18n();
  const now = useNow(5_000);
  const answeredAt = useAppStore(selectDeviceAnsweredAt);
  const d = detail.device;
  const none = t('dev.none');
  const yesNo = (v: boolean) => t(v ? 'dev.yes' : 'dev.no');
  const stale = factsStale(detail.status);
  // [testid, label, value, from the last answer (marked stale when the device does not answer)]
  const rows: [string, MessageKey, string, boolean][] = [
    ['sysname', 'dev.sysName', detail.sysName ?? none, detail.sysName !== null],
    ['uptime', 'device.uptime', detail.uptimeSeconds === null ? none : uptimeText(t, detail.uptimeSeconds), detail.uptimeSeconds !== null],
    ['rtt', 'dev.rtt', detail.rttMs === null ? none : t('fmt.ms', { n: num(Math.round(detail.rttMs * 10) / 10) }), detail.rttMs !== null],
    ['last-poll', 'dev.lastPoll', detail.lastPollAt === null ? t('dev.neverPolled') : `${time(detail.lastPollAt)} (${agoText(t, detail.lastPollAt, now)})`, false],
    ['ip', 'device.ip', detail.sharedAddress ? `${d.mgmtIp}:${d.snmpPort} (${t('mon.shared')})` : d.mgmtIp, false],
    ['sn', 'device.sn', d.sn, false],
    ['bmc', 'dev.bmc', detail.capabilities.bmc ? `${yesNo(true)} · ${d.bmcAddress ?? d.mgmtIp}:${d.bmcPort}` : yesNo(false), false],
    ['ssh', 'dev.ssh', detail.capabilities.ssh ? `${yesNo(true)} · ${d.mgmtIp}:${d.sshPort}` : yesNo(false), false],
  ];
  return (
    <section className="card" data-testid="device-facts" data-stale={String(stale)}>
      <h2>{t('dev.facts')}</h2>
      {stale && (
        <p className="muted small" data-testid="facts-stale">
          {t('dev.stale')}
        </p>
      )}
      <dl className="facts">
        {rows.map(([id, k, v, fromAnswer]) => (
          <div className={`dl-row ${stale && fromAnswer ? 'is-stale' : ''}`} key={id}>
            <dt>{t(k)}</dt>
            <dd data-testid={`fact-${id}`} data-stale={String(stale && fromAnswer)}>
              {v}
            </dd>
            {stale && fromAnswer && <StaleMark at={answeredAt} now={now} testId={`fact-${id}-stale`} />}
          </div>
        ))}
      </dl>
    </section>
  );
}

export function PowerCard({ detail }: { detail: DeviceDetail }) {
  const { t, num } = useI18n();
  const now = useNow(5_000);
  const bmc = useAppStore(selectBmc);
  const shown = powerShown(detail, bmc, now);
  const age = (at: number | null) => (at === null ? t('dev.none') : agoText(t, at, now));
  let source = '';
  if (shown?.kind === 'pdu') source = t('dev.power.source.pdu', { age: age(shown.at) });
  else if (shown?.kind === 'bmc') source = t('dev.power.source.bmc', { age: age(shown.at) });
  else if (shown?.kind === 'bmc-live') source = t('dev.power.source.bmcLive', { source: t(shown.source === 'dcmi' ? 'bmc.source.dcmi' : 'bmc.source.sensor') });
  return (
    <section className="card" data-testid="device-power">
      <h2>{t('dev.power.title')}</h2>
      <div
        className={`power-now ${shown?.stale ? 'is-stale' : ''}`}
        data-testid="power-now"
        data-value={shown?.watts ?? ''}
        data-source={shown?.kind ?? ''}
        data-stale={String(shown?.stale ?? false)}
      >
        {shown === null ? <span className="muted">{t('elev.noPower')}</span> : t('elev.power', { watts: num(Math.round(shown.watts)) })}
        {shown?.stale && <span className="stale-chip">{t('dev.power.stale')}</span>}
      </div>
      {shown && (
        <p className="muted small" data-testid="power-source">
          {source}
        </p>
      )}
      <Sparkline points={detail.powerHistory} testId="power-sparkline" />
    </section>
  );
}

/** Why the interface table is empty, in words: "Interfaces not read: the device is unreachable". */
export function interfacesProblemText({ t, lang }: I18n, problem: InterfacesProblem): { text: string; detail: string | null } {
  if (problem.code === 'no-credential') return { text: t('dev.ifaces.notRead', { reason: t('dev.ifaces.noCredential') }), detail: null };
  if (problem.code === 'not-read') {
    const reason = t('dev.ifaces.notAnswering', { status: t(`status.${problem.status}` as MessageKey) });
    return { text: t('dev.ifaces.notRead', { reason }), detail: null };
  }
  const worded = wordError(lang, problem.error);
  return { text: t('dev.ifaces.notRead', { reason: t('dev.ifaces.readFailed', { reason: worded.text }) }), detail: worded.detail };
}
