// A count as the overview shows it: compact past 10,000 ("83.0k", "8.30万") with the exact
// figure in the title and in data-value (what the tests and screen readers read).
import { useI18n } from '../../i18n/use-i18n';
import { compactCount, isCompacted } from './compact-count';

export function Count(props: { value: number; className?: string; testId?: string; tone?: string }) {
  const { lang, num } = useI18n();
  return (
    <div
      className={`count ${props.className ?? ''}`}
      data-testid={props.testId}
      data-value={props.value}
      data-tone={props.tone}
      title={isCompacted(props.value) ? num(props.value) : undefined}
    >
      {compactCount(props.value, lang)}
    </div>
  );
}

/** The same inline (inside a sentence or a table cell). */
export function InlineCount(props: { value: number }) {
  const { lang, num } = useI18n();
  return <span title={isCompacted(props.value) ? num(props.value) : undefined}>{compactCount(props.value, lang)}</span>;
}
