import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type ConfigIssue, mergeConfigIssues, validateConfigYaml } from '../lib/config-issues.js';
import { useDebounced } from '../lib/use-debounced.js';
import { useTRPC } from '../trpc.js';

/** What both views show under the config: where the check stands. */
export interface ConfigCheck {
  issues: ConfigIssue[];
  /** The server's preflight has answered for the text as it is now. */
  settled: boolean;
  /** No issue and the server said it will start. */
  valid: boolean;
  /** Things the server notes that do not stop the run (e.g. a test size above a task's count). */
  warnings: ConfigIssue[];
  serverError: unknown;
}

/**
 * Checks YAML text locally at once and with the server's preflight (`validateConfig`: tasks
 * imported, providers configured, sizes that fit) once typing pauses.
 */
export function useConfigCheck(text: string): ConfigCheck {
  const trpc = useTRPC();
  const settledText = useDebounced(text, 400);
  const local = useMemo(() => validateConfigYaml(text), [text]);
  const server = useQuery({
    ...trpc.optimizer.runs.validateConfig.queryOptions({ yaml: settledText }),
    enabled: settledText.trim().length > 0,
    staleTime: 10_000,
  });
  const current = settledText === text && !server.isFetching && server.data !== undefined;
  const issues = useMemo(
    () => mergeConfigIssues(text, local, current ? (server.data?.issues ?? []) : []),
    [text, local, current, server.data],
  );
  return {
    issues,
    settled: current,
    valid: current && issues.length === 0 && server.data?.ok === true,
    warnings: current ? (server.data?.warnings ?? []) : [],
    serverError: server.error,
  };
}

/** Where the check of the config stands, under either view. */
export function CheckSummary({ check }: { check: ConfigCheck }) {
  if (check.issues.length > 0) {
    const n = check.issues.length;
    return (
      <span className="field-error">
        {n} {n === 1 ? 'issue' : 'issues'} to fix before the run can start.
      </span>
    );
  }
  if (!check.settled) return <span className="muted">Checking with the server…</span>;
  return check.valid ? (
    <span className="ok-note">The config is valid. The run will start.</span>
  ) : (
    <span className="field-error">The server did not confirm the config.</span>
  );
}

/** One issue's text: the field (unless the message names it), the message, and what to do. */
export function IssueText({ issue, withLine }: { issue: ConfigIssue; withLine: boolean }) {
  return (
    <>
      {withLine && issue.line !== undefined && <strong>line {issue.line}: </strong>}
      {issue.path && !issue.message.startsWith(issue.path) && <code>{issue.path}: </code>}
      {issue.message}
      {issue.hint && (
        <>
          {' '}
          <span className="issue-hint">{issue.hint}</span>
        </>
      )}
    </>
  );
}

/** The server's notes that do not block the run. */
export function CheckWarnings({ warnings }: { warnings: ConfigIssue[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="issues warnings" aria-label="Warnings">
      {warnings.map((warning) => (
        <li key={`${warning.path}|${warning.message}`} className="muted">
          <IssueText issue={warning} withLine />
        </li>
      ))}
    </ul>
  );
}
