// One labelled form input with what is wrong with it (a value checked before sending, the
// core's import issues worded by code and naming the field by its label, a contract
// problem), and the note that the core refused the form with the issues no field names.
// Used by the device and place forms.
import type { ReactNode } from 'react';
import type { ImportIssue } from '../../src-shared/domain';
import { importIssueText } from '../i18n/import-text';
import { useI18n } from '../i18n/use-i18n';
import type { FieldRefusal } from '../stores/field-refusal';
import type { ShownError } from '../stores/shown-error';
import { ErrorBanner } from './error-banner';
import type { MessageKey } from '../i18n/i18n';

export function FormField(props: {
  field: string;
  label: string;
  /** The problem found before sending, worded. */
  local?: string | null;
  issues?: readonly ImportIssue[];
  problems?: readonly string[];
  /** The error line's test id is `${testPrefix}-error-${field}`. */
  testPrefix: string;
  children: ReactNode;
}) {
  const { lang } = useI18n();
  const issues = props.issues ?? [];
  const problems = props.problems ?? [];
  const bad = Boolean(props.local) || issues.length > 0 || problems.length > 0;
  return (
    <label className={`inv-field ${bad ? 'is-invalid' : ''}`} data-field={props.field}>
      <span>{props.label}</span>
      {props.children}
      {bad && (
        <span className="field-error tone-text-bad small" role="alert" data-testid={`${props.testPrefix}-error-${props.field}`}>
          {props.local && <span>{props.local} </span>}
          {issues.map((i, n) => (
            <span key={n} data-code={i.code}>
              {importIssueText(lang, underLabel(i, props.label))}{' '}
            </span>
          ))}
          {problems.map((p) => (
            <span key={p}>{p} </span>
          ))}
        </span>
      )}
    </label>
  );
}

/** Under its field, an issue names the field by the form's label (not the file's column or the record's property). */
function underLabel(issue: ImportIssue, label: string): ImportIssue {
  const params = issue.params as Readonly<Record<string, unknown>> | null;
  if (typeof params !== 'object' || params === null || typeof params.field !== 'string') return issue;
  return { ...issue, params: { ...issue.params, field: label } };
}

/** The core's refusal of a form: a banner when no field is named, else a note and the issues no field names. */
export function FormRefusal<F extends string>(props: {
  error: ShownError | null;
  refusal: FieldRefusal<F> | null;
  action: MessageKey;
  refusedText: string;
  otherText: string;
  testPrefix: string;
}) {
  const { lang } = useI18n();
  const { error, refusal, testPrefix } = props;
  if (!error) return null;
  if (!refusal) return <ErrorBanner error={error} action={props.action} testId={`${testPrefix}-error`} />;
  return (
    <div className={`${testPrefix}-refused`} role="alert" data-testid={`${testPrefix}-refused`}>
      <p className="tone-text-bad small">{props.refusedText}</p>
      {refusal.other.length > 0 && (
        <>
          <p className="small">{props.otherText}</p>
          <ul className="inv-issues small" data-testid={`${testPrefix}-other-issues`}>
            {refusal.other.map((i, n) => (
              <li key={n} data-code={i.code}>
                {importIssueText(lang, i)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
