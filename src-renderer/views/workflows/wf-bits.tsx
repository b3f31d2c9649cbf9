// Small pieces the workflows views share: a run's or a task's state as a badge (colour and
// its word, never colour alone), a run's host by its label (the inventory's hostname now, or
// the launch snapshot's for a device that has left it, said so; device id and SN on hover),
// durations in h m s, date-and-time stamps, and the tabs of the workflows page.
import type { WfRunState, WfRunSummary, WfTaskState } from '../../../src-shared/domain/workflow';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { hmsText } from '../../stores/workflows/duration';
import { labelOf, RUN_TONE, TASK_TONE } from '../../stores/workflows/run-matrix';

export function RunStateBadge({ state, testId }: { state: WfRunState; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className={`wf-badge wf-tone-${RUN_TONE[state]}`} data-testid={testId} data-state={state}>
      {t(`wf.run.${state}` as MessageKey)}
    </span>
  );
}

export function TaskStateText({ state }: { state: WfTaskState }) {
  const { t } = useI18n();
  return <span className={`wf-badge wf-tone-${TASK_TONE[state]}`}>{t(`wf.task.${state}` as MessageKey)}</span>;
}

/** A host of the run by name; `link` opens the device's page (while it is in the inventory). */
export function HostName({ run, id, link = false }: { run: Pick<WfRunSummary, 'hostLabels'>; id: string; link?: boolean }) {
  const { t } = useI18n();
  const l = labelOf(run, id);
  const title = [t('wf.host.title', { id, sn: l?.sn || '—' }), l?.launchHostname ? t('wf.host.launchName', { name: l.launchHostname }) : ''].filter(Boolean).join(' · ');
  const name = (
    <span className="wf-data" data-testid="wf-host-name" data-host={id} data-in-inventory={l ? String(l.inInventory) : undefined}>
      {l?.hostname ?? id}
    </span>
  );
  return (
    <>
      {link && l?.inInventory !== false ? (
        <a href={`#/device/${encodeURIComponent(id)}`} title={title}>
          {name}
        </a>
      ) : (
        <span title={title}>{name}</span>
      )}
      {l && !l.inInventory && <span className="muted small"> {t('wf.host.gone')}</span>}
    </>
  );
}

/** Durations and stamps in the current language. */
export function useWfFormat() {
  const { t, lang } = useI18n();
  const dt = new Intl.DateTimeFormat(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return {
    hms: (ms: number | null | undefined): string => (ms === null || ms === undefined ? '—' : hmsText(t, ms)),
    stamp: (ms: number | null | undefined): string => (ms === null || ms === undefined ? '—' : dt.format(new Date(ms))),
  };
}

export type WfTab = 'runs' | 'templates' | 'stats';

export function WfTabs({ here }: { here: WfTab }) {
  const { t } = useI18n();
  const tab = (id: WfTab, href: string, label: MessageKey) => (
    <a href={href} className={`wf-tab ${here === id ? 'active' : ''}`} aria-current={here === id ? 'page' : undefined} data-testid={`wf-tab-${id}`}>
      {t(label)}
    </a>
  );
  return (
    <nav className="wf-tabs" aria-label={t('wf.title')}>
      {tab('runs', '#/workflows', 'wf.tab.runs')}
      {tab('templates', '#/workflows/templates', 'wf.tab.templates')}
      {tab('stats', '#/workflows/stats', 'wf.tab.stats')}
    </nav>
  );
}
