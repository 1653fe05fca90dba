import type { MetaTestRecord, RunRecord } from '@metaspo/schemas';
import { useQueries, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { PromptText, Score, SimulatedTag, StatusBadge } from '../components/bits.js';
import { RunOptions, runLabel, shortId } from '../components/Options.js';
import { ErrorNote, Loading } from '../components/QueryState.js';
import { formatUsd } from '../lib/format.js';
import { useTRPC } from '../trpc.js';

function configValue(run: RunRecord, key: string): string {
  const value = (run.config as Record<string, unknown>)[key];
  if (value === undefined) return '–';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Config keys whose values are not the same in every run, in the config's own order. */
export function differingConfigKeys(runs: RunRecord[]): string[] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.config)))];
  return keys.filter((key) => new Set(runs.map((r) => configValue(r, key))).size > 1);
}

function RunPicker({ ids }: { ids: string[] }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const runs = useQuery(trpc.optimizer.runs.list.queryOptions({ limit: 200 }));
  const [adding, setAdding] = useState('');
  const others = (runs.data ?? []).filter((r) => !ids.includes(r.id));
  return (
    <div className="toolbar">
      <label>
        Add run{' '}
        <select value={adding} onChange={(e) => setAdding(e.target.value)}>
          <option value="">choose…</option>
          <RunOptions runs={others} />
        </select>
      </label>
      <button
        type="button"
        disabled={!adding}
        onClick={() => {
          void navigate({ to: '/compare', search: { ids: [...ids, adding].join(',') } });
          setAdding('');
        }}
      >
        Add
      </button>
      {runs.isError && <ErrorNote error={runs.error} />}
    </div>
  );
}

/** A run's latest completed unseen-generalization meta-test: the scores on tasks it never trained on. */
function latestUnseen(tests: readonly MetaTestRecord[] | undefined): MetaTestRecord | undefined {
  return (tests ?? [])
    .filter((t) => t.kind === 'unseen' && t.status === 'completed' && t.unseen)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/**
 * The unseen-task score of each run's optimized prompt (overall mean of its latest completed
 * unseen meta-test), with the tasks it covers: two runs' cells compare only on the same tasks.
 */
function UnseenRow({ runs }: { runs: RunRecord[] }) {
  const trpc = useTRPC();
  const lists = useQueries({
    queries: runs.map((run) => trpc.optimizer.metaTests.list.queryOptions({ runId: run.id })),
  });
  const tests = lists.map((list) => latestUnseen(list.data));
  if (tests.every((t) => t === undefined)) return null;
  return (
    <tr data-testid="unseen-row">
      <th scope="row">unseen-task score (optimized prompt)</th>
      {runs.map((run, i) => {
        const test = tests[i];
        return (
          <td key={run.id}>
            {test?.unseen ? (
              <>
                <Score
                  value={test.unseen.overall.optimized}
                  simulated={run.simulated}
                  scoring={test.scoring}
                />
                <br />
                <Link className="muted" to="/meta-test" search={{ run: run.id, id: test.id }}>
                  meta-test {shortId(test.id)}: {test.taskIds.join(', ')}
                </Link>
              </>
            ) : (
              <span className="muted">no completed unseen meta-test</span>
            )}
          </td>
        );
      })}
    </tr>
  );
}

const SCORE_ROWS = [
  { which: 'initial', name: 'initial score (meta-train tasks)' },
  { which: 'final', name: 'final score (meta-train tasks)' },
  { which: 'test', name: "test score (meta-train tasks' test split)" },
] as const;

function ComparisonTable({ runs }: { runs: RunRecord[] }) {
  const navigate = useNavigate();
  const [allKeys, setAllKeys] = useState(false);
  const differing = differingConfigKeys(runs);
  const keys = allKeys ? [...new Set(runs.flatMap((r) => Object.keys(r.config)))] : differing;
  const ids = runs.map((r) => r.id);
  return (
    <div className="table-wrap">
      <table className="compare-table">
        <thead>
          <tr>
            <th scope="col">Run</th>
            {runs.map((run) => (
              <th key={run.id} scope="col">
                <Link to="/runs/$runId" params={{ runId: run.id }}>
                  {runLabel(run)}
                </Link>{' '}
                <StatusBadge status={run.status} /> <SimulatedTag simulated={run.simulated} />{' '}
                <button
                  type="button"
                  className="link"
                  aria-label={`Remove ${run.name ?? run.id} from the comparison`}
                  onClick={() =>
                    void navigate({
                      to: '/compare',
                      search: { ids: ids.filter((id) => id !== run.id).join(',') },
                    })
                  }
                >
                  ×
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {SCORE_ROWS.map(({ which, name }) => (
            <tr key={which}>
              <th scope="row">{name}</th>
              {runs.map((run) => (
                <td key={run.id}>
                  <Score
                    value={run.result?.scores[which]}
                    simulated={run.simulated}
                    scoring={run.config.scoring}
                  />
                </td>
              ))}
            </tr>
          ))}
          <UnseenRow runs={runs} />
          <tr>
            <th scope="row">cost</th>
            {runs.map((run) => (
              <td key={run.id}>{formatUsd(run.result?.costUsd ?? run.progress?.costUsd)}</td>
            ))}
          </tr>
          <tr>
            <th scope="row">calls (cached)</th>
            {runs.map((run) => (
              <td key={run.id}>
                {run.result
                  ? `${run.result.calls.baseTrain + run.result.calls.baseTest + run.result.calls.optimizer} (${run.result.calls.cached})`
                  : '–'}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row" colSpan={runs.length + 1} className="subhead">
              Config {allKeys ? '(all fields)' : `(${differing.length} differing fields)`}{' '}
              <button type="button" className="link" onClick={() => setAllKeys(!allKeys)}>
                {allKeys ? 'show differences only' : 'show all fields'}
              </button>
            </th>
          </tr>
          {keys.map((key) => (
            <tr key={key} className={differing.includes(key) ? 'differs' : undefined}>
              <th scope="row">{key}</th>
              {runs.map((run) => (
                <td key={run.id} className="wrap">
                  {configValue(run, key)}
                </td>
              ))}
            </tr>
          ))}
          <tr>
            <th scope="row">final system prompt</th>
            {runs.map((run) => (
              <td key={run.id} className="prompt-cell">
                <PromptText text={run.result?.optimizedSystemPrompt ?? '(not finished)'} />
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

const route = getRouteApi('/compare');

export function ComparePage() {
  const trpc = useTRPC();
  const ids = (route.useSearch().ids ?? '').split(',').filter(Boolean);
  const results = useQueries({ queries: ids.map((id) => trpc.optimizer.runs.get.queryOptions({ id })) });
  const runs = results.flatMap((r) => (r.data ? [r.data] : []));
  const failed = results.find((r) => r.isError);
  return (
    <section>
      <h1>Compare runs</h1>
      <RunPicker ids={ids} />
      {ids.length < 2 && (
        <p className="empty">Pick two or more runs (here or with the checkboxes on the Runs page).</p>
      )}
      {failed?.error && <ErrorNote error={failed.error} onRetry={() => void failed.refetch()} />}
      {results.some((r) => r.isPending) && <Loading label="runs" />}
      {runs.length > 0 && <ComparisonTable runs={runs} />}
    </section>
  );
}
