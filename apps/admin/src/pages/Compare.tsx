import type { RunRecord } from '@metaspo/schemas';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PromptText, Score, SimulatedTag, StatusBadge } from '../components/bits.js';
import { RunOptions } from '../components/Options.js';
import { ErrorNote, Loading } from '../components/QueryState.js';
import { formatUsd } from '../lib/format.js';
import { href, navigate } from '../lib/hash-route.js';
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
          navigate(href('compare', { ids: [...ids, adding].join(',') }));
          setAdding('');
        }}
      >
        Add
      </button>
      {runs.isError && <ErrorNote error={runs.error} />}
    </div>
  );
}

function ComparisonTable({ runs }: { runs: RunRecord[] }) {
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
                <a href={href('runs', run.id)}>{run.name ?? run.id}</a> <StatusBadge status={run.status} />{' '}
                <SimulatedTag simulated={run.simulated} />{' '}
                <button
                  type="button"
                  className="link"
                  aria-label={`Remove ${run.name ?? run.id} from the comparison`}
                  onClick={() =>
                    navigate(href('compare', { ids: ids.filter((id) => id !== run.id).join(',') }))
                  }
                >
                  ×
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(['initial', 'final', 'test'] as const).map((which) => (
            <tr key={which}>
              <th scope="row">{which} score</th>
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

export function ComparePage({ params }: { params: URLSearchParams }) {
  const trpc = useTRPC();
  const ids = (params.get('ids') ?? '').split(',').filter(Boolean);
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
