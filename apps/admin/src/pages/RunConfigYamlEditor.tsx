import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { type ConfigIssue, validateConfigYaml } from '../lib/config-issues.js';
import { useDebounced } from '../lib/use-debounced.js';
import { useTRPC } from '../trpc.js';

const EXAMPLE_YAML = `name: procedural demo
method: metaspo
metaTrainTasks: procedural
baseModel: sim:default
optimizerModel: sim:default
iterations: 2
numSystemCandidates: 3
numUserCandidates: 2
userTopK: 2
trainSize: 20
testSize: 40
`;

function issueKey(issue: ConfigIssue): string {
  return `${issue.path}|${issue.message}`;
}

/**
 * A YAML editor validated as the user types: locally at once (same zod schema, with line
 * numbers from the YAML parser), and by the server's `validateConfig` once typing pauses,
 * which also knows about things only the server can check (task ids, configured models).
 */
export function RunConfigYamlEditor({
  busy,
  onSubmit,
}: {
  busy: boolean;
  onSubmit: (yaml: string) => Promise<void>;
}) {
  const trpc = useTRPC();
  const [text, setText] = useState(EXAMPLE_YAML);
  const settled = useDebounced(text, 400);
  const localIssues = useMemo(() => validateConfigYaml(text), [text]);
  const server = useQuery({
    ...trpc.optimizer.runs.validateConfig.queryOptions({ yaml: settled }),
    enabled: settled.trim().length > 0,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const issues = useMemo(() => {
    const seen = new Set(localIssues.map(issueKey));
    const fromServer =
      settled === text ? (server.data?.issues ?? []).filter((i) => !seen.has(issueKey(i))) : [];
    return [...localIssues, ...fromServer];
  }, [localIssues, server.data, settled, text]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (issues.length === 0) void onSubmit(text).catch(() => undefined);
  };
  const lineCount = text.split('\n').length;

  return (
    <form className="yaml-form" onSubmit={submit} aria-label="Run config as YAML">
      <label htmlFor="config-yaml">Run config (YAML)</label>
      <div className="yaml-editor">
        <pre className="line-numbers" aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => {
            const line = i + 1;
            const bad = issues.some((issue) => issue.line === line);
            return (
              <span key={line} className={bad ? 'bad-line' : undefined}>
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
          aria-invalid={issues.length > 0 ? true : undefined}
          aria-describedby="config-yaml-issues"
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <div id="config-yaml-issues" aria-live="polite">
        {issues.length === 0 ? (
          <p className="ok-note">
            {server.isFetching ? 'Checking with the server…' : 'The config is valid.'}
          </p>
        ) : (
          <ul className="issues">
            {issues.map((issue) => (
              <li key={issueKey(issue)} className="field-error" data-line={issue.line}>
                {issue.line !== undefined && <strong>line {issue.line}: </strong>}
                {issue.path && !issue.message.startsWith(issue.path) && <code>{issue.path}: </code>}
                {issue.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || issues.length > 0}>
          {busy ? 'Creating…' : 'Create run'}
        </button>
      </div>
    </form>
  );
}
