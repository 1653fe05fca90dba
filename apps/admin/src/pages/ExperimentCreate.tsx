import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { Panel } from '../components/Panel.js';
import { ErrorNote, Loading } from '../components/QueryState.js';
import { EXPERIMENT_TEMPLATE } from '../lib/experiment-template.js';
import { useDebounced } from '../lib/use-debounced.js';
import { useTRPC } from '../trpc.js';
import { ExperimentPlanView } from './ExperimentPlan.js';
import { IssueText } from './RunConfigCheck.js';

/**
 * A new experiment: its config as YAML, checked by the server as the user types (each issue
 * with its field and line); "Plan" asks what it will send and cost, and only a plan of the text
 * as it is now offers the Start button.
 */
export function ExperimentCreatePage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [text, setText] = useState(EXPERIMENT_TEMPLATE);
  const [plannedText, setPlannedText] = useState<string | null>(null);
  const settledText = useDebounced(text, 400);
  const check = useQuery({
    ...trpc.optimizer.experiments.validate.queryOptions({ config: settledText }),
    enabled: settledText.trim().length > 0,
    staleTime: 10_000,
  });
  const checked = settledText === text && !check.isFetching && check.data !== undefined;
  const issues = checked ? (check.data?.issues ?? []) : [];
  const valid = checked && check.data?.ok === true;
  const plan = useQuery({
    ...trpc.optimizer.experiments.plan.queryOptions({ config: plannedText ?? '' }),
    enabled: plannedText !== null,
    staleTime: 0,
  });
  const planCurrent = plannedText === text && plan.data !== undefined && !plan.isFetching;
  const start = useMutation(
    trpc.optimizer.experiments.run.mutationOptions({
      onSuccess: (record) => {
        void queryClient.invalidateQueries(trpc.optimizer.experiments.list.queryFilter());
        void navigate({ to: '/experiments/$experimentId', params: { experimentId: record.id } });
      },
    }),
  );

  const askPlan = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    if (plannedText === text) void plan.refetch();
    else setPlannedText(text);
  };
  const lineCount = text.split('\n').length;
  const badLines = new Set(issues.map((issue) => issue.line));

  return (
    <section>
      <div className="page-title">
        <h1>New experiment</h1>
        <Link to="/experiments">All experiments</Link>
      </div>
      <form className="yaml-form" onSubmit={askPlan} aria-label="Experiment config as YAML">
        <label htmlFor="experiment-yaml">Experiment config (YAML)</label>
        <div className="yaml-editor">
          <pre className="line-numbers" aria-hidden="true" data-testid="yaml-gutter">
            {Array.from({ length: lineCount }, (_, i) => (
              <span key={i + 1} className={badLines.has(i + 1) ? 'bad-line' : undefined}>
                {i + 1}
              </span>
            ))}
          </pre>
          <textarea
            id="experiment-yaml"
            spellCheck={false}
            rows={Math.max(14, lineCount + 1)}
            value={text}
            aria-invalid={issues.length > 0 ? true : undefined}
            aria-describedby="experiment-yaml-issues"
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <div id="experiment-yaml-issues" aria-live="polite">
          {issues.length > 0 && (
            <ul className="issues">
              {issues.map((issue, index) => (
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
          {check.error && <ErrorNote error={check.error} />}
          <p>
            {!checked ? (
              <span className="muted">Checking with the server…</span>
            ) : valid ? (
              <span className="ok-note">The config is valid: plan it to see what it will send.</span>
            ) : (
              <span className="field-error">Fix the issues above before planning.</span>
            )}
          </p>
        </div>
        <div className="form-actions">
          <button type="submit" disabled={!valid || plan.isFetching}>
            {plan.isFetching ? 'Planning…' : 'Plan'}
          </button>
        </div>
      </form>
      {plannedText !== null && (
        <Panel id="experiment-plan" title="Plan">
          {plan.isFetching && <Loading label="the plan" />}
          {plan.isError && <ErrorNote error={plan.error} />}
          {plan.data && !plan.isFetching && (
            <>
              {plannedText !== text && (
                <p className="field-error" role="status">
                  The config changed since this plan: plan it again to start.
                </p>
              )}
              <ExperimentPlanView plan={plan.data} />
            </>
          )}
          {planCurrent && (
            <div className="form-actions">
              <button
                type="button"
                className="primary"
                disabled={start.isPending}
                onClick={() => start.mutate({ config: text })}
              >
                {start.isPending ? 'Starting…' : 'Start experiment'}
              </button>
              {start.error && <ErrorNote error={start.error} />}
            </div>
          )}
        </Panel>
      )}
    </section>
  );
}
