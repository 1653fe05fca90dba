import { METHODS } from '@metaspo/schemas';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useMemo } from 'react';
import { FORM_FIELDS, fieldOfPath, fieldValue, formView, writeConfigKey } from '../lib/config-draft.js';
import type { ConfigIssue } from '../lib/config-issues.js';
import { useTRPC } from '../trpc.js';
import { CheckSummary, CheckWarnings, type ConfigCheck, IssueText } from './RunConfigCheck.js';

function issuesByField(issues: ConfigIssue[]): { byField: Map<string, ConfigIssue>; others: ConfigIssue[] } {
  const byField = new Map<string, ConfigIssue>();
  const others: ConfigIssue[] = [];
  for (const issue of issues) {
    const field = fieldOfPath(issue.path);
    if (!field) others.push(issue);
    else if (!byField.has(field.key)) byField.set(field.key, issue);
  }
  return { byField, others };
}

/**
 * The config as a form over the shared YAML text: each field edits its key, and every issue of
 * the local check or the server's preflight shows under its field.
 */
export function RunConfigForm({
  text,
  drafts,
  check,
  busy,
  onEdit,
  onSubmit,
  onOpenYaml,
}: {
  text: string;
  drafts: Record<string, string>;
  check: ConfigCheck;
  busy: boolean;
  onEdit: (text: string, draft: Record<string, string>) => void;
  onSubmit: () => void;
  onOpenYaml: () => void;
}) {
  const trpc = useTRPC();
  const tasks = useQuery({ ...trpc.datasets.tasks.list.queryOptions(), staleTime: 60_000 });
  const taskIds = useMemo(() => new Set((tasks.data ?? []).map((task) => task.id)), [tasks.data]);
  const view = formView(text, drafts, taskIds);
  const { byField, others } = issuesByField(check.issues);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (check.valid) onSubmit();
  };

  if (view.values === null) {
    return (
      <div className="error-note" role="alert">
        <span>
          The YAML has a syntax error on line {view.syntaxErrorLine}; the form can show it again once it is
          fixed.
        </span>
        <button type="button" onClick={onOpenYaml}>
          Fix it in YAML
        </button>
      </div>
    );
  }
  const values = view.values;

  return (
    <form className="config-form" onSubmit={submit} noValidate aria-label="Run config">
      <div className="field">
        <label htmlFor="field-method">Method</label>
        <select
          id="field-method"
          value={view.method}
          onChange={(e) => onEdit(writeConfigKey(text, 'method', e.target.value), {})}
        >
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </div>
      {FORM_FIELDS.map((field) => {
        const id = `field-${field.key.replace('.', '-')}`;
        const error = byField.get(field.key);
        const describedBy = [field.hint ? `${id}-hint` : '', error ? `${id}-error` : '']
          .filter(Boolean)
          .join(' ');
        const common = {
          id,
          name: field.key,
          value: values[field.key] ?? '',
          'aria-invalid': error ? true : undefined,
          'aria-describedby': describedBy || undefined,
          onChange: (e: { target: { value: string } }) =>
            onEdit(writeConfigKey(text, field.key, fieldValue(field, e.target.value, taskIds)), {
              [field.key]: e.target.value,
            }),
        };
        return (
          <div className={field.kind === 'textarea' ? 'field field-wide' : 'field'} key={field.key}>
            <label htmlFor={id}>{field.label}</label>
            {field.kind === 'textarea' ? (
              <textarea rows={3} {...common} />
            ) : (
              <input type="text" inputMode={field.kind === 'number' ? 'decimal' : undefined} {...common} />
            )}
            {field.hint && (
              <small id={`${id}-hint`} className="hint">
                {field.hint}
              </small>
            )}
            {error && (
              <small id={`${id}-error`} className="field-error" role="alert">
                <IssueText issue={{ ...error, path: '' }} withLine={false} />
              </small>
            )}
          </div>
        );
      })}
      {others.length > 0 && (
        <div className="field field-wide">
          <p>
            Fields the form has no input for (
            <button type="button" className="link-button" onClick={onOpenYaml}>
              edit them in YAML
            </button>
            ):
          </p>
          <ul className="issues">
            {others.map((issue) => (
              <li key={`${issue.path}|${issue.message}`} className="field-error">
                <IssueText issue={issue} withLine />
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !check.valid}>
          {busy ? 'Creating…' : 'Create run'}
        </button>
        <CheckSummary check={check} />
      </div>
      <CheckWarnings warnings={check.warnings} />
    </form>
  );
}
