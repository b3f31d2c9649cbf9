// Small pieces the workflows views share: a run's or a task's state as a badge (colour and
// its word, never colour alone), durations in h m s, date-and-time stamps, and the tabs of
// the workflows page.
import type { WfRunState, WfTaskState } from '../../../src-shared/domain/workflow';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { hmsText } from '../../stores/workflows/duration';
import { RUN_TONE, TASK_TONE } from '../../stores/workflows/run-matrix';

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
