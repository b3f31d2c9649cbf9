// The overview's lifecycle line: how many devices are racked, provisioning, online, offline,
// in maintenance and retired, fleet-wide (the exact figure in each count's title past 10,000).
// A NOC reads it beside the answering count: devices offline or in maintenance are expected not to answer.
import { useEffect } from 'react';
import { DEVICE_LIFECYCLES } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import { lifecycleWord } from '../../i18n/lifecycle-text';
import { useI18n } from '../../i18n/use-i18n';
import { loadLifecycleCounts, watchLifecycleCounts } from '../../stores/fleet/lifecycle-counts';
import { selectLifecycleCounts, selectLifecycleCountsError } from '../../stores/fleet/selectors';
import { useAppStore } from '../../stores/store';
import { InlineCount } from './count';

export function LifecycleStrip() {
  const { t, lang } = useI18n();
  const counts = useAppStore(selectLifecycleCounts);
  const error = useAppStore(selectLifecycleCountsError);
  useEffect(() => {
    const watch = watchLifecycleCounts();
    return () => watch.dispose();
  }, []);
  if (error) return <ErrorBanner error={error} action="action.lifecycleCounts" onRetry={() => void loadLifecycleCounts()} testId="lifecycle-counts-error" />;
  if (!counts || counts.total === 0) return null;
  return (
    <p className="lifecycle-strip muted" data-testid="lifecycle-counts" data-total={counts.total}>
      <strong>{t('lifecycle.counts')}</strong>{' '}
      {DEVICE_LIFECYCLES.map((s) => (
        <span key={s} className={`lifecycle-count lifecycle-${s}`} data-testid={`lifecycle-count-${s}`} data-value={counts.counts[s]}>
          {' · '}
          {lifecycleWord(lang, s)} <InlineCount value={counts.counts[s]} />
        </span>
      ))}
    </p>
  );
}
