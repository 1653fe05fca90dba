import type { FormEvent } from 'react';
import { CheckSummary, CheckWarnings, type ConfigCheck, IssueText } from './RunConfigCheck.js';

/**
 * The config as YAML text, checked as the user types: every issue (local, or from the server's
 * preflight) is listed by line and marks its line in the gutter.
 */
export function RunConfigYamlEditor({
  text,
  check,
  busy,
  onEdit,
  onSubmit,
}: {
  text: string;
  check: ConfigCheck;
  busy: boolean;
  onEdit: (text: string) => void;
  onSubmit: () => void;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (check.valid) onSubmit();
  };
  const lineCount = text.split('\n').length;
  const badLines = new Set(check.issues.map((issue) => issue.line));

  return (
    <form className="yaml-form" onSubmit={submit} aria-label="Run config as YAML">
      <label htmlFor="config-yaml">Run config (YAML)</label>
      <div className="yaml-editor">
        <pre className="line-numbers" aria-hidden="true" data-testid="yaml-gutter">
          {Array.from({ length: lineCount }, (_, i) => {
            const line = i + 1;
            return (
              <span key={line} className={badLines.has(line) ? 'bad-line' : undefined}>
                {line}
              </span>
            );
          })}
        </pre>
        <textarea
          id="config-yaml"
          spellCheck={false}
          rows={Math.max(14, lineCount + 1)}
          value={text}
          aria-invalid={check.issues.length > 0 ? true : undefined}
          aria-describedby="config-yaml-issues"
          onChange={(e) => onEdit(e.target.value)}
        />
      </div>
      <div id="config-yaml-issues" aria-live="polite">
        {check.issues.length > 0 && (
          <ul className="issues">
            {check.issues.map((issue, index) => (
              <li
                key={`${index}|${issue.path}|${issue.message}`}
                className="field-error"
                data-line={issue.line}
              >
                <IssueText issue={issue} withLine />
              </li>
            ))}
          </ul>
        )}
        <CheckWarnings warnings={check.warnings} />
        <p>
          <CheckSummary check={check} />
        </p>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !check.valid}>
          {busy ? 'Creating…' : 'Create run'}
        </button>
      </div>
    </form>
  );
}
